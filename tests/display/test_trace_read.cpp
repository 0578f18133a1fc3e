// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStore sample reading (issue 14): readSamples() gives exactly the samples of a time range,
// in bounded pieces, converted from the native type, with a gap wherever samples are missing
// (device loss, index jump, end of capture); readNew() reads incrementally and notices eviction,
// clear and restart; a callback may use the store; ChannelMeasurer fed through it.
#include <Measurements.h>
#include <TraceStore.h>

#include "TraceReference.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <optional>
#include <thread>
#include <vector>

using namespace bs;

namespace {

const QString kInst = QStringLiteral("pico");
const QString kStream = QStringLiteral("s");
const ChannelKey kKey { kInst, kStream, 1 };

/// Two channels: ch0 = row index, ch1 = sin of it. dt 1 ms.
SampleBlockPtr block(std::uint64_t first, std::size_t n, std::uint32_t flags = 0, std::uint64_t lostBefore = 0)
{
    auto b = SampleBlock::make(kInst, kStream, 2, n, false);
    b->firstIndex = first;
    b->t0 = double(first) * 1e-3;
    b->dt = 1e-3;
    b->flags = flags;
    b->lostBefore = lostBefore;
    for (std::size_t i = 0; i < n; ++i) {
        b->channel(0)[i] = double(first + i);
        b->channel(1)[i] = std::sin(double(first + i) * 0.01);
    }
    return b;
}

/// What one read delivered: all samples, the pieces' sizes, and the sample index before which
/// each gap came.
struct Collected
{
    std::vector<double> t, v;
    std::vector<std::size_t> pieces, gapsAt;
    SamplePieceFn piece()
    {
        return [this](const double *times, const double *values, std::size_t n) {
            QVERIFY(n > 0);
            pieces.push_back(n);
            t.insert(t.end(), times, times + n);
            v.insert(v.end(), values, values + n);
        };
    }
    SampleGapFn gap()
    {
        return [this] { gapsAt.push_back(t.size()); };
    }
};

} // namespace

class TestTraceRead : public QObject
{
    Q_OBJECT

private slots:
    void rangeIsExactAndInBoundedPieces()
    {
        TraceStore store;
        test::RefStream ref(2);
        std::uint64_t row = 0;
        // 300 000 rows in odd block sizes: several chunks (at most 65 536 rows each).
        for (std::size_t n : { 1000, 77777, 5, 150000, 71218 }) {
            const auto b = block(row, n);
            ref.add(*b);
            store.consume(b);
            row += n;
        }
        Collected all;
        const auto st = store.readSamples(kKey, -1.0, 1e9, all.piece(), all.gap());
        QVERIFY(st.found);
        QCOMPARE(st.rows, quint64(row));
        QCOMPARE(all.t, ref.t);
        QCOMPARE(all.v, ref.v[1]);
        QVERIFY(all.gapsAt.empty());
        for (std::size_t n : all.pieces)
            QVERIFY(n <= TraceStore::PieceRows);

        // Inclusive bounds, on exact sample times and between them.
        Collected part;
        store.readSamples(kKey, 0.010, 0.020, part.piece());
        QCOMPARE(part.t.size(), std::size_t(11));
        QCOMPARE(part.t.front(), 0.010);
        QCOMPARE(part.t.back(), 0.020);
        Collected between;
        store.readSamples(kKey, 0.0105, 0.0125, between.piece());
        QCOMPARE(between.t, (std::vector<double> { 0.011, 0.012 }));
        Collected none;
        QCOMPARE(store.readSamples(kKey, 0.0105, 0.0109, none.piece()).rows, quint64(0));
        QCOMPARE(store.readSamples(kKey, 2.0, 1.0, none.piece()).rows, quint64(0));
        QVERIFY(!store.readSamples(ChannelKey { kInst, kStream, 2 }, 0, 1, none.piece()).found);
        QVERIFY(!store.readSamples(ChannelKey { kInst, QStringLiteral("x"), 0 }, 0, 1, none.piece()).found);
    }

