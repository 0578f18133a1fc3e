// SPDX-License-Identifier: GPL-3.0-or-later
// An NV200 whose device goes away during a recorded run and comes back on the same port: the
// instrument rejoins the running acquisition and the running recording — by itself with
// automatic reconnection, by one click without, and by the panel's Connect — and the events
// of the outage reach the sinks. Real simulator, real TCP socket, the real Workspace and Recorder.
#include "../CollectingSink.h"
#include "../SpyText.h"
#include "Nv200Simulator.h"
#include "Recorder.h"
#include "SimulatorThread.h"
#include "Workspace.h"
#include "registry.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace bs;
using bs::nv200::Nv200Simulator;

namespace {

constexpr int kWaitMs = 20000;

/// An event sink beside the recorder: every event in arrival order (driver thread).
class EventSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &) override {}
    void consume(const SampleBlockPtr &b) override
    {
        QMutexLocker l(&m_mutex);
        m_rows += b->sampleCount;
    }
    void event(const InstrumentEvent &e) override
    {
        QMutexLocker l(&m_mutex);
        m_kinds.append(e.kind);
    }
    QVector<InstrumentEvent::Kind> kinds() const
    {
        QMutexLocker l(&m_mutex);
        return m_kinds;
    }
    quint64 rows() const
    {
        QMutexLocker l(&m_mutex);
        return m_rows;
    }

private:
    mutable QMutex m_mutex;
    QVector<InstrumentEvent::Kind> m_kinds;
    quint64 m_rows = 0;
};

struct Rig
{
    explicit Rig(bool automatic)
    {
        registerBuiltinDrivers();
        Nv200Simulator::Config cfg;
        cfg.port = 0;
        sim = std::make_unique<SimulatorThread>(QStringLiteral("nv200-sim"), [cfg] { return new Nv200Simulator(cfg); });
        sim->call([this](QObject *o) {
            auto *s = static_cast<Nv200Simulator *>(o);
            started = s->start(&error);
            port = s->port();
        });
        // Short delays: the test must not wait seconds for the back-off (the policy is the same).
        ws.setReconnectBackoff({50, 400, 60000});
        SessionInstrument e;
        e.id = QStringLiteral("nv1");
        e.type = QStringLiteral("nv200");
        e.name = QStringLiteral("NV200");
        e.address = QStringLiteral("127.0.0.1:%1").arg(port);
        e.parameters.insert(QStringLiteral("live_rate"), 50.0);
        e.autoReconnect = automatic;
        host = ws.addInstrument(e, &error);
        ws.addSink(&events);
        ws.addSink(&recorder);
    }
    ~Rig()
    {
        recorder.stop();
        ws.clear();
    }
    void stopSimulator()
    {
        sim->call([](QObject *o) { static_cast<Nv200Simulator *>(o)->stop(); });
    }
    quint16 restartSimulator()
    {
        quint16 again = 0;
        sim->call([&again](QObject *o) {
            auto *s = static_cast<Nv200Simulator *>(o);
            s->start();
            again = s->port();
        });
        return again;
    }
    bool startRecording(QString *why)
    {
        RecordingOptions ro;
        ro.format = RecordingOptions::Format::Csv;
        ro.path = dir.path();
        ro.instruments.append({QStringLiteral("nv1"), QStringLiteral("nv200"), QStringLiteral("NV200"), {}});
        return recorder.start(ro, why);
    }
    /// Data rows of the recording's live-stream CSV and its comment lines.
    void readCsv(QVector<double> *times, QStringList *comments) const
    {
        QFile f(QDir(dir.path()).filePath(QStringLiteral("nv1_live.csv")));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        bool header = false;
        for (const QByteArray &raw : f.readAll().split('\n')) {
            const QString line = QString::fromUtf8(raw);
            if (line.startsWith(QLatin1Char('#'))) {
                comments->append(line);
            } else if (line.startsWith(QLatin1String("time_s"))) {
                header = true;
            } else if (header && !line.isEmpty()) {
                bool ok = false;
                times->append(line.section(QLatin1Char(','), 0, 0).toDouble(&ok));
                QVERIFY2(ok, qPrintable(line));
            }
        }
    }

    std::unique_ptr<SimulatorThread> sim;
    Workspace ws;
    Recorder recorder;
    EventSink events;
    QTemporaryDir dir;
    InstrumentHost *host = nullptr;
    bool started = false;
    QString error;
    quint16 port = 0;
};

bool waitState(InstrumentHost *h, Instrument::State s)
{
    return QTest::qWaitFor([&] { return h->state() == s; }, kWaitMs);
}

bool waitRows(const EventSink &sink, quint64 n)
{
    return QTest::qWaitFor([&] { return sink.rows() >= n; }, kWaitMs);
}

} // namespace

