// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStore: append throughput and envelope query cost versus a naive scan, measured in one run.
// Prints figures only; not a unit test.
#include <TraceStore.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

using namespace bs;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

MutableSampleBlockPtr makeBlock(
    const QString &inst, int channels, std::size_t n, std::uint64_t first, double dt, bool irregular)
{
    auto b = SampleBlock::make(inst, QStringLiteral("s"), channels, n, irregular);
    b->firstIndex = first;
    b->t0 = double(first) * dt;
    b->dt = irregular ? 0.0 : dt;
    for (std::size_t i = 0; i < n; ++i) {
        if (irregular)
            b->times[i] = double(first + i) * dt;
        for (int ch = 0; ch < channels; ++ch)
            b->channel(ch)[i]
                = std::sin(double(first + i) * 1e-4 * (ch + 1)) + 1e-3 * double((first + i) % 7);
    }
    return b;
}

/// Appends `rows` rows of `channels` channels in blocks of `blockRows` from `threads` drivers.
void benchAppend(int threads, int channels, bool irregular, std::size_t rows, quint64 budget)
{
    const std::size_t blockRows = 10000; // 10 ms at 1 MSa/s
    TraceStore store;
    store.setMemoryBudget(budget);
    std::vector<std::vector<SampleBlockPtr>> blocks;
    blocks.resize(std::size_t(threads));
    for (int t = 0; t < threads; ++t) {
        const QString inst = QStringLiteral("drv%1").arg(t);
        for (std::size_t r = 0; r < rows; r += blockRows)
            blocks[std::size_t(t)].push_back(makeBlock(inst, channels, blockRows, r, 1e-6, irregular));
    }
    const auto t0 = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&store, &blocks, t] {
            for (const auto &b : blocks[std::size_t(t)])
                store.consume(b);
        });
    }
    for (auto &w : workers)
        w.join();
    const double s = secondsSince(t0);
    const TraceStore::Stats st = store.stats();
    const double samples = double(rows) * channels * threads;
    std::printf("append %d thread(s) x %d ch %-9s %9.3g rows/s/thread %9.3g samples/s total"
                "  (%.0f MB held, %.3g samples evicted)\n",
        threads, channels, irregular ? "irregular" : "regular", double(rows) / s, samples / s,
        double(st.bytesUsed) / 1e6, double(st.evictedSamples));
}

/// The naive envelope: one linear pass over all samples with per-column min/max.
std::size_t naiveEnvelope(const std::vector<double> &t, const std::vector<double> &v, double a, double b,
    int columns, Envelope &out)
{
    out.t.clear();
    out.v.clear();
    std::size_t i = 0;
    while (i < t.size() && t[i] < a)
        ++i;
    for (int c = 0; c < columns; ++c) {
        const double hi = columnEdge(a, b, columns, c + 1);
        double mn = std::numeric_limits<double>::infinity(), mx = -mn;
        const std::size_t first = i;
        for (; i < t.size() && t[i] < hi; ++i) {
            mn = std::min(mn, v[i]);
            mx = std::max(mx, v[i]);
        }
        if (i > first) {
            out.add(t[first], mn);
            out.add(t[i - 1], mx);
        }
    }
    return out.size();
}

