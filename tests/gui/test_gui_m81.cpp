// SPDX-License-Identifier: GPL-3.0-or-later
// The Lake Shore M81-SSM in the main window: the real driver against the simulator over TCP.
// The panel shows the identification and the modules (an empty slot as "not fitted"), the element
// table edits what is streamed, Run streams into the plot, the whole configuration survives a
// session saved and opened (and is written to the instrument on connecting), the Add Instrument
// dialog offers the serial ports for m81. Saves m81-panel.png in the build directory.
#include <AddInstrumentDialog.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <ParameterEditor.h>
#include <TableParameterWidget.h>

#include <DemoBench.h>
#include <DriverRegistry.h>
#include <InstrumentHost.h>
#include <M81Simulator.h>
#include <Recorder.h>
#include <Session.h>
#include <SimulatorThread.h>
#include <TraceStore.h>
#include <Workspace.h>
#include <registry.h>

#include <QAbstractItemModel>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace bs;
using bs::m81::M81Simulator;

namespace {
constexpr int kWaitMs = 20000;

/// Picks `text` in a combo box as a user does from its list: one activated().
bool choose(QComboBox *cb, const QString &text)
{
    const int target = cb ? cb->findText(text) : -1;
    if (target < 0)
        return false;
    cb->setCurrentIndex(target);
    Q_EMIT cb->activated(target);
    return true;
}

QString labelText(InstrumentPanel *panel, const QString &key)
{
    ParameterEditor *e = panel->editor(key);
    auto *l = e ? qobject_cast<QLabel *>(e->widget()) : nullptr;
    return l ? l->text() : QStringLiteral("<no label for %1>").arg(key);
}
} // namespace

