// SPDX-License-Identifier: GPL-3.0-or-later
// bench_writers [seconds | --seconds N] [null|csv|hdf5|hdf5-int16|hdf5-deflate|hdf5-int16-deflate|hdf5-lz4|hdf5-int16-lz4 ...]:
// the machine's sequential write rate, then the rate through the Recorder into nothing (NullWriter), CSV and HDF5
// for 8 channels x 10k-row blocks (doubles, or int16 ADC counts with a scale), with and without compression, in one run.
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
    double mbps = 0, syncedMbps = 0, rowsPerS = 0, fileMB = 0, bytesPerRow = 0;
    quint64 lost = 0;
    QString error;
};

Result run(RecordingOptions::Format format, const QString &path, double seconds, SampleType type,
    RecordingOptions::Compression compression)
{
    Result r;
    RecordingOptions o;
    o.format = format;
    o.compression = compression;
    o.compressionLevel = 1;
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
        info.channels.append({ QStringLiteral("ch%1").arg(c + 1), QStringLiteral("V"), QString(), true,
            type == SampleType::Int16 ? SampleFormat::of(SampleType::Int16, 1e-4) : SampleFormat() });
    // ADC-like values (k / 10000): realistic text length for CSV; as int16 the counts k.
    // 16 different blocks: more rows (160 k) than an HDF5 chunk holds (128 Ki), so no compressor sees a repeat.
    std::vector<std::vector<double>> templates(16, std::vector<double>(Channels * Rows));
    std::vector<std::vector<std::int16_t>> counts(16, std::vector<std::int16_t>(Channels * Rows));
    std::mt19937_64 rng(7);
    for (std::size_t t = 0; t < templates.size(); ++t)
        for (std::size_t i = 0; i < templates[t].size(); ++i) {
            counts[t][i] = std::int16_t(std::int64_t(rng() % 65536) - 32768);
            templates[t][i] = double(counts[t][i]) / 10000.0;
        }
    const std::vector<SampleFormat> formats = info.formats();

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
        auto b = SampleBlock::make(QStringLiteral("bench"), QStringLiteral("s"), formats, Rows, false);
        for (int c = 0; c < Channels; ++c) {
            const std::size_t at = std::size_t(c) * Rows, t = std::size_t(k) % templates.size();
            if (type == SampleType::Int16)
                std::memcpy(b->rawData(c), counts[t].data() + at, Rows * sizeof(std::int16_t));
            else
                std::memcpy(b->rawData(c), templates[t].data() + at, Rows * sizeof(double));
        }
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
    r.bytesPerRow = index ? double(st.fileBytes) / double(index) : 0.0;
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
    std::printf("%-18s %10s %14s %12s %16s %9s %10s %8s\n", "format", "MB/s", "MB/s+fdatasync", "Mrows/s",
        "ratio-to-disk", "file MB", "file B/row", "lost");
    struct Mode
    {
        const char *name;
        RecordingOptions::Format format;
        QString path;
        SampleType type = SampleType::Float64;
        RecordingOptions::Compression compression = RecordingOptions::Compression::None;
    };
    using C = RecordingOptions::Compression;
    const QString h5 = base + QStringLiteral(".h5");
    const Mode modes[] = { { "null", RecordingOptions::Format::Null, QString() },
        { "csv", RecordingOptions::Format::Csv, base + QStringLiteral("_csv") },
        { "hdf5", RecordingOptions::Format::Hdf5, h5 },
        { "hdf5-int16", RecordingOptions::Format::Hdf5, h5, SampleType::Int16 },
        { "hdf5-deflate", RecordingOptions::Format::Hdf5, h5, SampleType::Float64, C::Deflate },
        { "hdf5-int16-deflate", RecordingOptions::Format::Hdf5, h5, SampleType::Int16, C::Deflate },
        { "hdf5-lz4", RecordingOptions::Format::Hdf5, h5, SampleType::Float64, C::Lz4 },
        { "hdf5-int16-lz4", RecordingOptions::Format::Hdf5, h5, SampleType::Int16, C::Lz4 } };
    int rc = 0;
    for (const Mode &m : modes) {
        if (!only.isEmpty() && !only.contains(QLatin1String(m.name)))
            continue;
        const Result r = run(m.format, m.path, seconds, m.type, m.compression);
        if (!r.error.isEmpty() && m.compression == RecordingOptions::Compression::Lz4) {
            std::printf("%-18s skipped: %s\n", m.name, qPrintable(r.error)); // the plugin is optional
        } else if (!r.error.isEmpty()) {
            std::printf("%-18s error: %s\n", m.name, qPrintable(r.error));
            rc = 1;
        } else {
            std::printf("%-18s %10.0f %14.0f %12.2f %16.2f %9.0f %10.1f %8llu\n", m.name, r.mbps, r.syncedMbps,
                r.rowsPerS / 1e6, disk > 0 ? r.mbps / disk : 0.0, r.fileMB, r.bytesPerRow,
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
    std::printf("\nMB/s = sample payload (8-byte doubles; 2-byte counts for int16) / time until Recorder::stop()\n"
                "returned; the +fdatasync column also waits for the files to reach the disk. file MB: bytes on disk\n"
                "(deflate level 1 and LZ4 after a byte shuffle; data: random 16-bit counts, the worst case).\n"
                "lost must be 0.\n");
    return rc;
}
