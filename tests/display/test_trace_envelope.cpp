// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStore::envelope() against the naive reference on seeded random data; eviction.
#include "TraceReference.h"

#include <TraceStore.h>

#include <QTest>

using namespace bs;
using namespace bs::test;

namespace {

const QString kInst = QStringLiteral("inst");
const QString kStream = QStringLiteral("s");

/// Random windows (inside, around and beyond the data) and column counts; exact comparison.
void checkRandomQueries(const TraceStore &store, const RefStream &ref, std::size_t firstRow, int channels,
    QRandomGenerator &rng, int queries)
{
    const TimeRange range = store.timeRange(ChannelKey { kInst, kStream, 0 });
    QVERIFY(range.isValid());
    const double span = std::max(range.span(), 1e-3);
    for (int q = 0; q < queries; ++q) {
        double a = range.first - 0.1 * span + 1.2 * span * rng.generateDouble();
        double b = range.first - 0.1 * span + 1.2 * span * rng.generateDouble();
        if (q % 5 == 0) // narrow window
            b = a + span * 1e-3 * rng.generateDouble();
        if (b < a)
            std::swap(a, b);
        const int columns = q % 7 == 0 ? 1 + int(rng.bounded(4)) : 1 + int(rng.bounded(2000));
        const int ch = int(rng.bounded(channels));
        const Envelope got = store.envelope(ChannelKey { kInst, kStream, ch }, a, b, columns);
        const Envelope want = naiveEnvelope(ref, firstRow, ch, a, b, columns);
        QVERIFY2(sameEnvelope(got, want),
            qPrintable(QStringLiteral("query %1 [%2, %3) x%4: ").arg(q).arg(a).arg(b).arg(columns)
                + envelopeDifference(got, want)));
        // Breaks (NaN) are outside the 2-per-column budget: at most one per column and one before
        // the point after the window.
        const auto breaks = std::size_t(std::count_if(got.v.begin(), got.v.end(), [](double x) { return std::isnan(x); }));
        QVERIFY(got.size() - breaks <= std::size_t(2 * columns + 2));
        QVERIFY(breaks <= std::size_t(columns + 1));
        QVERIFY(std::is_sorted(got.t.begin(), got.t.end()));
    }
}

} // namespace

class TestTraceEnvelope : public QObject
{
    Q_OBJECT

private slots:
    void randomMatchesNaive_data()
    {
        QTest::addColumn<bool>("regular");
        QTest::addColumn<int>("channels");
        QTest::addColumn<quint32>("seed");
        QTest::newRow("regular-1ch") << true << 1 << 11u;
        QTest::newRow("regular-3ch") << true << 3 << 12u;
        QTest::newRow("irregular-1ch") << false << 1 << 13u;
        QTest::newRow("irregular-4ch") << false << 4 << 14u;
    }