class M81PanelTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimulatorThread> m_sim;
    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    quint16 m_port = 0;

    void startSimulator(const M81Simulator::Config &base = {}, quint16 port = 0)
    {
        M81Simulator::Config cfg = base;
        cfg.port = port;
        m_sim = std::make_unique<SimulatorThread>(QStringLiteral("m81-sim"), [cfg] { return new M81Simulator(cfg); });
        m_sim->call([this](QObject *o) {
            auto *s = static_cast<M81Simulator *>(o);
            QString error;
            if (s->start(&error))
                m_port = s->port();
            else
                qWarning("M81 simulator: %s", qPrintable(error));
        });
    }

    /// The M81 on the simulator in the main window, connected.
    InstrumentHost *addM81(bool connect = true)
    {
        SessionInstrument e;
        e.id = QStringLiteral("m81-1");
        e.type = QStringLiteral("m81");
        e.name = QStringLiteral("Lock-in");
        e.address = QStringLiteral("127.0.0.1:%1").arg(m_port);
        QString error;
        InstrumentHost *host = m_ws->addInstrument(e, &error);
        if (!host) {
            qWarning("%s", qPrintable(error));
            return nullptr;
        }
        if (connect)
            host->open();
        return host;
    }
    InstrumentPanel *panel() const { return m_window->panel(QStringLiteral("m81-1")); }
    TableParameterWidget *elements() const
    {
        ParameterEditor *e = panel() ? panel()->editor(QStringLiteral("elements")) : nullptr;
        return e ? qobject_cast<TableParameterWidget *>(e->widget()) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_m81"));
        registerBuiltinDrivers();
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_store = std::make_unique<TraceStore>();
        m_recorder = std::make_unique<Recorder>();
        m_ws = std::make_unique<Workspace>();
        m_ws->addSink(m_store.get());
        m_ws->addSink(m_recorder.get());
        m_window = std::make_unique<MainWindow>(m_ws.get(), m_store.get(), m_recorder.get());
        m_window->resize(1600, 1000);
        m_window->show();
    }

    void cleanup()
    {
        m_window.reset();
        m_ws.reset();
        m_recorder->stop();
        m_recorder.reset();
        m_store.reset();
        m_sim.reset();
        m_port = 0;
    }

    void panelShowsIdentificationAndModules()
    {
        M81Simulator::Config cfg;
        cfg.sourceModels[2].clear(); // S3: an empty slot
        startSimulator(cfg);
        QVERIFY(m_port);
        InstrumentHost *host = addM81();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QVERIFY(panel());
        QTRY_VERIFY_WITH_TIMEOUT(labelText(panel(), QStringLiteral("m3_module")).contains(QLatin1String("CM-10")), kWaitMs);
        QVERIFY2(labelText(panel(), QStringLiteral("model")).contains(QLatin1String("M81")),
                 qPrintable(labelText(panel(), QStringLiteral("model"))));
        QCOMPARE(labelText(panel(), QStringLiteral("serial")), QStringLiteral("SIM00001"));
        QVERIFY(labelText(panel(), QStringLiteral("firmware")).contains(QLatin1String("2.1.0")));
        QVERIFY(labelText(panel(), QStringLiteral("s1_module")).contains(QLatin1String("VS-10")));
        QVERIFY(labelText(panel(), QStringLiteral("s2_module")).contains(QLatin1String("CS-10")));
        QVERIFY(labelText(panel(), QStringLiteral("m1_module")).contains(QLatin1String("VM-10")));
        QVERIFY2(labelText(panel(), QStringLiteral("s3_module")).contains(QLatin1String("not fitted")),
                 qPrintable(labelText(panel(), QStringLiteral("s3_module"))));
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText())); // an empty slot is no failure
        // The element table: one row per element, a choice of mnemonics and of modules.
        TableParameterWidget *t = elements();
        QVERIFY(t);
        QCOMPARE(t->table()->rowCount(), 4);
        auto *mnemonic = qobject_cast<QComboBox *>(t->cell(1, 0));
        QVERIFY(mnemonic);
        QVERIFY(mnemonic->findText(QStringLiteral("MTHeta")) >= 0);
        QCOMPARE(mnemonic->currentText(), QStringLiteral("MX"));
    }

    void elementTableEditsTheStreamAndRunPlotsIt()
    {
        startSimulator();
        QVERIFY(m_port);
        InstrumentHost *host = addM81();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        // A lock-in on M1 referenced to S1, which sends a sine.
        host->setParameter(QStringLiteral("s1_shape"), QStringLiteral("SINUSOID"));
        host->setParameter(QStringLiteral("s1_amplitude"), 1.0);
        host->setParameter(QStringLiteral("s1_output"), true);
        host->setParameter(QStringLiteral("m1_mode"), QStringLiteral("LIA"));
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().stringValue(QStringLiteral("m1_mode")), QStringLiteral("LIA"), kWaitMs);

        TableParameterWidget *t = elements();
        QVERIFY(t);
        QTest::mouseClick(t->addButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(t->table()->rowCount(), 5, kWaitMs);
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(4, 0)), QStringLiteral("MTHeta")));
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(4, 1)), QStringLiteral("1")));
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().stringValue(QStringLiteral("elements")),
                                  QStringLiteral("RTIMe,1,MX,1,MY,1,MR,1,MTHeta,1"), kWaitMs);
        // Remove MY (row 2).
        t->table()->selectRow(2);
        QTest::mouseClick(t->removeButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().stringValue(QStringLiteral("elements")),
                                  QStringLiteral("RTIMe,1,MX,1,MR,1,MTHeta,1"), kWaitMs);

        m_ws->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Running, kWaitMs);
        QVERIFY(!t->isEnabled()); // the elements cannot change while streaming
        // One channel per element, named after its module, each with its unit.
        QTRY_VERIFY_WITH_TIMEOUT(!host->streams().isEmpty(), kWaitMs);
        const StreamInfo stream = host->streams().first();
        QStringList names, units;
        for (const ChannelInfo &c : stream.channels) {
            names << c.name;
            units << c.unit;
        }
        QCOMPARE(names, QStringList({QStringLiteral("RTIMe"), QStringLiteral("M1 X"), QStringLiteral("M1 R"),
                                     QStringLiteral("M1 Theta")}));
        QCOMPARE(units, QStringList({QStringLiteral("s"), QStringLiteral("V"), QStringLiteral("V"), QStringLiteral("°")}));
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 500, kWaitMs);
        // What the plot draws: the lock-in's R sees S1's 1 V sine through the sample (gain 0.5).
        const auto r = m_store->latestValue({host->id(), stream.id, 2});
        QVERIFY(r);
        QVERIFY2(*r > 0.3 && *r < 0.4, qPrintable(QString::number(*r)));
        m_ws->stopAll();
        QTRY_VERIFY_WITH_TIMEOUT(host->state() != Instrument::State::Running, kWaitMs);
        QTRY_VERIFY(t->isEnabled());
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        const QString path = QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("m81-panel.png"));
        QVERIFY(panel()->grab().save(path));
        // The whole panel, scrolled or not (for reviewing its length and labels).
        auto *scroll = qobject_cast<QScrollArea *>(panel()->widget());
        QVERIFY(scroll && scroll->widget());
        QVERIFY(scroll->widget()->grab().save(QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("m81-panel-full.png"))));
    }

    void configurationSurvivesASession()
    {
        startSimulator();
        QVERIFY(m_port);
        InstrumentHost *host = addM81();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        const QList<QPair<QString, QVariant>> settings{
            {QStringLiteral("elements"), QStringLiteral("RTIMe,1,MX,2,MY,2,SAMPlitude,1")},
            {QStringLiteral("rate"), qint64(250)},
            {QStringLiteral("count"), qint64(1000)},
            {QStringLiteral("m2_mode"), QStringLiteral("LIA")},
            {QStringLiteral("m2_reference"), QStringLiteral("S2")},
            {QStringLiteral("m2_time_constant"), 0.3},
            {QStringLiteral("s2_shape"), QStringLiteral("SINUSOID")},
            {QStringLiteral("s2_frequency"), 137.0},
            {QStringLiteral("s2_amplitude"), 1e-3},
            {QStringLiteral("s2_output"), true},
        };
        for (const auto &[key, value] : settings)
            host->setParameter(key, value);
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().boolValue(QStringLiteral("s2_output")), true, kWaitMs);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        for (const auto &[key, value] : settings)
            QTRY_COMPARE_WITH_TIMEOUT(host->parameters().value(key).toString(), value.toString(), kWaitMs);

        const QString path = m_dir.filePath(QStringLiteral("m81") + Session::kSuffix);
        QString error;
        QVERIFY2(m_window->saveSessionFile(path, &error), qPrintable(error));
        m_window->newSession();
        QVERIFY(m_ws->instruments().isEmpty());
        // The instrument forgets (another user, a power cycle): a new one on the same port; the
        // session brings it all back.
        const quint16 port = m_port;
        m_sim.reset();
        startSimulator({}, port);
        QCOMPARE(m_port, port);

        QVERIFY2(m_window->openSessionFile(path, &error), qPrintable(error));
        host = m_ws->instrument(QStringLiteral("m81-1"));
        QVERIFY(host);
        for (const auto &[key, value] : settings)
            QCOMPARE(host->parameters().value(key).toString(), value.toString());
        TableParameterWidget *t = elements();
        QVERIFY(t);
        QCOMPARE(t->table()->rowCount(), 4);
        QCOMPARE(qobject_cast<QComboBox *>(t->cell(3, 0))->currentText(), QStringLiteral("SAMPlitude"));
        // A current source's amplitude in engineering notation (never "0.0 A" for 1 mA).
        ParameterEditor *amplitude = panel()->editor(QStringLiteral("s2_amplitude"));
        QCOMPARE(amplitude->kind(), ParameterEditor::Kind::EngineeringLineEdit);
        // Connecting writes it to the instrument, which reads it back unchanged.
        host->open();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(labelText(panel(), QStringLiteral("m2_module")).contains(QLatin1String("VM-10")), kWaitMs);
        for (const auto &[key, value] : settings)
            QTRY_COMPARE_WITH_TIMEOUT(host->parameters().value(key).toString(), value.toString(), kWaitMs);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        QTRY_COMPARE(qobject_cast<QLineEdit *>(amplitude->widget())->text(), QStringLiteral("1 mA"));
        // The range is greyed out while Auto range is on.
        QVERIFY(host->parameters().boolValue(QStringLiteral("m1_autorange")));
        QVERIFY(!panel()->editor(QStringLiteral("m1_range"))->widget()->isEnabled());
        host->setParameter(QStringLiteral("m1_autorange"), false);
        QTRY_VERIFY_WITH_TIMEOUT(panel()->editor(QStringLiteral("m1_range"))->widget()->isEnabled(), kWaitMs);
    }

    void demoBenchStreamsALockInSeeingASine()
    {
        DemoBench bench;
        QString error;
        QVERIFY2(bench.start(&error), qPrintable(error));
        const auto &all = bench.session().instruments;
        const auto it = std::find_if(all.begin(), all.end(),
                                     [](const SessionInstrument &e) { return e.type == QLatin1String("m81"); });
        QVERIFY2(it != all.end(), "the demo has no M81");
        InstrumentHost *host = m_ws->addInstrument(*it, &error);
        QVERIFY2(host, qPrintable(error));
        m_ws->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Running, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 100, kWaitMs);
        QVERIFY(!host->streams().isEmpty());
        const StreamInfo stream = host->streams().first();
        int r = -1;
        for (int c = 0; c < stream.channels.size(); ++c)
            if (stream.channels[c].name == QLatin1String("M1 R"))
                r = c;
        QVERIFY(r >= 0);
        QCOMPARE(stream.channels[r].unit, QStringLiteral("V"));
        // S1's 1 V sine through the sample (gain 0.5): R = 0.5 · 1 V / √2 ≈ 0.354 V, with visible noise.
        const auto value = m_store->latestValue({host->id(), stream.id, r});
        QVERIFY(value);
        QVERIFY2(*value > 0.3 && *value < 0.4, qPrintable(QString::number(*value)));
        m_ws->stopAll();
        QTRY_VERIFY_WITH_TIMEOUT(host->state() != Instrument::State::Running, kWaitMs);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
    }

    void addDialogOffersSerialPorts()
    {
        const DriverInfo *info = DriverRegistry::instance().find(QStringLiteral("m81"));
        QVERIFY(info);
        QVERIFY(info->addressSuggestions);
        AddInstrumentDialog dialog(m_ws.get());
        dialog.setType(QStringLiteral("m81"));
        auto *address = dialog.findChild<QLineEdit *>(QStringLiteral("addressEdit"));
        QVERIFY(address);
        QCOMPARE(address->text(), info->defaultAddress);
        const QStringList ports = info->addressSuggestions();
        if (ports.isEmpty()) {
            QVERIFY(!address->completer());
        } else {
            QVERIFY(address->completer());
            QStringList offered;
            QAbstractItemModel *model = address->completer()->model();
            for (int r = 0; r < model->rowCount(); ++r)
                offered << model->index(r, 0).data().toString();
            QCOMPARE(offered, ports);
        }
        // A serial device is an address the M81 takes (the USB virtual serial port).
        QVERIFY(DriverRegistry::instance().checkAddress(QStringLiteral("m81"), QStringLiteral("/dev/ttyACM0")).isEmpty());
        QVERIFY(DriverRegistry::instance().checkAddress(QStringLiteral("m81"), QStringLiteral("COM3")).isEmpty());
        auto *help = dialog.findChild<QLabel *>(QStringLiteral("addressHelp"));
        QVERIFY(help);
        QVERIFY2(help->text().contains(QLatin1String("921600")), qPrintable(help->text()));
    }
};

QTEST_MAIN(M81PanelTest)
#include "test_gui_m81.moc"
