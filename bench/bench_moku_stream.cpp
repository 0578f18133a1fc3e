// SPDX-License-Identifier: GPL-3.0-or-later
// bench_moku_stream [--seconds N] [--samples-per-line N[,N...]]
//
// The Moku live-data parse path (docs/protocols/moku.md §6): NDJSON lines as the `mokucli stream`
// bridge serves them, {"time":[…],"ch1":[…](,"ch2":[…])}, fed in 64 KiB pieces (as socket reads
// arrive) through NdjsonLineSplitter → parseStreamLine → StreamContinuity, on one thread. For one
// and two channels and several line sizes: samples/s sustained (wall), CPU seconds per million
// samples (this thread's CPU clock), and what the goal — a Moku:Pro's 10 MSa/s on one channel, i.e.
// 20 M numbers/s with the time column — would cost in % of one core (two channels: at 5 MSa/s,
// the Pro's maximum with two inputs). Also the writer
// (appendStreamLine, what the simulator uses to produce the stream) in samples/s.
#include "BenchUtil.h"
#include "MokuProtocolNdjson.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <time.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace bs::moku;

namespace {

constexpr double kGoalRate = 10e6; // Moku:Pro, one channel

double threadCpuSeconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct Stream
{
    std::string bytes;
    std::size_t samples = 0;
    double interval = 0;
};

/// About `totalSamples` samples at `rate` in lines of `perLine` samples: time = index / rate,
/// inputs a noisy sine in volts with full double precision (as a decoded, calibrated ADC value).
Stream makeStream(int channels, std::size_t perLine, std::size_t totalSamples, double rate)
{
    Stream s;
    s.interval = 1.0 / rate;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0.0, 0.002);
    std::vector<double> t(perLine);
    std::vector<std::vector<double>> v(std::size_t(channels), std::vector<double>(perLine, 0.0));
    std::vector<const double *> ptrs;
    std::vector<int> numbers;
    for (int c = 0; c < channels; ++c) {
        ptrs.push_back(v[std::size_t(c)].data());
        numbers.push_back(c + 1);
    }
    const std::size_t lines = std::max<std::size_t>(1, totalSamples / perLine);
    for (std::size_t l = 0; l < lines; ++l) {
        for (std::size_t i = 0; i < perLine; ++i) {
            const std::size_t index = l * perLine + i;
            t[i] = double(index) / rate;
            for (int c = 0; c < channels; ++c)
                v[std::size_t(c)][i] = 0.5 * std::sin(2 * M_PI * 1e3 * t[i] + c) + noise(rng);
        }
        appendStreamLine(s.bytes, t.data(), ptrs, numbers, perLine);
    }
    appendEndOfStream(s.bytes);
    s.samples = lines * perLine;
    return s;
}

struct Result
{
    std::size_t samples = 0;
    double wall = 0;
    double cpu = 0;
    long long lost = 0;
    QString error;
};

