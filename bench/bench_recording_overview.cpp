// SPDX-License-Identifier: GPL-3.0-or-later
// bench_recording_overview [--gb G] [--type int16|float64] [--dir DIR] [--keep] [--no-drop]
//                          [--file PATH] [--snap-nodes N]:
// writes a recording of G GB of samples (default 0.5) with Hdf5Writer (one regular stream of 4
// channels at 10 MS/s: int16 counts with a scale, as a PicoScope delivers, or float64), then
//  1. the writer's extra cost of the overview: the time OverviewAccumulator takes for the same
//     rows (run apart, in memory) as a share of the writer's whole time, and the bytes the
//     overview datasets hold per GB of samples;
//  2. the time from Hdf5Browser::open() to the first full-width envelope (2000 columns over the
//     whole recording) of one channel and of all four: cold (page cache dropped first, needs root;
//     --no-drop skips that) and warm;
//  3. how far that picture of channel 0 is from the one with every column exact: columns with
//     another min or max, the largest difference, columns whose min and max come in the other
//     order, and how far a point moved in time.
// The file is removed unless --keep. --file PATH: only part 2, on a file written before (--keep).
// --snap-nodes N: Hdf5Browser::setSnapNodes() (default its own, 4; 0 = every column exact, with
// its ragged ends read raw, as before column edges moved to node boundaries), for A/B runs.
#include "Hdf5Browser.h"
#include "Hdf5Writer.h"
#include "OverviewAccumulator.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

using namespace bs;

