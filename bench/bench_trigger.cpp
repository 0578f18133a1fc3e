// SPDX-License-Identifier: GPL-3.0-or-later
// Software trigger throughput (issue 14): samples/s through SoftwareTrigger on float64 pieces for
// signals with few and with many state changes, against the goal of 200 M samples/s on one core
// and against a plain sample-by-sample loop; then through the TraceStore read path (readSamples
// of float64 and int16 channels, alone and feeding the trigger). Prints figures only.
//
//   bench_trigger [--seconds S]   (S: about how long the whole run takes, default 10)
#include <SoftwareTrigger.h>
#include <TraceStore.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <random>
#include <string>
#include <vector>

using namespace bs;

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kGoal = 200e6; // samples/s on one core (issue 14)
constexpr std::size_t kPiece = TraceStore::PieceRows;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Signal
{
    const char *name;
    std::vector<double> t, v;
};

/// `n` samples at 100 MS/s: a sine of `freq` Hz and 1 V plus uniform noise of ±noise V.
Signal sine(const char *name, std::size_t n, double freq, double noise)
{
    Signal s { name, {}, {} };
    s.t.resize(n);
    s.v.resize(n);
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(-noise, noise);
    for (std::size_t i = 0; i < n; ++i) {
        s.t[i] = double(i) * 1e-8;
        s.v[i] = std::sin(2 * std::numbers::pi * freq * s.t[i]) + (noise > 0 ? u(rng) : 0.0);
    }
    return s;
}

/// Runs `fn` (one pass over `samples` samples) repeatedly for `seconds`; returns samples/s.
template <typename Fn> double rate(double seconds, double samples, Fn &&fn)
{
    fn(); // warm-up
    std::size_t reps = 0;
    const auto t0 = Clock::now();
    do {
        fn();
        ++reps;
    } while (secondsSince(t0) < seconds);
    return samples * double(reps) / secondsSince(t0);
}

/// The same rules without the fast scan: every sample goes through the state machine.
std::size_t plainLoop(const TriggerSettings &st, const Signal &s, std::vector<TriggerEvent> &out)
{
    const double L = st.level, lo = std::min(L - st.hysteresis, std::nextafter(L, -INFINITY));
    bool armed = false;
    for (std::size_t i = 0; i < s.v.size(); ++i) {
        const double v = s.v[i];
        if (std::isnan(v)) {
            armed = false;
        } else if (armed && v >= L) {
            armed = false;
            const double pt = s.t[i - 1], pv = s.v[i - 1];
            out.push_back({ pt + (s.t[i] - pt) * ((L - pv) / (v - pv)), TriggerEdge::Rising });
        } else if (!armed && v <= lo) {
            armed = true;
        }
    }
    return out.size();
}

/// Every signal × trigger case over `n` samples fed in pieces; returns the slowest rate.
double benchEngine(double seconds, std::size_t n, bool plainToo)
{
    std::printf("\nSoftwareTrigger on float64 pieces of %zu samples, %zu samples per pass (%.0f MiB of values%s), "
                "signals sampled at 100 MS/s\n",
        kPiece, n, double(n) * 8 / 1048576, n * 16 <= (std::size_t(2) << 20) ? ", with the times: the size of one core's L2" : ", from memory");
    std::printf("%-34s %-36s %11s %8s %9s %s\n", "signal", "trigger", "samples/s", "vs goal", "triggers",
        plainToo ? "vs plain loop" : "");
    const Signal inputs[] = {
        sine("sine 10 kHz (1 edge / 10^4)", n, 1e4, 0.0),
        sine("sine 1 MHz (1 edge / 100)", n, 1e6, 0.0),
        sine("sine 10 kHz + noise > hysteresis", n, 1e4, 0.05),
        sine("sine 1 MHz + noise > hysteresis", n, 1e6, 0.2),
    };
    struct Case
    {
        const char *name;
        TriggerSettings st;
    };
    const Case cases[] = {
        { "rising 0 V, hyst 0.02", { TriggerEdge::Rising, 0.0, 0.02, 0.0 } },
        { "either 0.3 V, hyst 0.02", { TriggerEdge::Either, 0.3, 0.02, 0.0 } },
        { "rising 0 V, hyst 0.02, holdoff 1 ms", { TriggerEdge::Rising, 0.0, 0.02, 1e-3 } },
    };
    double worst = INFINITY;
    std::vector<TriggerEvent> events;
    events.reserve(1 << 20);
    for (const Signal &s : inputs) {
        for (const Case &c : cases) {
            std::size_t found = 0;
            const double r = rate(seconds, double(n), [&] {
                SoftwareTrigger trig(c.st);
                found = 0;
                for (std::size_t at = 0; at < n; at += kPiece) {
                    events.clear();
                    found += trig.feed(s.t.data() + at, s.v.data() + at, std::min(kPiece, n - at), events);
                }
            });
            std::string plain;
            if (plainToo && c.st.edge == TriggerEdge::Rising && c.st.holdoff == 0) {
                const double p = rate(seconds, double(n), [&] {
                    events.clear();
                    plainLoop(c.st, s, events);
                });
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.2fx", r / p);
                plain = buf;
            }
            worst = std::min(worst, r);
            std::printf("%-34s %-36s %9.1f M %7.2fx %9zu %s\n", s.name, c.name, r / 1e6, r / kGoal, found, plain.c_str());
        }
    }
    std::printf("slowest case: %.1f M samples/s = %.2fx the goal of %.0f M samples/s (one core)\n", worst / 1e6,
        worst / kGoal, kGoal / 1e6);
    return worst;
}