    void regularAndExplicitTimesExact()
    {
        // Regular and irregular blocks mixed, some spanning chunks: the times read are exactly
        // the blocks' own (t0 + i · dt, or the explicit ones).
        TraceStore store;
        store.setMemoryBudget(64 << 20); // chunks of a few thousand rows
        test::RefStream ref(2);
        std::uint64_t row = 0;
        for (int k = 0; k < 60; ++k) {
            const std::size_t n = 100 + std::size_t(k) * 397;
            auto b = SampleBlock::make(kInst, kStream, 2, n, k % 3 == 1);
            b->firstIndex = row;
            b->t0 = 0.1 + double(row) * 3.3e-4;
            b->dt = k % 3 == 1 ? 0.0 : 3.3e-4;
            for (std::size_t i = 0; i < n; ++i) {
                if (k % 3 == 1)
                    b->times[i] = b->t0 + double(i) * 3.3e-4 + (i % 5 ? 0.0 : 1e-5);
                b->channel(1)[i] = double(k) + double(i) * 1e-3;
            }
            ref.add(*b);
            store.consume(b);
            row += n;
        }
        QVERIFY(store.stats().evictedSamples == 0);
        Collected c;
        store.readSamples(kKey, -1, 1e9, c.piece(), c.gap());
        QCOMPARE(c.t, ref.t);
        QCOMPARE(c.v, ref.v[1]);
    }

    void nativeTypesConverted()
    {
        TraceStore store;
        const SampleFormat counts { SampleType::Int16, 0.5e-3, -1.0 };
        auto b = SampleBlock::make(kInst, kStream, { counts }, 100, false);
        b->t0 = 0;
        b->dt = 1e-3;
        for (int i = 0; i < 100; ++i)
            b->data<std::int16_t>(0)[i] = std::int16_t(i * 300 - 15000);
        store.consume(b);
        Collected c;
        store.readSamples(ChannelKey { kInst, kStream, 0 }, 0, 1, c.piece());
        QCOMPARE(c.v.size(), std::size_t(100));
        for (int i = 0; i < 100; ++i)
            QCOMPARE(c.v[std::size_t(i)], double(i * 300 - 15000) * 0.5e-3 - 1.0);
    }

    void gapsWhereSamplesAreMissing()
    {
        TraceStore store;
        store.consume(block(0, 100));
        store.consume(block(100, 50, 0, 0));
        store.consume(block(160, 40)); // index jump: 10 rows missing
        store.consume(block(200, 30, SampleBlock::DataLost, 5)); // device says so
        store.consume(block(230, 20, SampleBlock::EndOfCapture));
        store.consume(block(250, 10)); // after an end of capture
        auto marker = SampleBlock::make(kInst, kStream, 2, 0, false);
        marker->firstIndex = 260;
        marker->flags = SampleBlock::DataLost;
        marker->lostBefore = 3;
        store.consume(marker); // a loss announced between blocks
        store.consume(block(263, 7));
        Collected c;
        store.readSamples(kKey, -1, 1e9, c.piece(), c.gap());
        QCOMPARE(c.t.size(), std::size_t(257));
        // Before the rows of the blocks at 160, 200, 250, 263 (positions in what was read).
        QCOMPARE(c.gapsAt, (std::vector<std::size_t> { 150, 190, 240, 250 }));
        // A piece never spans a gap.
        std::size_t at = 0;
        for (std::size_t n : c.pieces) {
            for (std::size_t g : c.gapsAt)
                QVERIFY(!(g > at && g < at + n));
            at += n;
        }
        // A range starting right at a gap: nothing before it in this read, so no gap reported.
        Collected from;
        store.readSamples(kKey, 0.160, 0.199, from.piece(), from.gap());
        QVERIFY(from.gapsAt.empty());
        QCOMPARE(from.t.size(), std::size_t(40));
    }

    void incrementalReading()
    {
        TraceStore store;
        test::RefStream ref(2);
        SampleCursor cursor;
        Collected c;
        QVERIFY(!store.readNew(kKey, cursor, c.piece(), c.gap()).found);
        std::uint64_t row = 0;
        for (int round = 0; round < 20; ++round) {
            for (int k = 0; k < 3; ++k) {
                const auto b = block(row, std::size_t(37 + 11 * k + round));
                ref.add(*b);
                store.consume(b);
                row += b->sampleCount;
            }
            const auto st = store.readNew(kKey, cursor, c.piece(), c.gap());
            QVERIFY(st.found);
            QVERIFY(!st.restarted);
            QCOMPARE(st.behind, quint64(0));
            QCOMPARE(c.t, ref.t);
        }
        QVERIFY(c.gapsAt.empty());
        // Bounded reads: maxRows at a time, `behind` says what is left.
        store.consume(block(row, 1000));
        auto st = store.readNew(kKey, cursor, c.piece(), c.gap(), 300);
        QCOMPARE(st.rows, quint64(300));
        QCOMPARE(st.behind, quint64(700));
        st = store.readNew(kKey, cursor, c.piece(), c.gap());
        QCOMPARE(st.rows, quint64(700));
        // Nothing new: nothing delivered.
        QCOMPARE(store.readNew(kKey, cursor, c.piece(), c.gap()).rows, quint64(0));
        // A cursor from a time: only what comes after.
        SampleCursor late = store.cursorAt(kKey, std::numeric_limits<double>::infinity());
        Collected after;
        store.consume(block(row + 1000, 5));
        QCOMPARE(store.readNew(kKey, late, after.piece(), after.gap()).rows, quint64(5));
    }

