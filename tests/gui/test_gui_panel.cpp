// SPDX-License-Identifier: GPL-3.0-or-later
// InstrumentPanel: widgets generated from the ParameterSet, edits reaching the driver, refused
// values snapping back, read-only values and actions, the channel list; engineering notation.
#include "FakeSignalInstrument.h"

#include <ChannelListWidget.h>
#include <ChannelStyles.h>
#include <CollapsibleGroupBox.h>
#include <EngineeringFormat.h>
#include <InstrumentPanel.h>
#include <ParameterEditor.h>

#include <DriverRegistry.h>
#include <HostPort.h>
#include <InstrumentHost.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace bs;

namespace {
/// The fake generator under another type, one that declares its address kinds.
class FakeNetInstrument : public test::FakeSignalInstrument
{
public:
    QString type() const override { return QStringLiteral("fakenet"); }
};
/// Settings in groups that matter only for some models, reached through a chain of onlyWhen (the
/// model → a channel's switch → its range), an output with a waveform switch, and an action that
/// asks first (like the Moku's: another client would lose the device).
class GatedInstrument : public Instrument
{
public:
    GatedInstrument()
    {
        auto &model = m_params.addString(QStringLiteral("model"), QStringLiteral("Model"), QString(),
                                         QStringLiteral("Device"));
        model.readOnly = true;
        m_params.addBool(QStringLiteral("in3_enable"), QStringLiteral("Enabled"), true, QStringLiteral("Input 3"))
            .onlyWhen(QStringLiteral("model"), {QStringLiteral("Big")});
        m_params.addDouble(QStringLiteral("in3_range"), QStringLiteral("Range"), 10, 1, 40, QStringLiteral("Input 3"))
            .onlyWhen(QStringLiteral("in3_enable"), {QStringLiteral("true")});
        for (const char *group : {"Output 1", "Output 2"}) {
            const QString g = QString::fromLatin1(group);
            const QString k = g.right(1);
            m_params.addEnum(QStringLiteral("out%1_type").arg(k), QStringLiteral("Waveform"),
                             {QStringLiteral("Off"), QStringLiteral("Sine")}, QStringLiteral("Off"), g);
            m_params.addDouble(QStringLiteral("out%1_freq").arg(k), QStringLiteral("Frequency"), 1, 1, 100, g)
                .onlyWhen(QStringLiteral("out%1_type").arg(k), {QStringLiteral("Sine")});
        }
        m_params.set(QStringLiteral("out2_type"), QStringLiteral("Sine"));
        auto &owned = m_params.addBool(QStringLiteral("owned"), QStringLiteral("Owned"), false, QStringLiteral("Device"));
        owned.readOnly = true;
        owned.shown = false;
        m_actions = {{QStringLiteral("take"), QStringLiteral("Take over"), QStringLiteral("Device"),
                      QStringLiteral("Claim it"), QStringLiteral("owned"),
                      QStringLiteral("The other client loses the device.")}};
    }
    QString type() const override { return QStringLiteral("gated"); }
    void open() override
    {
        updateParameter(QStringLiteral("model"), QStringLiteral("Big"));
        setState(State::Connected);
    }
    void close() override { setState(State::Disconnected); }
    void start() override {}
    void stop() override {}
    void invoke(const QString &action) override
    {
        if (action == QLatin1String("refuse")) {
            updateParameter(QStringLiteral("owned"), true);
            fail(QStringLiteral("The device is owned by lab-pc-7 (192.0.2.7)"));
        } else if (action == QLatin1String("take")) {
            updateParameter(QStringLiteral("owned"), false);
            Q_EMIT message(QStringLiteral("taken over"));
        }
    }
};

/// Answers the next modal dialog with the button named `button` once it is up; `text` gets its text.
void answerDialog(const QString &name, const QString &button, QString *text)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != name)
            return;
        *text = box->text();
        if (auto *b = box->findChild<QPushButton *>(button))
            b->click();
        timer->deleteLater();
    });
    timer->start();
}

} // namespace

class InstrumentPanelTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<InstrumentHost> m_host;
    std::unique_ptr<ChannelStyles> m_styles;
    std::unique_ptr<InstrumentPanel> m_panel;

    template <typename W> W *widget(const QString &key)
    {
        ParameterEditor *e = m_panel->editor(key);
        return e ? qobject_cast<W *>(e->widget()) : nullptr;
    }

