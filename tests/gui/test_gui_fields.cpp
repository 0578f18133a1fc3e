// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 10, items 9–12 and 15 (parts): parameter fields that say what is wrong where a value is
// typed, refusals shown at the field with the value the instrument keeps, units that follow a
// setting, the channel list's words per state, the Add Instrument dialog (what a PandA address
// connects to, name vs id, readable ids, address suggestions), the first screen, Help ▸ User Guide,
// Connect All's shortcut and the selected instrument tab saved with the session.
#include "FakeSignalInstrument.h"

#include <AddInstrumentDialog.h>
#include <AddressCompleter.h>
#include <ChannelListWidget.h>
#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <ParameterEditor.h>
#include <ScopeView.h>
#include <UserGuideDialog.h>
#include <WelcomeWidget.h>

#include <DriverRegistry.h>
#include <InstrumentHost.h>
#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>
#include <registry.h>

#include <QAction>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace bs;

namespace {
const QString kFake = QString::fromLatin1(test::FakeSignalInstrument::kType);

/// The fake generator with a setpoint whose unit follows a read-only setting (as the NV200's
/// µm/V), and without channels until Run (as most instruments).
class FakeUnitInstrument : public test::FakeSignalInstrument
{
public:
    FakeUnitInstrument()
    {
        auto &unit = m_params.addString(QStringLiteral("loop_unit"), QStringLiteral("Unit"), QString(),
                                        QStringLiteral("Signal"));
        unit.readOnly = true;
        unit.persistent = false;
        m_params.addDouble(QStringLiteral("setpoint"), QStringLiteral("Setpoint"), 0, -1e6, 1e6,
                           QStringLiteral("Signal"))
            .unitKey = QStringLiteral("loop_unit");
    }
    QString type() const override { return QStringLiteral("fakeunit"); }
    void open() override
    {
        setState(State::Connecting);
        updateParameter(QStringLiteral("loop_unit"), QStringLiteral("µm"));
        setState(State::Connected);
    }
};

template <typename W> W *field(InstrumentPanel &panel, const QString &key)
{
    ParameterEditor *e = panel.editor(key);
    return e ? qobject_cast<W *>(e->widget()) : nullptr;
}

void type(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}
} // namespace

class FieldsTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<InstrumentHost> m_host;
    std::unique_ptr<ChannelStyles> m_styles;
    std::unique_ptr<InstrumentPanel> m_panel;

    void makePanel(const QString &type)
    {
        auto driver = DriverRegistry::instance().create(type, QStringLiteral("f1"));
        QVERIFY(driver);
        m_host = std::make_unique<InstrumentHost>(std::move(driver));
        m_styles = std::make_unique<ChannelStyles>();
        m_panel = std::make_unique<InstrumentPanel>(m_host.get(), m_styles.get());
        m_panel->resize(380, 900);
        m_panel->show();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_fields"));
        test::FakeSignalInstrument::registerType();
        DriverInfo unit;
        unit.type = QStringLiteral("fakeunit");
        unit.displayName = QStringLiteral("Fake with a unit that follows a setting");
        unit.create = [] { return std::make_unique<FakeUnitInstrument>(); };
        DriverRegistry::instance().add(unit);
        registerBuiltinDrivers();
    }

    void cleanup()
    {
        m_panel.reset();
        m_host.reset();
        m_styles.reset();
    }

    // Letters in a number field: a message under the field, the text kept to be corrected,
    // nothing sent (it used to snap back without a word).
    void lettersInANumberFieldGetAMessage()
    {
        makePanel(kFake);
        QSignalSpy changed(m_host.get(), &InstrumentHost::parameterChanged);
        ParameterEditor *period = m_panel->editor(QStringLiteral("period"));
        auto *edit = field<QLineEdit>(*m_panel, QStringLiteral("period"));
        type(edit, QStringLiteral("fast"));
        QCOMPARE(period->problem(),
                 QStringLiteral("Period: 'fast' is not a number (e.g. 500 ms) — the instrument keeps 500 ms"));
        QVERIFY(period->messageLabel()->isVisible());
        QCOMPARE(edit->text(), QStringLiteral("fast"));

        auto *rows = field<QLineEdit>(*m_panel, QStringLiteral("max_rows"));
        type(rows, QStringLiteral("12a"));
        QVERIFY2(m_panel->editor(QStringLiteral("max_rows"))->problem().startsWith(
                     QStringLiteral("Rows per capture: '12a' is not a number")),
                 qPrintable(m_panel->editor(QStringLiteral("max_rows"))->problem()));
        QTest::qWait(50);
        QCOMPARE(changed.count(), 0);

        type(edit, QStringLiteral("250 us")); // a good value clears the message
        QTRY_VERIFY(qAbs(m_host->parameters().doubleValue(QStringLiteral("period")) - 250e-6) < 1e-12);
        QVERIFY(period->problem().isEmpty());
        QVERIFY(!period->messageLabel()->isVisible());
    }

    // Outside the spec's limits: refused where it is typed, in the user's words.
    void outOfRangeIsRefusedWhereTyped()
    {
        makePanel(kFake);
        QSignalSpy errors(m_host.get(), &InstrumentHost::errorOccurred);
        auto *edit = field<QLineEdit>(*m_panel, QStringLiteral("period"));
        type(edit, QStringLiteral("-5 ms"));
        QCOMPARE(m_panel->editor(QStringLiteral("period"))->problem(),
                 QStringLiteral("Period: −5 ms is outside 1 ns … 100 s — the instrument keeps 500 ms"));
        auto *rows = field<QLineEdit>(*m_panel, QStringLiteral("max_rows"));
        type(rows, QStringLiteral("-5"));
        QVERIFY2(m_panel->editor(QStringLiteral("max_rows"))->problem().contains(
                     QStringLiteral("−5 is outside 0 … 1 099 511 627 776")),
                 qPrintable(m_panel->editor(QStringLiteral("max_rows"))->problem()));
        QTest::qWait(50);
        QCOMPARE(errors.count(), 0); // nothing reached the instrument
        QCOMPARE(m_host->parameters().doubleValue(QStringLiteral("period")), 0.5);
        // Range tooltips with exact, readable numbers (not "0 … 1.09951e+12").
        QVERIFY2(rows->toolTip().contains(QStringLiteral("Range: 0 … 1 099 511 627 776")), qPrintable(rows->toolTip()));
    }

    // The instrument refuses: the field shows the value it keeps and why, and the message (also
    // the panel's error) goes once another value is accepted.
    void refusalShownAtTheFieldUntilItNoLongerApplies()
    {
        makePanel(kFake);
        auto *amplitude = field<QDoubleSpinBox>(*m_panel, QStringLiteral("amplitude"));
        amplitude->setValue(7.0); // within the spec, refused by the instrument
        ParameterEditor *editor = m_panel->editor(QStringLiteral("amplitude"));
        QTRY_VERIFY(editor->problem().contains(QStringLiteral("refuses more than 5 V")));
        QTRY_COMPARE(amplitude->value(), 1.0);
        QVERIFY(!m_panel->errorText().isEmpty());
        amplitude->setValue(3.0);
        QTRY_COMPARE(m_host->parameters().doubleValue(QStringLiteral("amplitude")), 3.0);
        QVERIFY(editor->problem().isEmpty());
        QVERIFY2(m_panel->errorText().isEmpty(), qPrintable(m_panel->errorText()));
    }

    // A unit that depends on a setting (NV200: µm in closed loop, V in open loop) is shown next to
    // the value once known; the channel list does not claim to wait for a connection it has.
    void unitFollowsItsSettingAndChannelWords()
    {
        makePanel(QStringLiteral("fakeunit"));
        auto *setpoint = field<QLineEdit>(*m_panel, QStringLiteral("setpoint")); // ±10⁶: decimals needed
        QVERIFY(setpoint);
        QCOMPARE(m_panel->channelList()->emptyText(),
                 QStringLiteral("Channels appear once the instrument is connected."));
        m_host->open();
        QTRY_COMPARE(m_host->state(), Instrument::State::Connected);
        QTRY_COMPARE(m_panel->editor(QStringLiteral("setpoint"))->unit(), QStringLiteral("µm"));
        QCOMPARE(setpoint->text(), QStringLiteral("0 µm"));
        type(setpoint, QStringLiteral("12.5"));
        QTRY_COMPARE(m_host->parameters().doubleValue(QStringLiteral("setpoint")), 12.5);
        QTRY_COMPARE(setpoint->text(), QStringLiteral("12.5 µm"));
        QCOMPARE(m_panel->channelList()->emptyText(),
                 QStringLiteral("Channels appear when the acquisition runs (Run)."));
    }

    // PandA: the dialog says which data port goes with the control port typed (control + 1, as on
    // a PandABox), so the first Connect does not fail on a data port nobody was asked about.
    void addDialogShowsThePandaDataPort()
    {
        Workspace ws;
        AddInstrumentDialog dialog(&ws);
        dialog.setType(QStringLiteral("panda"));
        auto *address = dialog.findChild<QLineEdit *>(QStringLiteral("addressEdit"));
        auto *detail = dialog.findChild<QLabel *>(QStringLiteral("addressDetail"));
        QVERIFY(address && detail);
        address->setText(QStringLiteral("127.0.0.1:9000"));
        QVERIFY2(detail->text().contains(QStringLiteral("127.0.0.1:9000 (control)")), qPrintable(detail->text()));
        QVERIFY2(detail->text().contains(QStringLiteral("127.0.0.1:9001 (data")), qPrintable(detail->text()));
        address->setText(QStringLiteral("pandabox"));
        QVERIFY2(detail->text().contains(QStringLiteral("pandabox:8889 (data")), qPrintable(detail->text()));
        address->setText(QStringLiteral("pandabox:0"));
        QVERIFY2(detail->text().contains(QStringLiteral("cannot be used")), qPrintable(detail->text()));
        QVERIFY(!dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    }

    // Name for people, id for files; new ids read "nv200-1", not "nv2001" (a model number).
    void addDialogNameAndReadableId()
    {
        Workspace ws;
        AddInstrumentDialog dialog(&ws);
        dialog.setType(QStringLiteral("nv200"));
        const SessionInstrument e = dialog.entry();
        QCOMPARE(e.id, QStringLiteral("nv200-1"));
        QCOMPARE(e.name, QStringLiteral("NV200 1"));
        auto *help = dialog.findChild<QLabel *>(QStringLiteral("idHelp"));
        QVERIFY2(help->text().contains(QStringLiteral("nv200-1/")), qPrintable(help->text()));
        QVERIFY(help->text().contains(QStringLiteral("name is for people")));
    }

    // The address suggestions (serial ports) only when they match what is typed: none under an IP.
    void addressSuggestionsMatchWhatIsTyped()
    {
        QLineEdit edit;
        installAddressCompleter(&edit, {QStringLiteral("/dev/ttyS0"), QStringLiteral("/dev/ttyUSB0")});
        QCompleter *c = edit.completer();
        QVERIFY(c);
        c->setCompletionPrefix(QStringLiteral("192.168.1.5"));
        QCOMPARE(c->completionCount(), 0);
        c->setCompletionPrefix(QStringLiteral("/dev/ttyU"));
        QCOMPARE(c->completionCount(), 1);
    }

    // The first screen of an empty session and Help ▸ User Guide; the selected instrument tab is
    // saved with the session and restored; Connect All has a shortcut.
    void firstScreenGuideAndSelectedTab()
    {
        TraceStore store;
        Recorder recorder;
        Workspace ws;
        ws.addSink(&store);
        ws.addSink(&recorder);
        {
            MainWindow window(&ws, &store, &recorder);
            window.resize(1200, 800);
            window.show();
            WelcomeWidget *welcome = window.welcomeWidget();
            QVERIFY(welcome && welcome->isVisible());
            QVERIFY(!window.scopeView()->isVisible());
            auto *demo = welcome->findChild<QPushButton *>(QStringLiteral("welcomeDemo"));
            QVERIFY(demo && !demo->isVisible()); // no demo wired: no button
            int started = 0;
            window.setDemoStarter([&](QString *) {
                ++started;
                QString error;
                return ws.addInstrument({QStringLiteral("a1"), kFake, QStringLiteral("A"), {}, {}}, &error) != nullptr
                    && ws.addInstrument({QStringLiteral("b1"), kFake, QStringLiteral("B"), {}, {}}, &error) != nullptr;
            });
            QVERIFY(demo->isVisible());
            demo->click();
            QCOMPARE(started, 1);
            QVERIFY(!welcome->isVisible());
            QVERIFY(window.scopeView()->isVisible());
            QVERIFY(welcome->findChild<QPushButton *>(QStringLiteral("welcomeAdd")));
            QVERIFY(welcome->findChild<QPushButton *>(QStringLiteral("welcomeOpen")));
            QVERIFY(welcome->findChild<QListWidget *>(QStringLiteral("welcomeRecent")));
            // Instrument tabs keep their whole names (scroll buttons instead of "PandABox (sim…").
            const auto bars = window.findChildren<QTabBar *>(QString(), Qt::FindDirectChildrenOnly);
            QVERIFY(!bars.isEmpty());
            for (const QTabBar *bar : bars)
                QCOMPARE(bar->elideMode(), Qt::ElideNone);
            // Action buttons are never narrower than their labels.
            for (const QPushButton *b : window.panel(QStringLiteral("a1"))->findChildren<QPushButton *>())
                if (b->objectName().startsWith(QLatin1String("action_")))
                    QVERIFY2(b->minimumWidth() >= b->sizeHint().width(), qPrintable(b->text()));
            QCOMPARE(window.findChild<QAction *>(QStringLiteral("actionConnectAll"))->shortcut(),
                     QKeySequence(QStringLiteral("Ctrl+Shift+C")));

            // The tab in front: a1 brought forward, saved, restored after a new session.
            QTRY_COMPARE(window.selectedPanelId(), QStringLiteral("b1"));
            window.panel(QStringLiteral("a1"))->raise();
            QTRY_COMPARE(window.selectedPanelId(), QStringLiteral("a1"));
            const Session saved = window.currentSession();
            window.newSession();
            QVERIFY(welcome->isVisible());
            QString error;
            QVERIFY2(window.applySession(saved, &error), qPrintable(error));
            QCOMPARE(window.selectedPanelId(), QStringLiteral("a1"));
            // Lenient: an unknown id, or no such view, changes nothing and refuses nothing.
            Session odd = saved;
            odd.views.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("panels")},
                                         {QStringLiteral("selected"), 42}});
            QVERIFY2(window.applySession(odd, &error), qPrintable(error));

            // Help ▸ User Guide: the guide from the resources, its screenshot included.
            auto *guide = window.findChild<QAction *>(QStringLiteral("actionUserGuide"));
            QVERIFY(guide);
            guide->trigger();
            auto *dialog = window.findChild<UserGuideDialog *>();
            QVERIFY(dialog && dialog->isVisible());
            QTextBrowser *browser = dialog->browser();
            QVERIFY2(browser->toPlainText().contains(QStringLiteral("Getting started")),
                     qPrintable(browser->toPlainText().left(200)));
            const QVariant image = browser->document()->resource(
                QTextDocument::ImageResource, QUrl(QStringLiteral("images/first-screen.png")));
            const QVariant loaded = image.isValid() ? image
                                                    : browser->loadResource(QTextDocument::ImageResource,
                                                                            QUrl(QStringLiteral("images/first-screen.png")));
            QVERIFY(loaded.isValid());
            QImage png;
            QVERIFY(png.loadFromData(loaded.toByteArray()) || !qvariant_cast<QImage>(loaded).isNull());
            window.newSession();
        }
        ws.clear();
        recorder.stop();
    }
};

QTEST_MAIN(FieldsTest)
#include "test_gui_fields.moc"
