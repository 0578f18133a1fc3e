// SPDX-License-Identifier: GPL-3.0-or-later
// Gaps in TraceStore envelopes (a NaN break between the samples around missing ones) and the
// gaps() query, against the naive reference on seeded random streams with every kind of gap.
#include "TraceReference.h"

#include <TraceStore.h>

#include <QTest>

using namespace bs;
using namespace bs::test;

namespace {

const QString kInst = QStringLiteral("inst");
const QString kStream = QStringLiteral("s");
const ChannelKey kKey { kInst, kStream, 0 };

/// Exact comparison with NaN equal to NaN (a break), first difference named.
QString difference(const Envelope &a, const Envelope &b)
{
    const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i < a.size() && i < b.size() && a.t[i] == b.t[i] && same(a.v[i], b.v[i]))
            continue;
        QString out = QStringLiteral("sizes %1 vs %2; first difference at %3").arg(a.size()).arg(b.size()).arg(i);
        if (i < a.size())
            out += QStringLiteral(" got (%1, %2)").arg(a.t[i], 0, 'g', 17).arg(a.v[i], 0, 'g', 17);
        if (i < b.size())
            out += QStringLiteral(" want (%1, %2)").arg(b.t[i], 0, 'g', 17).arg(b.v[i], 0, 'g', 17);
        return out;
    }
    return {};
}

QString difference(const std::vector<TraceGap> &a, const std::vector<TraceGap> &b)
{
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i < a.size() && i < b.size() && a[i].start == b[i].start && a[i].end == b[i].end
            && a[i].lostKnown == b[i].lostKnown && (!a[i].lostKnown || a[i].lost == b[i].lost)
            && a[i].kinds == b[i].kinds && a[i].count == b[i].count)
            continue;
        QString out = QStringLiteral("%1 vs %2 gaps; first difference at %3").arg(a.size()).arg(b.size()).arg(i);
        auto show = [](const TraceGap &g) {
            return QStringLiteral("[%1, %2] lost %3%4 kinds %5 count %6")
                .arg(g.start, 0, 'g', 17)
                .arg(g.end, 0, 'g', 17)
                .arg(g.lost)
                .arg(g.lostKnown ? "" : "?")
                .arg(g.kinds)
                .arg(g.count);
        };
        if (i < a.size())
            out += QStringLiteral(" got ") + show(a[i]);
        if (i < b.size())
            out += QStringLiteral(" want ") + show(b[i]);
        return out;
    }
    return {};
}

/// The documented merge, done plainly: gaps in the same of maxCount equal bins (by end) merged.
std::vector<TraceGap> naiveMerged(const std::vector<TraceGap> &all, double tFrom, double tTo, int maxCount)
{
    if (all.size() <= std::size_t(maxCount))
        return all;
    std::vector<TraceGap> out;
    int lastBin = -1;
    for (const TraceGap &g : all) {
        int bin = 0;
        while (bin + 1 < maxCount && !(g.end < columnEdge(tFrom, tTo, maxCount, bin + 1)))
            ++bin;
        if (bin != lastBin) {
            out.push_back(g);
            lastBin = bin;
            continue;
        }
        TraceGap &m = out.back();
        m.end = g.end;
        m.lost += g.lost;
        m.lostKnown = m.lostKnown && g.lostKnown;
        m.kinds |= g.kinds;
        ++m.count;
    }
    return out;
}

