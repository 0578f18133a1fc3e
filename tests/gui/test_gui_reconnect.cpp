// SPDX-License-Identifier: GPL-3.0-or-later
// The instrument panel's Connection group when a connection is lost during a run: the countdown
// text, Cancel, the one-click Reconnect that rejoins the run, the panel's Stop that leaves it, the "Reconnect automatically" check
// box (into the session); a real NV200 simulator over TCP. Saves reconnect-panel.png (a panel
// during a countdown) in the build directory.
#include <ChannelStyles.h>
#include <InstrumentPanel.h>

#include <InstrumentHost.h>
#include <Nv200Simulator.h>
#include <SimulatorThread.h>
#include <Workspace.h>
#include <registry.h>

#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace bs;
using bs::nv200::Nv200Simulator;

namespace {
constexpr int kWaitMs = 20000;
}

class ReconnectPanelTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimulatorThread> m_sim;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<ChannelStyles> m_styles;
    std::unique_ptr<InstrumentPanel> m_panel;
    InstrumentHost *m_host = nullptr;
    quint16 m_port = 0;

    void simulator(bool up)
    {
        m_sim->call([this, up](QObject *o) {
            auto *s = static_cast<Nv200Simulator *>(o);
            if (up) {
                s->start();
                m_port = s->port();
            } else {
                s->stop();
            }
        });
    }
    QLabel *label() const { return m_panel->findChild<QLabel *>(QStringLiteral("reconnectLabel")); }
    QPushButton *button(const char *name) const { return m_panel->findChild<QPushButton *>(QLatin1String(name)); }

    /// Panel for an NV200 on the simulator, running, then its device goes away.
    void loseTheConnection(const ReconnectBackoff &backoff, bool automatic)
    {
        m_ws->setReconnectBackoff(backoff);
        SessionInstrument e;
        e.id = QStringLiteral("nv1");
        e.type = QStringLiteral("nv200");
        e.name = QStringLiteral("Piezo stage");
        e.address = QStringLiteral("127.0.0.1:%1").arg(m_port);
        e.autoReconnect = automatic;
        QString error;
        m_host = m_ws->addInstrument(e, &error);
        QVERIFY2(m_host, qPrintable(error));
        m_panel = std::make_unique<InstrumentPanel>(m_host, m_styles.get());
        m_panel->resize(380, 520);
        m_panel->show();
        QCOMPARE(m_panel->findChild<QCheckBox *>(QStringLiteral("autoReconnect"))->isChecked(), automatic);
        QVERIFY(m_panel->reconnectText().isEmpty());
        m_ws->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(m_host->state(), Instrument::State::Running, kWaitMs);
        simulator(false);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->reconnectText().startsWith(QLatin1String("Connection lost: ")), kWaitMs);
    }