    void randomMatchesNaive()
    {
        QFETCH(bool, regular);
        QFETCH(int, channels);
        QFETCH(quint32, seed);
        TraceStore store;
        store.setMemoryBudget(64ull << 20); // several chunks per stream, no eviction
        BlockGen gen(seed, kInst, kStream, channels, regular);
        store.setStreams(kInst, { gen.info() });
        RefStream ref(channels);
        for (int round = 0; round < 6; ++round) {
            for (int i = 0; i < 60; ++i) {
                auto block = gen.next();
                ref.add(*block);
                store.consume(block);
            }
            checkRandomQueries(store, ref, 0, channels, gen.rng(), 60);
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(store.stats().evictedSamples, 0u);
        QCOMPARE(store.stats().rowsHeld, quint64(ref.size()));
    }

    void pointPlacement()
    {
        // Column width 1 s over [0, 4): col0 = 3 samples falling, col1 = 1 sample, col2 = empty,
        // col3 = 2 samples; plus one sample before and one after the window.
        TraceStore store;
        auto b = SampleBlock::make(kInst, kStream, 1, 8, true);
        const double t[] = { -0.5, 0.0, 0.4, 0.8, 1.5, 3.2, 3.7, 4.0 };
        const double v[] = { 9.0, 5.0, 7.0, 1.0, 2.0, 3.0, 4.0, 6.0 };
        std::copy(std::begin(t), std::end(t), b->times.begin());
        std::copy(std::begin(v), std::end(v), b->channel(0));
        b->t0 = t[0];
        store.consume(b);
        const Envelope e = store.envelope(ChannelKey { kInst, kStream, 0 }, 0.0, 4.0, 4);
        // Falling column: max first (at first sample time), then min (at last sample time).
        const std::vector<double> wantT = { -0.5, 0.0, 0.8, 1.5, 3.2, 3.7, 4.0 };
        const std::vector<double> wantV = { 9.0, 7.0, 1.0, 2.0, 3.0, 4.0, 6.0 };
        QCOMPARE(e.t, wantT);
        QCOMPARE(e.v, wantV);
        // Rising column: min first.
        const Envelope r = store.envelope(ChannelKey { kInst, kStream, 0 }, 0.8, 3.8, 1);
        QCOMPARE(r.t, (std::vector<double> { 0.4, 0.8, 3.7, 4.0 }));
        QCOMPARE(r.v, (std::vector<double> { 7.0, 1.0, 4.0, 6.0 }));
        // Degenerate requests.
        QVERIFY(store.envelope(ChannelKey { kInst, kStream, 0 }, 1.0, 1.0, 10).empty());
        QVERIFY(store.envelope(ChannelKey { kInst, kStream, 0 }, 0.0, 4.0, 0).empty());
        QVERIFY(store.envelope(ChannelKey { kInst, kStream, 1 }, 0.0, 4.0, 4).empty());
        QVERIFY(store.envelope(ChannelKey { kInst, QStringLiteral("nope"), 0 }, 0.0, 4.0, 4).empty());
    }

    void nanHandling()
    {
        TraceStore store;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        auto b = SampleBlock::make(kInst, kStream, 1, 12, false);
        b->dt = 1.0; // t = 0..11
        const double v[] = { nan, nan, nan, nan, 1.0, nan, 3.0, nan, nan, 5.0, nan, nan };
        std::copy(std::begin(v), std::end(v), b->channel(0));
        store.consume(b);
        const ChannelKey key { kInst, kStream, 0 };
        // Columns of 4: [0,4) all NaN -> nothing; [4,8) min 1 max 3 at t=4 and t=7;
        // [8,12) one valid value 5 -> min == max == 5 at t=8 and t=11.
        const Envelope e = store.envelope(key, 0.0, 12.0, 3);
        QCOMPARE(e.t, (std::vector<double> { 4.0, 7.0, 8.0, 11.0 }));
        QCOMPARE(e.v, (std::vector<double> { 1.0, 3.0, 5.0, 5.0 }));
        // Columns of 2 samples: NaN samples are dropped, valid ones kept exactly.
        const Envelope f = store.envelope(key, 4.0, 10.0, 3);
        QCOMPARE(e.size(), std::size_t(4));
        QCOMPARE(f.t, (std::vector<double> { 4.0, 6.0, 9.0 }));
        QCOMPARE(f.v, (std::vector<double> { 1.0, 3.0, 5.0 }));
        // Edge samples that are NaN are left out.
        const Envelope g = store.envelope(key, 2.0, 3.0, 1);
        QVERIFY(g.empty());
        QVERIFY(std::isnan(*store.latestValue(key)));
    }

    void gapsStayVisible()
    {
        TraceStore store;
        const ChannelKey key { kInst, kStream, 0 };
        for (double t0 : { 0.0, 10.0 }) { // 1000 samples in [0,1) and in [10,11)
            auto b = SampleBlock::make(kInst, kStream, 1, 1000, false);
            b->t0 = t0;
            b->dt = 1e-3;
            b->firstIndex = t0 == 0.0 ? 0 : 10000;
            for (std::size_t i = 0; i < 1000; ++i)
                b->channel(0)[i] = double(i);
            store.consume(b);
        }
        // The indices jump (1000 -> 10000): since issue 14 a break (NaN) separates the two runs.
        const Envelope e = store.envelope(key, 0.0, 11.0, 11);
        QCOMPARE(e.size(), std::size_t(5)); // columns 0 and 10 only, and the break between
        QCOMPARE(e.t[1], 0.999);
        QVERIFY(std::isnan(e.v[2]));
        QCOMPARE(e.t[3], 10.0);
        // The edge samples are there, but not joined across the gap.
        const Envelope inGap = store.envelope(key, 2.0, 9.0, 7);
        QCOMPARE(inGap.t, (std::vector<double> { 0.999, 0.999, 10.0 }));
        QVERIFY(std::isnan(inGap.v[1]));
    }

    void evictionKeepsNewest_data()
    {
        QTest::addColumn<bool>("regular");
        QTest::addColumn<int>("channels");
        QTest::newRow("regular") << true << 2;
        QTest::newRow("irregular") << false << 1;
    }

    void evictionKeepsNewest()
    {
        QFETCH(bool, regular);
        QFETCH(int, channels);
        TraceStore store;
        const quint64 budget = 256 * 1024;
        store.setMemoryBudget(budget);
        BlockGen gen(77, kInst, kStream, channels, regular);
        store.setStreams(kInst, { gen.info() });
        RefStream ref(channels);
        for (int i = 0; i < 400; ++i) {
            auto block = gen.next();
            ref.add(*block);
            store.consume(block);
            QVERIFY(store.stats().bytesUsed <= budget);
        }
        const TraceStore::Stats st = store.stats();
        QVERIFY(st.evictedSamples > 0);
        QCOMPARE(st.samplesHeld + st.evictedSamples, quint64(ref.size()) * quint64(channels));
        QVERIFY(st.rowsHeld > ref.size() / 20); // a useful part of the budget is in use
        const std::size_t firstRow = ref.size() - st.rowsHeld;
        const TimeRange r = store.timeRange(ChannelKey { kInst, kStream, 0 });
        QCOMPARE(r.first, ref.t[firstRow]);
        QCOMPARE(r.last, ref.t.back());
        checkRandomQueries(store, ref, firstRow, channels, gen.rng(), 200);
    }

    void evictionIsOldestFirstAcrossStreams()
    {
        // A fast and a slow stream over the same 100 s: both keep a comparable history.
        TraceStore store;
        store.setMemoryBudget(512 * 1024);
        const QString fast = QStringLiteral("fast"), slow = QStringLiteral("slow");
        for (int k = 0; k < 1000; ++k) {
            const double t0 = k * 0.1;
            auto f = SampleBlock::make(kInst, fast, 1, 200, false);
            f->t0 = t0;
            f->dt = 0.1 / 200;
            f->firstIndex = std::uint64_t(k) * 200;
            auto s = SampleBlock::make(kInst, slow, 1, 20, false);
            s->t0 = t0;
            s->dt = 0.1 / 20;
            s->firstIndex = std::uint64_t(k) * 20;
            store.consume(f);
            store.consume(s);
        }
        const TimeRange rf = store.timeRange(kInst, fast);
        const TimeRange rs = store.timeRange(kInst, slow);
        QVERIFY(std::abs(rf.last - rs.last) < 0.01);
        QVERIFY2(rf.first > 5.0, qPrintable(QString::number(rf.first)));
        // The slow stream loses data too, and both histories start within a fifth of their span.
        QVERIFY2(rs.first > 0.0, qPrintable(QString::number(rs.first)));
        QVERIFY2(std::abs(rf.first - rs.first) < 0.2 * rf.span(),
            qPrintable(QStringLiteral("%1 vs %2").arg(rf.first).arg(rs.first)));
        QVERIFY(store.stats().bytesUsed <= store.memoryBudget());
    }
};

QTEST_GUILESS_MAIN(TestTraceEnvelope)
#include "test_trace_envelope.moc"
