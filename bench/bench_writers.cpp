// SPDX-License-Identifier: GPL-3.0-or-later
// bench_writers [seconds | --seconds N] [null|csv|hdf5 ...]: the machine's sequential write rate, then the rate through the
// Recorder into nothing (NullWriter), CSV and HDF5 for 8 channels x 10k-row blocks, all in one run.
#include "BenchUtil.h"
#include "Recorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace bs;

namespace {

constexpr int Channels = 8;
constexpr std::size_t Rows = 10000;
constexpr double Dt = 1e-6;

struct Result
{
    double mbps = 0, syncedMbps = 0, rowsPerS = 0, fileMB = 0;
    quint64 lost = 0;
    QString error;
};

Result run(RecordingOptions::Format format, const QString &path, double seconds)
{
    Result r;
    RecordingOptions o;
    o.format = format;
    o.path = path;
    o.instruments
        = { { QStringLiteral("bench"), QStringLiteral("synthetic"), QStringLiteral("Bench"), QString() } };
    o.maxQueueSeconds = 0; // the writer's own rate is measured: the producer is paced by bytes below
    StreamInfo info;
    info.id = QStringLiteral("s");
    info.name = QStringLiteral("synthetic");
    info.regular = true;
    info.nominalRate = 1.0 / Dt;
    for (int c = 0; c < Channels; ++c)
        info.channels.append({ QStringLiteral("ch%1").arg(c + 1), QStringLiteral("V"), QString() });
    // ADC-like values (k / 10000): realistic text length for CSV.
    std::vector<std::vector<double>> templates(4, std::vector<double>(Channels * Rows));
    std::mt19937_64 rng(7);
    for (auto &t : templates)
        for (double &v : t)
            v = double(std::int64_t(rng() % 65536) - 32768) / 10000.0;

    Recorder rec;
    rec.setStreams(QStringLiteral("bench"), { info });
    if (!rec.start(o, &r.error))
        return r;
    QElapsedTimer t;
    t.start();
    quint64 index = 0;
    qint64 bytes = 0;
    const qint64 paceLimit = o.queueBudgetBytes / 2;
    for (int k = 0; t.nsecsElapsed() < qint64(seconds * 1e9); ++k) {
        while (rec.queuedBytes() > paceLimit) // a producer that never overruns the budget
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        auto b = SampleBlock::make(QStringLiteral("bench"), QStringLiteral("s"), Channels, Rows, false);
        std::memcpy(b->channel(0), templates[std::size_t(k) % templates.size()].data(),
            std::size_t(Channels) * Rows * sizeof(double)); // channel-major, each channel 8-byte aligned: contiguous
        b->firstIndex = index;
        b->dt = Dt;
        b->t0 = double(index) * Dt;
        index += Rows;
        bytes += qint64(b->payloadBytes());
        rec.consume(b);
    }
    rec.stop();
    const double s = double(t.nsecsElapsed()) * 1e-9;
    const RecorderStats st = rec.stats();
    bool synced = true;
    for (const StreamRecordStats &ss : st.streams)
        if (!ss.file.isEmpty())
            synced = bench::syncFile(ss.file) && synced;
    const double sSynced = double(t.nsecsElapsed()) * 1e-9;
    r.mbps = double(bytes) / s / 1e6;
    r.syncedMbps = synced ? double(bytes) / sSynced / 1e6 : 0;
    r.rowsPerS = double(index) / s;
    r.fileMB = double(st.fileBytes) / 1e6;
    r.lost = st.droppedSamples + st.lostSamples + (st.bytesWritten == bytes ? 0 : 1);
    r.error = st.lastError;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // Positional seconds and formats, or `--seconds N` (scripts/bench passes the same arguments to
    // every benchmark; options meant for the others, e.g. --phase X, are skipped).
    double seconds = 5.0;
    QStringList only;
    const QStringList args = app.arguments().mid(1);
    for (int i = 0; i < args.size(); ++i) {
        bool isNumber = false;
        const double v = args[i].toDouble(&isNumber);
        if (args[i] == QLatin1String("--seconds") && i + 1 < args.size())
            seconds = std::max(0.5, args[++i].toDouble());
        else if (args[i] == QLatin1String("--phase") || args[i] == QLatin1String("--period")
            || args[i] == QLatin1String("--period-c"))
            ++i;
        else if (args[i].startsWith(QLatin1String("--")))
            continue;
        else if (isNumber)
            seconds = std::max(0.5, v);
        else
            only << args[i];
    }
    const QString tmp = QDir::tempPath();
    const QString base
        = QDir(tmp).filePath(QStringLiteral("bench_writers_%1").arg(QCoreApplication::applicationPid()));
    std::printf("bench_writers: %d channels x %zu rows per block, %.1f s per format, temp dir %s\n", Channels,
        Rows, seconds, qPrintable(tmp));
    const double disk = bench::diskRate(base + QStringLiteral(".bin"), 1ll << 30);
    std::printf("disk sequential write (1 GiB, 8 MiB writes + fdatasync): %.0f MB/s\n\n", disk);
    std::printf("%-6s %10s %14s %12s %16s %9s %8s\n", "format", "MB/s", "MB/s+fdatasync", "Mrows/s",
        "ratio-to-disk", "file MB", "lost");
    struct Mode
    {
        const char *name;
        RecordingOptions::Format format;
        QString path;
    };
    const Mode modes[] = { { "null", RecordingOptions::Format::Null, QString() },
        { "csv", RecordingOptions::Format::Csv, base + QStringLiteral("_csv") },
        { "hdf5", RecordingOptions::Format::Hdf5, base + QStringLiteral(".h5") } };
    int rc = 0;
    for (const Mode &m : modes) {
        if (!only.isEmpty() && !only.contains(QLatin1String(m.name)))
            continue;
        const Result r = run(m.format, m.path, seconds);
        if (!r.error.isEmpty()) {
            std::printf("%-6s error: %s\n", m.name, qPrintable(r.error));
            rc = 1;
        } else {
            std::printf("%-6s %10.0f %14.0f %12.2f %16.2f %9.0f %8llu\n", m.name, r.mbps, r.syncedMbps,
                r.rowsPerS / 1e6, disk > 0 ? r.mbps / disk : 0.0, r.fileMB,
                static_cast<unsigned long long>(r.lost));
            rc |= r.lost ? 1 : 0;
        }
        if (qEnvironmentVariableIsSet("BENCH_KEEP_FILES"))
            std::printf("       kept %s\n", qPrintable(m.path));
        else if (m.format == RecordingOptions::Format::Csv)
            QDir(m.path).removeRecursively();
        else if (!m.path.isEmpty())
            QFile::remove(m.path);
    }
    std::printf("\nMB/s = sample payload (8-byte doubles) / time until Recorder::stop() returned; the\n"
                "+fdatasync column also waits for the files to reach the disk. lost must be 0.\n");
    return rc;
}
