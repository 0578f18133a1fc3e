// SPDX-License-Identifier: GPL-3.0-or-later
// Faults injected through Nv200Simulator (setReplyFault, stop/start) against the driver over real
// TCP and a real pty: after each, the driver is still there with a clear message, what it received
// before is kept, and Disconnect + Connect gives a working instrument again.
#include "Nv200Bench.h"

#include "SessionClock.h"

#include <QFile>

#include <cmath>

using namespace bs;
using namespace bs::nv200;
using namespace bs::nv200::test_bench;

namespace {

using RF = Nv200Simulator::ReplyFault;

/// A field of /proc/self/status in kB (VmRSS, VmHWM), -1 where there is none.
qint64 procStatusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

/// A recorder set up for a 50 ms recording started by recrun (1000 values per channel).
void setUpRecorder(Bench &b)
{
    b.set("recorder_autostart", QStringLiteral("off"));
    b.set("recorder_duration", 50.0);
    QTRY_COMPARE(b.host->parameters().doubleValue(QStringLiteral("recorder_length")), 1000.0);
}

/// Disconnect, clear the simulator's faults, Connect, and record one capture of 1000 samples.
void reconnectAndCapture(Bench &b)
{
    b.simulator()->setReplyFault({}, RF::None);
    b.inject(Nv200Simulator::Fault::None);
    b.host->close();
    QVERIFY(waitState(*b.host, Instrument::State::Disconnected));
    b.host->open();
    QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
    const std::size_t before = dataBlocks(b.sink, QStringLiteral("recorder")).size();
    b.host->invoke(QStringLiteral("capture"));
    QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), before + 1), qPrintable(b.allErrors()));
    QCOMPARE(dataBlocks(b.sink, QStringLiteral("recorder")).back()->sampleCount, std::size_t(1000));
}

void transportsTcpPty()
{
    QTest::addColumn<int>("transport");
    QTest::newRow("tcp") << int(Transport::Tcp);
    QTest::newRow("pty") << int(Transport::Pty);
}

} // namespace

