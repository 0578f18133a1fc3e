// SPDX-License-Identifier: GPL-3.0-or-later
// M81Driver against M81Simulator over real TCP and a real pty, the driver on its own thread.
#include "../CollectingSink.h"
#include "../SpyText.h"
#include "DriverRegistry.h"
#include "InstrumentHost.h"
#include "M81Driver.h"
#include "M81Simulator.h"
#include "SimulatorThread.h"
#include "registry.h"

#include <QSignalSpy>
#include <QtTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace bs;
using namespace bs::m81;
using bs::test::CollectingSink;

namespace {

enum class Transport { Tcp, Pty };

struct Bench
{
    explicit Bench(Transport t = Transport::Tcp, const std::function<void(M81Simulator::Config &)> &simSetup = {})
    {
        M81Simulator::Config cfg;
        cfg.port = 0;
        cfg.pty = t == Transport::Pty;
        if (simSetup)
            simSetup(cfg);
        sim = std::make_unique<SimulatorThread>(QStringLiteral("m81-sim"), [cfg] { return new M81Simulator(cfg); });
        sim->call([this](QObject *o) {
            auto *s = static_cast<M81Simulator *>(o);
            started = s->start(&error);
            port = s->port();
            pty = s->ptyPath();
        });
        auto drv = std::make_unique<M81Driver>();
        drv->setId(QStringLiteral("m81"));
        drv->setAddress(t == Transport::Pty ? pty : QStringLiteral("127.0.0.1:%1").arg(port));
        host = std::make_unique<InstrumentHost>(std::move(drv));
        host->addSink(&sink);
        errors = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::errorOccurred);
        refused = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::parameterRefused);
        events = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::eventOccurred);
    }
    M81Simulator *simulator() const { return static_cast<M81Simulator *>(sim->object()); }
    bool anyError(const QString &part) const { return bs::test::spyContains(*errors, part); }
    QString allErrors() const { return bs::test::spyJoined(*errors); }
    void set(const char *key, const QVariant &v) { host->setParameter(QLatin1String(key), v); }
    QVariant value(const char *key) const { return host->parameters().value(QLatin1String(key)); }
    bool connect()
    {
        host->open();
        return waitState(Instrument::State::Connected);
    }
    bool waitState(Instrument::State s, int ms = 20000) const
    {
        QElapsedTimer t;
        t.start();
        while (host->state() != s && t.elapsed() < ms)
            QTest::qWait(5);
        return host->state() == s;
    }
    bool waitRows(quint64 n, int ms = 20000) const
    {
        QElapsedTimer t;
        t.start();
        while (sink.rows() < n && t.elapsed() < ms)
            QTest::qWait(5);
        return sink.rows() >= n;
    }
    QVector<InstrumentEvent> captureEnds() const
    {
        QVector<InstrumentEvent> out;
        for (const auto &e : *events) {
            const auto ev = e.at(0).value<InstrumentEvent>();
            if (ev.kind == InstrumentEvent::Kind::CaptureEnded)
                out << ev;
        }
        return out;
    }

    std::unique_ptr<SimulatorThread> sim;
    CollectingSink sink;
    std::unique_ptr<InstrumentHost> host;
    std::unique_ptr<QSignalSpy> errors, refused, events;
    bool started = false;
    QString error, pty;
    quint16 port = 0;
};

void transports()
{
    QTest::addColumn<int>("transport");
    QTest::newRow("tcp") << int(Transport::Tcp);
    QTest::newRow("pty") << int(Transport::Pty);
}

/// Every row's RTIMe follows the previous one by one period: nothing lost, nothing twice.
bool contiguous(const std::vector<double> &rtime, double rate, QString *why)
{
    for (std::size_t i = 1; i < rtime.size(); ++i)
        if (std::abs(rtime[i] - rtime[i - 1] - 1.0 / rate) > 0.25 / rate) {
            *why = QStringLiteral("row %1: RTIMe %2 after %3").arg(i).arg(rtime[i]).arg(rtime[i - 1]);
            return false;
        }
    return true;
}

} // namespace

