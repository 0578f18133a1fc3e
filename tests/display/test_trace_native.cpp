// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStore on native sample types: exact values of every type, envelopes against a reference
// computed from converted values, format changes mid-stream, refused blocks, memory per sample.
#include "TraceReference.h"

#include <ChannelColumn.h>
#include <TraceStore.h>

#include <QTest>

#include <cmath>
#include <cstdint>
#include <limits>

using namespace bs;
using namespace bs::test;

namespace {

const QString kInst = QStringLiteral("pico");
const QString kStream = QStringLiteral("s");
const ChannelKey kKey { kInst, kStream, 0 };

StreamInfo info(const std::vector<SampleFormat> &formats)
{
    StreamInfo s;
    s.id = kStream;
    s.name = kStream;
    s.regular = true;
    for (std::size_t ch = 0; ch < formats.size(); ++ch) {
        ChannelInfo c;
        c.name = QStringLiteral("ch%1").arg(ch);
        c.unit = QStringLiteral("V");
        c.format = formats[ch];
        s.channels.push_back(c);
    }
    return s;
}

/// A regular block (dt = 1 s) of one channel holding `raw`.
template <typename T>
SampleBlockPtr block(const SampleFormat &f, const std::vector<T> &raw, double t0)
{
    auto b = SampleBlock::make(kInst, kStream, std::vector<SampleFormat> { f }, raw.size(), false);
    b->t0 = t0;
    b->dt = 1.0;
    std::copy(raw.begin(), raw.end(), b->template data<T>(0));
    return b;
}

bool same(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

/// Stores `raw` as T with scale/offset and checks every value comes back exactly converted.
template <typename T> void checkExact(const std::vector<T> &raw, double scale, double offset)
{
    const SampleFormat f = SampleFormat::of(sampleTypeOf<T>(), scale, offset);
    TraceStore store;
    store.setStreams(kInst, { info({ f }) });
    store.consume(block(f, raw, 0.0));
    QCOMPARE(store.stats().rowsHeld, quint64(raw.size()));
    // One column per sample: each sample comes back alone, NaN ones dropped.
    const int n = int(raw.size());
    const Envelope e = store.envelope(kKey, 0.0, double(n), n);
    int k = 0;
    for (int i = 0; i < n; ++i) {
        const double want = double(raw[std::size_t(i)]) * scale + offset;
        if (std::isnan(want))
            continue;
        QVERIFY2(std::size_t(k) < e.size(), "envelope lacks samples");
        QCOMPARE(e.t[k], double(i));
        QVERIFY2(same(e.v[k], want), qPrintable(QStringLiteral("row %1: %2 != %3").arg(i).arg(e.v[k]).arg(want)));
        ++k;
    }
    QCOMPARE(std::size_t(k), e.size());
    const double last = double(raw.back()) * scale + offset;
    QVERIFY(same(*store.latestValue(kKey), last));
}

template <typename T> std::vector<T> extremes()
{
    using L = std::numeric_limits<T>;
    return { T(0), T(1), T(-1), L::max(), L::lowest(), T(L::max() - 1), T(L::lowest() + 1), T(42) };
}

} // namespace

class TestTraceNative : public QObject
{
    Q_OBJECT

private slots:
    void exactInt8() { checkExact(extremes<std::int8_t>(), 0.5, -3.0); }
    void exactInt16() { checkExact(extremes<std::int16_t>(), 1.0 / 32512.0, 0.0); }
    void exactInt32() { checkExact(extremes<std::int32_t>(), 1.0, 0.0); }
    void exactInt64() { checkExact(extremes<std::int64_t>(), -2.0, 7.0); }
    void exactFloat64() { checkExact(std::vector<double> { 1.5, -0.25, NAN, 1e300, -INFINITY }, 1.0, 0.0); }

    void exactFloat32WithNan()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        checkExact(std::vector<float> { 1.25f, nan, -3.0e38f, 1e-40f, nan, 7.0f }, 1.0, 0.0);
        checkExact(std::vector<float> { 0.1f, nan, -2.0f }, -4.0, 1.0);
        // A window whose samples are all NaN draws nothing (pyramid path: > 4 per column).
        TraceStore store;
        const SampleFormat f = SampleFormat::of(SampleType::Float32);
        store.consume(block(f, std::vector<float>(1000, nan), 0.0));
        QCOMPARE(store.envelope(kKey, 0.0, 1000.0, 10).size(), 0u);
    }