class TestNv200Faults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    /// A `recoutf` answer with 100 times the values asked for (1000) is refused, not delivered.
    void recoutfWithFarMoreValuesThanAskedIsRefused_data() { transportsTcpPty(); }
    void recoutfWithFarMoreValuesThanAskedIsRefused()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        setUpRecorder(b);
        b.simulator()->setReplyFault("recoutf", RF::TooManyValues);
        b.host->invoke(QStringLiteral("capture"));
        QTRY_VERIFY_WITH_TIMEOUT(b.host->report().capturesEnded == 1, 20000);
        QVERIFY2(b.anyError(QStringLiteral("sent more than")) || b.anyError(QStringLiteral("more than the 1000 asked for")),
                 qPrintable(b.allErrors()));
        QVERIFY(!b.host->report().captureEnds.last().complete);
        QVERIFY(dataBlocks(b.sink, QStringLiteral("recorder")).empty());
        QCOMPARE(b.host->state(), Instrument::State::Connected);
        reconnectAndCapture(b);
    }

    /// An answer that never ends: the read-back fails at once (not after its 13 s timeout) with a
    /// message naming the limit, the memory it took stays small and is given back, the link
    /// recovers.
    void endlessRecoutfAnswerIsBounded_data() { transportsTcpPty(); }
    void endlessRecoutfAnswerIsBounded()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        setUpRecorder(b);
        const qint64 peakBefore = procStatusKb("VmHWM:");
        b.simulator()->setReplyFault("recoutf", RF::Endless);
        b.host->invoke(QStringLiteral("capture"));
        QTRY_VERIFY_WITH_TIMEOUT(b.host->report().capturesEnded == 1, 20000);
        QVERIFY2(b.anyError(QStringLiteral("sent more than")), qPrintable(b.allErrors()));
        QVERIFY2(b.anyError(QStringLiteral("'recoutf,0'")), qPrintable(b.allErrors()));
        QVERIFY(!b.host->report().captureEnds.last().complete);
        QVERIFY(dataBlocks(b.sink, QStringLiteral("recorder")).empty());
        // What the driver held of the endless answer was at most twice the 10 kB asked for; the
        // simulator in this process keeps at most 256 kB waiting. Before the limit the answer was
        // held until its timeout: hundreds of MB.
        const qint64 peakAfter = procStatusKb("VmHWM:");
        if (peakBefore > 0)
            QVERIFY2(peakAfter - peakBefore < 64 * 1024,
                     qPrintable(QStringLiteral("peak RSS grew by %1 kB").arg(peakAfter - peakBefore)));
        reconnectAndCapture(b);
    }

    /// A refused command (`error,1` to recrun,1) ends the capture incomplete with the command and
    /// the error's meaning named.
    void refusedCommandIsReported()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        setUpRecorder(b);
        b.simulator()->setReplyFault("recrun", RF::Refuse);
        b.host->invoke(QStringLiteral("capture"));
        QTRY_VERIFY_WITH_TIMEOUT(b.host->report().capturesEnded == 1, 20000);
        QVERIFY2(b.anyError(QStringLiteral("NV200: 'recrun,1' refused: Error not specified (error 1)")),
                 qPrintable(b.allErrors()));
        QVERIFY(!b.host->report().captureEnds.last().complete);
        QCOMPARE(b.host->state(), Instrument::State::Connected);
        reconnectAndCapture(b);
    }

    /// Answers framed between other answers' lines, or preceded by another command's whole
    /// frame: each poll takes its own line; nothing is lost, no other answer's value delivered.
    void strayLinesAndStaleFramesAreNotAnswers_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("extra lines") << int(RF::ExtraLines);
        QTest::newRow("stale frame") << int(RF::StaleFrame);
    }
    void strayLinesAndStaleFramesAreNotAnswers()
    {
        QFETCH(int, fault);
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.set("live_rate", 20.0);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.set("closed_loop", true);
        b.set("setpoint", 40.0);
        b.simulator()->setReplyFault("meas", RF(fault));
        b.host->start();
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("live"), 8), qPrintable(b.allErrors()));
        QTRY_VERIFY_WITH_TIMEOUT(b.simulator()->replyFaultCount() >= 8, 20000);
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        for (const auto &blk : dataBlocks(b.sink, QStringLiteral("live"))) {
            // channel 0 is the measured position (settling to 40 µm), never temp's 25 or recrun's 1
            QVERIFY2(std::abs(blk->value(0, 0) - 25.0) > 1e-9 && std::abs(blk->value(0, 0) - 1.0) > 1e-9,
                     qPrintable(QString::number(blk->value(0, 0))));
            QCOMPARE(blk->value(1, 0), 40.0);
        }
        QVERIFY2(!b.anyError(QStringLiteral("garbled")), qPrintable(b.allErrors()));
        reconnectAndCapture(b);
    }

    /// A `meas` value no reading of this actuator can have (987654321 µm on a 100 µm stage) is a
    /// lost sample with a message, never a delivered value.
    void outOfRangeLiveValueIsALostSample()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.set("live_rate", 20.0);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("live"), 3), qPrintable(b.allErrors()));
        b.simulator()->setReplyFault("meas", RF::OutOfRange);
        QTRY_VERIFY_WITH_TIMEOUT(b.simulator()->replyFaultCount() >= 4, 20000);
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        for (const auto &blk : dataBlocks(b.sink, QStringLiteral("live")))
            QVERIFY2(std::abs(blk->value(0, 0)) < 1000, qPrintable(QString::number(blk->value(0, 0))));
        QVERIFY2(b.host->stats().lostSamples >= 4, qPrintable(QString::number(b.host->stats().lostSamples)));
        QVERIFY2(b.anyError(QStringLiteral("answer to 'meas' out of range: 'meas,987654321.000'")), qPrintable(b.allErrors()));
        reconnectAndCapture(b);
    }

    /// The device reboots while the live stream runs: the link drops (state Error naming the
    /// transport, the samples received kept), comes back on the same port, and Connect + Run
    /// streams again.
    void rebootMidStream()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.set("live_rate", 20.0);
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), 5));
        const quint16 port = b.port;
        b.sim->call([](QObject *o) { static_cast<Nv200Simulator *>(o)->stop(); });
        QVERIFY2(waitState(*b.host, Instrument::State::Error), qPrintable(b.allErrors()));
        QVERIFY2(b.anyError(QStringLiteral("TCP 127.0.0.1:%1").arg(port)), qPrintable(b.allErrors()));
        const std::size_t kept = dataBlocks(b.sink, QStringLiteral("live")).size();
        QVERIFY(kept >= 5);
        quint16 again = 0;
        b.sim->call([&again](QObject *o) {
            auto *s = static_cast<Nv200Simulator *>(o);
            s->start();
            again = s->port();
        });
        QCOMPARE(again, port);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("live"), kept + 5), qPrintable(b.allErrors()));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        setUpRecorder(b);
        reconnectAndCapture(b);
    }
};

QTEST_MAIN(TestNv200Faults)
#include "test_nv200_faults.moc"
