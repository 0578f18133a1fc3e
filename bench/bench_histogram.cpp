// SPDX-License-Identifier: GPL-3.0-or-later
// The statistics dock's histogram (issue 14): ChannelHistogram's two passes over a vector, and
// HistogramWorker::compute() reading a window of a TraceStore (float64 and int16 channels), against
// WindowMeasurer::measure() of the same window (what the Measurements dock does each update) in
// the same run. Prints the median time of each over a few repeats and M samples/s.
#include <ChannelHistogram.h>
#include <HistogramWorker.h>
#include <TraceStore.h>
#include <WindowMeasurer.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

using namespace bs;

namespace {
double medianMs(int repeats, const std::function<void()> &fn)
{
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
        QElapsedTimer t;
        t.start();
        fn();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void fill(TraceStore &store, const QString &stream, SampleType type, std::size_t total)
{
    StreamInfo s;
    s.id = stream;
    s.regular = true;
    ChannelInfo c { QStringLiteral("ch"), QStringLiteral("V"), {}, true, {} };
    c.format.type = type;
    c.format.scale = type == SampleType::Float64 ? 1.0 : 1e-3;
    s.channels = { c };
    store.setStreams(stream, { s }); // an instrument per stream: setStreams() replaces its list
    std::mt19937_64 rng(14);
    std::normal_distribution<double> noise(0.0, 1.0);
    constexpr std::size_t perBlock = 10000;
    for (std::size_t first = 0; first < total; first += perBlock) {
        auto b = SampleBlock::make(stream, stream, { c.format }, perBlock, false);
        b->firstIndex = first;
        b->t0 = double(first) * 1e-6;
        b->dt = 1e-6;
        for (std::size_t k = 0; k < perBlock; ++k) {
            const double v = noise(rng);
            if (type == SampleType::Float64)
                b->data<double>(0)[k] = v;
            else
                b->data<std::int16_t>(0)[k] = std::int16_t(std::clamp(v * 1000.0, -32000.0, 32000.0));
        }
        store.consume(b);
    }
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    constexpr std::size_t n = 10'000'000;
    std::vector<double> v(n);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> noise(0.0, 1.0);
    for (double &x : v)
        x = noise(rng);
    for (const int bins : { 100, 1024 }) {
        const double ms = medianMs(5, [&] {
            ChannelHistogram h(bins);
            h.addRange(v.data(), v.size());
            h.beginBins();
            h.addBins(v.data(), v.size());
            if (h.result().count != n)
                std::printf("wrong count\n");
        });
        std::printf("ChannelHistogram, 10 M doubles, %4d bins, both passes: %7.1f ms  (%.0f M samples/s)\n", bins,
            ms, double(n) / ms / 1e3);
    }
    TraceStore store;
    store.setMemoryBudget(std::size_t(2) << 30);
    fill(store, QStringLiteral("f64"), SampleType::Float64, n);
    fill(store, QStringLiteral("i16"), SampleType::Int16, n);
    for (const char *stream : { "f64", "i16" }) {
        if (store.timeRange({ QLatin1String(stream), QLatin1String(stream), 0 }).last < 9.99) {
            std::printf("the store did not keep all samples of %s\n", stream);
            return 1;
        }
        const ChannelKey key { QLatin1String(stream), QLatin1String(stream), 0 };
        const double hist = medianMs(5, [&] { HistogramWorker::compute(store, { key, 0.0, 10.0, 100, 1 }); });
        const double meas = medianMs(5, [&] { WindowMeasurer::measure(store, { { key }, 0.0, 10.0, 1 }); });
        std::printf("%s store window of 10 M samples: histogram %7.1f ms (%.0f M samples/s), measurements %7.1f ms; "
                    "ratio %.2f\n",
            stream, hist, double(n) / hist / 1e3, meas, hist / meas);
    }
    return 0;
}