    void int64RawAbove2Pow53()
    {
        // Raw int64 words stay exact: neighbours above 2^53 (equal once converted to double)
        // are told apart by the column's raw values and its pyramid's raw min/max.
        const std::int64_t big = (std::int64_t(1) << 53) + 1;
        ChannelColumn col(SampleFormat::of(SampleType::Int64), 4096);
        std::vector<std::int64_t> v(4096, big);
        v[1000] = big + 2;
        v[3000] = big - 1; // 2^53
        auto b = SampleBlock::make(kInst, kStream, { col.format() }, v.size(), false);
        std::copy(v.begin(), v.end(), b->data<std::int64_t>(0));
        col.append(*b, 0, 0, v.size());
        for (std::size_t i = 0; i < v.size(); ++i)
            QCOMPARE(col.raw<std::int64_t>(i), v[i]);
        const BasicMinMax<std::int64_t> all = col.rawRange<std::int64_t>(0, v.size());
        QCOMPARE(all.min, big - 1);
        QCOMPARE(all.max, big + 2);
        QCOMPARE(col.rawRange<std::int64_t>(1001, 2999).max, big); // aligned pyramid nodes only
        QCOMPARE(col.range(0, v.size()).max, double(big + 2));
        QCOMPARE(col.bytes(), std::size_t(4096 * 8 + 256 * 16 + 16 * 16 + 1 * 16));
    }

