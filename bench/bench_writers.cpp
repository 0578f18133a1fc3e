// SPDX-License-Identifier: GPL-3.0-or-later
// bench_writers [seconds] [null|csv|hdf5 ...]: the machine's sequential write rate, then the rate through the Recorder
// into nothing (NullWriter), CSV and HDF5 for 8 channels x 10k-row blocks, all in one run.
#include "Recorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace bs;

namespace {

constexpr int Channels = 8;
constexpr std::size_t Rows = 10000;
constexpr double Dt = 1e-6;

bool syncFile(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return false;
    const bool ok = ::fdatasync(fd) == 0;
    ::close(fd);
    return ok;
}

/// MB/s of writing `bytes` with 8 MiB writes and a final fdatasync.
double diskRate(const QString &path, qint64 bytes)
{
    std::vector<char> buf(8 << 20);
    std::mt19937_64 rng(1);
    for (auto &c : buf)
        c = char(rng());
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 0;
    QElapsedTimer t;
    t.start();
    qint64 done = 0;
    while (done < bytes) {
        const ssize_t n = ::write(fd, buf.data(), buf.size());
        if (n <= 0)
            break;
        done += n;
    }
    ::fdatasync(fd);
    const double s = double(t.nsecsElapsed()) * 1e-9;
    ::close(fd);
    QFile::remove(path);
    return double(done) / s / 1e6;
}

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
    o.instruments = {{QStringLiteral("bench"), QStringLiteral("synthetic"), QStringLiteral("Bench"), QString()}};
    StreamInfo info;
    info.id = QStringLiteral("s");
    info.name = QStringLiteral("synthetic");
    info.regular = true;
    info.nominalRate = 1.0 / Dt;
    for (int c = 0; c < Channels; ++c)
        info.channels.append({QStringLiteral("ch%1").arg(c + 1), QStringLiteral("V"), QString()});
    // ADC-like values (k / 10000): realistic text length for CSV.
    std::vector<std::vector<double>> templates(4, std::vector<double>(Channels * Rows));
    std::mt19937_64 rng(7);
    for (auto &t : templates)
        for (double &v : t)
            v = double(std::int64_t(rng() % 65536) - 32768) / 10000.0;

    Recorder rec;
    rec.setStreams(QStringLiteral("bench"), {info});
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
        std::memcpy(b->values.data(), templates[std::size_t(k) % templates.size()].data(), b->values.size() * sizeof(double));
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
            synced = syncFile(ss.file) && synced;
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
    const double seconds = argc > 1 ? std::max(0.5, QString::fromLocal8Bit(argv[1]).toDouble()) : 5.0;
    const QString tmp = QDir::tempPath();
    const QString base = QDir(tmp).filePath(QStringLiteral("bench_writers_%1").arg(QCoreApplication::applicationPid()));
    std::printf("bench_writers: %d channels x %zu rows per block, %.1f s per format, temp dir %s\n", Channels, Rows,
                seconds, qPrintable(tmp));
    const double disk = diskRate(base + QStringLiteral(".bin"), 1ll << 30);
    std::printf("disk sequential write (1 GiB, 8 MiB writes + fdatasync): %.0f MB/s\n\n", disk);
    std::printf("%-6s %10s %14s %12s %16s %9s %8s\n", "format", "MB/s", "MB/s+fdatasync", "Mrows/s", "ratio-to-disk",
                "file MB", "lost");
    struct Mode
    {
        const char *name;
        RecordingOptions::Format format;
        QString path;
    };
    const Mode modes[] = {{"null", RecordingOptions::Format::Null, QString()},
                          {"csv", RecordingOptions::Format::Csv, base + QStringLiteral("_csv")},
                          {"hdf5", RecordingOptions::Format::Hdf5, base + QStringLiteral(".h5")}};
    int rc = 0;
    QStringList only;
    for (int i = 2; i < argc; ++i)
        only << QString::fromLocal8Bit(argv[i]);
    for (const Mode &m : modes) {
        if (!only.isEmpty() && !only.contains(QLatin1String(m.name)))
            continue;
        const Result r = run(m.format, m.path, seconds);
        if (!r.error.isEmpty()) {
            std::printf("%-6s error: %s\n", m.name, qPrintable(r.error));
            rc = 1;
        } else {
            std::printf("%-6s %10.0f %14.0f %12.2f %16.2f %9.0f %8llu\n", m.name, r.mbps, r.syncedMbps, r.rowsPerS / 1e6,
                        disk > 0 ? r.mbps / disk : 0.0, r.fileMB, static_cast<unsigned long long>(r.lost));
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