/// Parses the stream repeatedly (each pass from a fresh continuity checker) for at least `seconds`.
Result parsePasses(const Stream &s, double seconds)
{
    Result r;
    NdjsonLineSplitter splitter(std::size_t(256) << 20);
    StreamLine line;
    QElapsedTimer wall;
    const double cpu0 = threadCpuSeconds();
    wall.start();
    do {
        StreamContinuity continuity(s.interval);
        splitter.reset();
        bool eos = false;
        for (std::size_t at = 0; at < s.bytes.size() && !eos; at += 65536) {
            splitter.append(std::string_view(s.bytes).substr(at, 65536));
            std::string_view text;
            NdjsonLineSplitter::Result got;
            while ((got = splitter.takeLine(text)) == NdjsonLineSplitter::Result::Line) {
                const QString e = parseStreamLine(text, line);
                if (!e.isEmpty()) {
                    r.error = e;
                    return r;
                }
                if (line.endOfStream) {
                    eos = true;
                    break;
                }
                r.samples += line.time.size();
                r.lost += continuity.check(line.time).lost();
            }
            if (got == NdjsonLineSplitter::Result::TooLong) {
                r.error = splitter.error();
                return r;
            }
        }
        if (!eos) {
            r.error = QStringLiteral("no EOS");
            return r;
        }
    } while (wall.nsecsElapsed() < qint64(seconds * 1e9));
    r.wall = double(wall.nsecsElapsed()) * 1e-9;
    r.cpu = threadCpuSeconds() - cpu0;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double seconds = 3;
    std::vector<std::size_t> perLineSizes{1000, 10000, 100000, 1000000};
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--seconds") && i + 1 < args.size()) {
            // `scripts/bench --seconds 60` is meant for the streaming benchmarks; a tenth is plenty
            seconds = std::max(0.5, args[++i].toDouble() / 10.0);
        } else if (args[i] == QLatin1String("--samples-per-line") && i + 1 < args.size()) {
            perLineSizes.clear();
            for (const QString &n : args[++i].split(QLatin1Char(',')))
                perLineSizes.push_back(std::size_t(n.toULongLong()));
        } else if (args[i].startsWith(QLatin1String("--"))) {
            std::printf("(option %s is for another benchmark: skipped)\n", qPrintable(args[i]));
            if (i + 1 < args.size() && !args[i + 1].startsWith(QLatin1String("--")))
                ++i;
        }
    }

    std::printf("Moku NDJSON parse path: splitter (64 KiB pieces) + parseStreamLine + StreamContinuity, one thread\n");
    std::printf("goal: 10 MSa/s on one channel (Moku:Pro), i.e. 20 M numbers/s with time, under one core\n\n");
    std::printf("%-4s %-10s %-10s %-12s %-14s %-12s %-16s %s\n", "ch", "per line", "line bytes", "MB/s",
                "samples/s", "CPU s/Msa", "Pro's max costs", "x max");
    bool met = true;
    for (int channels : {1, 2}) {
        for (std::size_t perLine : perLineSizes) {
            if (perLine == 0)
                continue;
            // 10 MSa/s stream (Moku:Pro) for one channel, 5 MSa/s for two (the Pro's limit then)
            const double rate = channels == 1 ? 10e6 : 5e6;
            const std::size_t total = std::max<std::size_t>(perLine, 2000000);
            const Stream s = makeStream(channels, perLine, total, rate);
            const Result r = parsePasses(s, seconds);
            if (!r.error.isEmpty()) {
                std::printf("%-4d %-10zu error: %s\n", channels, perLine, qPrintable(r.error));
                met = false;
                continue;
            }
            const double perSampleCpu = r.cpu / double(r.samples);
            const double bytesPerPass = double(s.bytes.size());
            const double passes = double(r.samples) / double(s.samples);
            const double goalCore = rate * perSampleCpu; // fraction of one core at the Pro's rate
            const double lineBytes = bytesPerPass / double(s.samples / perLine);
            std::printf("%-4d %-10zu %-10.0f %-12.1f %-14.3e %-12.4f %-16s %.2f%s\n", channels, perLine, lineBytes,
                        bytesPerPass * passes / r.wall / 1e6, double(r.samples) / r.wall, perSampleCpu * 1e6,
                        qPrintable(QStringLiteral("%1 % @%2M").arg(100.0 * goalCore, 0, 'f', 0).arg(rate / 1e6)),
                        1.0 / goalCore, r.lost ? "  (gaps reported!)" : "");
            if (r.lost)
                met = false;
            if (channels == 1 && goalCore >= 1.0)
                met = false;
        }
    }

    // the writer, as the simulator produces the stream (one channel, 100 000 samples per line)
    {
        std::vector<double> t(100000), v(100000);
        for (std::size_t i = 0; i < t.size(); ++i) {
            t[i] = double(i) / 10e6;
            v[i] = 0.5 * std::sin(double(i) * 0.01) + 1e-3 * double(i % 7);
        }
        std::string out;
        std::size_t samples = 0;
        QElapsedTimer wall;
        const double cpu0 = threadCpuSeconds();
        wall.start();
        while (wall.nsecsElapsed() < qint64(seconds * 1e9)) {
            out.clear();
            appendStreamLine(out, t.data(), {v.data()}, {1}, t.size());
            samples += t.size();
        }
        const double cpu = threadCpuSeconds() - cpu0;
        std::printf("\nwriter (appendStreamLine, 1 channel, 100000 samples per line): %.3e samples/s, "
                    "%.4f CPU s per million samples, %.2fx 10 MSa/s\n",
                    double(samples) / (double(wall.nsecsElapsed()) * 1e-9), cpu / double(samples) * 1e6,
                    double(samples) / cpu / kGoalRate);
    }
    std::printf("\ngoal (one channel at 10 MSa/s under one core, no false gaps): %s\n", met ? "MET" : "MISSED");
    return met ? 0 : 1;
}