    void envelopeMatchesConvertedReference_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("scale");
        QTest::addColumn<double>("offset");
        for (int t = 0; t <= int(SampleType::Float64); ++t) {
            const QByteArray name = sampleTypeName(SampleType(t)).toLatin1();
            QTest::newRow(name + " negative scale") << t << -0.003 << 1.5;
            QTest::newRow(name + " positive scale") << t << 2.5e-4 << -0.25;
        }
    }

    void envelopeMatchesConvertedReference()
    {
        // Random raw values (NaN runs for floating types) in random blocks: the store's envelope
        // equals the documented semantics computed from the converted values, zoomed in and out.
        QFETCH(int, type);
        QFETCH(double, scale);
        QFETCH(double, offset);
        const SampleFormat f = SampleFormat::of(SampleType(type), scale, offset);
        TraceStore store;
        store.setStreams(kInst, { info({ f, f }) });
        RefStream ref(2);
        QRandomGenerator rng(1234u + quint32(type));
        double t = 0.0;
        while (ref.size() < 60000) {
            const std::size_t n = 1 + rng.bounded(3000);
            auto b = SampleBlock::make(kInst, kStream, { f, f }, n, false);
            b->t0 = t;
            b->dt = 1e-3;
            for (int ch = 0; ch < 2; ++ch) {
                visitSampleType(f.type, [&](auto tag) {
                    using T = decltype(tag);
                    T *out = b->data<T>(ch);
                    for (std::size_t i = 0; i < n; ++i) {
                        const double r = double(rng.bounded(200)) - 100.0 + 20.0 * std::sin(t + i * 1e-2);
                        if constexpr (std::is_floating_point_v<T>)
                            out[i] = rng.bounded(50) == 0 ? T(NAN) : T(r);
                        else
                            out[i] = T(r);
                    }
                });
            }
            ref.add(*b);
            store.consume(b);
            t += double(n) * 1e-3 + (rng.bounded(10) == 0 ? 1.0 : 0.0);
        }
        QCOMPARE(store.stats().rowsHeld, quint64(ref.size()));
        const double end = ref.t.back() + 1e-3;
        for (int q = 0; q < 40; ++q) {
            double a = rng.generateDouble() * end, b = rng.generateDouble() * end;
            if (a > b)
                std::swap(a, b);
            const int columns = 1 + int(rng.bounded(q % 2 ? 2000u : 50u));
            const int ch = q % 2;
            const Envelope got = store.envelope(ChannelKey { kInst, kStream, ch }, a, b, columns);
            const Envelope want = naiveEnvelope(ref, 0, ch, a, b, columns);
            QCOMPARE(got.size(), want.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                QCOMPARE(got.t[i], want.t[i]);
                QVERIFY2(same(got.v[i], want.v[i]), qPrintable(QString::number(got.v[i] - want.v[i])));
            }
        }
    }

    void formatChangeMidStream()
    {
        // A range change between runs: re-announced with a new scale, the old data keeps its
        // old conversion (its own chunk), new data gets the new one.
        const SampleFormat f1 = SampleFormat::of(SampleType::Int16, 0.001, 0.0);
        const SampleFormat f2 = SampleFormat::of(SampleType::Int16, -0.5, 10.0);
        TraceStore store;
        store.setStreams(kInst, { info({ f1 }) });
        store.consume(block(f1, std::vector<std::int16_t> { 1000, 2000, 3000 }, 0.0));
        store.setStreams(kInst, { info({ f2 }) });
        QCOMPARE(store.stats().rowsHeld, 3u); // kept
        store.consume(block(f2, std::vector<std::int16_t> { 1000, 2000, 3000 }, 3.0));
        const Envelope e = store.envelope(kKey, 0.0, 6.0, 6);
        const std::vector<double> want { 1.0, 2.0, 3.0, -490.0, -990.0, -1490.0 };
        QCOMPARE(e.size(), 6u);
        for (std::size_t i = 0; i < 6; ++i)
            QCOMPARE(e.v[i], want[i]);
        QCOMPARE(*store.latestValue(kKey), -1490.0);
        QCOMPARE(store.channelInfo(kKey)->format, f2);
        // Min/max across both chunks (pyramid path): converted per chunk, then merged.
        store.consume(block(f2, std::vector<std::int16_t>(100, 0), 6.0));
        const Envelope all = store.envelope(kKey, 0.0, 106.0, 1);
        QCOMPARE(all.size(), 2u);
        QCOMPARE(all.v[0], -1490.0);
        QCOMPARE(all.v[1], 10.0);

        // A block still in the old format after the re-announcement is refused, counted, and
        // changes nothing.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("refusing blocks of pico/s: channel 0 is int16"));
        store.consume(block(f1, std::vector<std::int16_t> { 5 }, 200.0));
        store.consume(block(SampleFormat::of(SampleType::Float64), std::vector<double> { 5 }, 201.0));
        QCOMPARE(store.stats().rejectedBlocks, 2u);
        QCOMPARE(store.stats().rowsHeld, 106u);
        QCOMPARE(*store.latestValue(kKey), 10.0);
        // Re-announced: the next refusal is reported again (not only counted).
        store.setStreams(kInst, { info({ f2 }) });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("refusing blocks of pico/s: channel 0 is float64"));
        store.consume(block(SampleFormat::of(SampleType::Float64), std::vector<double> { 5 }, 202.0));
        QCOMPARE(store.stats().rejectedBlocks, 3u);
    }

    void undeclaredStreamTakesTheBlockFormat()
    {
        const SampleFormat f = SampleFormat::of(SampleType::Int8, 0.25, 0.0);
        TraceStore store;
        store.consume(block(f, std::vector<std::int8_t> { -128, 127 }, 0.0));
        QCOMPARE(store.channelInfo(kKey)->format, f);
        QCOMPARE(*store.latestValue(kKey), 31.75);
        QCOMPARE(store.stats().rejectedBlocks, 0u);
    }

    void missingIntegerChannelIsNaN()
    {
        // A block lacking a declared int16 channel: that channel holds NaN (no integer NaN, so
        // those rows are kept as float32 in a chunk of their own), the present one is exact.
        const SampleFormat f = SampleFormat::of(SampleType::Int16, 2.0, 0.0);
        TraceStore store;
        store.setStreams(kInst, { info({ f, f }) });
        auto two = SampleBlock::make(kInst, kStream, { f, f }, 2, false);
        two->t0 = 0.0;
        two->dt = 1.0;
        two->data<std::int16_t>(0)[1] = 3;
        two->data<std::int16_t>(1)[1] = 4;
        store.consume(two);
        store.consume(block(f, std::vector<std::int16_t> { 5, 6 }, 2.0));
        const ChannelKey second { kInst, kStream, 1 };
        const Envelope e = store.envelope(second, 0.0, 4.0, 4);
        QCOMPARE(e.size(), 2u);
        QCOMPARE(e.v[1], 8.0);
        QVERIFY(std::isnan(*store.latestValue(second)));
        QCOMPARE(*store.latestValue(kKey), 12.0);
        QCOMPARE(store.stats().rejectedBlocks, 0u);
    }

    void memoryPerSampleFollowsTheType()
    {
        // Same budget, same rows: int16 costs <= 2.5 bytes per sample held (values + pyramid),
        // float64 ~9; so the budget holds > 3.5x more int16 history.
        const quint64 budget = 16ull << 20;
        auto fill = [&](SampleType type, TraceStore::Stats &st) {
            TraceStore store;
            store.setMemoryBudget(budget);
            const std::vector<SampleFormat> fs(4, SampleFormat::of(type, 1e-3, 0.0));
            store.setStreams(kInst, { info(fs) });
            for (int k = 0; k < 200; ++k) {
                auto b = SampleBlock::make(kInst, kStream, fs, 10000, false);
                b->t0 = k * 10.0;
                b->dt = 1e-3;
                store.consume(b);
            }
            st = store.stats();
        };
        TraceStore::Stats i16, f64;
        fill(SampleType::Int16, i16);
        fill(SampleType::Float64, f64);
        QVERIFY(i16.bytesUsed <= budget && f64.bytesUsed <= budget);
        QVERIFY(i16.evictedSamples > 0 && f64.evictedSamples > 0);
        const double perI16 = double(i16.bytesUsed) / double(i16.samplesHeld);
        const double perF64 = double(f64.bytesUsed) / double(f64.samplesHeld);
        QVERIFY2(perI16 >= 2.0 && perI16 <= 2.5, qPrintable(QString::number(perI16)));
        QVERIFY2(perF64 >= 8.0 && perF64 <= 9.5, qPrintable(QString::number(perF64)));
        QVERIFY2(double(i16.samplesHeld) > 3.5 * double(f64.samplesHeld),
            qPrintable(QStringLiteral("%1 vs %2").arg(i16.samplesHeld).arg(f64.samplesHeld)));
    }
};

QTEST_GUILESS_MAIN(TestTraceNative)
#include "test_trace_native.moc"
