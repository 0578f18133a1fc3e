// SPDX-License-Identifier: GPL-3.0-or-later
// PicoDriver against BenchScope's simulated libps5000a, loaded at run time exactly as the vendor
// library would be; the driver runs on its own thread inside an InstrumentHost. The simulated
// inputs are set through the library's picosim control interface (resolved from the same file).
#include "../CollectingSink.h"
#include "../SpyText.h"
#include "InstrumentHost.h"
#include "PicoDriver.h"
#include "SessionClock.h"

#include <picosim/picosim.h>

#include <QLibrary>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace bs;
using namespace bs::picoscope;

namespace {

using test::CollectingSink;
using test::values;

const QString kLibrary = QStringLiteral(BS_PS5000A_SIM);

/// Applies PICOSIM settings to a simulated library (after a reset to its defaults).
bool simulate(const QString &settings, const QString &library = kLibrary)
{
    QLibrary lib(library); // loaded once by the process; this only finds it again
    auto configure = reinterpret_cast<picosimConfigure_t>(lib.resolve("picosimConfigure"));
    if (!configure)
        return false;
    const QByteArray s = (QStringLiteral("reset;") + settings).toLatin1();
    if (configure(s.constData()) != 0) {
        auto lastError = reinterpret_cast<picosimLastError_t>(lib.resolve("picosimLastError"));
        qWarning("picosimConfigure(%s): %s", s.constData(), lastError ? lastError() : "?");
        return false;
    }
    return true;
}

/// Adds PICOSIM settings at once, without the reset (e.g. `inject=` while a stream runs).
bool injectNow(const QString &settings, const QString &library = kLibrary)
{
    QLibrary lib(library);
    auto configure = reinterpret_cast<picosimConfigure_t>(lib.resolve("picosimConfigure"));
    return configure && configure(settings.toLatin1().constData()) == 0;
}

quint64 concurrencyViolations()
{
    static QLibrary lib(kLibrary);
    auto f = reinterpret_cast<picosimConcurrencyViolations_t>(lib.resolve("picosimConcurrencyViolations"));
    return f ? f() : ~0ull;
}

struct Bench
{
    explicit Bench(const QString &serial = {}, const QString &library = kLibrary)
    {
        auto drv = std::make_unique<PicoDriver>();
        drv->setId(QStringLiteral("pico1"));
        drv->setAddress(serial);
        host = std::make_unique<InstrumentHost>(std::move(drv));
        host->addSink(&sink);
        errors = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::errorOccurred);
        messages = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::message);
        set("library", library);
    }
    void set(const char *key, const QVariant &v) { host->setParameter(QLatin1String(key), v); }
    bool anyError(const QString &part) const { return bs::test::spyContains(*errors, part); }
    bool anyMessage(const QString &part) const { return bs::test::spyContains(*messages, part); }
    QString allErrors() const { return bs::test::spyJoined(*errors); }

    CollectingSink sink;
    std::unique_ptr<InstrumentHost> host;
    std::unique_ptr<QSignalSpy> errors, messages;
};

template<typename Pred>
bool waitFor(Pred pred, int ms = 20000)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < ms)
        QTest::qWait(5);
    return pred();
}

bool waitState(InstrumentHost &h, Instrument::State s, int ms = 20000)
{
    return waitFor([&] { return h.state() == s; }, ms);
}

/// Opens the unit and waits until it is connected.
bool connected(Bench &b)
{
    b.host->open();
    return waitState(*b.host, Instrument::State::Connected);
}

/// Rising crossings of `level` (with hysteresis) → frequency in Hz for samples dt apart.
double frequency(const double *v, std::size_t n, double dt, double level = 0.0, double hyst = 0.05)
{
    std::vector<double> crossings;
    bool low = v[0] < level;
    for (std::size_t i = 1; i < n; ++i) {
        if (low && v[i] > level + hyst) {
            crossings.push_back(double(i));
            low = false;
        } else if (!low && v[i] < level - hyst) {
            low = true;
        }
    }
    if (crossings.size() < 2)
        return 0;
    return double(crossings.size() - 1) / ((crossings.back() - crossings.front()) * dt);
}

double peak(const double *v, std::size_t n)
{
    return *std::max_element(v, v + n);
}

/// Connects a bench for a block capture on channel B only (±1 V), trigger rising at 0 V on B.
void blockSetup(Bench &b, int samples = 10000)
{
    b.set("a_enabled", false);
    b.set("b_enabled", true);
    b.set("b_range", QStringLiteral("\u00b11 V"));
    b.set("trigger_source", QStringLiteral("B"));
    b.set("trigger_direction", QStringLiteral("rising"));
    b.set("trigger_level", 0.0);
    b.set("sample_interval", 1e-6);
    b.set("samples", samples);
    b.set("pre_trigger", 20.0);
}

/// blockSetup, then continuous streaming without a trigger.
void streamingSetup(Bench &b)
{
    blockSetup(b);
    b.set("mode", QStringLiteral("streaming"));
    b.set("trigger", QStringLiteral("none"));
}

/// Counts samples and index gaps without keeping the data (for long streaming runs).
class CountingSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &) override {}
    void consume(const SampleBlockPtr &b) override
    {
        QMutexLocker l(&m);
        if (next != kAnyIndex && b->firstIndex != next)
            gaps += b->firstIndex > next ? b->firstIndex - next : 1;
        next = b->endIndex();
        samples += b->sampleCount;
        if (b->flags & (SampleBlock::DataLost | SampleBlock::Overflow))
            ++flagged;
        channels = b->channelCount;
        if (b->sampleCount > 1000 && sampleFreq == 0 && b->channelCount > 1)
            sampleFreq = frequency(values(b, 1).data(), b->sampleCount, b->dt); // channel B (square)
    }
    static constexpr quint64 kAnyIndex = ~quint64(0); ///< `next` for a new run: any first index
    mutable QMutex m;
    quint64 next = 0, samples = 0, gaps = 0, flagged = 0;
    int channels = 0;
    double sampleFreq = 0;
};

/// Blocks the driver's thread when asked (as a sink that cannot keep up would) and accounts for
/// every sample: delivered, lost in gaps (the larger of lostBefore and the index jump, as the
/// recorder counts), lost at the end of the run (blocks without samples).
class StallingSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &) override {}
    void consume(const SampleBlockPtr &b) override
    {
        if (const int ms = m_stallMs.exchange(0); ms > 0) {
            m_stalling = true;
            QThread::msleep(ms);
            m_stalling = false;
            ++m_stalls;
        }
        QMutexLocker l(&m_mutex);
        if (b->firstIndex < m_next)
            ++m_indexErrors;
        const quint64 jump = b->firstIndex > m_next ? b->firstIndex - m_next : 0;
        const quint64 lost = std::max<quint64>(b->lostBefore, jump);
        m_lost += lost;
        if (b->sampleCount == 0)
            m_endLost += lost;
        m_samples += b->sampleCount;
        m_next = b->endIndex();
        m_lastFlags = b->flags;
    }
    void stallNext(int ms) { m_stallMs = ms; }
    bool stalling() const { return m_stalling; }
    int stalls() const { return m_stalls; }
    quint64 samples() const { QMutexLocker l(&m_mutex); return m_samples; }
    quint64 lost() const { QMutexLocker l(&m_mutex); return m_lost; }
    quint64 endLost() const { QMutexLocker l(&m_mutex); return m_endLost; }
    std::uint32_t lastFlags() const { QMutexLocker l(&m_mutex); return m_lastFlags; }
    int indexErrors() const { QMutexLocker l(&m_mutex); return m_indexErrors; }