/// Random windows and column counts over the data; envelope and gaps() exactly as the reference.
void checkQueries(const TraceStore &store, const RefStream &ref, std::size_t firstRow, int channels,
    QRandomGenerator &rng, int queries)
{
    const TimeRange range = store.timeRange(kKey);
    QVERIFY(range.isValid());
    const double span = std::max(range.span(), 1e-3);
    for (int q = 0; q < queries; ++q) {
        double a = range.first - 0.1 * span + 1.2 * span * rng.generateDouble();
        double b = range.first - 0.1 * span + 1.2 * span * rng.generateDouble();
        if (q % 5 == 0) // narrow window
            b = a + span * 1e-3 * rng.generateDouble();
        if (q % 11 == 0) // the whole stream in few columns: many gaps per column
            a = range.first - 1e-9, b = range.last + 1e-9;
        if (b < a)
            std::swap(a, b);
        const int columns = q % 7 == 0 ? 1 + int(rng.bounded(4)) : 1 + int(rng.bounded(2000));
        const int ch = int(rng.bounded(channels));
        const ChannelKey key { kInst, kStream, ch };
        const QString where = QStringLiteral("query %1 [%2, %3) x%4: ").arg(q).arg(a, 0, 'g', 17).arg(b, 0, 'g', 17).arg(columns);
        const Envelope got = store.envelope(key, a, b, columns);
        const Envelope want = naiveEnvelope(ref, firstRow, ch, a, b, columns);
        const QString d = difference(got, want);
        QVERIFY2(d.isEmpty(), qPrintable(where + d));
        QVERIFY(std::is_sorted(got.t.begin(), got.t.end()));
        const std::vector<TraceGap> all = naiveGaps(ref, firstRow, a, b);
        const QString g = difference(store.gaps(key, a, b, 1 << 30), all);
        QVERIFY2(g.isEmpty(), qPrintable(where + g));
        const int maxCount = 1 + int(rng.bounded(20));
        const std::vector<TraceGap> merged = store.gaps(key, a, b, maxCount);
        QVERIFY(merged.size() <= std::size_t(maxCount));
        const QString m = difference(merged, naiveMerged(all, a, b, maxCount));
        QVERIFY2(m.isEmpty(), qPrintable(where + QStringLiteral("max %1: ").arg(maxCount) + m));
    }
}

/// A regular block of values v at indices first.., t = index * dt.
MutableSampleBlockPtr block(std::uint64_t first, const std::vector<double> &v, double dt = 0.1,
    std::uint32_t flags = SampleBlock::NoFlags, std::uint64_t lostBefore = 0)
{
    auto b = SampleBlock::make(kInst, kStream, 1, v.size(), false);
    b->firstIndex = first;
    b->t0 = double(first) * dt;
    b->dt = dt;
    b->flags = flags;
    b->lostBefore = lostBefore;
    std::copy(v.begin(), v.end(), b->channel(0));
    return b;
}

std::size_t countNaN(const Envelope &e)
{
    return std::size_t(std::count_if(e.v.begin(), e.v.end(), [](double x) { return std::isnan(x); }));
}

} // namespace

class TestTraceGaps : public QObject
{
    Q_OBJECT

private slots:
    void randomGapsMatchNaive_data()
    {
        QTest::addColumn<bool>("regular");
        QTest::addColumn<int>("channels");
        QTest::addColumn<quint32>("seed");
        QTest::newRow("regular-1ch") << true << 1 << 21u;
        QTest::newRow("regular-3ch") << true << 3 << 22u;
        QTest::newRow("irregular-1ch") << false << 1 << 23u;
        QTest::newRow("irregular-2ch") << false << 2 << 24u;
    }