private Q_SLOTS:
    void initTestCase() { test::FakeSignalInstrument::registerType(); }

    void init()
    {
        auto driver = DriverRegistry::instance().create(
            QString::fromLatin1(test::FakeSignalInstrument::kType), QStringLiteral("fake1"));
        QVERIFY(driver);
        m_host = std::make_unique<InstrumentHost>(std::move(driver));
        m_styles = std::make_unique<ChannelStyles>();
        m_panel = std::make_unique<InstrumentPanel>(m_host.get(), m_styles.get());
        m_panel->resize(360, 700);
        m_panel->show();
    }

    void cleanup()
    {
        m_panel.reset();
        m_host.reset();
        m_styles.reset();
    }

    void generatesWidgetPerType()
    {
        QCOMPARE(m_panel->objectName(), QStringLiteral("panel_fake1"));
        QVERIFY(qobject_cast<QScrollArea *>(m_panel->widget()));
        QVERIFY(widget<QCheckBox>(QStringLiteral("enabled")));
        QVERIFY(widget<QSpinBox>(QStringLiteral("block_size")));
        auto *rate = widget<QDoubleSpinBox>(QStringLiteral("rate"));
        QVERIFY(rate);
        QCOMPARE(rate->suffix(), QStringLiteral(" Hz"));
        QCOMPARE(rate->value(), 2000.0);
        auto *amplitude = widget<QDoubleSpinBox>(QStringLiteral("amplitude"));
        QVERIFY(amplitude);
        QVERIFY(amplitude->decimals() >= 2);
        // Beyond int32 → a line edit; a range over many decades → engineering notation.
        QCOMPARE(m_panel->editor(QStringLiteral("max_rows"))->kind(), ParameterEditor::Kind::IntLineEdit);
        QCOMPARE(
            m_panel->editor(QStringLiteral("period"))->kind(), ParameterEditor::Kind::EngineeringLineEdit);
        QCOMPARE(widget<QLineEdit>(QStringLiteral("period"))->text(), QStringLiteral("500 ms"));
        auto *shape = widget<QComboBox>(QStringLiteral("shape"));
        QVERIFY(shape);
        QCOMPARE(shape->count(), 3);
        QCOMPARE(shape->currentText(), QStringLiteral("Sine"));
        QCOMPARE(widget<QLineEdit>(QStringLiteral("label"))->text(), QStringLiteral("bench A"));
        QVERIFY(widget<QLabel>(QStringLiteral("temperature")));
        QCOMPARE(widget<QLabel>(QStringLiteral("temperature"))->text(), QStringLiteral("21.5 °C"));
        QVERIFY(m_panel->findChild<QPushButton *>(QStringLiteral("action_pulse")));
        QVERIFY(m_panel->findChild<QLineEdit *>(QStringLiteral("address")));
        QVERIFY(m_panel->findChild<QPushButton *>(QStringLiteral("connectButton")));

        QStringList titles;
        for (const QGroupBox *g : m_panel->findChildren<QGroupBox *>())
            titles.append(g->title());
        for (const char *want : { "Connection", "Channels", "Acquisition", "Signal", "Status" })
            QVERIFY2(
                titles.filter(QLatin1String(want)).size() == 1, qPrintable(titles.join(QLatin1Char(','))));
    }

    void editsReachTheDriver()
    {
        QSignalSpy spy(m_host.get(), &InstrumentHost::parameterChanged);
        widget<QSpinBox>(QStringLiteral("block_size"))->setValue(50);
        QTRY_COMPARE(m_host->parameters().intValue(QStringLiteral("block_size")), 50);

        widget<QCheckBox>(QStringLiteral("enabled"))->click();
        QTRY_COMPARE(m_host->parameters().boolValue(QStringLiteral("enabled")), false);

        auto *shape = widget<QComboBox>(QStringLiteral("shape"));
        shape->setCurrentIndex(2);
        Q_EMIT shape->activated(2);
        QTRY_COMPARE(m_host->parameters().stringValue(QStringLiteral("shape")), QStringLiteral("Triangle"));

        auto *label = widget<QLineEdit>(QStringLiteral("label"));
        label->setFocus();
        label->selectAll();
        QTest::keyClicks(label, QStringLiteral("bench B"));
        QTest::keyClick(label, Qt::Key_Return);
        QTRY_COMPARE(m_host->parameters().stringValue(QStringLiteral("label")), QStringLiteral("bench B"));

        auto *period = widget<QLineEdit>(QStringLiteral("period"));
        period->setFocus();
        period->selectAll();
        QTest::keyClicks(period, QStringLiteral("250 us"));
        QTest::keyClick(period, Qt::Key_Return);
        QTRY_VERIFY(qAbs(m_host->parameters().doubleValue(QStringLiteral("period")) - 250e-6) < 1e-12);
        QTRY_COMPARE(period->text(), QStringLiteral("250 µs")); // read back and reformatted

        auto *rows = widget<QLineEdit>(QStringLiteral("max_rows"));
        rows->setFocus();
        rows->selectAll();
        QTest::keyClicks(rows, QStringLiteral("5000000000"));
        QTest::keyClick(rows, Qt::Key_Return);
        QTRY_COMPARE(m_host->parameters().intValue(QStringLiteral("max_rows")), qint64(5000000000));
        QVERIFY(spy.count() >= 6);
    }

    void refusedValueSnapsBack()
    {
        auto *amplitude = widget<QDoubleSpinBox>(QStringLiteral("amplitude"));
        QSignalSpy errors(m_host.get(), &InstrumentHost::errorOccurred);
        QSignalSpy status(m_panel.get(), &InstrumentPanel::statusMessage);
        amplitude->setValue(7.0); // in the spec's range, refused by the driver
        QTRY_COMPARE(errors.count(), 1);
        QTRY_COMPARE(amplitude->value(), 1.0);
        QCOMPARE(m_host->parameters().doubleValue(QStringLiteral("amplitude")), 1.0);
        QVERIFY(m_panel->errorText().contains(QStringLiteral("refuses")));
        QCOMPARE(status.count(), 1);
        // The acquisition is not what was asked: a warning stays in the panel (and the report).
        QTRY_VERIFY(m_panel->warningText().contains(QStringLiteral("setting amplitude refused")));
        QCOMPARE(m_host->report().warnings.size(), 1);

        // Out of the spec's range: refused where it is typed (issue 10), nothing sent; the field
        // keeps the text and says why.
        auto *rows = widget<QLineEdit>(QStringLiteral("max_rows"));
        rows->setFocus();
        rows->selectAll();
        QTest::keyClicks(rows, QStringLiteral("-5"));
        QTest::keyClick(rows, Qt::Key_Return);
        QVERIFY(m_panel->editor(QStringLiteral("max_rows"))->problem().contains(QStringLiteral("−5 is outside")));
        QTest::qWait(50);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(rows->text(), QStringLiteral("-5"));
    }

    void irrelevantSettingsGreyedOut()
    {
        auto *duty = m_panel->editor(QStringLiteral("duty"))->widget();
        QVERIFY(!duty->isEnabled()); // only for the square shape
        auto *shape = widget<QComboBox>(QStringLiteral("shape"));
        shape->setCurrentIndex(1); // as the user picks it
        Q_EMIT shape->activated(1);
        QTRY_VERIFY(duty->isEnabled());
        shape->setCurrentIndex(2);
        Q_EMIT shape->activated(2);
        QTRY_VERIFY(!duty->isEnabled());
    }

    // Issue 12: a group none of whose settings matters for the connected model is hidden, also
    // when the setting that decides it is only reached through another one; an output that is Off
    // starts folded; an action that asks first runs only when confirmed.
    void groupsFollowRelevanceAndActionsAsk()
    {
        auto host = std::make_unique<InstrumentHost>(std::make_unique<GatedInstrument>());
        auto panel = std::make_unique<InstrumentPanel>(host.get(), m_styles.get());
        panel->resize(360, 700);
        panel->show();
        auto *input3 = panel->findChild<QGroupBox *>(QStringLiteral("group_Input 3"));
        auto *out1 = panel->findChild<CollapsibleGroupBox *>(QStringLiteral("group_Output 1"));
        auto *out2 = panel->findChild<CollapsibleGroupBox *>(QStringLiteral("group_Output 2"));
        QVERIFY(input3 && out1 && out2);
        QVERIFY(input3->isHidden()); // no model yet: not this input
        QVERIFY(out1->isCollapsed());  // Off
        QVERIFY(!out2->isCollapsed()); // Sine
        // A switch that only rules out some of its group (the fake's shape → duty): not folded.
        auto *signal = m_panel->findChild<CollapsibleGroupBox *>(QStringLiteral("group_Signal"));
        QVERIFY(signal && !signal->isCollapsed());
        QVERIFY(!panel->editor(QStringLiteral("in3_range"))->widget()->isEnabled());
        // Ruled out by the device (the read-only model), not by a choice: the row is gone.
        QVERIFY(panel->editor(QStringLiteral("in3_range"))->widget()->isHidden());
        // Ruled out by the user's choice (Off): greyed out, still there.
        QVERIFY(!panel->editor(QStringLiteral("out1_freq"))->widget()->isEnabled());
        QVERIFY(!panel->editor(QStringLiteral("out1_freq"))->widget()->isHidden());
        host->open();
        QTRY_VERIFY_WITH_TIMEOUT(!input3->isHidden(), 10000);
        // The range depends on the model only through the input's switch, which did not change.
        QTRY_VERIFY_WITH_TIMEOUT(panel->editor(QStringLiteral("in3_range"))->widget()->isEnabled(), 10000);
        QVERIFY(!panel->editor(QStringLiteral("in3_range"))->widget()->isHidden());

        auto *take = panel->findChild<QPushButton *>(QStringLiteral("action_take"));
        QVERIFY(take && !take->isEnabled());
        host->invoke(QStringLiteral("refuse"));
        QTRY_VERIFY_WITH_TIMEOUT(take->isEnabled(), 10000);
        QString text;
        answerDialog(QStringLiteral("confirm_take"), QStringLiteral("cancelButton"), &text);
        take->click();
        QVERIFY2(text.startsWith(QStringLiteral("The device is owned by lab-pc-7 (192.0.2.7)\n\n"))
                     && text.contains(QStringLiteral("The other client loses the device.")),
                 qPrintable(text));
        QTest::qWait(200);
        QVERIFY(take->isEnabled()); // cancelled: not run
        text.clear();
        answerDialog(QStringLiteral("confirm_take"), QStringLiteral("confirmButton"), &text);
        take->click();
        QVERIFY(!text.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!take->isEnabled(), 10000);
        panel.reset();
        host.reset();
    }

    void actionsAndReadOnlyValues()
    {
        auto *button = m_panel->findChild<QPushButton *>(QStringLiteral("action_pulse"));
        auto *ack = m_panel->findChild<QPushButton *>(QStringLiteral("action_acknowledge"));
        QVERIFY(ack);
        QVERIFY(!ack->isEnabled()); // enabled only by its (hidden) flag
        QVERIFY(!m_panel->editor(QStringLiteral("unacknowledged")));
        button->click();
        QTRY_COMPARE(widget<QLabel>(QStringLiteral("pulses"))->text(), QStringLiteral("1"));
        QTRY_VERIFY(ack->isEnabled());
        ack->click();
        QTRY_VERIFY(!ack->isEnabled());
        QTRY_COMPARE(m_panel->progressBar()->value(), 1000);
        QVERIFY(m_panel->progressBar()->isVisible());
    }

    void connectionAndChannelList()
    {
        auto *state = m_panel->findChild<QLabel *>(QStringLiteral("stateLabel"));
        QVERIFY(state->text().contains(QStringLiteral("Disconnected")));
        m_panel->findChild<QPushButton *>(QStringLiteral("connectButton"))->click();
        QTRY_COMPARE(m_host->state(), Instrument::State::Connected);
        QTRY_VERIFY(state->text().contains(QStringLiteral("Connected")));
        QCOMPARE(m_panel->findChild<QPushButton *>(QStringLiteral("connectButton"))->text(),
            QStringLiteral("Disconnect"));

        QTRY_COMPARE(m_panel->channelList()->channelCount(), 2);
        const QString key = ChannelStyles::keyOf(
            QStringLiteral("fake1"), QStringLiteral("sig"), QStringLiteral("Position"));
        auto *check = m_panel->findChild<QCheckBox *>(QStringLiteral("channel_") + key);
        QVERIFY(check);
        QCOMPARE(check->text(), QStringLiteral("Position [µm]"));
        QVERIFY(check->isChecked());
        check->click();
        QCOMPARE(m_styles->style(key).visible, false);
        m_styles->setVisible(key, true); // and back from the model (e.g. a session being opened)
        QVERIFY(check->isChecked());
    }

    // An address the driver cannot use is refused in the panel (a session saved with it would be
    // refused when loaded) and nothing connects; a good one, IPv6 included, is taken.
    void addressRefusedByTheDriverStaysOut()
    {
        DriverInfo net;
        net.type = QStringLiteral("fakenet");
        net.displayName = QStringLiteral("Fake network instrument");
        net.defaultAddress = QStringLiteral("127.0.0.1:1234");
        net.create = [] { return std::make_unique<FakeNetInstrument>(); };
        net.checkAddress = [](const QString &address) {
            QString why;
            parseHostPort(address, 1234, &why);
            return why;
        };
        DriverRegistry::instance().add(net);
        auto driver = DriverRegistry::instance().create(QStringLiteral("fakenet"), QStringLiteral("net1"));
        InstrumentHost host(std::move(driver));
        ChannelStyles styles;
        InstrumentPanel panel(&host, &styles);
        panel.show();
        auto *address = panel.findChild<QLineEdit *>(QStringLiteral("address"));
        QVERIFY(address);
        address->setText(QStringLiteral("pandabox:0"));
        panel.findChild<QPushButton *>(QStringLiteral("connectButton"))->click();
        QVERIFY2(panel.errorText().contains(QStringLiteral("Address 'pandabox:0': port '0'")),
                 qPrintable(panel.errorText()));
        QCOMPARE(host.address(), QStringLiteral("127.0.0.1:1234"));
        QTest::qWait(50);
        QCOMPARE(host.state(), Instrument::State::Disconnected);

        address->setText(QStringLiteral("[::1]:8888"));
        QMetaObject::invokeMethod(address, "editingFinished");
        QCOMPARE(host.address(), QStringLiteral("[::1]:8888"));
    }

    // An Int whose minimum means "automatic" shows its words, not the number.
    void specialValueTextInSpinBox()
    {
        ParameterSpec spec;
        spec.key = QStringLiteral("data_port");
        spec.type = ParameterSpec::Type::Int;
        spec.minimum = 0;
        spec.maximum = 65535;
        spec.specialValueText = QStringLiteral("control port + 1");
        QWidget parent;
        ParameterEditor editor(spec, qint64(0), &parent);
        auto *box = qobject_cast<QSpinBox *>(editor.widget());
        QVERIFY(box);
        QCOMPARE(box->text(), QStringLiteral("control port + 1"));
        editor.setValue(qint64(8889));
        QCOMPARE(box->text(), QStringLiteral("8889"));
    }

    void engineeringFormat()
    {
        QCOMPARE(EngineeringFormat::format(1e-3, QStringLiteral("s")), QStringLiteral("1 ms"));
        QCOMPARE(EngineeringFormat::format(2500, QStringLiteral("Hz")), QStringLiteral("2.5 kHz"));
        QCOMPARE(EngineeringFormat::format(12, QStringLiteral("counts")), QStringLiteral("12 counts"));
        QCOMPARE(EngineeringFormat::format(0, QStringLiteral("V")), QStringLiteral("0 V"));
        QCOMPARE(*EngineeringFormat::parse(QStringLiteral("250 us"), QStringLiteral("s")), 250e-6);
        QCOMPARE(*EngineeringFormat::parse(QStringLiteral("250µs"), QStringLiteral("s")), 250e-6);
        QCOMPARE(*EngineeringFormat::parse(QStringLiteral("2.5k"), QStringLiteral("Hz")), 2500.0);
        QCOMPARE(*EngineeringFormat::parse(QStringLiteral("1e-3"), QStringLiteral("s")), 1e-3);
        QCOMPARE(*EngineeringFormat::parse(QStringLiteral("3 mm"), QStringLiteral("m")), 3e-3);
        QVERIFY(!EngineeringFormat::parse(QStringLiteral("fast"), QStringLiteral("s")));
        QVERIFY(!EngineeringFormat::parse(QStringLiteral("3k"), QStringLiteral("counts")));
    }
};

QTEST_MAIN(InstrumentPanelTest)
#include "test_gui_panel.moc"
