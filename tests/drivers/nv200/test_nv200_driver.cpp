// SPDX-License-Identifier: GPL-3.0-or-later
// Nv200Driver against Nv200Simulator over real TCP and a real pty, the driver on its own thread.
#include "Nv200Bench.h"
#include "DriverRegistry.h"
#include "InstrumentHost.h"
#include "Nv200Driver.h"
#include "Nv200Simulator.h"
#include "SessionClock.h"
#include "SimulatorThread.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <cmath>

using namespace bs;
using namespace bs::nv200;

using namespace bs::nv200::test_bench;

class TestNv200Driver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void identification_data() { transports(); }
    void identification()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        const ParameterSet &p = b.host->parameters();
        QTRY_COMPARE(p.stringValue(QStringLiteral("status")).isEmpty(), false);
        QCOMPARE(p.stringValue(QStringLiteral("device")), QStringLiteral("NV200/D_NET"));
        QCOMPARE(p.stringValue(QStringLiteral("actuator")), QStringLiteral("TRITOR100SG"));
        QVERIFY(!p.stringValue(QStringLiteral("actuator_serial")).isEmpty());
        QCOMPARE(p.stringValue(QStringLiteral("unit_closed_loop")), QStringLiteral("\u00b5m"));
        QVERIFY2(p.stringValue(QStringLiteral("position_range")).contains(QStringLiteral("100 \u00b5m")),
                 qPrintable(p.stringValue(QStringLiteral("position_range"))));
        QVERIFY2(p.stringValue(QStringLiteral("status")).contains(QStringLiteral("actuator connected")),
                 qPrintable(p.stringValue(QStringLiteral("status"))));
        QTRY_COMPARE(b.host->streams().size(), 2);
        QCOMPARE(b.host->streams().at(0).id, QStringLiteral("recorder"));
        QCOMPARE(b.host->streams().at(1).id, QStringLiteral("live"));
        QCOMPARE(b.errors->count(), 0);
        // A second connection while this one is open is refused by the device.
        auto other = std::make_unique<Nv200Driver>();
        other->setId(QStringLiteral("nv2"));
        other->setAddress(transport == int(Transport::Tcp) ? QStringLiteral("127.0.0.1:%1").arg(b.port) : b.pty);
        InstrumentHost host2(std::move(other));
        if (transport == int(Transport::Tcp)) {
            QSignalSpy errors2(&host2, &InstrumentHost::errorOccurred);
            host2.open();
            QVERIFY(waitState(host2, Instrument::State::Error));
            QVERIFY2(errors2.last().at(0).toString().contains(QStringLiteral("busy")),
                     qPrintable(errors2.last().at(0).toString()));
        }
        b.host->close();
        QVERIFY(waitState(*b.host, Instrument::State::Disconnected));
    }

    void stepResponseRecording_data()
    {
        transports();
        QTest::newRow("tcp, no recoutf") << int(Transport::TcpOldFirmware);
    }
    void stepResponseRecording()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.set("closed_loop", true);
        b.set("setpoint", 10.0);
        QTest::qWait(150); // settle at the old setpoint
        b.set("recorder_source_a", QStringLiteral("Piezo position"));
        b.set("recorder_source_b", QStringLiteral("Setpoint"));
        b.set("recorder_autostart", QStringLiteral("on set command"));
        b.set("recorder_duration", 50.0);
        b.set("step_to", 80.0);
        QTRY_COMPARE(b.host->parameters().doubleValue(QStringLiteral("recorder_stride")), 1.0);
        QCOMPARE(b.host->parameters().doubleValue(QStringLiteral("recorder_length")), 1000.0);
        const double before = SessionClock::now();
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), 1), qPrintable(b.allErrors()));
        const double after = SessionClock::now();
        const SampleBlockPtr blk = b.sink.blocks(QStringLiteral("recorder")).front();
        QCOMPARE(blk->channelCount, 2);
        QCOMPARE(blk->sampleCount, std::size_t(1000));
        QVERIFY(blk->isRegular());
        QCOMPARE(blk->dt, 50e-6);
        QVERIFY(blk->flags & SampleBlock::EndOfCapture);
        // t0 is the time of the triggering set command, which was sent between before and after.
        QVERIFY2(blk->t0 > before && blk->t0 + 0.05 < after, qPrintable(QStringLiteral("%1 %2 %3").arg(before).arg(blk->t0).arg(after)));
        const double *pos = blk->channel(0);
        const double *sp = blk->channel(1);
        // The recording starts at the step: the position is still at the old setpoint ...
        QVERIFY2(std::abs(pos[0] - 10.0) < 3.0, qPrintable(QString::number(pos[0])));
        QVERIFY2(std::abs(pos[1] - 10.0) < 3.0, qPrintable(QString::number(pos[1])));
        QCOMPARE(sp[999], 80.0);
        // ... then rises to the new one; the 50 % crossing comes after the start, not at once.
        std::size_t half = 0;
        while (half < blk->sampleCount && pos[half] < 45.0)
            ++half;
        QVERIFY2(half > 2 && half < 900, qPrintable(QString::number(half)));
        QVERIFY2(std::abs(pos[999] - 80.0) < 3.0, qPrintable(QString::number(pos[999])));
        const StreamInfo s = b.sink.stream(QStringLiteral("recorder"));
        QCOMPARE(s.channels.size(), 2);
        QCOMPARE(s.channels[0].unit, QStringLiteral("\u00b5m"));
        QCOMPARE(s.channels[0].name, QStringLiteral("A Piezo position"));
        QCOMPARE(s.channels[1].name, QStringLiteral("B Setpoint"));
        QCOMPARE(b.host->parameters().doubleValue(QStringLiteral("setpoint")), 80.0);
        // Progress ends at 1.
        QTRY_VERIFY(!b.progress->isEmpty() && b.progress->last().at(0).toDouble() == 1.0);
        QCOMPARE(b.errors->count(), 0);
    }

    void strideFollowsDuration()
    {
        Bench b;
        QVERIFY(b.started);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.set("recorder_autostart", QStringLiteral("off"));
        b.set("recorder_source_b", QStringLiteral("Piezo voltage"));
        b.set("recorder_duration", 400.0); // stride 2, 4000 samples
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), 1), qPrintable(b.allErrors()));
        const SampleBlockPtr blk = b.sink.blocks(QStringLiteral("recorder")).front();
        QCOMPARE(blk->sampleCount, std::size_t(4000));
        QCOMPARE(blk->dt, 100e-6);
        QCOMPARE(b.sink.stream(QStringLiteral("recorder")).channels[1].unit, QStringLiteral("V"));
    }

    void waveformTriggeredRecording()
    {
        Bench b;
        QVERIFY(b.started);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.set("closed_loop", true);
        b.set("recorder_source_a", QStringLiteral("Piezo position"));
        b.set("recorder_source_b", QStringLiteral("Setpoint"));
        b.set("recorder_autostart", QStringLiteral("on waveform start"));
        b.set("recorder_duration", 50.0);
        b.set("waveform_shape", QStringLiteral("square"));
        b.set("waveform_frequency", 40.0);
        b.set("waveform_amplitude", 40.0);
        b.set("waveform_offset", 50.0);
        b.set("waveform_cycles", 0);
        const double before = SessionClock::now();
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), 1), qPrintable(b.allErrors()));
        const SampleBlockPtr blk = b.sink.blocks(QStringLiteral("recorder")).front();
        QCOMPARE(blk->sampleCount, std::size_t(1000));
        QVERIFY(blk->t0 > before);
        // The setpoint follows the square wave: 30 % and 70 % of 0–100 µm, two levels.
        const double *sp = blk->channel(1);
        const auto [mn, mx] = std::minmax_element(sp, sp + blk->sampleCount);
        QVERIFY2(std::abs(*mx - 70.0) < 1.0 && std::abs(*mn - 30.0) < 1.0,
                 qPrintable(QStringLiteral("%1 %2").arg(*mn).arg(*mx)));
        QVERIFY2(std::abs(sp[0] - 70.0) < 1.0, qPrintable(QString::number(sp[0]))); // starts with the high half
        b.host->invoke(QStringLiteral("waveform_stop"));
        QTest::qWait(50);
        QCOMPARE(b.errors->count(), 0);
    }

    void livePollingPausesDuringReadBack_data() { transports(); }
    void livePollingPausesDuringReadBack()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY(b.started);
        b.set("live_rate", 50.0);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.set("closed_loop", true); // the device starts in open loop; the stream's unit follows
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), 5));
        const std::size_t n1 = dataBlocks(b.sink, QStringLiteral("live")).size();
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), n1 + 3));
        const StreamInfo live = b.sink.stream(QStringLiteral("live"));
        QCOMPARE(live.channels.size(), 2);
        QCOMPARE(live.channels[0].unit, QStringLiteral("\u00b5m"));
        // A long read-back (2 × 6000 values) while polling.
        b.set("recorder_autostart", QStringLiteral("off"));
        b.set("recorder_duration", 300.0);
        double readStart = -1;
        connect(b.host.get(), &InstrumentHost::progress, this, [&readStart](double, const QString &text) {
            if (readStart < 0 && text.contains(QStringLiteral("Reading channel A")))
                readStart = SessionClock::now();
        });
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), 1), qPrintable(b.allErrors()));
        const SampleBlockPtr rec = b.sink.blocks(QStringLiteral("recorder")).front();
        const double readEnd = b.sink.arrivalOf(rec);
        QVERIFY(readStart > 0);
        QCOMPARE(rec->sampleCount, std::size_t(6000));
        // No live poll was made while the buffers were read back ...
        for (const auto &blk : dataBlocks(b.sink, QStringLiteral("live")))
            QVERIFY2(!(blk->t0 > readStart && blk->t0 < readEnd),
                     qPrintable(QStringLiteral("%1 in %2..%3").arg(blk->t0).arg(readStart).arg(readEnd)));
        // ... and polling resumes afterwards.
        const std::size_t n2 = dataBlocks(b.sink, QStringLiteral("live")).size();
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), n2 + 3));
        // Indices count up without gaps; times increase.
        const auto blocks = dataBlocks(b.sink, QStringLiteral("live"));
        for (std::size_t i = 1; i < blocks.size(); ++i) {
            QCOMPARE(blocks[i]->firstIndex, blocks[i - 1]->firstIndex + 1);
            QVERIFY(blocks[i]->t0 > blocks[i - 1]->t0);
        }
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QTest::qWait(60);
        const std::size_t n3 = dataBlocks(b.sink, QStringLiteral("live")).size();
        QTest::qWait(100);
        QCOMPARE(dataBlocks(b.sink, QStringLiteral("live")).size(), n3);
        QCOMPARE(b.errors->count(), 0);
    }

    // Issue 10 (10): a setpoint beyond the actuator's range is refused when it is set, naming the
    // range, and the setpoint shown is the one the device holds (500 used to stay in the field).
    void setpointOutsideTheActuatorRangeIsRefusedAtOnce()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy refused(b.host.get(), &InstrumentHost::parameterRefused);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QTRY_VERIFY(!b.host->parameters().stringValue(QStringLiteral("voltage_range")).isEmpty());
        b.set("setpoint", 40.0);
        QTRY_COMPARE(b.host->parameters().doubleValue(QStringLiteral("setpoint")), 40.0);
        b.set("setpoint", 500.0);
        QTRY_COMPARE(refused.count(), 1);
        QCOMPARE(refused.at(0).at(0).toString(), QStringLiteral("setpoint"));
        // (The simulator starts in open loop: its voltage range, -20 … 130 V.)
        QVERIFY2(refused.at(0).at(1).toString().startsWith(QStringLiteral("Setpoint: 500 V is outside the actuator's -20 … 130 V (open loop)")),
                 qPrintable(refused.at(0).at(1).toString()));
        QCOMPARE(b.host->parameters().doubleValue(QStringLiteral("setpoint")), 40.0);
        QVERIFY(b.anyError(QStringLiteral("Setpoint: 500 V is outside")));
        QCOMPARE(b.host->state(), Instrument::State::Connected);
    }

    void deviceErrorsCarryTheirMeaning()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy messages(b.host.get(), &InstrumentHost::message);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.host->invoke(QStringLiteral("raw:hwserno"));
        QTRY_COMPARE(b.errors->count(), 1);
        QCOMPARE(b.lastError(), QStringLiteral("NV200: 'hwserno' refused: Unknown command (error 2)"));
        // Out of range: the step target is far beyond 100 µm.
        b.set("step_to", 500.0);
        b.host->invoke(QStringLiteral("step"));
        QTRY_COMPARE(b.errors->count(), 2);
        QVERIFY2(b.lastError().startsWith(QStringLiteral("NV200: 'set,500' refused: ")), qPrintable(b.lastError()));
        QVERIFY2(b.lastError().contains(QStringLiteral("(error 4)")) || b.lastError().contains(QStringLiteral("(error 10)")),
                 qPrintable(b.lastError()));
        // Missing and too many parameters.
        b.host->invoke(QStringLiteral("raw:recsrc"));
        QTRY_COMPARE(b.errors->count(), 3);
        QVERIFY2(b.lastError().contains(QStringLiteral("Parameter missing (error 3)")), qPrintable(b.lastError()));
        b.host->invoke(QStringLiteral("raw:cl,1,2,3"));
        QTRY_COMPARE(b.errors->count(), 4);
        QVERIFY2(b.lastError().contains(QStringLiteral("(error 5)")), qPrintable(b.lastError()));
        // A command with a line break never reaches the device.
        b.host->invoke(QStringLiteral("raw:set,1\rset,2"));
        QTRY_COMPARE(b.errors->count(), 5);
        QVERIFY2(b.lastError().contains(QStringLiteral("CR or LF")), qPrintable(b.lastError()));
        // A typed command and its answer.
        b.set("command", QStringLiteral("temp"));
        b.host->invoke(QStringLiteral("send_command"));
        QTRY_VERIFY(b.host->parameters().stringValue(QStringLiteral("command_reply")).startsWith(QStringLiteral("temp,")));
        QCOMPARE(b.host->state(), Instrument::State::Connected);
    }

    void garbledValueIsReported()
    {
        Bench b;
        QVERIFY(b.started);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.set("live_rate", 50.0);
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), 2));
        b.inject(Nv200Simulator::Fault::GarbleValue); // the next meas answer
        QTRY_VERIFY(b.errors->count() >= 1);
        QVERIFY2(b.lastError().startsWith(QStringLiteral("NV200: garbled answer to 'meas'")), qPrintable(b.lastError()));
        // The garbled poll delivers nothing; the next ones are clean again.
        const std::size_t n = dataBlocks(b.sink, QStringLiteral("live")).size();
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), n + 3));
        QCOMPARE(b.errors->count(), 1);
        QCOMPARE(b.host->state(), Instrument::State::Running);
    }

    void stallTimesOut_data() { transports(); }
    void stallTimesOut()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport), [](Nv200Driver &d) { d.setTimeouts(150, 200, 1000); }};
        QVERIFY(b.started);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.inject(Nv200Simulator::Fault::StallMidReply);
        b.host->invoke(QStringLiteral("refresh"));
        QTRY_VERIFY(b.errors->count() >= 1);
        QVERIFY2(b.lastError().contains(QStringLiteral("did not answer 'desc' within 0.2 s")), qPrintable(b.lastError()));
        QCOMPARE(b.host->state(), Instrument::State::Connected);
        // The link recovers: the next command flushes the stale half answer.
        b.host->invoke(QStringLiteral("refresh"));
        QTest::qWait(300);
        QCOMPARE(b.errors->count(), 1);
    }

    /// Each scheduled live poll is one sample index: a poll answered with garbage, nan/inf or
    /// not at all is a lost sample, counted by the pipeline; no non-finite value is delivered.
    void livePollFaultsAreLostSamples_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("every");
        QTest::addColumn<QString>("message");
        QTest::newRow("garbage") << int(Nv200Simulator::MeasFault::Garbage) << 2
                                 << QStringLiteral("garbled answer to 'meas': 'meas,7\\x7f\\x1b.#\\xe9'");
        QTest::newRow("nan, inf") << int(Nv200Simulator::MeasFault::NotFinite) << 2
                                  << QStringLiteral("garbled answer to 'meas': 'meas,nan'");
        QTest::newRow("no answer") << int(Nv200Simulator::MeasFault::NoAnswer) << 3
                                   << QStringLiteral("did not answer 'meas' within 0.6 s");
    }
    void livePollFaultsAreLostSamples()
    {
        QFETCH(int, fault);
        QFETCH(int, every);
        QFETCH(QString, message);
        Bench b;
        QVERIFY(b.started);
        b.set("live_rate", 20.0);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.simulator()->setMeasFault(Nv200Simulator::MeasFault(fault), every);
        QElapsedTimer running;
        running.start();
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QTRY_VERIFY_WITH_TIMEOUT(b.simulator()->measFaultCount() >= 4, 20000);
        b.host->stop();
        const double scheduled = running.elapsed() / 1000.0 * 20.0 + 2; // polls the timer can have made
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QTest::qWait(1500); // the poll in flight (if any) is answered or times out
        QCOMPARE(b.host->state(), Instrument::State::Connected); // faults now and then are no dead device
        const quint64 faulted = b.simulator()->measFaultCount();
        const auto all = b.sink.blocks(QStringLiteral("live"));
        QVERIFY(!all.empty());
        std::uint64_t slotCount = 0, delivered = 0;
        for (const auto &blk : all) {
            slotCount = std::max(slotCount, blk->endIndex());
            delivered += blk->sampleCount;
            for (int c = 0; c < blk->channelCount; ++c)
                for (std::size_t i = 0; i < blk->sampleCount; ++i)
                    QVERIFY2(std::isfinite(blk->value(c, i)), qPrintable(QString::number(blk->value(c, i))));
        }
        const quint64 lost = b.host->stats().lostSamples;
        // Every slot is either delivered or counted lost; every faulty answer cost one slot; no
        // more slots were lost than the timer scheduled.
        QCOMPARE(lost + delivered, slotCount);
        QVERIFY2(lost >= faulted, qPrintable(QStringLiteral("lost %1, faulty answers %2").arg(lost).arg(faulted)));
        QVERIFY2(double(slotCount) <= scheduled, qPrintable(QStringLiteral("%1 slots, %2 scheduled").arg(slotCount).arg(scheduled)));
        QVERIFY(delivered > 0);
        QVERIFY2(b.anyError(message), qPrintable(b.allErrors()));
    }

    /// A device that stops answering `meas` altogether: state Error naming the address and the
    /// command, every poll counted lost, nothing delivered is taken back.
    void liveDeviceThatStopsAnsweringIsAnError()
    {
        Bench b;
        QVERIFY(b.started);
        b.set("live_rate", 20.0);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), 3));
        b.simulator()->setMeasFault(Nv200Simulator::MeasFault::NoAnswer);
        QVERIFY2(waitState(*b.host, Instrument::State::Error, 20000), qPrintable(b.allErrors()));
        QVERIFY2(b.anyError(QStringLiteral("NV200 at TCP 127.0.0.1:%1 stopped answering: no answer to 'meas' in 3 polls").arg(b.port)),
                 qPrintable(b.allErrors()));
        QVERIFY(dataBlocks(b.sink, QStringLiteral("live")).size() >= 3);
        QVERIFY2(b.host->stats().lostSamples >= quint64(Nv200Driver::kDeadPolls), qPrintable(QString::number(b.host->stats().lostSamples)));
        // open() reconnects once the device answers again.
        b.simulator()->setMeasFault(Nv200Simulator::MeasFault::None);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
    }

    /// Over a serial line paced at the NV200's 115200 Bd, a full 6144-value read-back of both
    /// channels takes seconds; the driver's read-back timeout follows the amount of data.
    void fullReadBackOverA115200BaudLine()
    {
        Bench b{Transport::Pty, {}, [](Nv200Simulator::Config &c) { c.baud = 115200; }};
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected, 10000), qPrintable(b.allErrors()));
        b.set("recorder_autostart", QStringLiteral("off"));
        b.set("recorder_duration", 307.0); // stride 1, 6140 samples
        b.set("recorder_source_b", QStringLiteral("Piezo voltage"));
        QTRY_COMPARE(b.host->parameters().doubleValue(QStringLiteral("recorder_length")), 6140.0);
        double readStart = -1;
        connect(b.host.get(), &InstrumentHost::progress, this, [&readStart](double, const QString &text) {
            if (readStart < 0 && text.contains(QStringLiteral("Reading channel A")))
                readStart = SessionClock::now();
        });
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), 1, 60000), qPrintable(b.allErrors()));
        const SampleBlockPtr blk = b.sink.blocks(QStringLiteral("recorder")).front();
        QCOMPARE(blk->sampleCount, std::size_t(6140));
        // At least "0.000," (6 bytes) per value, 10 bit times per byte: a lower bound only.
        const double minSeconds = 2 * 6140 * 6 * 10 / 115200.0;
        const double took = b.sink.arrivalOf(blk) - readStart;
        QVERIFY2(readStart > 0 && took > 0.9 * minSeconds, qPrintable(QStringLiteral("%1 s").arg(took)));
        QCOMPARE(b.errors->count(), 0);
        // The timeout for a full buffer covers its worst-case size on the line with a margin.
        Nv200DriverLink link;
        const qint64 full = recoutfBytes(kRecorderBufferSize);
        QVERIFY(link.timeoutMs(Nv200DriverLink::Kind::Dump, full) >= 1.5 * Nv200DriverLink::lineMs(full));
    }

    void connectionDropMidReadBack()
    {
        Bench b;
        QVERIFY(b.started);
        b.set("live_rate", 20.0);
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), 3));
        b.set("recorder_autostart", QStringLiteral("off"));
        b.set("recorder_duration", 100.0);
        b.inject(Nv200Simulator::Fault::DropConnection); // hits the first long answer: recoutf
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY2(b.anyError(QStringLiteral("TCP 127.0.0.1")) && b.anyError(QStringLiteral("read-back was interrupted")),
                 qPrintable(b.allErrors()));
        const std::size_t kept = dataBlocks(b.sink, QStringLiteral("live")).size();
        QVERIFY(kept >= 3);
        QVERIFY(b.sink.blocks(QStringLiteral("recorder")).empty());
        // open() again reconnects; a new capture works.
        b.inject(Nv200Simulator::Fault::None);
        b.host->open();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitBlocks(b.sink, QStringLiteral("recorder"), 1), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.blocks(QStringLiteral("recorder")).front()->sampleCount, std::size_t(2000));
        QCOMPARE(dataBlocks(b.sink, QStringLiteral("live")).size(), kept);
    }

    // run_mode "recorder capture": Run records one recorder capture (arm, the step triggers it,
    // read back), reports its start and end, and finishes by itself; Run again from Finished
    // records a second one.
    void runRecorderCaptureFinishes()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.set("run_mode", QStringLiteral("recorder capture"));
        b.set("recorder_autostart", QStringLiteral("on set command"));
        b.set("recorder_duration", 50.0); // stride 1, 1000 samples
        b.set("step_to", 60.0);
        const double before = SessionClock::now();
        b.host->start(); // connects first, then runs
        QVERIFY2(waitState(*b.host, Instrument::State::Finished, 20000), qPrintable(b.allErrors()));
        const InstrumentReport &rep = b.host->report();
        QTRY_COMPARE_WITH_TIMEOUT(rep.capturesEnded, 1, 10000);
        QCOMPARE(rep.capturesStarted, 1);
        QCOMPARE(rep.incompleteCaptures, 0);
        QVERIFY(rep.finished);
        QCOMPARE(dataBlocks(b.sink, QStringLiteral("recorder")).size(), std::size_t(1));
        const SampleBlockPtr blk = b.sink.blocks(QStringLiteral("recorder")).front();
        QCOMPARE(blk->sampleCount, std::size_t(1000));
        QVERIFY(blk->t0 > before);
        QVERIFY(dataBlocks(b.sink, QStringLiteral("live")).empty()); // no live polling in this mode
        const InstrumentEvent end = rep.captureEnds.last();
        QCOMPARE(end.kind, InstrumentEvent::Kind::CaptureEnded);
        QCOMPARE(end.streamId, QStringLiteral("recorder"));
        QCOMPARE(end.text, QStringLiteral("Recorder read back"));
        QVERIFY(end.complete);
        QCOMPARE(end.details.value(QStringLiteral("capture")).toInt(), 1);
        QCOMPARE(end.details.value(QStringLiteral("samples")).toInt(), 1000);
        QCOMPARE(end.details.value(QStringLiteral("rate_hz")).toDouble(), 20000.0);
        QCOMPARE(end.details.value(QStringLiteral("stride")).toInt(), 1);
        // The capture ends after its last sample; it started at the block's first one.
        QVERIFY2(std::abs(end.time - (blk->t0 + 1000 * 50e-6)) < 1e-9, qPrintable(QString::number(end.time)));
        // Stop leaves a finished instrument as it is; Run again records the next capture.
        b.host->stop();
        QTest::qWait(50);
        QCOMPARE(b.host->state(), Instrument::State::Finished);
        b.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(rep.capturesEnded == 2 && b.host->state() == Instrument::State::Finished, 20000);
        QCOMPARE(rep.capturesStarted, 2);
        QCOMPARE(rep.incompleteCaptures, 0);
        QVERIFY(rep.finished);
        QCOMPARE(dataBlocks(b.sink, QStringLiteral("recorder")).size(), std::size_t(2));
        QCOMPARE(b.sink.blocks(QStringLiteral("recorder")).back()->firstIndex, quint64(1000));
        QCOMPARE(rep.captureEnds.last().details.value(QStringLiteral("capture")).toInt(), 2);
        QCOMPARE(b.errors->count(), 0);
    }

    // The capture action while not live polling is a capture too: start and end reported, then
    // Finished. While live polling it is reported, and the instrument keeps Running.
    void captureActionReportsTheCapture()
    {
        Bench b;
        QVERIFY(b.started);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.set("recorder_autostart", QStringLiteral("off"));
        b.set("recorder_duration", 100.0);
        b.host->invoke(QStringLiteral("capture"));
        QVERIFY2(waitState(*b.host, Instrument::State::Finished, 20000), qPrintable(b.allErrors()));
        const InstrumentReport &rep = b.host->report();
        QTRY_COMPARE(rep.capturesEnded, 1);
        QCOMPARE(rep.capturesStarted, 1);
        QVERIFY(rep.captureEnds.last().complete);
        QCOMPARE(rep.captureEnds.last().details.value(QStringLiteral("samples")).toInt(), 2000);
        b.host->start(); // live polling, from Finished
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), 2));
        b.host->invoke(QStringLiteral("capture"));
        QTRY_COMPARE_WITH_TIMEOUT(rep.capturesEnded, 2, 20000);
        QVERIFY(rep.captureEnds.last().complete);
        QVERIFY(waitBlocks(b.sink, QStringLiteral("live"), dataBlocks(b.sink, QStringLiteral("live")).size() + 2));
        QCOMPARE(b.host->state(), Instrument::State::Running);
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QCOMPARE(b.errors->count(), 0);
    }

    // A recorder capture run that fails (a garbled answer while waiting for the recording) ends
    // incomplete and leaves Running; it does not finish.
    void runRecorderCaptureThatFailsIsIncomplete()
    {
        Bench b;
        QVERIFY(b.started);
        b.set("run_mode", QStringLiteral("recorder capture"));
        b.set("recorder_autostart", QStringLiteral("off"));
        b.set("recorder_duration", 100.0);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.inject(Nv200Simulator::Fault::GarbleValue); // the next answer with a value: a recrun poll
        b.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(b.host->report().capturesEnded == 1, 20000);
        const InstrumentReport &rep = b.host->report();
        QCOMPARE(rep.incompleteCaptures, 1);
        QVERIFY(!rep.captureEnds.last().complete);
        QVERIFY2(rep.captureEnds.last().text.startsWith(QStringLiteral("Recorder capture failed: ")),
                 qPrintable(rep.captureEnds.last().text));
        QTRY_COMPARE(b.host->state(), Instrument::State::Connected);
        QVERIFY(!rep.finished);
        QVERIFY(b.sink.blocks(QStringLiteral("recorder")).empty());
    }

    // The address kinds the driver declares in the registry, checked without connecting.
    void declaredAddressKinds()
    {
        const auto check = Nv200Driver::info().checkAddress;
        QVERIFY(check);
        for (const char *good : {"192.168.0.50", "nv200.lab:23", "[::1]:2323", "[fe80::1%eth0]:23", "::1",
                                 "/dev/ttyUSB0", "/tmp/pty-from-the-simulator", "COM3", "com12"})
            QVERIFY2(check(QLatin1String(good)).isEmpty(), good);
        for (const char *bad : {"192.168.0.50:0", "nv200:65536", "nv200:telnet", "[::1]:99999", "::1:23"})
            QVERIFY2(!check(QLatin1String(bad)).isEmpty(), bad);
    }

    // `[::1]:port` reaches a simulator listening on the IPv6 loopback (the old parser took the
    // whole text for a host name).
    void connectsOverIpv6Loopback()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHostIPv6, 0))
            QSKIP("this machine has no IPv6 loopback (::1): cannot listen on it");
        probe.close();
        Nv200Simulator::Config cfg;
        cfg.address = QHostAddress::LocalHostIPv6;
        cfg.port = 0;
        SimulatorThread sim(QStringLiteral("nv200-sim6"), [cfg] { return new Nv200Simulator(cfg); });
        bool started = false;
        QString error;
        quint16 port = 0;
        sim.call([&](QObject *o) {
            auto *s = static_cast<Nv200Simulator *>(o);
            started = s->start(&error);
            port = s->port();
        });
        QVERIFY2(started, qPrintable(error));
        auto drv = std::make_unique<Nv200Driver>();
        drv->setId(QStringLiteral("nv6"));
        drv->setAddress(QStringLiteral("[::1]:%1").arg(port));
        InstrumentHost host(std::move(drv));
        QSignalSpy errors(&host, &InstrumentHost::errorOccurred);
        host.open();
        QVERIFY2(waitState(host, Instrument::State::Connected, 10000),
                 qPrintable(errors.isEmpty() ? host.stateDetail() : errors.last().at(0).toString()));
        QCOMPARE(host.parameters().stringValue(QStringLiteral("device")), QStringLiteral("NV200/D_NET"));
        QVERIFY2(host.stateDetail().contains(QStringLiteral("[::1]:%1").arg(port)), qPrintable(host.stateDetail()));
        host.close();
        QVERIFY(waitState(host, Instrument::State::Disconnected));
    }

    void notAnNv200AndBadAddresses()
    {
        // A TCP server that never answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        auto drv = std::make_unique<Nv200Driver>();
        drv->setId(QStringLiteral("x"));
        drv->setTimeouts(100, 150, 500);
        drv->setAddress(QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()));
        InstrumentHost host(std::move(drv));
        QSignalSpy errors(&host, &InstrumentHost::errorOccurred);
        host.open();
        QVERIFY(waitState(host, Instrument::State::Error));
        QVERIFY2(errors.last().at(0).toString().contains(QStringLiteral("is not an NV200")),
                 qPrintable(errors.last().at(0).toString()));
        // Bad port, refused port, missing serial device.
        host.setAddress(QStringLiteral("127.0.0.1:99999"));
        host.open();
        QTRY_COMPARE(errors.count(), 2);
        QVERIFY(errors.last().at(0).toString().contains(QStringLiteral("port")));
        const quint16 port = silent.serverPort();
        silent.close();
        host.setAddress(QStringLiteral("127.0.0.1:%1").arg(port));
        host.open();
        QTRY_COMPARE(errors.count(), 3);
        QVERIFY2(errors.last().at(0).toString().contains(QString::number(port)), qPrintable(errors.last().at(0).toString()));
        host.setAddress(QStringLiteral("/dev/nonexistent-nv200"));
        host.open();
        QTRY_COMPARE(errors.count(), 4);
        QVERIFY2(errors.last().at(0).toString().contains(QStringLiteral("serial /dev/nonexistent-nv200")),
                 qPrintable(errors.last().at(0).toString()));
        QCOMPARE(host.state(), Instrument::State::Error);
    }
};

QTEST_GUILESS_MAIN(TestNv200Driver)
#include "test_nv200_driver.moc"