class TestNv200Reconnect : public QObject
{
    Q_OBJECT
private:
    /// Run + record, the simulator goes away: the outage is an event and shows in the status.
    void runUntilLost(Rig &r, quint64 *rowsBefore)
    {
        QVERIFY2(r.started && r.host, qPrintable(r.error));
        QString why;
        QVERIFY2(r.startRecording(&why), qPrintable(why));
        r.ws.runAll();
        QVERIFY(waitState(r.host, Instrument::State::Running));
        QVERIFY(waitRows(r.events, 5));
        r.stopSimulator();
        QTRY_VERIFY_WITH_TIMEOUT(r.host->reconnectStatus().outage, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(r.events.kinds().contains(InstrumentEvent::Kind::ConnectionLost), kWaitMs);
        QCOMPARE(r.host->report().connectionsLost, 1);
        QVERIFY2(!r.host->reconnectStatus().cause.isEmpty(), "the cause of the outage is named");
        *rowsBefore = r.events.rows();
    }
    /// Back Running: more rows, ConnectionRestored, and the recording holds rows from both sides.
    void checkRejoined(Rig &r, quint64 rowsBefore)
    {
        QVERIFY(waitState(r.host, Instrument::State::Running));
        QVERIFY(r.ws.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(r.events.kinds().contains(InstrumentEvent::Kind::ConnectionRestored), kWaitMs);
        QVERIFY(!r.host->reconnectStatus().outage);
        QVERIFY(waitRows(r.events, rowsBefore + 10));
        r.ws.stopAll();
        QVERIFY(waitState(r.host, Instrument::State::Connected));
        r.recorder.stop();

        QVector<double> times;
        QStringList comments;
        r.readCsv(&times, &comments);
        double lostAt = NAN, restoredAt = NAN;
        for (const QString &c : std::as_const(comments)) {
            const QString t = c.section(QLatin1String(" at t="), 1).section(QLatin1Char(':'), 0, 0);
            if (c.contains(QLatin1String("\"connection_lost\"")))
                lostAt = t.toDouble();
            if (c.contains(QLatin1String("\"connection_restored\"")))
                restoredAt = t.toDouble();
        }
        QVERIFY2(std::isfinite(lostAt) && std::isfinite(restoredAt), qPrintable(comments.join(QLatin1Char('\n'))));
        int before = 0, after = 0;
        for (double t : std::as_const(times)) {
            before += t < lostAt;
            after += t >= restoredAt;
        }
        QVERIFY2(before >= 5, qPrintable(QString::number(before)));
        QVERIFY2(after >= 5, qPrintable(QString::number(after)));
        // One stream, one file: the instrument continued its recording (no nv1_live_2.csv).
        QVERIFY(!QFile::exists(QDir(r.dir.path()).filePath(QStringLiteral("nv1_live_2.csv"))));
    }

private Q_SLOTS:
    void automaticReconnectRejoinsRunAndRecording()
    {
        Rig r(true);
        quint64 before = 0;
        runUntilLost(r, &before);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(r.restartSimulator(), r.port);
        checkRejoined(r, before);
    }

    void attemptsBackOffWhileTheDeviceIsAway()
    {
        Rig r(true);
        r.ws.setReconnectBackoff({20, 80, 60000});
        quint64 before = 0;
        runUntilLost(r, &before);
        QVERIFY(!QTest::currentTestFailed());
        // Failed attempts (connection refused) schedule the next one; the count goes on.
        QTRY_VERIFY_WITH_TIMEOUT(r.host->reconnectStatus().attempt >= 4, kWaitMs);
        QVERIFY(r.host->reconnectStatus().outage);
        QCOMPARE(r.restartSimulator(), r.port);
        checkRejoined(r, before);
    }

    void oneClickReconnectWithoutAutomatic()
    {
        Rig r(false);
        quint64 before = 0;
        runUntilLost(r, &before);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(r.restartSimulator(), r.port);
        QVERIFY(!r.host->reconnectStatus().pending); // nothing scheduled: automatic is off
        r.host->reconnect();
        checkRejoined(r, before);
    }

    void connectWhileRunningRejoins()
    {
        // The report: Connect after the device came back left it "Connected" while the
        // others ran; only Stop + Run for everyone brought it back.
        Rig r(false);
        quint64 before = 0;
        runUntilLost(r, &before);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(r.restartSimulator(), r.port);
        r.host->open(); // the panel's Connect
        checkRejoined(r, before);
    }

    void userDisconnectIsNoOutage()
    {
        Rig r(true);
        QVERIFY2(r.started && r.host, qPrintable(r.error));
        r.ws.runAll();
        QVERIFY(waitState(r.host, Instrument::State::Running));
        r.host->close(); // the user's Disconnect
        QVERIFY(waitState(r.host, Instrument::State::Disconnected));
        const ReconnectStatus s = r.host->reconnectStatus();
        QVERIFY(!s.outage);
        QVERIFY(!s.pending);
        QVERIFY(!r.events.kinds().contains(InstrumentEvent::Kind::ConnectionLost));
        QCOMPARE(r.host->report().connectionsLost, 0);
    }

    void stopCancelsTheCountdown()
    {
        Rig r(true);
        r.ws.setReconnectBackoff({60000, 60000, 60000}); // a countdown that would outlast the test
        quint64 before = 0;
        runUntilLost(r, &before);
        QVERIFY(!QTest::currentTestFailed());
        QTRY_VERIFY_WITH_TIMEOUT(r.host->reconnectStatus().pending, kWaitMs);
        QCOMPARE(r.host->reconnectStatus().attempt, 1); // counting down to the first attempt
        QVERIFY(r.host->reconnectStatus().msLeft > 0);
        r.ws.stopAll();
        QVERIFY(!r.host->reconnectStatus().pending);
        QVERIFY(!r.host->reconnectStatus().outage);
    }

    void backoffDoublesUpToTheCap()
    {
        const ReconnectBackoff b; // the defaults: 1, 2, 4, … s, at most 30 s
        QCOMPARE(b.delayMs(1), 1000);
        QCOMPARE(b.delayMs(2), 2000);
        QCOMPARE(b.delayMs(3), 4000);
        QCOMPARE(b.delayMs(5), 16000);
        QCOMPARE(b.delayMs(6), 30000);
        QCOMPARE(b.delayMs(1000), 30000);
    }
};

QTEST_MAIN(TestNv200Reconnect)
#include "test_nv200_reconnect.moc"