private Q_SLOTS:
    void initTestCase() { registerBuiltinDrivers(); }

    void init()
    {
        Nv200Simulator::Config cfg;
        cfg.port = 0;
        m_sim = std::make_unique<SimulatorThread>(QStringLiteral("nv200-sim"), [cfg] { return new Nv200Simulator(cfg); });
        simulator(true);
        QVERIFY(m_port);
        m_ws = std::make_unique<Workspace>();
        m_styles = std::make_unique<ChannelStyles>();
    }

    void cleanup()
    {
        m_panel.reset();
        m_ws.reset();
        m_styles.reset();
        m_sim.reset();
    }

    void countdownCancelAndOneClickReconnect()
    {
        loseTheConnection({60000, 60000, 60000}, true); // a countdown that outlasts the test
        QVERIFY(!QTest::currentTestFailed());
        static const QRegularExpression countdown(
            QStringLiteral("^Connection lost: .+\\. Reconnecting in (\\d+) s \\(attempt 1\\)$"));
        QTRY_VERIFY2_WITH_TIMEOUT(countdown.match(m_panel->reconnectText()).hasMatch(),
                                  qPrintable(m_panel->reconnectText()), kWaitMs);
        QVERIFY(label()->text().contains(QStringLiteral("127.0.0.1:%1").arg(m_port))); // the cause names the address
        QVERIFY(!button("cancelReconnectButton")->isHidden());
        QCOMPARE(button("reconnectButton")->text(), QStringLiteral("Reconnect now"));

        button("cancelReconnectButton")->click();
        QVERIFY(!m_host->reconnectStatus().pending);
        QVERIFY2(m_panel->reconnectText().endsWith(QLatin1String("Press Reconnect to rejoin the run.")),
                 qPrintable(m_panel->reconnectText()));
        QVERIFY(button("cancelReconnectButton")->isHidden());
        QCOMPARE(button("reconnectButton")->text(), QStringLiteral("Reconnect"));

        simulator(true); // the device is back (same port)
        button("reconnectButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_host->state(), Instrument::State::Running, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->reconnectText().isEmpty(), kWaitMs);
        QVERIFY(m_ws->isRunning());
    }

    void automaticReconnectClearsTheLine()
    {
        loseTheConnection({100, 400, 60000}, true);
        QVERIFY(!QTest::currentTestFailed());
        QTRY_VERIFY_WITH_TIMEOUT(m_host->reconnectStatus().attempt >= 2, kWaitMs);
        simulator(true);
        QTRY_COMPARE_WITH_TIMEOUT(m_host->state(), Instrument::State::Running, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->reconnectText().isEmpty(), kWaitMs);
    }

    void withoutAutomaticTheLineAsksForAClick()
    {
        loseTheConnection({50, 50, 60000}, false);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY2(m_panel->reconnectText().endsWith(QLatin1String("Press Reconnect to rejoin the run.")),
                 qPrintable(m_panel->reconnectText()));
        QVERIFY(!m_host->reconnectStatus().pending);
        // Turning it on schedules the attempt, and the choice goes into the session.
        m_panel->findChild<QCheckBox *>(QStringLiteral("autoReconnect"))->click();
        QVERIFY(m_host->autoReconnect());
        QVERIFY(m_ws->toSession().instruments.value(0).autoReconnect);
        simulator(true);
        QTRY_COMPARE_WITH_TIMEOUT(m_host->state(), Instrument::State::Running, kWaitMs);
        m_panel->findChild<QCheckBox *>(QStringLiteral("autoReconnect"))->click();
        QVERIFY(!m_ws->toSession().instruments.value(0).autoReconnect);
    }

    void panelStopDuringAnOutageLeavesTheRun()
    {
        loseTheConnection({60000, 60000, 60000}, true);
        QVERIFY(!QTest::currentTestFailed());
        connect(m_panel.get(), &InstrumentPanel::runRequested, m_ws.get(), [this](bool run) {
            run ? m_ws->runInstrument(QStringLiteral("nv1")) : m_ws->stopInstrument(QStringLiteral("nv1"));
        });
        QTRY_VERIFY_WITH_TIMEOUT(m_host->reconnectStatus().pending, kWaitMs);
        // Lost but still part of the run (it will rejoin): its button stops it.
        QCOMPARE(button("runButton")->text(), QStringLiteral("Stop"));
        button("runButton")->click();
        QVERIFY(!m_host->reconnectStatus().pending);
        QVERIFY(!m_host->acquisitionRunning());
        QVERIFY(!m_ws->isRunning()); // it was the only one
        QTRY_COMPARE_WITH_TIMEOUT(button("runButton")->text(), QStringLiteral("Run"), kWaitMs);
        simulator(true); // back, but no longer asked to run: it stays as it is
        QTest::qWait(300);
        QVERIFY(m_host->state() != Instrument::State::Running);
        // Its own Run connects it again and begins a run with it.
        button("runButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_host->state(), Instrument::State::Running, kWaitMs);
        QVERIFY(m_ws->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->reconnectText().isEmpty(), kWaitMs);
    }

    void screenshotDuringACountdown()
    {
        // 1 s, 2 s, then a 4 s countdown to attempt 3: what a technician sees.
        loseTheConnection({1000, 30000, 60000}, true);
        QVERIFY(!QTest::currentTestFailed());
        QTRY_VERIFY_WITH_TIMEOUT(m_host->reconnectStatus().pending && m_host->reconnectStatus().attempt == 3, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->reconnectText().contains(QLatin1String("(attempt 3)")), kWaitMs);
        const QString path = QStringLiteral(BS_SCREENSHOT_DIR "/reconnect-panel.png");
        QVERIFY(m_panel->grab().save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }
};

QTEST_MAIN(ReconnectPanelTest)
#include "test_gui_reconnect.moc"