class TestM81Driver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerBuiltinDrivers(); }

    void registered()
    {
        const DriverInfo *i = DriverRegistry::instance().find(QStringLiteral("m81"));
        QVERIFY(i);
        QCOMPARE(i->displayName, QStringLiteral("Lake Shore M81-SSM"));
        QCOMPARE(i->shortName, QStringLiteral("M81"));
        QVERIFY(i->checkAddress(QStringLiteral("192.0.2.7")).isEmpty());
        QVERIFY(i->checkAddress(QStringLiteral("192.0.2.7:7777")).isEmpty());
        QVERIFY(i->checkAddress(QStringLiteral("/dev/ttyACM0")).isEmpty());
        QVERIFY(i->checkAddress(QStringLiteral("COM3")).isEmpty());
        QVERIFY(!i->checkAddress(QStringLiteral("host:99999")).isEmpty());
        QVERIFY(i->describeAddress(QStringLiteral("192.0.2.7")).contains(QStringLiteral("7777")));
        QVERIFY(i->describeAddress(QStringLiteral("/dev/ttyACM0")).contains(QStringLiteral("921600")));
    }

    void identification_data() { transports(); }
    void identification()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        QCOMPARE(b.value("model").toString(), QStringLiteral("LSCI M81"));
        QCOMPARE(b.value("serial").toString(), QStringLiteral("SIM00001"));
        QCOMPARE(b.value("firmware").toString(), QStringLiteral("2.1.0"));
        QVERIFY2(b.value("s1_module").toString().startsWith(QStringLiteral("VS-10")), qPrintable(b.value("s1_module").toString()));
        QVERIFY(b.value("s2_module").toString().startsWith(QStringLiteral("CS-10")));
        QVERIFY(b.value("m3_module").toString().startsWith(QStringLiteral("CM-10")));
        QCOMPARE(b.value("s1_unit").toString(), QStringLiteral("V"));
        QCOMPARE(b.value("s2_unit").toString(), QStringLiteral("A"));
        QCOMPARE(b.value("m1_unit").toString(), QStringLiteral("V"));
        QCOMPARE(b.value("m3_unit").toString(), QStringLiteral("A"));
        QTRY_COMPARE_WITH_TIMEOUT(b.host->streams().size(), 1, 10000);
        const StreamInfo s = b.host->streams().at(0);
        QCOMPARE(s.channels.size(), 4); // RTIMe,1,MX,1,MY,1,MR,1
        QCOMPARE(s.channels.at(1).name, QStringLiteral("M1 X"));
        QCOMPARE(s.channels.at(1).unit, QStringLiteral("V"));
        QCOMPARE(s.channels.at(0).unit, QStringLiteral("s"));
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
        b.host->close();
        QVERIFY(b.waitState(Instrument::State::Disconnected));
    }

    void emptySlotIsNotFitted()
    {
        Bench b(Transport::Tcp, [](M81Simulator::Config &c) { c.measureModels[2] = QString(); });
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        QCOMPARE(b.value("m3_module").toString(), QStringLiteral("not fitted"));
        QVERIFY(b.value("m2_module").toString().startsWith(QStringLiteral("VM-10")));
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
        b.set("m3_mode", QStringLiteral("LIA"));
        QTRY_VERIFY_WITH_TIMEOUT(!b.refused->isEmpty(), 10000);
        QVERIFY2(b.refused->last().at(1).toString().contains(QStringLiteral("not fitted")),
                 qPrintable(b.refused->last().at(1).toString()));
        // Streaming from the empty slot: the instrument's -241 is shown with the command.
        b.set("elements", QStringLiteral("RTIMe,1,MX,3"));
        b.errors->clear();
        b.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(b.anyError(QStringLiteral("-241")), 10000);
        QVERIFY2(b.anyError(QStringLiteral("'TRACe:FORMat:ELEMents RTIMe,1,MX,3' failed")), qPrintable(b.allErrors()));
        QVERIFY(b.host->state() != Instrument::State::Running);
    }

    void settingWrittenAndReadBack_data() { transports(); }
    void settingWrittenAndReadBack()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("m1_mode", QStringLiteral("LIA"));
        b.set("m1_reference", QStringLiteral("S2"));
        b.set("m1_time_constant", 0.3);
        b.set("s1_shape", QStringLiteral("SINUSOID"));
        b.set("s1_frequency", 1234.5);
        b.set("s2_amplitude", 0.001); // a current source: CURRent:LEVel:AMPLitude
        b.set("s1_output", true);
        b.set("m2_mode", QStringLiteral("LIA"));
        b.set("m2_rolloff", QStringLiteral("R12"));
        b.set("m2_phase_shift", 45.0);
        b.set("m2_harmonic", 2);
        b.set("m2_fir", true);
        b.set("m3_nplc", 10.0);
        QSignalSpy changed(b.host.get(), &InstrumentHost::parameterChanged);
        b.host->invoke(QStringLiteral("refresh")); // everything read back from the instrument again
        // Commands go out one at a time in order: a refusal of a later write means every write
        // and read-back before it is done (close() would cancel what is still queued).
        b.set("s1_frequency", 5e6);
        QTRY_VERIFY_WITH_TIMEOUT(!b.refused->isEmpty(), 20000);
        QVERIFY(!changed.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m1_mode").toString(), QStringLiteral("LIA"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m1_reference").toString(), QStringLiteral("S2"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m1_time_constant").toDouble(), 0.3, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("s1_shape").toString(), QStringLiteral("SINUSOID"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("s1_frequency").toDouble(), 1234.5, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("s2_amplitude").toDouble(), 0.001, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("s1_output").toBool(), true, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m2_rolloff").toString(), QStringLiteral("R12"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m2_phase_shift").toDouble(), 45.0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m2_harmonic").toInt(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m2_fir").toBool(), true, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m3_nplc").toDouble(), 10.0, 10000);
        for (const QList<QVariant> &e : std::as_const(*b.errors)) // only the refusal asked for
            QVERIFY2(e.last().toString().contains(QStringLiteral("SOURce1:FREQuency 5000000")), qPrintable(b.allErrors()));

        // A fresh connection reads what the instrument holds.
        b.host->close();
        QVERIFY(b.waitState(Instrument::State::Disconnected));
        auto drv = std::make_unique<M81Driver>();
        drv->setAddress(b.host->address());
        InstrumentHost other(std::move(drv));
        other.open();
        QElapsedTimer t;
        t.start();
        while (other.state() != Instrument::State::Connected && t.elapsed() < 20000)
            QTest::qWait(5);
        QCOMPARE(other.state(), Instrument::State::Connected);
        // The read-back reaches the host's copy by queued signals: wait for it, on a loaded machine too.
        QTRY_COMPARE_WITH_TIMEOUT(other.parameters().stringValue(QStringLiteral("m1_mode")), QStringLiteral("LIA"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(other.parameters().doubleValue(QStringLiteral("s1_frequency")), 1234.5, 10000);
    }

    void settingsGivenBeforeConnecting()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        // As a session file gives them: every setting, a manual range beside autorange on.
        b.set("m2_mode", QStringLiteral("AC"));
        b.set("s3_frequency", 77.0);
        b.set("m1_autorange", true);
        b.set("m1_range", 0.1);
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m2_mode").toString(), QStringLiteral("AC"), 10000);
        QCOMPARE(b.value("s3_frequency").toDouble(), 77.0);
        QCOMPARE(b.value("m1_autorange").toBool(), true); // the range did not switch autorange off
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
        // While connected: a manual range switches autorange off, and the panel shows it.
        b.set("m1_range", 0.1);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m1_autorange").toBool(), false, 10000);
        QCOMPARE(b.value("m1_range").toDouble(), 0.1);
        b.set("m1_autorange", true);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("m1_autorange").toBool(), true, 10000);
    }

    void refusedSetting()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        const double before = b.value("s1_frequency").toDouble();
        b.set("s1_frequency", 5e6); // accepted here, beyond what the source module can do
        QTRY_VERIFY_WITH_TIMEOUT(!b.refused->isEmpty(), 10000);
        QCOMPARE(b.refused->last().at(0).toString(), QStringLiteral("s1_frequency"));
        const QString msg = b.refused->last().at(1).toString();
        QVERIFY2(msg.contains(QStringLiteral("SOURce1:FREQuency 5000000")) && msg.contains(QStringLiteral("-222")), qPrintable(msg));
        // The panel shows what the instrument kept.
        QTRY_COMPARE_WITH_TIMEOUT(b.value("s1_frequency").toDouble(), before, 10000);
    }

    void streamAndStop_data() { transports(); }
    /// Issue 13: a float32 element (SRANge, code 'f') is published as float32, as the wire carries
    /// it; doubles stay float64; every block has the announced formats.
    void float32ElementsStayFloat32()
    {
        Bench b{Transport::Tcp};
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,SRANge,1,MX,1"));
        b.set("rate", 1000);
        b.set("count", 0);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY2(b.waitRows(100), qPrintable(b.allErrors()));
        b.host->stop();
        QVERIFY2(b.waitState(Instrument::State::Connected), qPrintable(b.allErrors()));
        const StreamInfo s = b.sink.stream(QStringLiteral("trace"));
        QCOMPARE(s.channels.size(), 3);
        QCOMPARE(s.channels.at(0).format, SampleFormat::of(SampleType::Float64));
        QCOMPARE(s.channels.at(1).format, SampleFormat::of(SampleType::Float32));
        QCOMPARE(s.channels.at(2).format, SampleFormat::of(SampleType::Float64));
        std::size_t rows = 0;
        for (const auto &blk : b.sink.blocks(QStringLiteral("trace"))) {
            QVERIFY(blk->formats() == s.formats());
            for (std::size_t i = 0; i < blk->sampleCount; ++i, ++rows)
                QVERIFY(blk->data<float>(1)[i] > 0.0f); // the source range's largest value
        }
        QVERIFY(rows >= 100);
    }

    void streamAndStop()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1,MY,1,SFRequency,1,MOVerload,1,GPIStates,1"));
        b.set("rate", 1000);
        b.set("count", 0);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY2(b.waitRows(600), qPrintable(b.allErrors()));
        b.host->stop();
        QVERIFY2(b.waitState(Instrument::State::Connected), qPrintable(b.allErrors()));
        const StreamInfo s = b.sink.stream(QStringLiteral("trace"));
        QCOMPARE(s.channels.size(), 6);
        QCOMPARE(s.channels.at(3).name, QStringLiteral("S1 Frequency"));
        QCOMPARE(s.channels.at(3).unit, QStringLiteral("Hz"));
        QCOMPARE(s.channels.at(4).unit, QString());
        QVERIFY(!s.regular); // RTIMe is the time axis
        const auto rtime = b.sink.column(QStringLiteral("RTIMe"));
        QString why;
        QVERIFY2(contiguous(rtime, 1000, &why), qPrintable(why));
        QCOMPARE(rtime.front(), 0.0);
        // Flags and masks stay exact.
        for (double v : b.sink.column(QStringLiteral("M1 Overload")))
            QVERIFY(v == 0.0 || v == 1.0);
        for (double v : b.sink.column(QStringLiteral("GPI")))
            QCOMPARE(v, 5.0);
        // Time = stream start + RTIMe, blocks in chunks.
        const auto times = b.sink.times();
        QCOMPARE(times.size(), rtime.size());
        QVERIFY(std::abs((times.back() - times.front()) - (rtime.back() - rtime.front())) < 1e-9);
        QVERIFY(b.sink.blocks().size() < rtime.size() / 4);
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        const auto ends = b.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(ends[0].complete);
        QVERIFY(b.sink.blocks().back()->flags & SampleBlock::EndOfCapture);
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
    }

    void streamWithoutRtimeIsRegular()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("MDC,2,MR,1"));
        b.set("rate", 500);
        b.set("count", 250);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Finished), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.rows(), quint64(250));
        for (const auto &blk : b.sink.blocks())
            QVERIFY(blk->sampleCount == 0 || blk->isRegular());
        QCOMPARE(b.sink.blocks().front()->dt, 1.0 / 500);
    }

    void boundedStreamFinishes_data() { transports(); }
    void boundedStreamFinishes()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1,MR,1"));
        b.set("rate", 5000);
        b.set("count", 3000);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Finished), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.rows(), quint64(3000));
        QString why;
        QVERIFY2(contiguous(b.sink.column(QStringLiteral("RTIMe")), 5000, &why), qPrintable(why));
        const auto ends = b.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(ends[0].complete);
        QVERIFY(b.host->report().finished);
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
        // Run again from Finished.
        b.sink.clear();
        b.set("count", 100);
        b.host->start();
        QTRY_COMPARE_WITH_TIMEOUT(b.sink.rows(), quint64(100), 20000);
        QVERIFY(b.waitState(Instrument::State::Finished));
    }

    // Stop while the reply that completes a bounded stream is on its way: one end, one capture.
    void stopAtTheEndOfABoundedStream()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1"));
        b.set("rate", 5000);
        for (int i = 0; i < 30; ++i) {
            b.set("count", 20 + i);
            b.events->clear();
            b.host->start();
            // 20-49 rows at 5000 rows/s: on a loaded machine the stream may be over (Finished)
            // before its Running is seen.
            QTRY_VERIFY2_WITH_TIMEOUT(b.host->state() == Instrument::State::Running
                                          || b.host->state() == Instrument::State::Finished,
                                      qPrintable(b.allErrors()), 20000);
            QTest::qWait(i % 7);
            b.host->stop();
            QTRY_VERIFY_WITH_TIMEOUT(b.host->state() == Instrument::State::Connected
                                         || b.host->state() == Instrument::State::Finished,
                                     10000);
            QTest::qWait(50); // a second end would come right after the first
            QCOMPARE(b.captureEnds().size(), 1);
        }
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
    }

    void overflowIsCounted_data()
    {
        QTest::addColumn<QString>("elements");
        QTest::newRow("with RTIMe") << QStringLiteral("RTIMe,1,MX,1,MY,1");
        QTest::newRow("without RTIMe") << QStringLiteral("MX,1,MY,1");
    }
    void overflowIsCounted()
    {
        QFETCH(QString, elements);
        // A buffer of two rows at 5000 rows/s: no host keeps up.
        Bench b(Transport::Tcp, [](M81Simulator::Config &c) { c.bufferBytes = 48; });
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", elements);
        b.set("rate", 5000);
        b.set("count", 0);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QTRY_VERIFY_WITH_TIMEOUT(b.host->stats().lostSamples > 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(b.host->stats().overflowBlocks > 0, 20000);
        QVERIFY2(b.anyError(QStringLiteral("OVERflow")), qPrintable(b.allErrors()));
        QVERIFY(!b.host->report().warnings.isEmpty());
        b.host->stop();
        QVERIFY(b.waitState(Instrument::State::Connected));
        const auto ends = b.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(!ends[0].complete);
    }

    // §13: a bounded stream that overflowed. DeliverN: the instrument still delivers `count` rows,
    // all of them are read. GenerateN: it stops after `count` generated rows; the driver sees the
    // stream over (operation bit 6) and ends instead of waiting for rows that never come.
    void boundedStreamWithOverflow_data()
    {
        QTest::addColumn<bool>("generateN");
        QTest::addColumn<QString>("elements");
        QTest::newRow("deliver n, RTIMe") << false << QStringLiteral("RTIMe,1,MX,1,MY,1");
        QTest::newRow("generate n, RTIMe") << true << QStringLiteral("RTIMe,1,MX,1,MY,1");
        QTest::newRow("generate n, no RTIMe") << true << QStringLiteral("MX,1,MY,1");
    }
    void boundedStreamWithOverflow()
    {
        QFETCH(bool, generateN);
        QFETCH(QString, elements);
        Bench b(Transport::Tcp, [generateN](M81Simulator::Config &c) {
            c.bufferBytes = 48;
            c.boundedStream = generateN ? M81Simulator::Config::BoundedStream::GenerateN
                                        : M81Simulator::Config::BoundedStream::DeliverN;
        });
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", elements);
        b.set("rate", 5000);
        b.set("count", 5000);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Finished, 30000), qPrintable(b.allErrors()));
        QVERIFY(b.host->stats().lostSamples > 0);
        QVERIFY(b.host->stats().overflowBlocks > 0);
        if (generateN)
            QVERIFY(b.sink.rows() < 5000);
        else
            QCOMPARE(b.sink.rows(), quint64(5000));
        if (elements.startsWith(QLatin1String("RTIMe")) && generateN) // rows + lost = rows generated, bar the end
            QVERIFY(b.sink.rows() + b.host->stats().lostSamples <= 5000);
        const auto ends = b.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(!ends[0].complete);
    }

    void scpiErrorMidStream()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1"));
        b.set("rate", 1000);
        b.set("count", 0);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY(b.waitRows(100));
        b.simulator()->injectFault(M81Simulator::Fault::ErrorMidStream);
        // The queued error comes out at the next checked command, with the command that caused it.
        QTRY_VERIFY_WITH_TIMEOUT(b.anyError(QStringLiteral("-230")), 20000);
        QVERIFY2(b.anyError(QStringLiteral("TRACe:DATA:ALL?")), qPrintable(b.allErrors()));
        b.host->stop();
        QVERIFY(b.waitState(Instrument::State::Connected));
    }

    // Every unverified point of the protocol notes the simulator can switch: the driver connects,
    // streams a bounded run and gets every row once, in order.
    void toleratesEveryReading_data()
    {
        QTest::addColumn<int>("variant");
        const char *names[] = {"U3 0,\"No error\"", "U4 ';' between errors", "U5 RESEt clears settings",
                               "U6 rate rounded", "U7 no TRACe extensions", "U8 MX as float",
                               "U9 partial rows", "U11 instrument index checked", "U13 generic codes",
                               "U14 last row repeated", "BFORmat unquoted", "pty with partial rows"};
        for (int i = 0; i < int(std::size(names)); ++i)
            QTest::newRow(names[i]) << i;
    }
    void toleratesEveryReading()
    {
        QFETCH(int, variant);
        Bench b(variant == 11 ? Transport::Pty : Transport::Tcp, [variant](M81Simulator::Config &c) {
            switch (variant) {
            case 0: c.emptyQueueWithCode = true; break;
            case 1: c.errorSeparator = ";"; break;
            case 2: c.resetClearsSettings = true; break;
            case 3: c.roundRate = true; break;
            case 4: c.traceExtensions = false; break;
            case 5: c.structCodes.insert("MX", 'f'); break;
            case 6: c.partialRows = true; break;
            case 7: c.checkInstrumentIndex = true; break;
            case 8: c.genericErrorCodes = true; break;
            case 9: c.repeatLastRow = true; break;
            case 10: c.bformatQuoted = false; break;
            case 11: c.partialRows = true; break;
            }
        });
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1,MOVerload,1,GPIStates,1,SRANge,2"));
        b.set("rate", 1000);
        b.set("count", 700);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Finished), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.rows(), quint64(700));
        QString why;
        QVERIFY2(contiguous(b.sink.column(QStringLiteral("RTIMe")), 1000, &why), qPrintable(why));
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        QVERIFY(b.captureEnds().value(0).complete);
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
        // A refusal is still a refusal in every reading.
        b.set("s1_frequency", 5e6);
        QTRY_VERIFY_WITH_TIMEOUT(!b.refused->isEmpty(), 10000);
    }

    void truncatedReply()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1,MY,1"));
        b.set("rate", 1000);
        b.set("count", 0);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY(b.waitRows(100));
        b.simulator()->injectFault(M81Simulator::Fault::TruncatedRow);
        QTRY_VERIFY_WITH_TIMEOUT(b.anyError(QStringLiteral("did not complete")), 20000);
        const quint64 before = b.sink.rows();
        QVERIFY(b.waitRows(before + 200));
        b.host->stop();
        QVERIFY(b.waitState(Instrument::State::Connected));
        // The truncated row is one lost row; every row after it is decoded on its boundary.
        QCOMPARE(b.host->stats().lostSamples, quint64(1));
        const auto rtime = b.sink.column(QStringLiteral("RTIMe"));
        int gaps = 0;
        for (std::size_t i = 1; i < rtime.size(); ++i) {
            const double step = rtime[i] - rtime[i - 1];
            QVERIFY2(std::abs(step - 0.001) < 1e-6 || std::abs(step - 0.002) < 1e-6, qPrintable(QString::number(step)));
            gaps += std::abs(step - 0.002) < 1e-6;
        }
        QCOMPARE(gaps, 1);
        QVERIFY(!b.captureEnds().value(0).complete);
    }

    void stalledReplyTimesOut()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        b.set("timeout", 1.0);
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.simulator()->injectFault(M81Simulator::Fault::Stall);
        b.set("s1_frequency", 321.0);
        QTRY_VERIFY_WITH_TIMEOUT(b.anyError(QStringLiteral("did not reply to 'SOURce1:FREQuency 321' within 1 s")), 20000);
        QVERIFY2(b.anyError(QStringLiteral("127.0.0.1:%1").arg(b.port)), qPrintable(b.allErrors()));
        // The instrument carried the command out; the next exchange is in step again.
        b.set("s1_frequency", 322.0);
        QTRY_COMPARE_WITH_TIMEOUT(b.value("s1_frequency").toDouble(), 322.0, 10000);
        // A stall in the middle of a stream: the stream ends in Error, the rows stay.
        b.set("elements", QStringLiteral("RTIMe,1,MX,1"));
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY(b.waitRows(50));
        b.simulator()->injectFault(M81Simulator::Fault::Stall);
        QVERIFY(b.waitState(Instrument::State::Error));
        QVERIFY2(b.anyError(QStringLiteral("TRACe:")), qPrintable(b.allErrors()));
        QVERIFY(!b.captureEnds().value(0).complete);
    }

    void refusedRateBeforeSending()
    {
        Bench b;
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("rate", 6000);
        QTRY_VERIFY_WITH_TIMEOUT(!b.refused->isEmpty(), 10000);
        QCOMPARE(b.value("rate").toInt(), 1000);
        b.set("elements", QStringLiteral("MX,1,MX,1,MX,1,MX,1,MX,1,MX,1,MX,1,MX,1,MX,1,MX,1,MX,1"));
        QTRY_COMPARE_WITH_TIMEOUT(b.refused->size(), 2, 10000);
    }

    void connectionDroppedMidStream_data() { transports(); }
    void connectionDroppedMidStream()
    {
        QFETCH(int, transport);
        Bench b{Transport(transport)};
        QVERIFY2(b.started, qPrintable(b.error));
        QVERIFY2(b.connect(), qPrintable(b.allErrors()));
        b.set("elements", QStringLiteral("RTIMe,1,MX,1"));
        b.set("rate", 2000);
        b.set("count", 0);
        b.host->start();
        QVERIFY2(b.waitState(Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY(b.waitRows(500));
        b.simulator()->injectFault(M81Simulator::Fault::DropConnection);
        QVERIFY2(b.waitState(Instrument::State::Error), qPrintable(b.allErrors()));
        const QString peer = transport == int(Transport::Pty) ? b.pty : QStringLiteral("127.0.0.1:%1").arg(b.port);
        QVERIFY2(b.anyError(peer), qPrintable(b.allErrors()));
        // Every row received before is there, in order, once; the capture ended incomplete.
        const auto rtime = b.sink.column(QStringLiteral("RTIMe"));
        QVERIFY(rtime.size() >= 500);
        QString why;
        QVERIFY2(contiguous(rtime, 2000, &why), qPrintable(why));
        const auto ends = b.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(!ends[0].complete);
        QVERIFY(b.sink.blocks().back()->flags & SampleBlock::EndOfCapture);
    }
};

QTEST_MAIN(TestM81Driver)
#include "test_m81_driver.moc"