void benchStoreRead(double seconds, SampleType type)
{
    // 16 Mi rows of one channel in 10 000-row blocks, read back whole through readSamples().
    const std::size_t rows = std::size_t(1) << 24, blockRows = 10000;
    TraceStore store;
    const SampleFormat fmt = type == SampleType::Int16 ? SampleFormat { SampleType::Int16, 1e-4, 0.0 }
                                                       : SampleFormat::of(SampleType::Float64);
    for (std::size_t r = 0; r < rows; r += blockRows) {
        const std::size_t k = std::min(blockRows, rows - r);
        auto b = SampleBlock::make(QStringLiteral("pico"), QStringLiteral("s"), { fmt }, k, false);
        b->firstIndex = r;
        b->t0 = double(r) * 1e-8;
        b->dt = 1e-8;
        for (std::size_t i = 0; i < k; ++i) {
            const double v = std::sin(2 * std::numbers::pi * 1e4 * double(r + i) * 1e-8);
            if (type == SampleType::Int16)
                b->data<std::int16_t>(0)[i] = std::int16_t(std::lround(v * 3e4));
            else
                b->channel(0)[i] = v;
        }
        store.consume(b);
    }
    const ChannelKey key { QStringLiteral("pico"), QStringLiteral("s"), 0 };
    double sink = 0;
    const double read = rate(seconds, double(rows), [&] {
        store.readSamples(key, -1, 1e9, [&](const double *t, const double *v, std::size_t n) { sink += t[n - 1] + v[0]; });
    });
    std::vector<TriggerEvent> events;
    std::size_t found = 0;
    const double trig = rate(seconds, double(rows), [&] {
        SoftwareTrigger st({ TriggerEdge::Rising, 0.0, 0.02, 0.0 });
        found = 0;
        store.readSamples(key, -1, 1e9, [&](const double *t, const double *v, std::size_t n) {
            events.clear();
            found += st.feed(t, v, n, events);
        });
    });
    SampleCursor cursor;
    const double incremental = rate(seconds, double(rows), [&] {
        cursor = SampleCursor {};
        store.readNew(key, cursor, [&](const double *t, const double *v, std::size_t n) { sink += t[n - 1] + v[0]; });
    });
    std::printf("TraceStore %-7s readSamples %7.1f M samples/s, readNew %7.1f M samples/s, readSamples + trigger "
                "%7.1f M samples/s (%.2fx the goal; %zu triggers)%s\n",
        type == SampleType::Int16 ? "int16" : "float64", read / 1e6, incremental / 1e6, trig / 1e6, trig / kGoal,
        found, sink == 0.12345 ? "!" : "");
}

} // namespace

int main(int argc, char **argv)
{
    double seconds = 10.0 / 35; // per measurement: the run makes about 35
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--seconds") == 0)
            seconds = std::max(0.05, std::atof(argv[i + 1]) / 35);
    }
    std::printf("Software trigger benchmark (one run, one thread; figures depend on the machine)\n");
    benchEngine(seconds, std::size_t(1) << 17, true); // as fed from the store: pieces in cache
    benchEngine(seconds, std::size_t(1) << 24, false); // 128 MiB: bound by memory bandwidth
    std::printf("\n");
    benchStoreRead(seconds, SampleType::Float64);
    benchStoreRead(seconds, SampleType::Int16);
    return 0;
}