/// `lossEvery` > 0: every so many 10k-row blocks, 5 samples are lost before a block (a device loss
/// and an index jump: a break in the envelope).
void benchEnvelope(std::size_t n, int lossEvery = 0)
{
    const int columns = 1000;
    TraceStore store;
    std::vector<double> t, v;
    t.reserve(n);
    v.reserve(n);
    std::uint64_t skipped = 0;
    for (std::size_t r = 0, k = 0; r < n; r += 10000, ++k) {
        const bool loss = lossEvery > 0 && k > 0 && k % std::size_t(lossEvery) == 0;
        skipped += loss ? 5 : 0;
        const auto b = makeBlock(
            QStringLiteral("e"), 1, std::min<std::size_t>(10000, n - r), r + skipped, 1e-6, false);
        if (loss) {
            b->lostBefore = 5;
            b->flags |= SampleBlock::DataLost;
        }
        for (std::size_t i = 0; i < b->sampleCount; ++i) {
            t.push_back(b->time(i));
            v.push_back(b->channel(0)[i]);
        }
        store.consume(b);
    }
    const ChannelKey key { QStringLiteral("e"), QStringLiteral("s"), 0 };
    const TimeRange range = store.timeRange(key);
    const double a = range.first, b = range.last + 1e-6;

    std::size_t sink = 0;
    int reps = 0;
    auto t0 = Clock::now();
    do {
        sink += store.envelope(key, a, b, columns).size();
        ++reps;
    } while (secondsSince(t0) < 0.3);
    const double storeUs = secondsSince(t0) / reps * 1e6;

    Envelope naive;
    int naiveReps = 0;
    t0 = Clock::now();
    do {
        sink += naiveEnvelope(t, v, a, b, columns, naive);
        ++naiveReps;
    } while (secondsSince(t0) < 0.3);
    const double naiveUs = secondsSince(t0) / naiveReps * 1e6;

    // A zoomed-in window (1/100 of the data) costs the store about the same, the naive scan less.
    const double za = a + 0.45 * (b - a), zb = a + 0.46 * (b - a);
    int zoomReps = 0;
    t0 = Clock::now();
    do {
        sink += store.envelope(key, za, zb, columns).size();
        ++zoomReps;
    } while (secondsSince(t0) < 0.2);
    const double zoomUs = secondsSince(t0) / zoomReps * 1e6;

    std::printf("envelope %8.0e samples, %d columns%s: store %9.1f us  naive scan %11.1f us  ratio %8.1fx"
                "  (zoom 1%%: %.1f us)  [%zu]\n",
        double(n), columns, lossEvery ? ", a loss every 10k-row block" : "", storeUs, naiveUs,
        naiveUs / storeUs, zoomUs, sink % 10);
}

/// Issue 14's goal: the envelope of 100 M samples for a 2000-pixel view at every zoom level in
/// under 2 ms. One int16 channel with a scale (a PicoScope's counts) of `n` samples at 10 MS/s;
/// windows of the whole history, then 1/10, 1/100 … down to 2000 samples (one per column), each
/// at 7 positions; the worst and the mean per zoom level. `explicitTimes`: the same samples with
/// each time stored (as an irregular stream's are). 741 columns: a scope view's plot width (as in
/// bench_gui_frame), so at 10^8 a column holds more samples than a chunk.
void benchEnvelopeZoomLevels(std::size_t n, bool explicitTimes, int columns = 2000)
{
    TraceStore store;
    store.setMemoryBudget(quint64(4) << 30);
    const std::vector<SampleFormat> formats(1, SampleFormat::of(SampleType::Int16, 1e-3, 0.0));
    const std::size_t block = 100000;
    for (std::size_t r = 0; r < n; r += block) {
        auto b = SampleBlock::make(
            QStringLiteral("z"), QStringLiteral("s"), formats, std::min(block, n - r), explicitTimes);
        b->firstIndex = r;
        b->t0 = double(r) * 1e-7;
        b->dt = explicitTimes ? 0.0 : 1e-7;
        for (std::size_t i = 0; i < b->times.size(); ++i)
            b->times[i] = double(r + i) * 1e-7;
        auto *d = b->data<std::int16_t>(0);
        for (std::size_t i = 0; i < b->sampleCount; ++i)
            d[i] = std::int16_t(int((r + i) * 2654435761u >> 20) % 20000 - 10000);
        store.consume(b);
    }
    const ChannelKey key { QStringLiteral("z"), QStringLiteral("s"), 0 };
    const TimeRange range = store.timeRange(key);
    const double span = range.last - range.first;
    std::printf("envelope zoom levels, %.0e int16 samples held (%.0f MB, %s times), %d columns:\n",
        double(store.stats().samplesHeld), double(store.stats().bytesUsed) / 1e6,
        explicitTimes ? "explicit" : "regular", columns);
    std::size_t sink = 0;
    double worstAll = 0;
    for (double width = span; width >= double(columns) * 1e-7 * 0.999; width /= 10) {
        double worst = 0, sum = 0;
        int count = 0;
        for (int p = 0; p < 7; ++p) {
            const double from = range.first + (span - width) * double(p) / 6.0;
            int reps = 0;
            const auto t0 = Clock::now();
            do {
                sink += store.envelope(key, from, from + width, columns).size();
                ++reps;
            } while (secondsSince(t0) < 0.05);
            const double us = secondsSince(t0) / reps * 1e6;
            worst = std::max(worst, us);
            sum += us;
            ++count;
        }
        worstAll = std::max(worstAll, worst);
        std::printf("  window %10.3g samples: mean %8.1f us  worst %8.1f us\n", width / 1e-7, sum / count, worst);
    }
    std::printf("  worst of all levels %.1f us: %.2fx the 2 ms goal  [%zu]\n", worstAll, worstAll / 2000.0, sink % 10);
}