private:
    std::atomic<int> m_stallMs{0}, m_stalls{0};
    std::atomic<bool> m_stalling{false};
    mutable QMutex m_mutex;
    quint64 m_next = 0, m_samples = 0, m_lost = 0, m_endLost = 0;
    std::uint32_t m_lastFlags = 0;
    int m_indexErrors = 0;
};

} // namespace

class TestPicoscopeDriver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(kLibrary), qPrintable(kLibrary));
        QVERIFY(simulate({}));
    }

    void simulatedLibraryHasTheVendorsName()
    {
        // libps5000a.so.2 / libps2000a.so.2 as Pico's SDK installs them (the SONAME), found by the
        // demo and benchscope-sim, and loaded by the driver also through the unversioned symlink.
        for (Family f : {Family::Ps5000a, Family::Ps2000a}) {
            const QString path = PicoDriver::simulatedLibraryPath(f);
            QVERIFY2(path.endsWith(QStringLiteral("lib%1.so.2").arg(familyName(f))), qPrintable(path));
            QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        }
        QVERIFY(kLibrary.endsWith(QStringLiteral("libps5000a.so.2")));
        QVERIFY(simulate({}));
        Bench b({}, kLibrary.chopped(2)); // …/libps5000a.so
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
    }

    void missingLibraryIsReported()
    {
        Bench b({}, QStringLiteral("/nonexistent/libps5000a.so"));
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY2(b.anyError(QStringLiteral("/nonexistent/libps5000a.so")), qPrintable(b.allErrors()));
        QVERIFY2(b.anyError(QStringLiteral("was not found")), qPrintable(b.allErrors()));
    }

    void wrongLibraryIsReported()
    {
        const QString other = QStringLiteral(BS_NOT_A_PICO_LIBRARY);
        Bench b({}, other);
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY2(b.anyError(QStringLiteral("is not a ps5000a library")), qPrintable(b.allErrors()));
        QVERIFY2(b.anyError(QStringLiteral("ps5000aOpenUnit")), qPrintable(b.allErrors()));
    }

    void identity()
    {
        QVERIFY(simulate({}));
        Bench b;
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        QCOMPARE(b.host->parameters().stringValue(QStringLiteral("variant")), QStringLiteral("5444D"));
        QCOMPARE(b.host->parameters().stringValue(QStringLiteral("serial")), QStringLiteral("SIM00/0001"));
        QVERIFY(b.anyMessage(QStringLiteral("4 channels")));
        b.host->close();
        QVERIFY(waitState(*b.host, Instrument::State::Disconnected));
    }

    void unknownSerialIsReported()
    {
        QVERIFY(simulate({}));
        Bench b(QStringLiteral("XX000/9999"));
        b.host->open();
        QVERIFY(waitState(*b.host, Instrument::State::Error));
        QVERIFY2(b.anyError(QStringLiteral("unit XX000/9999 was not found")), qPrintable(b.allErrors()));
    }

    void blockCaptureAmplitudeFrequencyTrigger()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        QVERIFY(waitState(*b.host, Instrument::State::Finished));
        const auto blk = b.sink.blocks().front();
        QCOMPARE(blk->sampleCount, std::size_t(10000));
        QCOMPARE(blk->channelCount, 1);
        QCOMPARE(b.sink.stream(QStringLiteral("scope")).channels.at(0).name, QStringLiteral("B"));
        QVERIFY2(std::abs(blk->dt - 1e-6) < 1e-12, qPrintable(QString::number(blk->dt)));
        const auto vals = values(blk, 0);
        const double *v = vals.data();
        QVERIFY2(std::abs(peak(v, blk->sampleCount) - 0.5) < 0.02, qPrintable(QString::number(peak(v, 10000))));
        const double f = frequency(v, blk->sampleCount, blk->dt);
        QVERIFY2(std::abs(f - 1000) < 5, qPrintable(QString::number(f)));
        QVERIFY(blk->flags & SampleBlock::Trigger);
        QCOMPARE(blk->triggerIndex, std::int64_t(2000));
        QVERIFY2(std::abs(v[2000]) < 0.02, qPrintable(QString::number(v[2000])));
        QVERIFY(v[1990] < v[2010]); // rising through the level
        QVERIFY(b.host->parameters().stringValue(QStringLiteral("actual_interval")).contains(QStringLiteral("1 \u00b5s")));
        QCOMPARE(b.errors->size(), 0);
    }

    /// ADC counts to volts with the unit's own MaximumValue at every resolution, exactly: a DC
    /// input of 0.3 V on the ±1 V range is digitised by the simulated unit as
    /// round(0.3 × maxAdc / step) × step counts (step = 2^(16 − bits); maxAdc 32512 at 8 bit,
    /// 32767 above), and the driver must turn exactly those counts back into counts × 1 V / maxAdc
    /// (to 1e-12 V: the driver multiplies by range / maxAdc, which may round the last bit).
    /// The counts below were worked out by hand:
    ///   8 bit:  0.3 × 32512 / 256 = 38.1     → 38 × 256 = 9728   (ps5000a and ps2000a)
    ///   12 bit: 0.3 × 32767 / 16  = 614.38   → 614 × 16 = 9824
    ///   14 bit: 0.3 × 32767 / 4   = 2457.525 → 2458 × 4 = 9832
    ///   15 bit: 0.3 × 32767 / 2   = 4915.05  → 4915 × 2 = 9830
    ///   16 bit: 0.3 × 32767       = 9830.1   → 9830
    void adcToVoltsExactAtEveryResolution_data()
    {
        QTest::addColumn<QString>("library");
        QTest::addColumn<QString>("resolution");
        QTest::addColumn<double>("counts");
        QTest::addColumn<double>("maxAdc");
        const QString ps5 = kLibrary, ps2 = QStringLiteral(BS_PS2000A_SIM);
        QTest::newRow("ps5000a 8 bit") << ps5 << QStringLiteral("8 bit") << 9728.0 << 32512.0;
        QTest::newRow("ps5000a 12 bit") << ps5 << QStringLiteral("12 bit") << 9824.0 << 32767.0;
        QTest::newRow("ps5000a 14 bit") << ps5 << QStringLiteral("14 bit") << 9832.0 << 32767.0;
        QTest::newRow("ps5000a 15 bit") << ps5 << QStringLiteral("15 bit") << 9830.0 << 32767.0;
        QTest::newRow("ps5000a 16 bit") << ps5 << QStringLiteral("16 bit") << 9830.0 << 32767.0;
        QTest::newRow("ps2000a 8 bit") << ps2 << QString() << 9728.0 << 32512.0;
    }
    void adcToVoltsExactAtEveryResolution()
    {
        QFETCH(QString, library);
        QFETCH(QString, resolution);
        QFETCH(double, counts);
        QFETCH(double, maxAdc);
        QVERIFY(simulate(QStringLiteral("signal.A=dc,level=0.3"), library));
        Bench b({}, library);
        if (library != kLibrary)
            b.set("family", QStringLiteral("ps2000a"));
        b.set("a_enabled", true);
        b.set("b_enabled", false);
        b.set("c_enabled", false);
        b.set("d_enabled", false);
        b.set("a_range", QStringLiteral("\u00b11 V"));
        b.set("trigger", QStringLiteral("none"));
        b.set("sample_interval", 1e-6);
        b.set("samples", 1000);
        b.set("repeat", false);
        if (!resolution.isEmpty())
            b.set("resolution", resolution);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        const auto blk = b.sink.blocks().front();
        QCOMPARE(blk->sampleCount, std::size_t(1000));
        // The block carries the unit's counts untouched, with ±1 V / maxAdc volts per count,
        // exactly as announced.
        const SampleFormat f = blk->format(0);
        QCOMPARE(f.type, SampleType::Int16);
        QCOMPARE(f.scale, 1.0 / maxAdc);
        QCOMPARE(f.offset, 0.0);
        QCOMPARE(b.sink.stream(QStringLiteral("scope")).channels.at(0).format, f);
        const std::int16_t *raw = blk->data<std::int16_t>(0);
        const double expected = counts * 1.0 / maxAdc;
        for (std::size_t i = 0; i < blk->sampleCount; ++i) {
            if (raw[i] != std::int16_t(counts))
                QFAIL(qPrintable(QStringLiteral("sample %1: %2 counts, expected %3").arg(i).arg(raw[i]).arg(counts)));
            if (std::abs(blk->value(0, i) - expected) > 1e-12) // exact but for the last bit
                QFAIL(qPrintable(QStringLiteral("sample %1: %2 V, expected %3 V (= %4 / %5)")
                                     .arg(i)
                                     .arg(blk->value(0, i), 0, 'g', 17)
                                     .arg(expected, 0, 'g', 17)
                                     .arg(counts)
                                     .arg(maxAdc)));
        }
        QCOMPARE(b.errors->size(), 0);
        QVERIFY(simulate({}, library));
    }

    void blockAggregateDownsampling()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        b.set("downsampling", QStringLiteral("aggregate"));
        b.set("downsample_ratio", 10);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        const auto blk = b.sink.blocks().front();
        QCOMPARE(blk->channelCount, 2);
        QCOMPARE(blk->sampleCount, std::size_t(1000));
        QVERIFY(std::abs(blk->dt - 1e-5) < 1e-12);
        const auto st = b.sink.stream(QStringLiteral("scope"));
        QCOMPARE(st.channels.at(0).name, QStringLiteral("B max"));
        QCOMPARE(st.channels.at(1).name, QStringLiteral("B min"));
        for (std::size_t i = 0; i < blk->sampleCount; ++i)
            QVERIFY(values(blk, 0).data()[i] >= values(blk, 1).data()[i]);
        QVERIFY(std::abs(peak(values(blk, 0).data(), 1000) - 0.5) < 0.02);
        QCOMPARE(blk->triggerIndex, std::int64_t(200));
    }

    void rapidBlockSegmentsWithTriggerTimes()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b, 2000);
        b.set("mode", QStringLiteral("rapid block"));
        b.set("captures", 5);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 5; }), qPrintable(b.allErrors()));
        QVERIFY(waitState(*b.host, Instrument::State::Finished));
        const auto blocks = b.sink.blocks();
        QCOMPARE(blocks.size(), std::size_t(5));
        for (std::size_t k = 0; k < blocks.size(); ++k) {
            const auto &blk = blocks[k];
            QCOMPARE(blk->sampleCount, std::size_t(2000));
            QCOMPARE(blk->triggerIndex, std::int64_t(400));
            QVERIFY2(std::abs(values(blk, 0).data()[400]) < 0.02, qPrintable(QString::number(values(blk, 0).data()[400])));
            QVERIFY(values(blk, 0).data()[395] < values(blk, 0).data()[405]);
            QCOMPARE(blk->firstIndex, std::uint64_t(k * 2000));
            if (k > 0) {
                // Successive triggers are a whole number of signal periods (1 ms) apart.
                const double periods = (blk->t0 - blocks[k - 1]->t0) / 1e-3;
                QVERIFY2(periods >= 1.9, qPrintable(QString::number(periods)));
                QVERIFY2(std::abs(periods - std::round(periods)) < 0.01, qPrintable(QString::number(periods)));
            }
        }
    }

    void oldStyleTriggers_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<double>("level");
        QTest::newRow("edge with hysteresis, falling") << QStringLiteral("edge with hysteresis") << QStringLiteral("falling") << 0.2;
        QTest::newRow("window, enter") << QStringLiteral("window") << QStringLiteral("rising") << 0.3;
    }
    void oldStyleTriggers()
    {
        QFETCH(QString, kind);
        QFETCH(QString, direction);
        QFETCH(double, level);
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        b.set("trigger", kind);
        b.set("trigger_direction", direction);
        b.set("trigger_level", level);
        b.set("trigger_level2", -0.3);
        b.set("trigger_auto_ms", 0);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        const auto blk = b.sink.blocks().front();
        const auto vals = values(blk, 0);
        const double *v = vals.data();
        if (kind == QLatin1String("window")) {
            // Entering the window -0.3…0.3 V: the signal is inside at the trigger, outside before.
            QVERIFY2(std::abs(v[2000]) <= 0.31, qPrintable(QString::number(v[2000])));
            QVERIFY(std::abs(v[1990]) > 0.28 || std::abs(v[2000]) > 0.28);
        } else {
            QVERIFY2(std::abs(v[2000] - level) < 0.02, qPrintable(QString::number(v[2000])));
            QVERIFY(v[1990] > v[2010]); // falling
        }
    }

    void signalGeneratorLoopsBackIntoA()
    {
        QVERIFY(simulate({})); // default: A = signal generator
        Bench b;
        b.set("b_enabled", false);
        b.set("a_range", QStringLiteral("\u00b11 V"));
        b.set("siggen_wave", QStringLiteral("square"));
        b.set("siggen_frequency", 5000.0);
        b.set("siggen_amplitude", 1.0);
        b.set("sample_interval", 1e-6);
        b.set("samples", 10000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        const auto blk = b.sink.blocks().front();
        const double f = frequency(values(blk, 0).data(), blk->sampleCount, blk->dt);
        QVERIFY2(std::abs(f - 5000) < 25, qPrintable(QString::number(f)));
        QVERIFY2(std::abs(peak(values(blk, 0).data(), blk->sampleCount) - 0.5) < 0.02,
                 qPrintable(QString::number(peak(values(blk, 0).data(), blk->sampleCount))));
    }

    void runRepeatsCapturesUntilStop()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b, 2000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 5; }), qPrintable(b.allErrors()));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        const auto blocks = b.sink.blocks();
        for (std::size_t k = 1; k < blocks.size(); ++k) {
            QCOMPARE(blocks[k]->firstIndex, blocks[k - 1]->endIndex()); // captures are not gaps
            QVERIFY(blocks[k]->t0 > blocks[k - 1]->t0);
        }
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
    }

    void stopWhileWaitingForTrigger()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        b.set("trigger_level", 0.9); // never reached
        b.set("trigger_auto_ms", 0);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QTest::qWait(300);
        QCOMPARE(b.sink.blocks().size(), std::size_t(0));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QTest::qWait(100);
        QCOMPARE(b.sink.blocks().size(), std::size_t(0));
        QCOMPARE(b.errors->size(), 0);
        // The unit is usable again: an auto trigger now fires.
        b.set("trigger_auto_ms", 20);
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
    }

    /// Block mode with `repeat` off: Run takes one capture and ends by itself (Finished), with a
    /// CaptureStarted/CaptureEnded pair on "scope"; Run again from Finished takes the next one.
    void blockRunWithoutRepeatEndsByItself()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b, 2000);
        b.set("repeat", false);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Finished, 20000), qPrintable(b.allErrors()));
        QTest::qWait(200); // a repeated capture would have been re-armed and taken by now
        QCOMPARE(b.host->state(), Instrument::State::Finished);
        QCOMPARE(b.sink.blocks().size(), std::size_t(1));
        QCOMPARE(b.sink.blocks().front()->sampleCount, std::size_t(2000));
        {
            const InstrumentReport &r = b.host->report();
            QVERIFY(r.finished);
            QCOMPARE(r.capturesStarted, 1);
            QCOMPARE(r.capturesEnded, 1);
            QCOMPARE(r.incompleteCaptures, 0);
            const InstrumentEvent &e = r.captureEnds.front();
            QCOMPARE(e.kind, InstrumentEvent::Kind::CaptureEnded);
            QCOMPARE(e.streamId, QStringLiteral("scope"));
            QVERIFY(e.complete);
            QCOMPARE(e.details.value(QStringLiteral("capture")).toInt(), 1);
            QCOMPARE(e.details.value(QStringLiteral("samples")).toInt(), 2000);
            const auto blk = b.sink.blocks().front();
            QVERIFY2(std::abs(e.time - (blk->t0 + double(blk->sampleCount) * blk->dt)) < 1e-9,
                     qPrintable(QString::number(e.time)));
        }
        // Run again from Finished: the next single capture.
        b.host->start();
        QVERIFY2(waitFor([&] {
            return b.host->report().capturesEnded == 2 && b.host->state() == Instrument::State::Finished;
        }, 20000), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.blocks().size(), std::size_t(2));
        QCOMPARE(b.host->report().capturesStarted, 2);
        QCOMPARE(b.host->report().captureEnds.back().details.value(QStringLiteral("capture")).toInt(), 2);
        QCOMPARE(b.errors->size(), 0);
        // Stop by the user while repeating stays Connected.
        b.set("repeat", true);
        b.host->start();
        QVERIFY(waitFor([&] { return b.sink.blocks().size() >= 4; }, 20000));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QVERIFY(!b.host->report().finished);
    }

    /// Rapid block with `repeat` off: one run of `captures` segments, then Finished; its one
    /// CaptureEnded carries the segment count.
    void rapidBlockWithoutRepeatEndsByItself()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b, 2000);
        b.set("mode", QStringLiteral("rapid block"));
        b.set("captures", 4);
        b.set("repeat", false);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Finished, 20000), qPrintable(b.allErrors()));
        QTest::qWait(200);
        QCOMPARE(b.sink.blocks().size(), std::size_t(4));
        const InstrumentReport &r = b.host->report();
        QVERIFY(r.finished);
        QCOMPARE(r.capturesStarted, 1);
        QCOMPARE(r.capturesEnded, 1);
        const InstrumentEvent &e = r.captureEnds.front();
        QVERIFY(e.complete);
        QCOMPARE(e.streamId, QStringLiteral("scope"));
        QCOMPARE(e.details.value(QStringLiteral("segments")).toInt(), 4);
        QCOMPARE(e.details.value(QStringLiteral("samples")).toInt(), 4 * 2000);
        QCOMPARE(b.errors->size(), 0);
    }

    void streamingAutoStop()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        streamingSetup(b);
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 300000);
        b.set("overview_buffer", 50000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY2(waitState(*b.host, Instrument::State::Finished), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.rows(), quint64(300000));
        const auto col = b.sink.column(QStringLiteral("B"));
        QCOMPARE(col.size(), std::size_t(300000));
        const double f = frequency(col.data(), col.size(), 1e-6);
        QVERIFY2(std::abs(f - 1000) < 2, qPrintable(QString::number(f))); // continuous across chunks
        const auto blocks = b.sink.blocks();
        for (std::size_t k = 1; k < blocks.size(); ++k)
            QCOMPARE(blocks[k]->firstIndex, blocks[k - 1]->endIndex());
        QVERIFY(b.anyMessage(QStringLiteral("auto-stop")));
        QCOMPARE(b.errors->size(), 0);
        // An auto-stop stream ends by itself: Finished, one complete capture of the stream length.
        const InstrumentReport &r = b.host->report();
        QVERIFY(r.finished);
        QCOMPARE(r.capturesStarted, 1);
        QCOMPARE(r.capturesEnded, 1);
        QVERIFY(r.captureEnds.front().complete);
        QCOMPARE(r.captureEnds.front().details.value(QStringLiteral("samples")).toInt(), 300000);
    }

    void streamingTriggerIsMarked()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        b.set("mode", QStringLiteral("streaming"));
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 100000);
        b.set("trigger_level", 0.25);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitFor([&] { return b.host->state() == Instrument::State::Finished && b.sink.rows() > 0; }),
                 qPrintable(b.allErrors()));
        const auto col = b.sink.column(QStringLiteral("B"));
        std::int64_t trigger = -1;
        std::uint64_t base = 0;
        for (const auto &blk : b.sink.blocks()) {
            if (blk->flags & SampleBlock::Trigger) {
                trigger = std::int64_t(base) + blk->triggerIndex;
                break;
            }
            base += blk->sampleCount;
        }
        QVERIFY(trigger > 5);
        QVERIFY2(std::abs(col[std::size_t(trigger)] - 0.25) < 0.03, qPrintable(QString::number(col[std::size_t(trigger)])));
        QVERIFY(col[std::size_t(trigger) - 5] < col[std::size_t(trigger) + 5]);
    }

    void overRangeIsFlaggedAndNamed()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=2"))); // 2 V peak on the 1 V range
        Bench b;
        blockSetup(b);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        const auto blk = b.sink.blocks().front();
        QVERIFY(blk->flags & SampleBlock::Overflow);
        QVERIFY(!(blk->flags & SampleBlock::DataLost)); // clipped, not lost
        QVERIFY(waitFor([&] { return b.anyMessage(QStringLiteral("Over range on channel B")); }));
        QVERIFY(peak(values(blk, 0).data(), blk->sampleCount) <= 1.0 + 1e-9); // clipped at the range
        // The over-range codes stay the unit's ±MaximumValue counts, recognisable from the scale
        // alone: ±(range / scale) = ±32512 at 8 bit on the ±1 V range.
        QCOMPARE(blk->format(0).type, SampleType::Int16);
        const auto code = std::int16_t(std::lround(1.0 / blk->format(0).scale));
        QCOMPARE(code, std::int16_t(32512));
        const std::int16_t *raw = blk->data<std::int16_t>(0);
        QCOMPARE(*std::max_element(raw, raw + blk->sampleCount), code);
        QCOMPARE(*std::min_element(raw, raw + blk->sampleCount), std::int16_t(-code));
    }

    /// A range change between runs re-announces the stream with the new volts per count before
    /// the first block made with it; the counts of a 0.25 V level halve (8 bit: multiples of 256,
    /// 0.25 × 32512 / 256 = 31.75 → 32 × 256 = 8192 on ±1 V; 15.875 → 16 × 256 = 4096 on ±2 V).
    void rangeChangeReannouncesTheScale()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=dc,level=0.25")));
        Bench b;
        blockSetup(b);
        b.set("trigger", QStringLiteral("none"));
        b.set("repeat", false);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        QVERIFY(waitState(*b.host, Instrument::State::Finished));
        const auto first = b.sink.blocks().front();
        QCOMPARE(first->format(0), SampleFormat::of(SampleType::Int16, 1.0 / 32512));
        QCOMPARE(b.sink.stream(QStringLiteral("scope")).channels.at(0).format, first->format(0));
        QCOMPARE(first->data<std::int16_t>(0)[100], std::int16_t(8192));
        b.set("b_range", QStringLiteral("\u00b12 V"));
        b.sink.clear();
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        const auto second = b.sink.blocks().front();
        QCOMPARE(second->format(0), SampleFormat::of(SampleType::Int16, 2.0 / 32512));
        QCOMPARE(b.sink.stream(QStringLiteral("scope")).channels.at(0).format, second->format(0));
        QCOMPARE(second->data<std::int16_t>(0)[100], std::int16_t(4096));
        QCOMPARE(second->value(0, 100), 4096 * (2.0 / 32512));
    }

    void libraryOverrunIsReportedAsLoss()
    {
        // Device memory of 2000 samples and an overview buffer of 1000 at 10 MS/s: 300 us of data,
        // less than one poll period, so the library overruns (0xFFFF in StreamingReady, U4) and the
        // samples are gone.
        QVERIFY(simulate(QStringLiteral("memory=2000")));
        Bench b;
        streamingSetup(b);
        b.set("sample_interval", 1e-7);
        b.set("overview_buffer", 1000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY(waitFor([&] {
            for (const auto &blk : b.sink.blocks())
                if (blk->flags & SampleBlock::DataLost)
                    return true;
            return false;
        }));
        QVERIFY2(waitFor([&] { return b.anyError(QStringLiteral("streaming buffer overran")); }), qPrintable(b.allErrors()));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QVERIFY(b.host->stats().lostSamples > 0); // counted for the status bar and the recording
        // The samples after a loss keep their place on the timeline: each block ends about when
        // it arrived (the estimate of the lost count is good to a poll period or so).
        std::uint64_t next = 0;
        for (const auto &blk : b.sink.blocks()) {
            QCOMPARE(blk->firstIndex, next + blk->lostBefore);
            QCOMPARE(bool(blk->flags & SampleBlock::DataLost), blk->lostBefore > 0);
            next = blk->endIndex();
            // No block ends after it arrived (its samples placed too late: the loss over-counted);
            // the upper bound only catches a gross under-count, and is wide, because a loaded
            // machine may deliver late.
            const double lag = b.sink.arrivalOf(blk) - (blk->t0 + double(blk->sampleCount) * blk->dt);
            QVERIFY2(lag > -0.02 && lag < 5.0, qPrintable(QString::number(lag)));
        }
        QVERIFY(simulate({}));
    }

    void stalledHostLosesSamplesCountedAndStopIsPrompt()
    {
        // The unit keeps sampling while the host does not fetch (a sink that blocks the driver's
        // thread): once the device memory (here 32 M samples, 3.2 s at 10 MS/s) and the overview
        // buffer (1 M) are full the oldest samples are overwritten. Every sample the unit took must
        // end up either delivered or counted lost, and Stop must not wait for a whole backlog.
        QVERIFY(simulate(QStringLiteral("memory=32000000;signal.B=sine,freq=1000,amp=0.5")));
        StallingSink stalling;
        Bench b;
        b.host->removeSink(&b.sink);
        b.host->addSink(&stalling);
        streamingSetup(b);
        b.set("sample_interval", 1e-7); // 10 MS/s on B
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Running), qPrintable(b.allErrors()));
        QVERIFY(waitFor([&] { return stalling.samples() > 2000000; }, 20000));
        // 1: a stall of 4 s, longer than the 3.3 s the unit can hold: an overrun, counted as a gap.
        stalling.stallNext(4000);
        QVERIFY(waitFor([&] { return stalling.stalls() == 1 && stalling.lost() > 0; }, 20000));
        const quint64 afterGap = stalling.samples();
        QVERIFY(waitFor([&] { return stalling.samples() > afterGap + 2000000; }, 20000));
        // 2: a stall of 2.5 s with Stop asked for during it: the unit holds ~25 M samples then,
        // far more than Stop fetches (0.25 s of samples, at least two overview buffers, after what
        // the poll that stalled had fetched): the rest is counted lost at the end, not fetched.
        stalling.stallNext(2500);
        QVERIFY(waitFor([&] { return stalling.stalling(); }, 20000));
        b.host->stop();
        const quint64 beforeStop = stalling.samples();
        QVERIFY2(waitState(*b.host, Instrument::State::Connected, 20000), qPrintable(b.allErrors()));
        const quint64 fetchedAtStop = stalling.samples() - beforeStop;
        QVERIFY2(stalling.endLost() > 0, "the samples the unit held at Stop and not fetched are counted");
        QVERIFY(stalling.lastFlags() & SampleBlock::EndOfCapture);
        QVERIFY(b.anyError(QStringLiteral("were not fetched and are lost")));
        // The library's own account of the run: what the unit took, and what it overwrote.
        QLibrary lib(kLibrary);
        auto stats = reinterpret_cast<picosimStreamingStats_t>(lib.resolve("picosimStreamingStats"));
        QVERIFY(stats);
        std::uint64_t produced = 0, overwritten = 0;
        QCOMPARE(stats("SIM00/0001", &produced, &overwritten), 0);
        QVERIFY(overwritten > 0);
        const double dt = 1e-7;
        // Tolerance: the driver places losses on its clock to within the scheduling of its thread
        // (a poll period on an idle machine); allow 0.25 s of samples plus 2 % for a loaded one.
        const double tolerance = 0.25 / dt + 0.02 * double(produced);
        const double accounted = double(stalling.samples() + stalling.lost());
        qInfo("unit took %llu samples, overwrote %llu; driver delivered %llu, counted %llu lost (%llu in gaps, "
              "%llu at the end); Stop fetched %llu",
              (unsigned long long)produced, (unsigned long long)overwritten, (unsigned long long)stalling.samples(),
              (unsigned long long)stalling.lost(), (unsigned long long)(stalling.lost() - stalling.endLost()),
              (unsigned long long)stalling.endLost(), (unsigned long long)fetchedAtStop);
        QVERIFY2(std::abs(accounted - double(produced)) <= tolerance,
                 qPrintable(QStringLiteral("delivered + lost %1, produced %2").arg(accounted).arg(produced)));
        // The gap the driver estimated matches what the unit overwrote.
        const double gapLost = double(stalling.lost() - stalling.endLost());
        QVERIFY2(std::abs(gapLost - double(overwritten)) <= tolerance,
                 qPrintable(QStringLiteral("gaps %1, overwritten %2").arg(gapLost).arg(overwritten)));
        QCOMPARE(stalling.indexErrors(), 0);
        QVERIFY(simulate({}));
    }

    void chunkOutsideTheBufferIsNotRead()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        streamingSetup(b);
        b.set("overview_buffer", 5000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY(waitFor([&] { return b.sink.rows() > 20000; }));
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5;bad_start_index=1")));
        QVERIFY2(waitFor([&] { return b.anyError(QStringLiteral("outside the registered buffer")); }),
                 qPrintable(b.allErrors()));
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5"))); // the library recovers
        const quint64 rows = b.sink.rows();
        QVERIFY(waitFor([&] { return b.sink.rows() > rows + 20000; }));
        b.host->stop();
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        QVERIFY(b.host->stats().lostSamples > 0); // what could not be read is counted
        QVERIFY(simulate({}));
    }

    void streaming4ChannelsNothingLost()
    {
        // All four channels streamed continuously: every sample arrives, no gap, no loss. (At
        // 100 kS/s with a 2 M-sample overview buffer, i.e. 20 s of slack, so that even a loaded
        // 2-core machine running other tests keeps up; the 4 x 10 MS/s goal is measured by
        // bench/bench_picoscope_streaming: a host that cannot keep up loses samples, counted.)
        QVERIFY(simulate({}));
        auto counting = std::make_unique<CountingSink>();
        Bench b;
        b.host->removeSink(&b.sink);
        b.host->addSink(counting.get());
        for (const char *ch : {"a", "b", "c", "d"}) {
            b.set(qPrintable(QStringLiteral("%1_enabled").arg(QLatin1String(ch))), true);
            b.set(qPrintable(QStringLiteral("%1_range").arg(QLatin1String(ch))), QStringLiteral("\u00b15 V"));
        }
        b.set("mode", QStringLiteral("streaming"));
        b.set("trigger", QStringLiteral("none"));
        b.set("sample_interval", 1e-5);
        b.set("overview_buffer", 2000000);
        // 3 s of data, ended by the unit (auto-stop), so the count is exact however slow the host.
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 300000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Finished, 60000), qPrintable(b.allErrors()));
        QMutexLocker l(&counting->m);
        QCOMPARE(counting->channels, 4);
        QCOMPARE(counting->samples, quint64(300000));
        QCOMPARE(counting->next, quint64(300000));
        QCOMPARE(counting->gaps, quint64(0));
        QCOMPARE(counting->flagged, quint64(0));
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        QVERIFY2(std::abs(counting->sampleFreq - 250) < 1, qPrintable(QString::number(counting->sampleFreq)));
        QCOMPARE(b.errors->size(), 0);
        QCOMPARE(concurrencyViolations(), quint64(0));
    }

    void stopDuringAFastStreamLosesNothing()
    {
        // The user's Stop at 10 MS/s: everything the unit took before Stop is fetched, so the run
        // ends without a loss. (The library's samples appear continuously; the driver once took
        // its clock after a final fetch that could not catch up and counted the samples taken
        // meanwhile, ~50 per channel, as "not fetched and lost".) One channel: the unit's memory
        // (512 M samples) holds ~50 s of it, so a loaded host falls behind but loses nothing.
        QVERIFY(simulate({}));
        auto counting = std::make_unique<CountingSink>();
        Bench b;
        b.host->removeSink(&b.sink);
        b.host->addSink(counting.get());
        streamingSetup(b); // channel B only
        b.set("sample_interval", 1e-7);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        for (int run = 0; run < 3; ++run) {
            {
                QMutexLocker l(&counting->m);
                counting->next = CountingSink::kAnyIndex; // each run numbers its samples anew
            }
            b.host->start();
            QVERIFY2(waitState(*b.host, Instrument::State::Running), qPrintable(b.allErrors()));
            QVERIFY(waitFor([&] { QMutexLocker l(&counting->m); return counting->samples > quint64(2000000 * (run + 1)); }));
            b.host->stop();
            QVERIFY2(waitState(*b.host, Instrument::State::Connected), qPrintable(b.allErrors()));
        }
        QMutexLocker l(&counting->m);
        QCOMPARE(counting->gaps, quint64(0));
        QCOMPARE(counting->flagged, quint64(0));
        QCOMPARE(b.host->stats().lostSamples, quint64(0));
        QVERIFY2(b.errors->isEmpty(), qPrintable(b.allErrors()));
    }

    /// Faults of the library in the middle of a stream (the unit unplugged or rebooting:
    /// PICO_NOT_FOUND / PICO_NOT_RESPONDING; the DC supply pulled; a driver busy with another
    /// call: PICO_DRIVER_FUNCTION for 50 polls): the app stays up with a message naming the status,
    /// every sample received before is kept (the sink got it, indices contiguous), and
    /// Disconnect + Connect streams again.
    void streamFaultsKeepTheDataAndReconnect_data()
    {
        QTest::addColumn<QString>("inject");
        QTest::addColumn<QString>("expected"); // in an error, or a message
        QTest::addColumn<bool>("ends");        // the stream ends (else it goes on by itself)
        QTest::newRow("unplugged") << "GetStreamingLatestValues:0x03" << "PICO_NOT_FOUND" << true;
        QTest::newRow("not responding") << "GetStreamingLatestValues:0x07" << "PICO_NOT_RESPONDING" << true;
        QTest::newRow("power supply pulled") << "GetStreamingLatestValues:0x11A" << "data collection aborted" << true;
        QTest::newRow("driver busy") << "GetStreamingLatestValues:0x43:50" << QString() << false;
    }
    void streamFaultsKeepTheDataAndReconnect()
    {
        QFETCH(QString, inject);
        QFETCH(QString, expected);
        QFETCH(bool, ends);
        const QString signal = QStringLiteral("signal.B=sine,freq=1000,amp=0.5");
        QVERIFY(simulate(signal));
        Bench b;
        streamingSetup(b);
        b.set("sample_interval", 1e-5);
        b.set("overview_buffer", 1000000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitFor([&] { return b.sink.rows() >= 20000; }), qPrintable(b.allErrors()));
        QVERIFY(injectNow(QStringLiteral("inject=") + inject));
        if (ends) {
            QVERIFY2(waitFor([&] { return b.anyError(expected) || b.anyMessage(expected); }), qPrintable(b.allErrors()));
        } else {
            const quint64 at = b.sink.rows();
            QVERIFY2(waitFor([&] { return b.sink.rows() >= at + 20000; }), qPrintable(b.allErrors()));
            QCOMPARE(b.errors->size(), 0);
        }
        b.host->stop();
        QVERIFY(waitFor([&] { return b.host->state() != Instrument::State::Running; }));
        // Everything received is kept, on one contiguous index (or with its gaps counted).
        const quint64 kept = b.sink.rows();
        QVERIFY(kept >= 20000);
        std::uint64_t next = 0;
        for (const auto &blk : b.sink.blocks()) {
            QCOMPARE(blk->firstIndex, next + blk->lostBefore);
            next = blk->endIndex();
        }
        b.host->close();
        QVERIFY(waitState(*b.host, Instrument::State::Disconnected));
        QCOMPARE(b.sink.rows(), kept);
        // The unit is back (plugged in again, supply restored): Connect and stream again.
        QVERIFY(simulate(signal));
        b.errors->clear();
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 20000);
        b.host->start();
        QVERIFY2(waitState(*b.host, Instrument::State::Finished), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.rows(), kept + 20000);
        QCOMPARE(b.errors->size(), 0);
    }

    /// A library that stalls (BlockReady 10 min late, as a unit that hangs): Stop and closing the
    /// host still come back, bounded by the library's own Stop, not by the stall. (No clock is
    /// read: waiting for the stall would run into the test's timeout.)
    void stalledLibraryDoesNotHoldShutdown()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5;latency_ms=600000")));
        auto b = std::make_unique<Bench>();
        blockSetup(*b, 1000);
        b->set("trigger", QStringLiteral("none"));
        QVERIFY2(connected(*b), qPrintable(b->allErrors()));
        b->host->start();
        QVERIFY(waitState(*b->host, Instrument::State::Running));
        QTest::qWait(200);
        QCOMPARE(b->sink.blocks().size(), std::size_t(0)); // the capture is stalled
        b->host->stop();
        QVERIFY2(waitState(*b->host, Instrument::State::Connected), qPrintable(b->allErrors()));
        b->host->start();
        QVERIFY(waitState(*b->host, Instrument::State::Running));
        b.reset(); // ~InstrumentHost while the stalled capture runs: closes the unit on the driver's thread
        QVERIFY(simulate({}));
    }

    void injectedStatusesAreReported_data()
    {
        QTest::addColumn<QString>("inject");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        const QString block = QStringLiteral("block"), stream = QStringLiteral("streaming");
        QTest::newRow("SetChannel") << "SetChannel:0x0F" << block << "ps5000aSetChannel returned PICO_INVALID_VOLTAGE_RANGE";
        QTest::newRow("SetDeviceResolution") << "SetDeviceResolution:0x120" << block << "PICO_INVALID_DEVICE_RESOLUTION";
        QTest::newRow("MemorySegments") << "MemorySegments:0x1E" << block << "PICO_TOO_MANY_SEGMENTS";
        QTest::newRow("GetTimebase2") << "GetTimebase2:0x1D" << block << "PICO_TOO_MANY_SAMPLES";
        QTest::newRow("SetSimpleTrigger") << "SetSimpleTrigger:0x11" << block << "PICO_INVALID_TRIGGER_CHANNEL";
        QTest::newRow("SetSigGenBuiltInV2") << "SetSigGenBuiltInV2:0x2E" << block << "PICO_SIG_GEN_PARAM";
        QTest::newRow("RunBlock") << "RunBlock:0x15" << block << "ps5000aRunBlock returned PICO_BLOCK_MODE_FAILED";
        QTest::newRow("GetValues") << "GetValues:0x18" << block << "ps5000aGetValues returned PICO_DATA_NOT_AVAILABLE";
        QTest::newRow("RunStreaming") << "RunStreaming:0x2B" << stream << "PICO_INVALID_SAMPLE_INTERVAL";
        QTest::newRow("GetStreamingLatestValues") << "GetStreamingLatestValues:0x07" << stream << "PICO_NOT_RESPONDING";
        QTest::newRow("SetDataBuffers") << "SetDataBuffers:0x0D" << stream << "PICO_INVALID_PARAMETER";
    }
    void injectedStatusesAreReported()
    {
        QFETCH(QString, inject);
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        QVERIFY(simulate({}));
        Bench b;
        b.set("mode", mode);
        b.set("samples", 1000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        QVERIFY(simulate(QStringLiteral("inject=") + inject));
        b.host->start();
        QVERIFY2(waitFor([&] { return b.anyError(expected); }), qPrintable(b.allErrors()));
        QVERIFY(waitState(*b.host, Instrument::State::Connected));
        // Still usable afterwards.
        b.errors->clear();
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 1000);
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.rows() > 0; }), qPrintable(b.allErrors()));
    }

    void settingsCheckedBeforeTheUnitIsAsked()
    {
        QVERIFY(simulate({}));
        Bench b;
        b.set("resolution", QStringLiteral("16 bit")); // A and B enabled: 16 bit allows one
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.host->start();
        QVERIFY2(waitFor([&] { return b.anyError(QStringLiteral("16-bit resolution allows 1 channel(s), but 2 are enabled (A, B)")); }),
                 qPrintable(b.allErrors()));
        b.set("b_enabled", false);
        b.set("resolution", QStringLiteral("8 bit"));
        b.set("a_range", QStringLiteral("\u00b1100 mV"));
        b.set("a_offset", 1.0);
        b.host->start();
        QVERIFY2(waitFor([&] { return b.anyError(QStringLiteral("analogue offset 1 V is outside")); }), qPrintable(b.allErrors()));
        QCOMPARE(b.host->state(), Instrument::State::Connected);
    }

    void usbPowerNeedsTheUsersChoice()
    {
        QVERIFY(simulate(QStringLiteral("power=usb;signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        b.set("c_enabled", true);
        b.set("b_enabled", true);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        QVERIFY(b.anyError(QStringLiteral("USB power only")));
        QVERIFY(b.host->parameters().stringValue(QStringLiteral("power_source")).contains(QStringLiteral("choose")));
        QVERIFY(b.host->parameters().boolValue(QStringLiteral("power_choice"))); // enables the two buttons
        b.errors->clear();
        b.host->start(); // refused until the user chooses
        QVERIFY(waitFor([&] { return b.anyError(QStringLiteral("USB power only")); }));
        QCOMPARE(b.sink.blocks().size(), std::size_t(0));
        b.host->invoke(QStringLiteral("use_dc_power")); // the supply is not actually connected
        QVERIFY2(waitFor([&] { return b.anyError(QStringLiteral("DC supply is not connected")); }), qPrintable(b.allErrors()));
        b.host->invoke(QStringLiteral("accept_usb_power"));
        QVERIFY(waitFor([&] { return b.anyMessage(QStringLiteral("Running on USB power")); }));
        QVERIFY(waitFor([&] { return !b.host->parameters().boolValue(QStringLiteral("power_choice")); }));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        QVERIFY(b.anyMessage(QStringLiteral("Channel C is enabled but unavailable on USB power")));
        const auto st = b.sink.stream(QStringLiteral("scope"));
        QCOMPARE(st.channels.size(), 1); // B only (A is off in blockSetup, C unavailable)
        QCOMPARE(st.channels.at(0).name, QStringLiteral("B"));
    }

    void powerChangesDuringCapture()
    {
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5")));
        Bench b;
        blockSetup(b);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        // The supply is plugged in: accepted at once, RunBlock retried, capture succeeds.
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5;inject=RunBlock:0x119")));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        QVERIFY(b.anyMessage(QStringLiteral("DC power supply connected")));
        // The supply is unplugged while data is read: capture abandoned, the user must choose.
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5;inject=GetValues:0x11A")));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.anyMessage(QStringLiteral("data collection aborted")); }), qPrintable(b.allErrors()));
        QVERIFY(waitFor([&] { return b.anyError(QStringLiteral("USB power only")); }));
        QCOMPARE(b.sink.blocks().size(), std::size_t(1));
        b.host->invoke(QStringLiteral("accept_usb_power"));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 2; }), qPrintable(b.allErrors()));
    }


    /// The same driver on the ps2000a family (PicoScope 2406B): no resolution, no power states,
    /// GetTimebase2/RunBlock with `oversample`, 8-field trigger conditions, no trigger time stamps.
    void ps2000aBlockRapidAndStreaming()
    {
        const QString lib = QStringLiteral(BS_PS2000A_SIM);
        QVERIFY(simulate(QStringLiteral("signal.B=sine,freq=1000,amp=0.5"), lib));
        Bench b({}, lib);
        b.set("family", QStringLiteral("ps2000a"));
        blockSetup(b);
        b.set("trigger", QStringLiteral("edge with hysteresis"));
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        QCOMPARE(b.host->parameters().stringValue(QStringLiteral("variant")), QStringLiteral("2406B"));
        // Block: amplitude, frequency and trigger position.
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        QVERIFY(waitState(*b.host, Instrument::State::Finished));
        auto blk = b.sink.blocks().front();
        QCOMPARE(blk->sampleCount, std::size_t(10000));
        const auto vals = values(blk, 0);
        const double *v = vals.data();
        QVERIFY2(std::abs(peak(v, blk->sampleCount) - 0.5) < 0.02, qPrintable(QString::number(peak(v, 10000))));
        const double f = frequency(v, blk->sampleCount, blk->dt);
        QVERIFY2(std::abs(f - 1000) < 5, qPrintable(QString::number(f)));
        QCOMPARE(blk->triggerIndex, std::int64_t(2000));
        QVERIFY2(std::abs(v[2000]) < 0.02, qPrintable(QString::number(v[2000])));
        QVERIFY(v[1990] < v[2010]);
        // Rapid block: 3 segments, each triggered at its pre-trigger sample.
        b.sink.clear();
        b.set("mode", QStringLiteral("rapid block"));
        b.set("captures", 3);
        b.set("samples", 2000);
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 3; }), qPrintable(b.allErrors()));
        QVERIFY(waitState(*b.host, Instrument::State::Finished));
        for (const auto &seg : b.sink.blocks()) {
            QCOMPARE(seg->triggerIndex, std::int64_t(400));
            QVERIFY2(std::abs(values(seg, 0).data()[400]) < 0.02, qPrintable(QString::number(values(seg, 0).data()[400])));
        }
        // Streaming with auto-stop: every sample, continuous.
        b.sink.clear();
        b.set("mode", QStringLiteral("streaming"));
        b.set("trigger", QStringLiteral("none"));
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 200000);
        b.host->start();
        QVERIFY(waitState(*b.host, Instrument::State::Running));
        QVERIFY2(waitState(*b.host, Instrument::State::Finished), qPrintable(b.allErrors()));
        const auto col = b.sink.column(QStringLiteral("B"));
        QCOMPARE(col.size(), std::size_t(200000));
        const double fs = frequency(col.data(), col.size(), 1e-6);
        QVERIFY2(std::abs(fs - 1000) < 2, qPrintable(QString::number(fs)));
        QCOMPARE(b.errors->size(), 0);
    }

    void twoChannelUnitStreamsAndBlocks()
    {
        // A PicoScope 2205A has channels A and B only: the driver reads the channel count from the
        // variant, never touches C or D (the unit refuses them), says that an enabled C is unused,
        // and streams and captures on A and B.
        const QString lib = QStringLiteral(BS_PS2000A_SIM);
        QVERIFY(simulate(QStringLiteral("variant=2205A;signal.A=sine,freq=1000,amp=1;signal.B=dc,level=0.3"), lib));
        Bench b({}, lib);
        b.set("family", QStringLiteral("ps2000a"));
        b.set("a_enabled", true);
        b.set("b_enabled", true);
        b.set("c_enabled", true); // no such channel on this model
        b.set("mode", QStringLiteral("streaming"));
        b.set("trigger", QStringLiteral("none"));
        b.set("stream_auto_stop", true);
        b.set("stream_samples", 200000);
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        QCOMPARE(b.host->parameters().stringValue(QStringLiteral("variant")), QStringLiteral("2205A"));
        QVERIFY(b.anyMessage(QStringLiteral("2 channels")));
        b.host->start();
        QVERIFY2(waitFor([&] { return b.sink.rows() >= 200000 && b.host->state() == Instrument::State::Finished; }),
                 qPrintable(b.allErrors()));
        QCOMPARE(b.sink.rows(), quint64(200000));
        QCOMPARE(b.sink.blocks().front()->channelCount, 2);
        const auto a = b.sink.column(QStringLiteral("A"));
        QVERIFY2(std::abs(frequency(a.data(), a.size(), 1e-6) - 1000) < 2, "A streams its sine");
        QVERIFY2(std::abs(b.sink.column(QStringLiteral("B")).back() - 0.3) < 0.02, "B streams its level");
        QVERIFY(b.anyMessage(QStringLiteral("Channel C is enabled, but the 2205A has 2 channels")));
        QCOMPARE(b.errors->size(), 0);
        // Block mode on the same unit, and a trigger on a channel it does not have.
        b.sink.clear();
        b.set("mode", QStringLiteral("block"));
        b.set("trigger", QStringLiteral("edge"));
        b.set("trigger_source", QStringLiteral("A"));
        b.set("samples", 5000);
        b.host->invoke(QStringLiteral("single"));
        QVERIFY2(waitFor([&] { return b.sink.blocks().size() >= 1; }), qPrintable(b.allErrors()));
        QCOMPARE(b.sink.blocks().front()->sampleCount, std::size_t(5000));
        QVERIFY(waitState(*b.host, Instrument::State::Finished));
        b.set("trigger_source", QStringLiteral("D"));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY(waitFor([&] { return b.anyError(QStringLiteral("does not exist on the 2205A")); }));
        QVERIFY(simulate({}, lib));
    }

    void ps2000aHasNoResolutionOrWhiteNoise()
    {
        const QString lib = QStringLiteral(BS_PS2000A_SIM);
        QVERIFY(simulate({}, lib));
        Bench b({}, lib);
        b.set("family", QStringLiteral("ps2000a"));
        QVERIFY2(connected(b), qPrintable(b.allErrors()));
        b.set("siggen_enabled", true);
        b.set("siggen_wave", QStringLiteral("white noise"));
        b.host->invoke(QStringLiteral("single"));
        QVERIFY(waitFor([&] { return b.errors->size() > 0; }));
        QVERIFY2(b.anyError(QStringLiteral("white noise")), qPrintable(b.allErrors()));
    }

    void twoUnitsAtOnce()
    {
        QVERIFY(simulate(QStringLiteral("units=2")));
        Bench one(QStringLiteral("SIM00/0002")), two;
        for (Bench *b : {&one, &two}) {
            b->set("mode", QStringLiteral("streaming"));
            b->set("trigger", QStringLiteral("none"));
            // 100 kS/s with 4 M samples of overview buffer: 40 s of slack before the simulated
            // device overruns, so a loaded CI machine that keeps a driver thread waiting for a
            // while does not turn this into a timing test (rates are measured in bench/).
            b->set("sample_interval", 1e-5);
            b->set("overview_buffer", 4000000);
            b->host->open();
        }
        QVERIFY2(waitState(*one.host, Instrument::State::Connected), qPrintable(one.allErrors()));
        QVERIFY2(waitState(*two.host, Instrument::State::Connected), qPrintable(two.allErrors()));
        QCOMPARE(one.host->parameters().stringValue(QStringLiteral("serial")), QStringLiteral("SIM00/0002"));
        QCOMPARE(two.host->parameters().stringValue(QStringLiteral("serial")), QStringLiteral("SIM00/0001"));
        Bench three;
        three.host->open();
        QVERIFY(waitState(*three.host, Instrument::State::Error));
        QVERIFY2(three.anyError(QStringLiteral("no PicoScope ps5000a unit was found")), qPrintable(three.allErrors()));
        const quint64 before = concurrencyViolations();
        one.host->start();
        two.host->start();
        QVERIFY(waitFor([&] { return one.sink.rows() > 200000 && two.sink.rows() > 200000; }));
        one.host->stop();
        two.host->stop();
        QVERIFY(waitState(*one.host, Instrument::State::Connected));
        QVERIFY(waitState(*two.host, Instrument::State::Connected));
        QCOMPARE(concurrencyViolations(), before); // the driver never calls the library concurrently
        QCOMPARE(one.host->stats().lostSamples + two.host->stats().lostSamples, quint64(0));
    }
};

QTEST_MAIN(TestPicoscopeDriver)
#include "test_picoscope_driver.moc"