    void randomGapsMatchNaive()
    {
        QFETCH(bool, regular);
        QFETCH(int, channels);
        QFETCH(quint32, seed);
        TraceStore store;
        store.setMemoryBudget(64ull << 20); // several chunks, no eviction
        BlockGen gen(seed, kInst, kStream, channels, regular);
        gen.setAllGapKinds(true);
        store.setStreams(kInst, { gen.info() });
        RefStream ref(channels);
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 80; ++i) {
                auto b = gen.next();
                ref.add(*b);
                store.consume(b);
            }
            checkQueries(store, ref, 0, channels, gen.rng(), 50);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(ref.breaks.size() > 50); // the data really has gaps of every kind
        std::uint8_t kinds = 0;
        for (const TraceGap &g : ref.breakInfo)
            kinds |= g.kinds;
        QCOMPARE(kinds, std::uint8_t(GapDeviceLoss | GapIndexJump | GapNewCapture));
        QCOMPARE(store.stats().evictedSamples, 0u);
    }

    void gapsAndEviction_data()
    {
        QTest::addColumn<bool>("regular");
        QTest::newRow("regular") << true;
        QTest::newRow("irregular") << false;
    }

    void gapsAndEviction()
    {
        QFETCH(bool, regular);
        TraceStore store;
        store.setMemoryBudget(256 * 1024);
        BlockGen gen(88, kInst, kStream, 1, regular);
        gen.setAllGapKinds(true);
        store.setStreams(kInst, { gen.info() });
        RefStream ref(1);
        for (int i = 0; i < 600; ++i) {
            auto b = gen.next();
            ref.add(*b);
            store.consume(b);
        }
        const TraceStore::Stats st = store.stats();
        QVERIFY(st.evictedSamples > 0);
        const std::size_t firstRow = ref.size() - st.rowsHeld;
        // Nothing before the oldest sample held: no gap reported there, no break drawn.
        const TimeRange r = store.timeRange(kKey);
        for (const TraceGap &g : store.gaps(kKey, r.first - 1.0, r.last + 1.0, 1 << 30))
            QVERIFY(g.start >= r.first);
        checkQueries(store, ref, firstRow, 1, gen.rng(), 200);
    }

    void nativeTypesWithGaps()
    {
        // int16 counts × -0.5 + 3 and int8 with breaks: the reference works on converted values.
        for (SampleType type : { SampleType::Int16, SampleType::Int8, SampleType::Float32 }) {
            TraceStore store;
            const SampleFormat f = SampleFormat::of(type, -0.5, 3.0);
            QRandomGenerator rng(31);
            RefStream ref(1);
            std::uint64_t index = 0;
            for (int k = 0; k < 400; ++k) {
                const std::size_t n = 1 + rng.bounded(300);
                auto b = SampleBlock::make(kInst, kStream, std::vector<SampleFormat> { f }, n, false);
                if (rng.bounded(6) == 0)
                    index += 1 + rng.bounded(50);
                if (rng.bounded(9) == 0) {
                    b->flags |= SampleBlock::DataLost;
                    b->lostBefore = rng.bounded(3);
                }
                b->firstIndex = index;
                b->t0 = double(index) * 1e-3;
                b->dt = 1e-3;
                for (std::size_t i = 0; i < n; ++i) {
                    const quint32 x = rng.bounded(100);
                    if (type == SampleType::Int16)
                        b->data<std::int16_t>(0)[i] = std::int16_t(x) - 50;
                    else if (type == SampleType::Int8)
                        b->data<std::int8_t>(0)[i] = std::int8_t(x);
                    else
                        b->data<float>(0)[i] = x == 7 ? std::numeric_limits<float>::quiet_NaN() : float(x) * 0.25f;
                }
                index += n;
                ref.add(*b);
                store.consume(b);
            }
            checkQueries(store, ref, 0, 1, rng, 150);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void breakOnColumnEdge()
    {
        // dt 0.1: indices 0..9 (t 0..0.9), then 20..29 (t 2.0..2.9): the first sample after the
        // gap sits exactly on the edge of column 2 of [0, 4) x4.
        TraceStore store;
        store.consume(block(0, { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }));
        store.consume(block(20, { 5, 4, 3, 2, 1, 0, -1, -2, -3, -4 }));
        Envelope e = store.envelope(kKey, 0.0, 4.0, 4);
        QCOMPARE(e.t, (std::vector<double> { 0.0, 0.9, 0.9, 2.0, 2.9 }));
        QCOMPARE(e.v[1], 10.0);
        QVERIFY(std::isnan(e.v[2]));
        QCOMPARE(e.v[3], 5.0); // falling column: max first
        // The last sample before the gap exactly on an edge: [0.9, 1.9) x1 holds only t = 0.9.
        e = store.envelope(kKey, 0.9, 1.9, 1);
        QCOMPARE(e.t, (std::vector<double> { 0.8, 0.9, 0.9, 2.0 }));
        QVERIFY(std::isnan(e.v[2]));
        // The edge point after the window is not joined to the last point inside it.
        e = store.envelope(kKey, 0.0, 1.5, 3);
        QCOMPARE(e.t, (std::vector<double> { 0.0, 0.4, 0.5, 0.9, 0.9, 2.0 })); // columns 0, 1, break, edge
        QCOMPARE(e.t.back(), 2.0);
        QVERIFY(std::isnan(e.v[e.size() - 2]));
        // The edge point before the window is not joined to the first point inside it.
        e = store.envelope(kKey, 1.0, 3.0, 2);
        QCOMPARE(e.t.front(), 0.9);
        QVERIFY(std::isnan(e.v[1]));
        QCOMPARE(e.t[2], 2.0);
        // gaps(): start and end are the samples around it; a window ending at the gap's start
        // (exclusive) does not hold it; one starting at its end does.
        const std::vector<TraceGap> g = store.gaps(kKey, 0.0, 4.0, 10);
        QCOMPARE(g.size(), std::size_t(1));
        QCOMPARE(g[0].start, 0.9);
        QCOMPARE(g[0].end, 2.0);
        QCOMPARE(g[0].lost, 10u);
        QVERIFY(g[0].lostKnown);
        QCOMPARE(g[0].kinds, std::uint8_t(GapIndexJump));
        QVERIFY(store.gaps(kKey, 0.0, 0.9, 10).empty());
        QCOMPARE(store.gaps(kKey, 0.0, 0.91, 10).size(), std::size_t(1));
        QCOMPARE(store.gaps(kKey, 2.0, 3.0, 10).size(), std::size_t(1));
        QVERIFY(store.gaps(kKey, 2.01, 3.0, 10).empty());
        QCOMPARE(store.gaps(kKey, 1.0, 1.5, 10).size(), std::size_t(1)); // inside the gap
        QVERIFY(store.gaps(kKey, 0.0, 4.0, 0).empty());
        QVERIFY(store.gaps(ChannelKey { kInst, kStream, 1 }, 0.0, 4.0, 10).empty());
    }

    void manyGapsInOneColumn()
    {
        // 100 blocks of 2 samples, one index lost before each: 99 gaps inside [0, 0.3).
        TraceStore store;
        RefStream ref(1);
        for (std::uint64_t k = 0; k < 100; ++k) {
            auto b = block(3 * k, { double(k % 7), double(k % 5) }, 1e-3);
            ref.add(*b);
            store.consume(b);
        }
        const Envelope one = store.envelope(kKey, 0.0, 0.3, 1);
        QCOMPARE(one.size(), std::size_t(3)); // min, one break, max
        QVERIFY(std::isnan(one.v[1]));
        for (int columns : { 2, 3, 10, 50, 300, 1000 }) {
            const Envelope e = store.envelope(kKey, 0.0, 0.3, columns);
            QVERIFY2(difference(e, naiveEnvelope(ref, 0, 0, 0.0, 0.3, columns)).isEmpty(),
                qPrintable(difference(e, naiveEnvelope(ref, 0, 0, 0.0, 0.3, columns))));
            QVERIFY(countNaN(e) <= std::size_t(columns + 1));
        }
        // Zoomed in to single samples every gap is its own break.
        QCOMPARE(countNaN(store.envelope(kKey, 0.0, 0.3, 1000)), std::size_t(99));
        // gaps(): 99 of them, or merged into at most maxCount with their losses summed.
        QCOMPARE(store.gaps(kKey, 0.0, 0.3, 1000).size(), std::size_t(99));
        const std::vector<TraceGap> merged = store.gaps(kKey, 0.0, 0.3, 4);
        QCOMPARE(merged.size(), std::size_t(4));
        std::uint64_t count = 0, lost = 0;
        for (const TraceGap &g : merged) {
            count += g.count;
            lost += g.lost;
            QVERIFY(g.lostKnown);
        }
        QCOMPARE(count, 99u);
        QCOMPARE(lost, 99u);
        QCOMPARE(merged.front().start, 0.001);
        QCOMPARE(merged.back().end, 0.297);
    }

    void kindsAndLosses()
    {
        TraceStore store;
        auto marker = [](std::uint64_t index, std::uint32_t flags, std::uint64_t lost) {
            auto m = SampleBlock::make(kInst, kStream, 1, 0, false);
            m->firstIndex = index;
            m->flags = flags;
            m->lostBefore = lost;
            return m;
        };
        store.consume(block(0, { 0, 1 }, 1.0)); // t 0, 1
        store.consume(block(2, { 2, 3 }, 1.0, SampleBlock::DataLost, 7)); // counted, no jump
        store.consume(block(9, { 4, 5 }, 1.0)); // jump of 5 (t 9, 10)
        store.consume(block(11, { 6 }, 1.0, SampleBlock::DataLost)); // a loss without a count
        store.consume(block(16, { 7 }, 1.0, SampleBlock::DataLost, 3)); // jump 4, said 3: 4
        store.consume(block(17, { 8 }, 1.0, SampleBlock::EndOfCapture)); // t 17
        store.consume(block(18, { 9 }, 1.0, SampleBlock::StartOfCapture)); // t 18: new capture
        store.consume(marker(19, SampleBlock::NoFlags, 4)); // a loss between blocks...
        store.consume(marker(19, SampleBlock::EndOfCapture, 0)); // ...then the capture ends
        store.consume(block(21, { 10 }, 1.0)); // ...and indices jump 2: one break, all of it
        store.consume(marker(22, SampleBlock::DataLost, 0)); // after the newest: not a gap yet
        const std::vector<TraceGap> g = store.gaps(kKey, -10.0, 100.0, 100);
        QCOMPARE(g.size(), std::size_t(6));
        const double starts[] = { 1, 3, 10, 11, 17, 18 };
        const double ends[] = { 2, 9, 11, 16, 18, 21 };
        const std::uint64_t lost[] = { 7, 5, 0, 4, 0, 6 };
        const bool known[] = { true, true, false, true, true, true };
        const std::uint8_t kinds[] = { GapDeviceLoss, GapIndexJump, GapDeviceLoss,
            GapDeviceLoss | GapIndexJump, GapNewCapture, GapDeviceLoss | GapNewCapture | GapIndexJump };
        for (std::size_t i = 0; i < g.size(); ++i) {
            QCOMPARE(g[i].start, starts[i]);
            QCOMPARE(g[i].end, ends[i]);
            QCOMPARE(g[i].lostKnown, known[i]);
            if (known[i])
                QCOMPARE(g[i].lost, lost[i]);
            QCOMPARE(g[i].kinds, kinds[i]);
            QCOMPARE(g[i].count, 1u);
        }
        // Every gap breaks the line when zoomed in.
        const Envelope e = store.envelope(kKey, -0.5, 21.5, 44);
        QCOMPARE(countNaN(e), std::size_t(6));
        // Merged into one: all of them, losses summed, unknown because one is unknown.
        const std::vector<TraceGap> one = store.gaps(kKey, -10.0, 100.0, 1);
        QCOMPARE(one.size(), std::size_t(1));
        QCOMPARE(one[0].count, 6u);
        QCOMPARE(one[0].start, 1.0);
        QCOMPARE(one[0].end, 21.0);
        QVERIFY(!one[0].lostKnown);
        QCOMPARE(one[0].kinds, std::uint8_t(GapDeviceLoss | GapIndexJump | GapNewCapture));
    }
};

QTEST_GUILESS_MAIN(TestTraceGaps)
#include "test_trace_gaps.moc"
