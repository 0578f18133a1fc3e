// SPDX-License-Identifier: GPL-3.0-or-later
// PandaDriver against PandaSimulator over real loopback sockets, the driver on its own thread.
#include "PandaTestBench.h"
#include "SessionClock.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <cmath>

using namespace bs;
using namespace bs::panda;

using namespace bs::panda::test;

class TestPandaDriver : public QObject
{
    Q_OBJECT

    void captureRows(const QString &process)
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.host->setParameter(QStringLiteral("process"), process);
        b.host->setParameter(QStringLiteral("clock_period"), 1e-4);
        b.host->setParameter(QStringLiteral("rows"), 2500);
        b.host->setParameter(QStringLiteral("capture.COUNTER1.OUT"), QStringLiteral("Value"));
        b.host->setParameter(QStringLiteral("capture.INENC2.VAL"), QStringLiteral("Min Max Mean"));
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QTRY_VERIFY_WITH_TIMEOUT(b.host->parameters().stringValue(QStringLiteral("identity")).contains(QStringLiteral("FPGA")), kWaitMs);
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        // END after our DISARM at the row limit: the capture asked for is complete, a normal end.
        QVERIFY(waitState(*b.host, Instrument::State::Finished, kWaitMs));
        QCOMPARE(b.sink.rows(), quint64(2500));
        const InstrumentReport &report = b.host->report();
        QCOMPARE(report.capturesStarted, 1);
        QCOMPARE(report.capturesEnded, 1);
        QCOMPARE(report.incompleteCaptures, 0);
        QVERIFY(report.finished);
        const InstrumentEvent &end = report.captureEnds.last();
        QCOMPARE(end.streamId, QStringLiteral("pcap"));
        QVERIFY(end.complete);
        QCOMPARE(end.details.value(QStringLiteral("received")).toDouble(), 2500.0);
        QCOMPARE(end.details.value(QStringLiteral("rows_limit_reached")).toBool(), true);
        QVERIFY(report.warnings.isEmpty());
        const QVector<StreamInfo> streams = b.sink.streams();
        QCOMPARE(streams.size(), 1);
        QVERIFY(streams[0].channelIndex(QStringLiteral("PCAP.TS_TRIG.Value")) >= 0);
        QCOMPARE(streams[0].channels[streams[0].channelIndex(QStringLiteral("PCAP.TS_TRIG.Value"))].unit, QStringLiteral("s"));
        QVERIFY(streams[0].channelIndex(QStringLiteral("INENC2.VAL.Mean")) >= 0);
        // Issue 10 (15): a counter without units in the header counts (its axis says so).
        QCOMPARE(streams[0].channels[streams[0].channelIndex(QStringLiteral("COUNTER1.OUT.Value"))].unit,
                 QStringLiteral("counts"));
        // Times: TS_TRIG every 100 µs, on the session timeline, strictly increasing.
        const auto t = b.sink.times();
        QCOMPARE(t.size(), std::size_t(2500));
        for (std::size_t i = 1; i < t.size(); ++i)
            QVERIFY2(std::abs((t[i] - t[i - 1]) - 1e-4) < 1e-6, qPrintable(QString::number(t[i] - t[i - 1])));
        // COUNTER1 counts triggers: consecutive rows differ by its STEP (1).
        const auto c1 = b.sink.column(QStringLiteral("COUNTER1.OUT.Value"));
        QCOMPARE(c1.size(), std::size_t(2500));
        for (std::size_t i = 1; i < c1.size(); ++i)
            QCOMPARE(c1[i] - c1[i - 1], 1.0);
        // Min ≤ Mean ≤ Max for every row.
        const auto mn = b.sink.column(QStringLiteral("INENC2.VAL.Min"));
        const auto mx = b.sink.column(QStringLiteral("INENC2.VAL.Max"));
        const auto me = b.sink.column(QStringLiteral("INENC2.VAL.Mean"));
        for (std::size_t i = 0; i < mn.size(); ++i)
            QVERIFY(mn[i] <= me[i] + 1e-9 && me[i] <= mx[i] + 1e-9);
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        // Issue 13: RAW words as sent with the field's SCALE/OFFSET; Mean and SCALED values as
        // doubles. Every block carries the formats its stream announced.
        const auto blocks = b.sink.blocks();
        const StreamInfo &st = streams[0];
        const int ts = st.channelIndex(QStringLiteral("PCAP.TS_TRIG.Value"));
        const int cnt = st.channelIndex(QStringLiteral("COUNTER1.OUT.Value"));
        const int inMin = st.channelIndex(QStringLiteral("INENC2.VAL.Min"));
        const int inMean = st.channelIndex(QStringLiteral("INENC2.VAL.Mean"));
        for (const auto &blk : blocks)
            QVERIFY(blk->formats() == st.formats());
        QCOMPARE(st.channels[inMean].format, SampleFormat{});
        if (process == QLatin1String("Raw")) {
            QCOMPARE(st.channels[ts].format, SampleFormat::of(SampleType::Int64, 8e-9));
            QCOMPARE(st.channels[cnt].format.type, SampleType::Int32);
            QCOMPARE(st.channels[inMin].format.type, SampleType::Int32);
            std::vector<std::int64_t> ticks;
            std::vector<std::int32_t> counts;
            for (const auto &blk : blocks) {
                ticks.insert(ticks.end(), blk->data<std::int64_t>(ts), blk->data<std::int64_t>(ts) + blk->sampleCount);
                counts.insert(counts.end(), blk->data<std::int32_t>(cnt), blk->data<std::int32_t>(cnt) + blk->sampleCount);
            }
            QCOMPARE(ticks.size(), std::size_t(2500));
            for (std::size_t i = 1; i < ticks.size(); ++i) {
                QCOMPARE(ticks[i] - ticks[i - 1], std::int64_t(12500)); // 100 µs of 8 ns ticks, exactly
                QCOMPARE(counts[i] - counts[i - 1], 1);
            }
        } else {
            for (const ChannelInfo &c : st.channels)
                QCOMPARE(c.format, SampleFormat{});
        }
        // The end-of-capture marker arrives without a loss.
        QVERIFY(blocks.back()->flags & SampleBlock::EndOfCapture);
        QVERIFY(!(blocks.back()->flags & SampleBlock::Overflow));
    }

