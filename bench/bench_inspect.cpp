// SPDX-License-Identifier: GPL-3.0-or-later
// bench_inspect [--gb G] [--format hdf5|csv] [--dir DIR] [--keep]: writes a recording of G GB
// (default 1) with the writers of src/recording (one regular stream, 4 float64 channels at
// 1 MS/s: a sine, a square, a ramp and noise, with an index gap half-way), then runs
// benchscope-inspect on it — the whole file and a 1 s range — and prints the wall time, the
// rate and the peak memory (ru_maxrss of the child) of each run. The file is removed unless --keep.
#include "RecordingWriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <random>

using namespace bs;

namespace {

constexpr int Channels = 4;
constexpr std::size_t BlockRows = 65536;
constexpr double Dt = 1e-6;

qint64 sizeOf(const QString &path)
{
    if (QFileInfo(path).isFile())
        return QFileInfo(path).size();
    qint64 total = 0;
    for (QDirIterator it(path, QDir::Files); it.hasNext();)
        total += QFileInfo(it.next()).size();
    return total;
}

/// Writes about `bytes` of samples; returns the rows, or 0 with a message.
quint64 write(RecordingOptions::Format format, const QString &path, double bytes)
{
    std::unique_ptr<RecordingWriter> w = makeRecordingWriter(format);
    RecordingOptions o;
    o.format = format;
    o.path = path;
    o.timeOrigin = 0;
    o.instruments = { { QStringLiteral("bench"), QStringLiteral("synthetic"), QStringLiteral("Bench"), QString() } };
    QString error;
    StreamHeader h;
    h.instrument = o.instruments.front();
    h.stream.id = QStringLiteral("big");
    h.stream.name = QStringLiteral("big");
    h.stream.regular = true;
    h.stream.nominalRate = 1 / Dt;
    for (const char *name : { "sine", "square", "ramp", "noise" })
        h.stream.channels.append({ QString::fromLatin1(name), QStringLiteral("V"), QString(), true, SampleFormat() });
    h.dt = Dt;
    if (!w->open(o, &error) || w->addStream(h, nullptr, &error) != 0) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 0;
    }
    const quint64 rows = quint64(bytes / (8.0 * Channels));
    std::mt19937_64 rng(1);
    std::normal_distribution<double> noise(0, 0.1);
    quint64 index = 0, written = 0;
    bool gapDone = false;
    Segment seg { 0, 0, 0, Dt };
    bool newSegment = true;
    while (written < rows) {
        if (!gapDone && written >= rows / 2) { // 1000 samples lost half-way
            gapDone = true;
            index += 1000;
            w->addEvent(0, { written, double(index) * Dt, index - 1000, 1000, LossKind::IndexGap }, &error);
            seg = { written, index, double(index) * Dt, Dt };
            newSegment = true;
        }
        const std::size_t n = std::size_t(std::min<quint64>(BlockRows, rows - written));
        auto b = SampleBlock::make(QStringLiteral("bench"), QStringLiteral("big"), Channels, n, false);
        b->firstIndex = index;
        b->dt = Dt;
        b->t0 = double(index) * Dt;
        for (std::size_t i = 0; i < n; ++i) {
            const quint64 k = index + i;
            b->channel(0)[i] = std::sin(2 * M_PI * double(k % 1000) / 1000.0); // 1 kHz
            b->channel(1)[i] = k % 400 < 100 ? 3.3 : 0.0; // 2.5 kHz, 25 %
            b->channel(2)[i] = double(k % 100000) * 1e-5; // 10 Hz ramp
            b->channel(3)[i] = noise(rng);
        }
        if (!w->write(0, *b, newSegment ? &seg : nullptr, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 0;
        }
        newSegment = false;
        index += n;
        written += n;
    }
    StreamRecordStats st;
    st.samples = written;
    st.deviceLostSamples = 1000;
    if (!w->finishStream(0, st, &error) || !w->close(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 0;
    }
    return written;
}

struct Run
{
    double seconds = 0;
    long maxRssKiB = 0;
    int code = -1;
};

/// Runs benchscope-inspect alone (so that RUSAGE_CHILDREN's peak is its peak).
Run inspect(const QStringList &args)
{
    Run r;
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    p.start(QStringLiteral(BENCHSCOPE_INSPECT), args);
    p.waitForFinished(-1);
    r.seconds = double(timer.nsecsElapsed()) * 1e-9;
    r.code = p.exitCode();
    rusage u {};
    getrusage(RUSAGE_CHILDREN, &u);
    r.maxRssKiB = u.ru_maxrss;
    if (r.code != 0)
        std::fprintf(stderr, "%s", p.readAllStandardError().constData());
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    double gb = 1.0;
    QString format = QStringLiteral("hdf5"), dir;
    bool keep = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--gb") && i + 1 < args.size())
            gb = args[++i].toDouble();
        else if (args[i] == QLatin1String("--format") && i + 1 < args.size())
            format = args[++i];
        else if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dir = args[++i];
        else if (args[i] == QLatin1String("--keep"))
            keep = true;
    }
    QTemporaryDir tmp(dir.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench_inspect-XXXXXX")
                                    : dir + QStringLiteral("/bench_inspect-XXXXXX"));
    tmp.setAutoRemove(!keep);
    const bool csv = format == QLatin1String("csv");
    const QString path = tmp.filePath(csv ? QStringLiteral("big") : QStringLiteral("big.h5"));
    QElapsedTimer timer;
    timer.start();
    const quint64 rows = write(csv ? RecordingOptions::Format::Csv : RecordingOptions::Format::Hdf5, path, gb * 1e9);
    if (!rows)
        return 1;
    const double fileGB = double(sizeOf(path)) / 1e9;
    std::printf("wrote %s: %.3f GB, %llu rows x %d channels in %.1f s\n", qPrintable(path), fileGB,
        static_cast<unsigned long long>(rows), Channels, double(timer.nsecsElapsed()) * 1e-9);
    const Run whole = inspect({ path });
    std::printf("benchscope-inspect FILE (whole file, 2 passes): %.1f s, %.1f M rows/s, %.0f MB/s of file, peak RSS %.1f MiB, exit %d\n",
        whole.seconds, double(rows) / whole.seconds / 1e6, fileGB * 1e3 / whole.seconds, double(whole.maxRssKiB) / 1024,
        whole.code);
    const double mid = double(rows) * Dt / 2;
    const Run range = inspect({ path, QStringLiteral("--from"), QString::number(mid), QStringLiteral("--to"), QString::number(mid + 1) });
    std::printf("benchscope-inspect FILE --from %.3f --to %.3f (1 s = 1 M rows): %.2f s, peak RSS %.1f MiB (so far), exit %d\n",
        mid, mid + 1, range.seconds, double(range.maxRssKiB) / 1024, range.code);
    if (keep)
        std::printf("kept %s\n", qPrintable(path));
    return whole.code || range.code;
}