    void evictionAndRestartAreNoticed()
    {
        TraceStore store;
        store.setMemoryBudget(200 * 1024); // chunks of a few hundred rows, a few thousand held
        SampleCursor cursor;
        Collected c;
        store.consume(block(0, 100));
        QCOMPARE(store.readNew(kKey, cursor, c.piece(), c.gap()).rows, quint64(100));
        // Far more than the budget arrives before the next read: the oldest was evicted unread.
        std::uint64_t row = 100;
        for (int k = 0; k < 200; ++k, row += 500)
            store.consume(block(row, 500));
        const quint64 held = store.stats().rowsHeld;
        QVERIFY(held < row - 100);
        auto st = store.readNew(kKey, cursor, c.piece(), c.gap());
        QCOMPARE(st.lost, quint64(row - 100 - held));
        QCOMPARE(st.rows, quint64(held));
        QCOMPARE(c.gapsAt, (std::vector<std::size_t> { 100 }));
        QCOMPARE(c.t.back(), double(row - 1) * 1e-3);

        // clear(): the next read reports the restart and delivers nothing; then the new data.
        store.clear();
        store.consume(block(0, 10));
        st = store.readNew(kKey, cursor, c.piece(), c.gap());
        QVERIFY(st.restarted);
        QCOMPARE(st.rows, quint64(0));
        QCOMPARE(c.gapsAt.size(), std::size_t(2));
        const std::size_t before = c.t.size();
        st = store.readNew(kKey, cursor, c.piece(), c.gap());
        QCOMPARE(st.rows, quint64(10));
        QCOMPARE(c.t[before], 0.0);

        // A block going back in time restarts the stream: noticed the same way.
        store.consume(block(5, 10));
        QVERIFY(store.readNew(kKey, cursor, c.piece(), c.gap()).restarted);
        QCOMPARE(store.readNew(kKey, cursor, c.piece(), c.gap()).rows, quint64(10));

        // Removed: not found; declared again: a restart.
        store.removeInstrument(kInst);
        QVERIFY(!store.readNew(kKey, cursor, c.piece(), c.gap()).found);
        store.consume(block(0, 3));
        QVERIFY(store.readNew(kKey, cursor, c.piece(), c.gap()).restarted);
        QCOMPARE(store.readNew(kKey, cursor, c.piece(), c.gap()).rows, quint64(3));
    }

    void readingWhileAnotherThreadAppendsAndEvicts()
    {
        // A writer appends 1 M rows (ch0 = row number) into a small budget while this thread
        // reads incrementally: every row is either delivered, in order and once, or counted lost
        // (with a gap before the next row delivered).
        TraceStore store;
        store.setMemoryBudget(256 * 1024);
        constexpr std::uint64_t total = 1000000;
        std::atomic<bool> done { false };
        std::thread writer([&] {
            for (std::uint64_t row = 0; row < total; row += 1000)
                store.consume(block(row, 1000));
            done = true;
        });
        const ChannelKey key { kInst, kStream, 0 };
        SampleCursor cursor;
        double expected = 0;
        quint64 delivered = 0, lost = 0, gaps = 0, jumps = 0;
        double first = -1; // the first row delivered
        // Where the fresh cursor started: the oldest row held when it first found the stream (rows
        // before it were evicted before this reader came; rows after it are delivered or lost).
        std::optional<std::uint64_t> start;
        bool gapSeen = false, ok = true;
        const auto piece = [&](const double *, const double *v, std::size_t n) {
            if (first < 0)
                first = v[0];
            for (std::size_t i = 0; i < n; ++i) {
                if (v[i] != expected && delivered + i > 0) {
                    // Only right after a gap, and only forward.
                    if (!(i == 0 && gapSeen && v[i] > expected))
                        qWarning("row %g after %g (piece of %zu, at %zu, gap %d)", v[i], expected - 1, n, i, int(gapSeen));
                    ok = ok && i == 0 && gapSeen && v[i] > expected;
                    ++jumps;
                }
                expected = v[i] + 1;
                gapSeen = false;
            }
            delivered += n;
        };
        const auto gap = [&] {
            ++gaps;
            gapSeen = true;
        };
        for (;;) {
            const bool finished = done.load();
            const bool fresh = cursor.epoch == 0;
            const auto st = store.readNew(key, cursor, piece, gap);
            lost += st.lost;
            QVERIFY(!st.restarted);
            if (fresh && cursor.epoch != 0)
                start = cursor.row - st.rows - st.lost;
            if (finished && st.behind == 0 && st.rows == 0)
                break;
        }
        writer.join();
        qInfo("delivered %llu, lost %llu in %llu gaps, first row read %g", delivered, lost, gaps, first);
        QVERIFY(ok);
        QCOMPARE(expected, double(total));
        QVERIFY(start.has_value());
        QVERIFY(first >= double(*start));
        QCOMPARE(delivered + lost + *start, total);
        QCOMPARE(jumps, gaps);
    }