private Q_SLOTS:
    void captureRaw() { captureRows(QStringLiteral("Raw")); }
    void captureScaled() { captureRows(QStringLiteral("Scaled")); }

    void endOkFromDevice()
    {
        PandaSimulator::Config cfg;
        cfg.captureLimit = 300;
        Bench b(cfg);
        QVERIFY(b.started);
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        b.host->setParameter(QStringLiteral("clock_period"), 1e-4);
        b.host->start(); // connects first
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitState(*b.host, Instrument::State::Finished, kWaitMs)); // ended by the device: Finished
        QCOMPARE(b.sink.rows(), quint64(300));
        QCOMPARE(b.host->report().captureEnds.last().text, QStringLiteral("Ok"));
        QVERIFY(b.host->report().captureEnds.last().complete);
        bool sawOk = false;
        for (const auto &m : msgs)
            sawOk = sawOk || m.at(0).toString().contains(QStringLiteral("300 rows: Ok"));
        QVERIFY(sawOk);
        QCOMPARE(errors.count(), 0);
        const std::size_t firstCaptureBlocks = b.sink.blocks().size();
        // A second capture from Finished on the same connection is a new Run: its sample index
        // restarts at 0 with StartOfCapture (a restart, never a forward jump, so no false gap is
        // counted), and it is numbered 2 in the file.
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitState(*b.host, Instrument::State::Finished, kWaitMs));
        QCOMPARE(b.sink.rows(), quint64(600));
        QCOMPARE(b.host->report().capturesEnded, 2);
        QCOMPARE(b.host->report().captureEnds.last().details.value(QStringLiteral("capture")).toInt(), 2);
        const auto blocks = b.sink.blocks();
        // Capture 1: indices 0..299 without a hole, its END marker at 300.
        QVERIFY(blocks[firstCaptureBlocks - 1]->flags & SampleBlock::EndOfCapture);
        QCOMPARE(blocks[firstCaptureBlocks - 1]->firstIndex, std::uint64_t(300));
        // Capture 2: starts at 0, flagged, then contiguous up to its END marker at 300.
        std::uint64_t next = 0;
        for (std::size_t i = firstCaptureBlocks; i < blocks.size(); ++i) {
            const auto &blk = blocks[i];
            QCOMPARE(blk->firstIndex, next);
            QCOMPARE(bool(blk->flags & SampleBlock::StartOfCapture), i == firstCaptureBlocks);
            QCOMPARE(blk->lostBefore, std::uint64_t(0));
            next += blk->sampleCount;
        }
        QCOMPARE(next, std::uint64_t(300));
        QVERIFY(blocks.back()->flags & SampleBlock::EndOfCapture);
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        QCOMPARE(errors.count(), 0);
    }

    void deviceErrorIsSurfacedVerbatim()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        b.host->setParameter(QStringLiteral("trigger_source"), QStringLiteral("NOSUCH1.OUT"));
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        b.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 1, kWaitMs);
        QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("PCAP.TRIG")), qPrintable(errors.at(0).at(0).toString()));
        // The capture is not the one asked for: a warning for the summary and the file.
        QTRY_VERIFY_WITH_TIMEOUT(!b.host->report().warnings.isEmpty(), kWaitMs);
        QVERIFY(b.host->report().warnings.first().contains(QStringLiteral("PCAP.TRIG")));
        b.host->stop();
    }

    void dataOverrunKeepsRows()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        QVERIFY(startStreaming(b, 101));
        b.inject(PandaSimulator::Fault::DataOverrun);
        QVERIFY(waitState(*b.host, Instrument::State::Finished, kWaitMs));
        // Rows of unknown number are lost on the device: the capture is incomplete.
        QCOMPARE(b.host->report().incompleteCaptures, 1);
        QVERIFY(!b.host->report().captureEnds.last().complete);
        QVERIFY(b.host->report().captureEnds.last().text.contains(QStringLiteral("overrun")));
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 1, kWaitMs);
        QVERIFY(errors.last().at(0).toString().contains(QStringLiteral("Data overrun")));
        const auto blocks = b.sink.blocks();
        QVERIFY(blocks.back()->flags & SampleBlock::Overflow);
        // Every row that arrived is kept: exactly the number the driver counted as received.
        QCOMPARE(b.sink.rows(), quint64(b.host->report().captureEnds.last().details.value(QStringLiteral("received")).toDouble()));
        QVERIFY(b.sink.rows() >= 101);
    }

    void droppedConnectionThenReconnect()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        QVERIFY(startStreaming(b, 101));
        b.inject(PandaSimulator::Fault::DropMidFrame);
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY(errors.count() >= 1);
        QVERIFY2(errors.last().at(0).toString().contains(QStringLiteral("PandA data port")),
                 qPrintable(errors.last().at(0).toString()));
        const quint64 kept = b.sink.rows();
        QVERIFY(kept >= 101); // startStreaming() waited for 101 rows
        // Reconnect and capture again.
        b.sim->call([](QObject *o) { static_cast<PandaSimulator *>(o)->injectFault(PandaSimulator::Fault::None); });
        b.host->setParameter(QStringLiteral("rows"), 200);
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitState(*b.host, Instrument::State::Finished, kWaitMs));
        QCOMPARE(b.sink.rows(), kept + 200);
    }

    void garbageIsACleanError()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        QVERIFY(startStreaming(b, 11));
        b.inject(PandaSimulator::Fault::Garbage);
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY2(errors.last().at(0).toString().contains(QStringLiteral("corrupt")),
                 qPrintable(errors.last().at(0).toString()));
    }

    // A data port where nothing listens is named as such — not as "refused *IDN?: disconnected",
    // which the control link's own disconnect used to report after the real cause.
    void wrongDataPortIsNamed()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closed = probe.serverPort();
        probe.close();
        b.host->setParameter(QStringLiteral("data_port"), int(closed));
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Error, kWaitMs));
        QTest::qWait(200); // anything reported after the first error would arrive now
        QCOMPARE(errors.count(), 1);
        const QString expected = QStringLiteral("PandA data port 127.0.0.1:%1: connection refused").arg(closed);
        QCOMPARE(errors.at(0).at(0).toString(), expected);
        QCOMPARE(b.host->stateDetail(), expected);
    }

    // The data port follows the control port (+1) unless set, as `benchscope-sim panda --port N` does.
    void dataPortDefaultsToControlPortPlusOne()
    {
        PandaDriver fresh;
        QCOMPARE(fresh.parameters().intValue(QStringLiteral("data_port")), 0);
        QVERIFY(!fresh.parameters().spec(QStringLiteral("data_port"))->specialValueText.isEmpty());
        QCOMPARE(defaultDataPort(8888), quint16(8889));
        QCOMPARE(defaultDataPort(65535), quint16(0));

        // Two free neighbouring ports for the simulator: control N, data N+1.
        std::unique_ptr<SimulatorThread> sim;
        quint16 control = 0;
        for (int attempt = 0; attempt < 50 && !sim; ++attempt) {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0) || probe.serverPort() == 65535)
                continue;
            control = probe.serverPort();
            probe.close();
            PandaSimulator::Config cfg;
            cfg.controlPort = control;
            cfg.dataPort = quint16(control + 1);
            auto candidate = std::make_unique<SimulatorThread>(QStringLiteral("sim"),
                                                               [cfg] { return new PandaSimulator(cfg); });
            bool started = false;
            candidate->call([&started](QObject *o) { started = static_cast<PandaSimulator *>(o)->start(nullptr); });
            if (started)
                sim = std::move(candidate);
        }
        QVERIFY2(sim, "no two neighbouring free ports found on 127.0.0.1");
        auto drv = std::make_unique<PandaDriver>();
        drv->setId(QStringLiteral("p"));
        drv->setAddress(QStringLiteral("127.0.0.1:%1").arg(control)); // data_port left at 0
        InstrumentHost host(std::move(drv));
        QSignalSpy errors(&host, &InstrumentHost::errorOccurred);
        host.open();
        QVERIFY2(waitState(host, Instrument::State::Connected, kWaitMs),
                 qPrintable(errors.isEmpty() ? host.stateDetail() : errors.last().at(0).toString()));
        host.close();
        QVERIFY(waitState(host, Instrument::State::Disconnected));
    }

    void declaredAddressKinds()
    {
        const auto check = PandaDriver::info().checkAddress;
        QVERIFY(check);
        for (const char *good : {"pandabox", "pandabox:8888", "10.0.0.3", "[::1]:8888", "[fe80::1%eth0]:8888", "::1"})
            QVERIFY2(check(QLatin1String(good)).isEmpty(), good);
        for (const char *bad : {"pandabox:0", "pandabox:65536", "pandabox:ctrl", "/dev/ttyUSB0", "::1:8888"})
            QVERIFY2(!check(QLatin1String(bad)).isEmpty(), bad);
    }

    // `[::1]:port` reaches a simulator on the IPv6 loopback, both ports, and rows arrive.
    void capturesOverIpv6Loopback()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHostIPv6, 0))
            QSKIP("this machine has no IPv6 loopback (::1): cannot listen on it");
        probe.close();
        PandaSimulator::Config cfg;
        cfg.address = QHostAddress::LocalHostIPv6;
        Bench b(cfg);
        QVERIFY2(b.started, qPrintable(b.error));
        QCOMPARE(b.host->address(), QStringLiteral("[::1]:%1").arg(b.control));
        QVERIFY(startStreaming(b, 101));
        QVERIFY2(b.host->stateDetail().contains(QStringLiteral("[::1]:%1").arg(b.control)),
                 qPrintable(b.host->stateDetail()));
    }

    void unreachableAndBadAddresses()
    {
        auto drv = std::make_unique<PandaDriver>();
        drv->setId(QStringLiteral("p"));
        drv->setAddress(QStringLiteral("127.0.0.1:99999"));
        InstrumentHost host(std::move(drv));
        QSignalSpy errors(&host, &InstrumentHost::errorOccurred);
        host.open();
        QVERIFY(waitState(host, Instrument::State::Error));
        QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("port")));
        // A closed port: connection refused, named in the message.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        host.setAddress(QStringLiteral("127.0.0.1:%1").arg(port));
        host.open();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 2, kWaitMs);
        QVERIFY2(errors.at(1).at(0).toString().contains(QString::number(port)), qPrintable(errors.at(1).at(0).toString()));
        QCOMPARE(host.state(), Instrument::State::Error);
    }

    void closeDuringCaptureDisarms()
    {
        Bench b;
        QVERIFY(b.started);
        QVERIFY(startStreaming(b, 11));
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        QVERIFY(o.busy());
        b.host->close();
        QVERIFY(waitState(*b.host, Instrument::State::Disconnected));
        // close() waited for the DISARM reply: the PandA is idle the moment the driver is closed.
        QCOMPARE(o.ask("PCAP.ACTIVE?"), QStringLiteral("OK =0"));
        QVERIFY(!o.busy());
    }

    void destroyingTheHostDuringCaptureDisarms()
    {
        Bench b;
        QVERIFY(b.started);
        QVERIFY(startStreaming(b, 11));
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        b.host.reset(); // the GUI closes: InstrumentHost closes the driver on its thread
        QCOMPARE(o.ask("PCAP.ACTIVE?"), QStringLiteral("OK =0"));
    }

    void otherClientArmedBeforeConnect()
    {
        Bench b;
        QVERIFY(b.started);
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        QVERIFY(armAsOther(o));
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Running, kWaitMs)); // joined read-only
        QVERIFY(waitRows(b, 50));
        QVERIFY(b.sink.streams().at(0).channelIndex(QStringLiteral("COUNTER2.OUT.Value")) >= 0);
        // Run writes nothing and arms nothing; the rows keep coming on the same index.
        b.host->start();
        const quint64 before = b.sink.rows();
        QVERIFY(waitRows(b, before + 50));
        QCOMPARE(o.ask("*CAPTURE?"), kOtherCapture);
        QCOMPARE(o.ask("CLOCK1.PERIOD?"), QStringLiteral("OK =0.0001"));
        // Stop stops recording but leaves the other client's capture armed.
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QVERIFY(o.busy());
        QString why;
        QVERIFY2(indexContinuous(b.sink.blocks(), &why), qPrintable(why));
        QVERIFY2(!spyContains(errors, QStringLiteral("refused to arm")), qPrintable(b.host->lastError()));
        // Only the explicit action disarms it.
        b.host->invoke(QStringLiteral("disarm_other"));
        QTRY_VERIFY_WITH_TIMEOUT(!o.busy(), kWaitMs);
        QVERIFY(spyContains(msgs, QStringLiteral("another client")));
    }

    void joinedCaptureSitsOnTheSessionClock()
    {
        // A capture another program armed a while ago is joined at Connect, before the session
        // clock starts at Run. Its rows must sit at the session time they were acquired (start
        // of that capture + TS_TRIG), not where the clock stood when its header arrived.
        Bench b;
        QVERIFY(b.started);
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        QVERIFY(armAsOther(o));
        QTest::qWait(1500); // it has been capturing for a while
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Running, kWaitMs)); // joined read-only
        QVERIFY(waitRows(b, 50));
        QTest::qWait(1000);
        QVERIFY(SessionClock::restart()); // what Run does on an empty timeline
        b.sink.clear();
        b.host->start();
        QVERIFY(waitRows(b, 2000));
        const StreamInfo s = b.sink.stream(QStringLiteral("pcap"));
        const int ts = s.channelIndex(QStringLiteral("PCAP.TS_TRIG.Value"));
        QVERIFY(ts >= 0);
        double origin = NAN;
        for (const SampleBlockPtr &blk : b.sink.blocks()) {
            if (blk->sampleCount == 0)
                continue;
            const double arrival = b.sink.arrivalOf(blk);
            const double last = blk->times.back();
            // Acquired before it reached us, and not long before (a loaded machine may lag). The
            // capture's origin is estimated from the first row's arrival, so a later row that
            // travelled faster than the first may appear a little after its arrival: the latency
            // jitter of a loaded machine, far below the 300 s offset this guards against.
            QVERIFY2(last <= arrival + 0.5 && arrival - last < 5.0,
                     qPrintable(QStringLiteral("row time %1 s, arrived at %2 s").arg(last).arg(arrival)));
            // One origin for the whole capture: time - TS is the same for every row.
            for (std::size_t i = 0; i < blk->sampleCount; ++i) {
                const double o0 = blk->times[i] - blk->value(ts, i);
                if (std::isnan(origin))
                    origin = o0;
                QVERIFY(std::abs(o0 - origin) < 1e-9);
            }
        }
        // The capture began before the clock did: about 2.5 s before.
        QVERIFY2(origin < -1.0, qPrintable(QString::number(origin)));
        // The technician is told what was joined and how it is recorded.
        const QStringList warnings = b.host->report().warnings;
        QVERIFY2(warnings.size() == 1 && warnings[0].contains(QStringLiteral("another client"))
                     && warnings[0].contains(QStringLiteral("timestamps")),
                 qPrintable(warnings.join(u'\n')));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
    }

    void otherClientArmsBetweenConnectAndRun()
    {
        Bench b;
        QVERIFY(b.started);
        b.host->setParameter(QStringLiteral("clock_period"), 1e-3);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        QVERIFY(armAsOther(o));
        b.host->start(); // at once: the header may not have reached the driver yet
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitRows(b, 50));
        QCOMPARE(o.ask("*CAPTURE?"), kOtherCapture);
        QCOMPARE(o.ask("CLOCK1.PERIOD?"), QStringLiteral("OK =0.0001"));
        QVERIFY(b.sink.streams().at(0).channelIndex(QStringLiteral("COUNTER2.OUT.Value")) >= 0);
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QVERIFY(o.busy());
        QString why;
        QVERIFY2(indexContinuous(b.sink.blocks(), &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(spyContains(msgs, QStringLiteral("another client")), kWaitMs);
    }

    void otherClientArmsJustBeforeOurArm()
    {
        Bench b;
        QVERIFY(b.started);
        b.host->setParameter(QStringLiteral("clock_period"), 1e-4);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        b.inject(PandaSimulator::Fault::OtherClientArmsFirst);
        b.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(spyContains(errors, QStringLiteral("already in progress")), kWaitMs);
        // The refused ARM changed nothing of ours: the other capture is recorded read-only, on
        // one continuous index, and Stop does not disarm it.
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY(waitRows(b, 100));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        QVERIFY(o.busy());
        QString why;
        QVERIFY2(indexContinuous(b.sink.blocks(), &why), qPrintable(why));
        QVERIFY(spyContains(msgs, QStringLiteral("another client")));
    }

    void clockPeriodInSecondsReadBack()
    {
        Bench b;
        QVERIFY(b.started);
        OtherClient o;
        QVERIFY(o.connectTo(b.control));
        QCOMPARE(o.ask("CLOCK1.PERIOD.UNITS=ms"), QStringLiteral("OK")); // someone's display units
        b.host->setParameter(QStringLiteral("capture.PCAP.TS_TRIG"), QStringLiteral("No"));
        b.host->setParameter(QStringLiteral("clock_period"), 1.0003e-4); // 12503.75 ticks
        b.host->setParameter(QStringLiteral("rows"), 200);
        QVERIFY(runToEnd(b, 200));
        QCOMPARE(o.ask("CLOCK1.PERIOD.RAW?"), QStringLiteral("OK =12504"));
        const double actual = 12504 * 8e-9;
        QCOMPARE(b.host->parameters().doubleValue(QStringLiteral("clock_period_actual")), actual);
        // No timestamp captured, CLOCK1 triggers: row times step by the period the PandA runs.
        const auto t = b.sink.times();
        QCOMPARE(t.size(), std::size_t(200));
        for (std::size_t i = 1; i < t.size(); ++i)
            QVERIFY2(std::abs((t[i] - t[i - 1]) - actual) < 1e-12, qPrintable(QString::number(t[i] - t[i - 1], 'g', 15)));
    }

    void rowIndexTimeWithoutTimestampOrClock()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        b.host->setParameter(QStringLiteral("capture.PCAP.TS_TRIG"), QStringLiteral("No"));
        b.host->setParameter(QStringLiteral("trigger_source"), QStringLiteral("TTLIN1.VAL")); // 10 Hz
        b.host->setParameter(QStringLiteral("rows"), 3);
        QVERIFY(runToEnd(b, 3));
        const auto t = b.sink.times();
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t[1] - t[0], 1.0);
        QCOMPARE(t[2] - t[1], 1.0);
        QVERIFY(spyContains(msgs, QStringLiteral("row index")));
    }

    void lostControlConnectionDrainsTheDataPort()
    {
        Bench b;
        QVERIFY(b.started);
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        QVERIFY(startStreaming(b, 11));
        b.inject(PandaSimulator::Fault::ControlDrop); // END follows on the data port 200 ms later
        QVERIFY(waitState(*b.host, Instrument::State::Error, kWaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(b.sink.blocks().back()->flags & SampleBlock::EndOfCapture, kWaitMs);
        QVERIFY(spyContains(msgs, QStringLiteral("Disarmed")));
        QString endText;
        for (const auto &m : msgs)
            if (m.at(0).toString().startsWith(QStringLiteral("Capture ended after")))
                endText = m.at(0).toString();
        const quint64 endRows = endText.section(QLatin1Char(' '), 3, 3).toULongLong();
        QCOMPARE(b.sink.rows(), endRows);
        QVERIFY(b.sink.blocks().back()->flags & SampleBlock::EndOfCapture);
        QVERIFY(!b.host->lastError().isEmpty());
    }

    void fieldsOfTheConnectedFpgaOnAnOlderServer()
    {
        PandaSimulator::Config cfg;
        cfg.fpga.counters = 8;
        cfg.fpga.adcs = 2;
        cfg.fpga.oldPcapNames = true;
        Bench b(cfg);
        QVERIFY(b.started);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        QSignalSpy msgs(b.host.get(), &InstrumentHost::message);
        b.host->setParameter(QStringLiteral("clock_period"), 1e-4);
        b.host->setParameter(QStringLiteral("rows"), 100);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QVERIFY(b.host->parameters().stringValue(QStringLiteral("capturable")).contains(QStringLiteral("ADC2.OUT")));
        // A field this FPGA lacks is refused by name; the FPGA's own fields are accepted.
        b.host->setParameter(QStringLiteral("capture_fields"), QStringLiteral("ADC9.OUT=Value"));
        QTRY_VERIFY_WITH_TIMEOUT(spyContains(errors, QStringLiteral("ADC9.OUT")), kWaitMs);
        const int refused = int(errors.count());
        b.host->setParameter(QStringLiteral("capture_fields"), QStringLiteral("ADC1.OUT=Mean; COUNTER5.OUT=Value"));
        QVERIFY(runToEnd(b, 100));
        QVERIFY2(errors.count() == refused, qPrintable(b.host->lastError()));
        QCOMPARE(b.sink.rows(), quint64(100));
        const StreamInfo s = b.sink.streams().at(0);
        for (const char *column : {"PCAP.TS_CAPTURE.Value", "ADC1.OUT.Mean", "COUNTER5.OUT.Value", "INENC2.VAL.Mean"})
            QVERIFY2(s.channelIndex(QLatin1String(column)) >= 0, column);
        // Times come from TS_CAPTURE (the old TS_TRIG): one clock period apart.
        const auto t = b.sink.times();
        for (std::size_t i = 1; i < t.size(); ++i)
            QVERIFY(std::abs((t[i] - t[i - 1]) - 1e-4) < 1e-9);
        // COUNTER5 counts triggers with its STEP (5); the means are finite.
        const auto c5 = b.sink.column(QStringLiteral("COUNTER5.OUT.Value"));
        QCOMPARE(c5[1] - c5[0], 5.0);
        for (double v : b.sink.column(QStringLiteral("ADC1.OUT.Mean")))
            QVERIFY(std::isfinite(v));
        QVERIFY(spyContains(msgs, QStringLiteral("older PCAP names")));
    }

    void stdDevWhereTheFpgaHasIt()
    {
        PandaSimulator::Config cfg;
        cfg.fpga.stdDev = true;
        Bench b(cfg);
        QVERIFY(b.started);
        QSignalSpy errors(b.host.get(), &InstrumentHost::errorOccurred);
        b.host->setParameter(QStringLiteral("clock_period"), 1e-4);
        b.host->setParameter(QStringLiteral("rows"), 200);
        b.host->setParameter(QStringLiteral("capture.INENC1.VAL"), QStringLiteral("Mean StdDev"));
        QVERIFY(runToEnd(b, 200));
        QVERIFY2(errors.isEmpty(), qPrintable(b.host->lastError()));
        const auto sd = b.sink.column(QStringLiteral("INENC1.VAL.StdDev"));
        const auto mean = b.sink.column(QStringLiteral("INENC1.VAL.Mean"));
        QCOMPARE(sd.size(), std::size_t(200));
        int spread = 0;
        for (std::size_t i = 0; i < sd.size(); ++i) {
            QVERIFY(std::isfinite(sd[i]) && sd[i] >= 0 && std::isfinite(mean[i]));
            spread += sd[i] > 0;
        }
        QVERIFY(spread > 0);

        // An FPGA without StdDev: the setting is refused by name, the rest is captured.
        Bench plain;
        QSignalSpy refused(plain.host.get(), &InstrumentHost::errorOccurred);
        plain.host->setParameter(QStringLiteral("rows"), 20);
        plain.host->setParameter(QStringLiteral("clock_period"), 1e-4);
        plain.host->setParameter(QStringLiteral("capture.INENC1.VAL"), QStringLiteral("StdDev"));
        QVERIFY(runToEnd(plain, 20));
        QVERIFY(spyContains(refused, QStringLiteral("'StdDev' of INENC1.VAL")));
        QCOMPARE(plain.sink.rows(), quint64(20));
    }

    void simulatorVanishes()
    {
        Bench b;
        QVERIFY(b.started);
        QVERIFY(startStreaming(b, 11));
        b.sim.reset(); // the device disappears
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY(!b.host->lastError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPandaDriver)
#include "test_panda_driver.moc"