/// Display memory per sample held: 4 channels of one type streamed past a 256 MiB budget (so
/// the figure is what a full, evicting store costs), PicoScope-like regular 10k-row blocks.
double memoryPerSample(SampleType type)
{
    const quint64 budget = 256ull << 20;
    TraceStore store;
    store.setMemoryBudget(budget);
    const std::vector<SampleFormat> formats(4, SampleFormat::of(type, type == SampleType::Float64 ? 1.0 : 1e-3, 0.0));
    std::size_t rows = 0;
    for (int k = 0; store.stats().evictedSamples == 0 || k < 2000; ++k) {
        auto b = SampleBlock::make(QStringLiteral("m"), QStringLiteral("s"), formats, 10000, false);
        b->t0 = double(rows) * 1e-7;
        b->dt = 1e-7;
        rows += b->sampleCount;
        store.consume(b);
    }
    const TraceStore::Stats st = store.stats();
    const double perSample = double(st.bytesUsed) / double(st.samplesHeld);
    std::printf("memory %-7s 4 ch: %.3f bytes per sample held (%.3g samples in %.0f MB of a %.0f MB budget)\n",
        qPrintable(sampleTypeName(type)), perSample, double(st.samplesHeld), double(st.bytesUsed) / 1e6,
        double(budget) / 1e6);
    return perSample;
}

} // namespace

int main(int argc, char **argv)
{
    const bool envelopeOnly = argc > 1 && std::strcmp(argv[1], "--envelope") == 0;
    if (argc > 1 && !envelopeOnly) {
        std::fprintf(
            stderr, "usage: bench_trace_store [--envelope]  (--envelope: only the envelope figures)\n");
        return 2;
    }
    std::printf("TraceStore benchmark (one run; figures depend on the machine)\n");
    if (envelopeOnly) {
        benchEnvelope(10000000);
        benchEnvelope(10000000, 1);
        benchEnvelopeZoomLevels(100000000, false);
        benchEnvelopeZoomLevels(100000000, true);
        benchEnvelopeZoomLevels(100000000, false, 741);
        return 0;
    }
    benchAppend(1, 8, false, 2000000, TraceStore::DefaultMemoryBudget);
    benchAppend(1, 8, true, 2000000, TraceStore::DefaultMemoryBudget);
    benchAppend(3, 8, false, 1000000, TraceStore::DefaultMemoryBudget);
    benchAppend(1, 8, false, 2000000, 64ull << 20); // with continuous eviction
    for (std::size_t n : { std::size_t(1000), std::size_t(100000), std::size_t(10000000) })
        benchEnvelope(n);
    benchEnvelope(10000000, 1); // 1000 breaks in the window
    benchEnvelopeZoomLevels(100000000, false);
    benchEnvelopeZoomLevels(100000000, true);
    benchEnvelopeZoomLevels(100000000, false, 741);
    const double i16 = memoryPerSample(SampleType::Int16);
    const double f64 = memoryPerSample(SampleType::Float64);
    std::printf("memory float64/int16: %.2fx more history per budget at int16 (goal: <= 2.5 bytes per int16 sample)\n",
        f64 / i16);
    return 0;
}