    void callbacksMayUseTheStore()
    {
        // The stream lock is not held during the callbacks: reading, appending and clearing from
        // inside them does not deadlock.
        TraceStore store;
        store.consume(block(0, 200000));
        quint64 rows = 0;
        int pieces = 0;
        const auto st = store.readSamples(kKey, -1, 1e9, [&](const double *, const double *, std::size_t n) {
            rows += n;
            if (++pieces == 1) {
                QVERIFY(store.latestValue(kKey).has_value());
                store.consume(block(200000, 10));
            } else if (pieces == 2) {
                store.clear(); // the rest of the range is gone: the read ends, saying why
            }
        });
        QCOMPARE(pieces, 2);
        QVERIFY(st.restarted);
        QCOMPARE(st.rows, rows);
    }

    void measurementsThroughTheStore()
    {
        // A square-ish signal through the store in native int16 counts: ChannelMeasurer fed by
        // readSamples() gives exactly what it gives on the same samples fed directly.
        TraceStore store;
        const SampleFormat counts { SampleType::Int16, 1e-3, 0.0 };
        std::vector<double> t, v;
        std::uint64_t row = 0;
        for (int k = 0; k < 40; ++k) {
            const std::size_t n = 997 + std::size_t(k) * 13;
            auto b = SampleBlock::make(kInst, kStream, { counts }, n, false);
            b->firstIndex = row;
            b->t0 = double(row) * 1e-4;
            b->dt = 1e-4;
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint64_t r = row + i;
                const auto raw = std::int16_t((r / 250) % 2 ? 2000 : -1000); // 50 ms period
                b->data<std::int16_t>(0)[i] = raw;
            }
            t.resize(row + n);
            v.resize(row + n);
            for (std::size_t i = 0; i < n; ++i) {
                t[row + i] = b->time(i);
                v[row + i] = b->value(0, i);
            }
            store.consume(b);
            row += n;
        }
        const ChannelKey key { kInst, kStream, 0 };
        ChannelMeasurer viaStore;
        store.readSamples(key, -1, 1e9, [&](const double *, const double *values, std::size_t n) { viaStore.addStatistics(values, n); });
        viaStore.beginEdges();
        store.readSamples(
            key, -1, 1e9, [&](const double *times, const double *values, std::size_t n) { viaStore.addEdges(times, values, n); },
            [&] { viaStore.gap(); });
        ChannelMeasurer direct;
        direct.addStatistics(v.data(), v.size());
        direct.beginEdges();
        direct.addEdges(t.data(), v.data(), v.size());
        const MeasurementResult a = viaStore.result(), b = direct.result();
        QCOMPARE(a.samples, quint64(row));
        QCOMPARE(a.min, std::optional<double>(-1.0));
        QCOMPARE(a.max, std::optional<double>(2.0));
        QCOMPARE(a.mean, b.mean);
        QCOMPARE(a.rms, b.rms);
        QCOMPARE(a.edges, b.edges);
        QVERIFY(a.edges.value_or(0) > 100);
        QCOMPARE(a.period, b.period);
        QVERIFY(std::abs(*a.period - 0.05) < 1e-9);
        QCOMPARE(a.dutyPositive, b.dutyPositive);
    }
};

QTEST_GUILESS_MAIN(TestTraceRead)
#include "test_trace_read.moc"
