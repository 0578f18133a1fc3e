// SPDX-License-Identifier: GPL-3.0-or-later
// Concurrent appends from several driver threads while the GUI thread queries.
#include "TraceReference.h"

#include <TraceStore.h>

#include <QTest>

#include <algorithm>
#include <cmath>

#include <atomic>
#include <thread>

using namespace bs;
using namespace bs::test;

namespace {

struct Producer
{
    QString instrument;
    int channels;
    bool regular;
    RefStream ref;
    std::vector<SampleBlockPtr> blocks;

    Producer(quint32 seed, QString inst, int ch, bool reg, int count)
        : instrument(std::move(inst))
        , channels(ch)
        , regular(reg)
        , ref(ch)
    {
        // Strictly increasing times, so a held suffix can be located by its first time.
        BlockGen gen(seed, instrument, QStringLiteral("s"), channels, regular, false);
        for (int i = 0; i < count; ++i) {
            auto b = gen.next(400);
            ref.add(*b);
            blocks.push_back(b);
        }
    }
    StreamInfo info() const { return BlockGen(0, instrument, QStringLiteral("s"), channels, regular).info(); }
};

/// Runs the producers on their own threads (each declares its streams first, as drivers do) while
/// this thread keeps querying; returns the number of queries made.
int runConcurrently(TraceStore &store, std::vector<Producer> &producers)
{
    std::atomic<int> running { int(producers.size()) };
    std::vector<std::thread> threads;
    for (auto &p : producers) {
        threads.emplace_back([&store, &p, &running] {
            store.setStreams(p.instrument, { p.info() });
            for (const auto &b : p.blocks)
                store.consume(b);
            running.fetch_sub(1);
        });
    }
    int queries = 0;
    quint64 lastRevision = 0;
    while (running.load() > 0) {
        for (const ChannelKey &key : store.channels()) {
            const TimeRange r = store.timeRange(key);
            if (!r.isValid())
                continue;
            const Envelope e = store.envelope(key, r.first, r.last, 500);
            // At most 2 points per column and the two outside, plus a break (NaN) where the
            // generated blocks left samples out: at most one per column and one more.
            const auto breaks = std::count_if(e.v.begin(), e.v.end(), [](double v) { return std::isnan(v); });
            if (std::size_t(breaks) > 501 || e.size() - std::size_t(breaks) > 1002
                || !std::is_sorted(e.t.begin(), e.t.end()))
                qFatal("bad envelope during appends: %zu points, %zu breaks", e.size(), std::size_t(breaks));
            store.latestValue(key);
            ++queries;
        }
        const quint64 rev = store.revision();
        if (rev < lastRevision)
            qFatal("revision went backwards");
        lastRevision = rev;
        store.stats();
    }
    for (auto &t : threads)
        t.join();
    return queries;
}

} // namespace

class TestTraceThreads : public QObject
{
    Q_OBJECT

private slots:
    void concurrentAppendsAndQueries()
    {
        std::vector<Producer> producers;
        producers.emplace_back(1, QStringLiteral("panda"), 4, true, 1500);
        producers.emplace_back(2, QStringLiteral("m81"), 2, false, 1500);
        producers.emplace_back(3, QStringLiteral("moku"), 1, true, 1500);
        TraceStore store;
        const int queries = runConcurrently(store, producers);
        QVERIFY(queries > 0);

        quint64 rows = 0, samples = 0;
        for (const auto &p : producers) {
            rows += p.ref.size();
            samples += p.ref.size() * quint64(p.channels);
        }
        const TraceStore::Stats st = store.stats();
        QCOMPARE(st.rowsHeld, rows);
        QCOMPARE(st.samplesHeld, samples);
        QCOMPARE(st.evictedSamples, 0u);
        QCOMPARE(store.channels().size(), 7);
        for (const auto &p : producers) {
            const ChannelKey key { p.instrument, QStringLiteral("s"), p.channels - 1 };
            const TimeRange r = store.timeRange(key);
            QCOMPARE(r.first, p.ref.t.front());
            QCOMPARE(r.last, p.ref.t.back());
            const Envelope got = store.envelope(key, r.first, r.last, 777);
            const Envelope want = naiveEnvelope(p.ref, 0, key.channel, r.first, r.last, 777);
            QVERIFY(sameEnvelope(got, want));
        }
    }

    void concurrentAppendsUnderEviction()
    {
        std::vector<Producer> producers;
        producers.emplace_back(4, QStringLiteral("a"), 2, true, 1500);
        producers.emplace_back(5, QStringLiteral("b"), 3, false, 1500);
        TraceStore store;
        store.setMemoryBudget(1 << 20);
        runConcurrently(store, producers);

        const TraceStore::Stats st = store.stats();
        quint64 samples = 0;
        for (const auto &p : producers)
            samples += p.ref.size() * quint64(p.channels);
        QVERIFY(st.bytesUsed <= st.memoryBudget);
        QVERIFY(st.evictedSamples > 0);
        QCOMPARE(st.samplesHeld + st.evictedSamples, samples);
        // Eviction goes by time across the store, so a stream whose data is all older than the
        // other's may be emptied; whatever is held must be the newest part of each stream.
        int nonEmpty = 0;
        for (const auto &p : producers) {
            const ChannelKey key { p.instrument, QStringLiteral("s"), 0 };
            const TimeRange r = store.timeRange(key);
            if (!r.isValid())
                continue;
            ++nonEmpty;
            QCOMPARE(r.last, p.ref.t.back()); // the newest data is kept
            // Held data is a suffix: compare from its first row.
            std::size_t first = 0;
            while (p.ref.t[first] < r.first)
                ++first;
            const Envelope got = store.envelope(key, r.first - 1, r.last + 1, 300);
            const Envelope want = naiveEnvelope(p.ref, first, 0, r.first - 1, r.last + 1, 300);
            QVERIFY(sameEnvelope(got, want));
        }
        QVERIFY(nonEmpty > 0);
    }

    void clearAndRemoveWhileAppending()
    {
        std::vector<Producer> producers;
        producers.emplace_back(6, QStringLiteral("x"), 2, true, 800);
        producers.emplace_back(7, QStringLiteral("y"), 2, false, 800);
        TraceStore store;
        std::atomic<bool> stop { false };
        std::thread chaos([&] {
            while (!stop.load()) {
                store.clear();
                store.removeInstrument(QStringLiteral("y"));
                std::this_thread::yield();
            }
        });
        runConcurrently(store, producers);
        stop = true;
        chaos.join();
        store.clear();
        QCOMPARE(store.stats().bytesUsed, 0u);
        QCOMPARE(store.stats().samplesHeld, 0u);
    }
};

QTEST_GUILESS_MAIN(TestTraceThreads)
#include "test_trace_threads.moc"