namespace {

constexpr int Channels = 4;
constexpr std::size_t BlockRows = 65536;
constexpr double Dt = 1e-7;

bool dropCaches()
{
    ::sync();
    std::ofstream f("/proc/sys/vm/drop_caches");
    if (!f)
        return false;
    f << "3\n";
    return bool(f);
}

/// Bytes the datasets of every `overview` group hold (H5Dget_storage_size).
qint64 overviewBytes(const QString &path)
{
    qint64 total = 0;
    hid_t f = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    for (int k = 0; k < OverviewAccumulator::StoredLevels; ++k) {
        const QByteArray name = "/adc/wave/overview/level_" + QByteArray::number(k);
        hid_t d = H5Dopen2(f, name.constData(), H5P_DEFAULT);
        if (d >= 0) {
            total += qint64(H5Dget_storage_size(d));
            H5Dclose(d);
        }
    }
    H5Fclose(f);
    return total;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&args](const char *name, const QString &fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    const double gb = option("--gb", QStringLiteral("0.5")).toDouble();
    const bool int16 = option("--type", QStringLiteral("int16")) == QLatin1String("int16");
    const QString dirArg = option("--dir", QString());
    const bool keep = args.contains(QLatin1String("--keep"));
    const bool drop = !args.contains(QLatin1String("--no-drop"));
    const QString existing = option("--file", QString()); // only the first picture of that file
    const QString snapArg = option("--snap-nodes", QString());
    QTemporaryDir tmp(dirArg.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench_overview_XXXXXX")
                                       : dirArg + QStringLiteral("/bench_overview_XXXXXX"));
    tmp.setAutoRemove(!keep);
    const QString path = existing.isEmpty() ? tmp.filePath(QStringLiteral("overview.h5")) : existing;

    const SampleFormat format = int16 ? SampleFormat::of(SampleType::Int16, 5.0 / 32767.0)
                                      : SampleFormat::of(SampleType::Float64);
    const std::size_t elem = sampleTypeSize(format.type);
    const quint64 rows = quint64(gb * 1e9 / double(Channels * elem)) / BlockRows * BlockRows;
    if (existing.isEmpty())
        std::printf("recording: %llu rows x %d %s channels = %.2f GB of samples, %s\n",
        static_cast<unsigned long long>(rows), Channels, int16 ? "int16" : "float64",
        double(rows * Channels * elem) / 1e9, qPrintable(QDir::toNativeSeparators(path)));

    // 16 different blocks (a sine of a slowly changing period plus noise), used in turn.
    std::vector<SampleFormat> formats(Channels, format);
    std::vector<MutableSampleBlockPtr> pattern;
    std::mt19937_64 rng(1);
    std::normal_distribution<double> noise(0, 0.02);
    for (int p = 0; p < 16; ++p) {
        auto b = SampleBlock::make(QStringLiteral("adc"), QStringLiteral("wave"), formats, BlockRows, false);
        b->dt = Dt;
        for (int c = 0; c < Channels; ++c)
            for (std::size_t i = 0; i < BlockRows; ++i) {
                const double v = std::sin(double(p * BlockRows + i) * (0.001 + 0.0003 * c)) + noise(rng);
                if (int16)
                    b->data<qint16>(c)[i] = qint16(v * 30000);
                else
                    b->data<double>(c)[i] = v;
            }
        pattern.push_back(b);
    }

    RecordingOptions o;
    o.format = RecordingOptions::Format::Hdf5;
    o.path = path;
    o.timeOrigin = 0;
    o.instruments = { { QStringLiteral("adc"), QStringLiteral("picoscope"), QStringLiteral("ADC"), QString() } };
    StreamHeader h;
    h.instrument = o.instruments.front();
    h.stream.id = QStringLiteral("wave");
    h.stream.regular = true;
    h.stream.nominalRate = 1 / Dt;
    for (int c = 0; c < Channels; ++c)
        h.stream.channels.append({ QStringLiteral("ch%1").arg(c), QStringLiteral("V"), QString(), true, format });
    h.dt = Dt;

    // 1. Writing (with the overview, as always) and the accumulator alone on the same rows.
    QString error;
    QElapsedTimer t;
    t.start();
    if (existing.isEmpty()) {
        Hdf5Writer w;
        if (!w.open(o, &error) || w.addStream(h, nullptr, &error) < 0) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        Segment seg { 0, 0, 0, Dt };
        QElapsedTimer flushTimer;
        flushTimer.start();
        for (quint64 row = 0; row < rows; row += BlockRows) {
            MutableSampleBlockPtr b = pattern[(row / BlockRows) % pattern.size()];
            b->firstIndex = row;
            b->t0 = double(row) * Dt;
            if (!w.write(0, *b, row == 0 ? &seg : nullptr, &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            if (flushTimer.elapsed() >= 1000) { // the recorder flushes once per second
                w.flush(&error);
                flushTimer.restart();
            }
        }
        StreamRecordStats totals;
        totals.samples = rows;
        if (!w.finishStream(0, totals, &error) || !w.close(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
    }
    ::sync();
    const double writeS = double(t.nsecsElapsed()) * 1e-9;
    if (existing.isEmpty()) {
    OverviewAccumulator acc(formats, OverviewAccumulator::StoredLevels);
    t.restart();
    for (quint64 row = 0; row < rows; row += BlockRows) {
        const SampleBlock &b = *pattern[(row / BlockRows) % pattern.size()];
        const std::byte *data[Channels];
        for (int c = 0; c < Channels; ++c)
            data[c] = static_cast<const std::byte *>(b.rawData(c));
        acc.add(data, BlockRows);
        for (int k = 0; k < acc.levels(); ++k)
            acc.pending(k).clear();
    }
    const double accS = double(t.nsecsElapsed()) * 1e-9;
    const double sampleGB = double(rows * Channels * elem) / 1e9;
    const qint64 ovBytes = overviewBytes(path);
    std::printf("write: %.2f s (%.0f MB/s of samples, incl. sync); overview accumulator alone %.3f s = %.2f %% of "
                "the writer's time\n",
        writeS, sampleGB * 1e3 / writeS, accS, 100.0 * accS / writeS);
    std::printf("file %.3f GB; overview datasets %lld bytes = %.0f bytes per GB of samples (%.4f %%)\n",
        double(QFileInfo(path).size()) / 1e9, static_cast<long long>(ovBytes), double(ovBytes) / sampleGB,
        100.0 * double(ovBytes) / (sampleGB * 1e9));
    }

    // 2. First picture: open + a 2000-column envelope over everything.
    auto firstPicture = [&](const char *label, bool all) {
        QElapsedTimer clock;
        clock.start();
        Hdf5Browser browser;
        if (!snapArg.isEmpty())
            browser.setSnapNodes(snapArg.toULongLong());
        if (!browser.open(path, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return;
        }
        const double openS = double(clock.nsecsElapsed()) * 1e-9;
        const RecordingStreamInfo &s = browser.streams().front();
        std::size_t points = 0;
        quint64 read = 0;
        for (int c = 0; c < (all ? Channels : 1); ++c) {
            RecordingEnvelope e;
            if (!browser.envelope(0, c, s.firstTime, s.lastTime + Dt, 2000, &e, &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return;
            }
            points += e.size();
            read += browser.lastRowsRead();
        }
        std::printf("%-34s open %.1f ms, open + envelope %.1f ms (%zu points, %llu raw rows read)\n", label,
            openS * 1e3, double(clock.nsecsElapsed()) * 1e-6, points, static_cast<unsigned long long>(read));
        // Then panned: the same width shifted by a tenth, in the same browser (what a drag does).
        clock.restart();
        const double span = s.lastTime + Dt - s.firstTime;
        for (int c = 0; c < (all ? Channels : 1); ++c) {
            RecordingEnvelope e;
            browser.envelope(0, c, s.firstTime + 0.1 * span, s.lastTime + Dt + 0.1 * span, 2000, &e, &error);
        }
        std::printf("%-34s then panned by 10 %%: %.1f ms\n", "", double(clock.nsecsElapsed()) * 1e-6);
    };
    const quint64 snap = snapArg.isEmpty() ? Hdf5Browser().snapNodes() : snapArg.toULongLong();
    if (snap > 0)
        std::printf("first picture: column edges moved to node boundaries between columns of >= %llu nodes each\n",
            static_cast<unsigned long long>(snap));
    else
        std::printf("first picture: every column exact (--snap-nodes 0: ragged ends read raw)\n");
    const bool dropped = drop && dropCaches();
    if (drop && !dropped)
        std::printf("(cannot drop the page cache: not root; the cold figures are warm)\n");
    firstPicture(dropped ? "cold, 1 channel:" : "1 channel:", false);
    if (dropped)
        dropCaches();
    firstPicture(dropped ? "cold, 4 channels:" : "4 channels:", true);
    firstPicture("warm, 1 channel:", false);
    firstPicture("warm, 4 channels:", true);
    // 3. How far the picture with moved column edges is from the exact one (channel 0, warm).
    if (snap > 0) {
        Hdf5Browser browser;
        std::vector<RecordingEnvelope> e(2);
        bool ok = browser.open(path, &error);
        const RecordingStreamInfo *s = ok ? &browser.streams().front() : nullptr;
        for (int k = 0; ok && k < 2; ++k) {
            browser.setSnapNodes(k == 0 ? 0 : snap);
            ok = browser.envelope(0, 0, s->firstTime, s->lastTime + Dt, 2000, &e[std::size_t(k)], &error);
        }
        if (!ok || e[0].size() != e[1].size()) {
            std::fprintf(
                stderr, "comparing the pictures: %s\n", ok ? "not the same number of points" : qPrintable(error));
            return 1;
        }
        // Per column (two points each: no gaps here) its min and max, whichever comes first.
        double lo = INFINITY, hi = -INFINITY, dv = 0, dt = 0;
        std::size_t differ = 0, swapped = 0;
        for (std::size_t i = 0; i + 1 < e[0].size(); i += 2) {
            const double a0 = std::min(e[0].v[i], e[0].v[i + 1]), b0 = std::max(e[0].v[i], e[0].v[i + 1]);
            const double a1 = std::min(e[1].v[i], e[1].v[i + 1]), b1 = std::max(e[1].v[i], e[1].v[i + 1]);
            lo = std::min(lo, a0);
            hi = std::max(hi, b0);
            differ += a0 != a1 || b0 != b1;
            swapped += (e[0].v[i] < e[0].v[i + 1]) != (e[1].v[i] < e[1].v[i + 1]);
            dv = std::max({ dv, std::abs(a0 - a1), std::abs(b0 - b1) });
            dt = std::max({ dt, std::abs(e[0].t[i] - e[1].t[i]), std::abs(e[0].t[i + 1] - e[1].t[i + 1]) });
        }
        const double column = (s->lastTime + Dt - s->firstTime) / 2000;
        std::printf("moved edges against every column exact: %zu of %zu columns with another min or max, largest "
                    "difference %.3g (%.2f %% of the picture's range); the order of min and max differs in %zu; "
                    "times differ by at most %.4f of a column\n",
            differ, e[0].size() / 2, dv, 100.0 * dv / (hi - lo), swapped, dt / column);
    }
    if (!keep && existing.isEmpty())
        QFile::remove(path);
    return 0;
}
