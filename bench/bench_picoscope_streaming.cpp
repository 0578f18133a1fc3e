// SPDX-License-Identifier: GPL-3.0-or-later
// bench_picoscope_streaming [--seconds N] [--format hdf5|null] [--no-search] [--keep] [--disk-gb G]
//
// BenchScope's simulated libps5000a (loaded at run time, real-time sample clock) -> PicoDriver in
// an InstrumentHost (own thread, streaming mode) -> Recorder (own thread, HDF5 by default), all in
// one process:
//   0. the disk's sequential write rate (G GiB, default 2, 8 MiB writes + fdatasync) in the temp
//      folder, before the runs and again after them: the limit the file rates are compared with;
//   1. 1, 2 and 4 channels at 10 MS/s each for N seconds (default 10): sustained rate per channel,
//      ratio to the requested rate, MB/s of samples written and of file, the file's share of the
//      disk rate, bytes per sample in the file, samples lost anywhere;
//   2. (unless --no-search) 4 channels at ever faster intervals (5 s each) until a run loses
//      samples or falls behind: the highest aggregate rate without loss (goal 125 MS/s, the
//      5444D's USB 3 streaming maximum).
// "Lost" = InstrumentHost lostSamples (index gaps) + Recorder dropped + blocks flagged DataLost
// (the library's overrun, 0xFFFF) + driver errors. Goals (issues 4 and 13): 4 x 10 MS/s to HDF5
// with 0 lost, its file growing at under 30 % of the disk rate measured in the same run.
#include "BenchUtil.h"
#include "InstrumentHost.h"
#include "PicoDriver.h"
#include "Recorder.h"
#include "SessionClock.h"

#include <picosim/picosim.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLibrary>
#include <QThread>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace bs;
using namespace bs::picoscope;

namespace {

struct Settings
{
    double seconds = 10;
    bool hdf5 = true;
    bool search = true;
    bool keep = false;
    double diskGiB = 2;
};

struct Result
{
    int channels = 0;
    double intervalNs = 0;
    double seconds = 0;
    double perChannel = 0;   ///< samples/s per channel, over the whole run incl. the final drain
    double steady = 0;       ///< samples/s per channel in the middle of the run
    double mbps = 0;         ///< sample payload written per second
    double fileMbps = 0;     ///< file size / run time
    double fileBytesPerSample = 0;
    quint64 samples = 0, lost = 0, dropped = 0, flagged = 0;
    QString error;
    std::string cpu;
};

bool waitFor(const std::function<bool()> &pred, double seconds)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < qint64(seconds * 1000)) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(2);
    }
    return pred();
}

/// Counts blocks the library flagged as overrun (DataLost), in addition to index gaps.
class FlagSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &) override {}
    void consume(const SampleBlockPtr &b) override
    {
        if (b->flags & SampleBlock::DataLost)
            flagged.fetch_add(1);
    }
    std::atomic<quint64> flagged{0};
};

Result run(const Settings &set, int channels, double interval, double seconds)
{
    Result r;
    r.channels = channels;
    r.intervalNs = interval * 1e9;
    QLibrary lib(PicoDriver::simulatedLibraryPath(Family::Ps5000a));
    auto configure = reinterpret_cast<picosimConfigure_t>(lib.resolve("picosimConfigure"));
    if (!configure || configure("reset") != 0) {
        r.error = QStringLiteral("cannot load the simulated library %1: %2").arg(lib.fileName(), lib.errorString());
        return r;
    }
    auto drv = std::make_unique<PicoDriver>();
    drv->setId(QStringLiteral("pico1"));
    drv->setParameter(QStringLiteral("library"), lib.fileName());
    for (int ch = 0; ch < 4; ++ch) {
        const QString c = QString(QChar(u'a' + ch));
        drv->setParameter(c + QStringLiteral("_enabled"), ch < channels);
        drv->setParameter(c + QStringLiteral("_range"), QStringLiteral("\u00b15 V"));
    }
    drv->setParameter(QStringLiteral("mode"), QStringLiteral("streaming"));
    drv->setParameter(QStringLiteral("trigger"), QStringLiteral("none"));
    drv->setParameter(QStringLiteral("sample_interval"), interval);
    drv->setParameter(QStringLiteral("overview_buffer"), 4000000);

    FlagSink flags;
    Recorder recorder;
    RecordingOptions opts;
    QStringList errors;
    auto host = std::make_unique<InstrumentHost>(std::move(drv));
    QObject::connect(host.get(), &InstrumentHost::errorOccurred, [&](const QString &m) { errors << m; });
    opts.format = set.hdf5 ? RecordingOptions::Format::Hdf5 : RecordingOptions::Format::Null;
    opts.path = QDir(QDir::tempPath()).filePath(QStringLiteral("bench_pico_%1.h5").arg(QCoreApplication::applicationPid()));
    opts.instruments = {{QStringLiteral("pico1"), QStringLiteral("picoscope"), QStringLiteral("PicoScope (simulated)"), QString()}};
    if (!recorder.start(opts, &r.error))
        return r;
    host->addSink(&flags);
    host->addSink(&recorder);
    host->open();
    if (!waitFor([&] { return host->state() == Instrument::State::Connected; }, 10)) {
        r.error = QStringLiteral("did not connect: ") + errors.join(QStringLiteral("; "));
        recorder.stop();
        return r;
    }
    bench::ThreadCpu cpu;
    host->start();
    if (!waitFor([&] { return host->state() == Instrument::State::Running; }, 10)) {
        r.error = QStringLiteral("did not start: ") + errors.join(QStringLiteral("; "));
        recorder.stop();
        return r;
    }
    const double tStart = SessionClock::now();
    waitFor([] { return false; }, std::min(1.0, seconds / 4));
    const auto c0 = cpu.sample();
    const InstrumentStats s0 = host->stats();
    const double t0 = SessionClock::now();
    waitFor([&] { return host->state() != Instrument::State::Running; }, seconds - std::min(1.0, seconds / 4));
    const InstrumentStats s1 = host->stats();
    const double t1 = SessionClock::now();
    const auto c1 = cpu.sample();
    host->stop();
    waitFor([&] { return host->state() != Instrument::State::Running; }, 10);
    const double tStop = SessionClock::now();
    recorder.stop();
    const RecorderStats rs = recorder.stats();
    const InstrumentStats st = host->stats();
    r.seconds = tStop - tStart;
    r.samples = st.samples;
    r.perChannel = double(st.samples) / r.seconds;
    r.steady = double(s1.samples - s0.samples) / (t1 - t0);
    r.mbps = double(rs.bytesWritten) / r.seconds / 1e6;
    const qint64 fileBytes = bench::pathBytes(opts.path);
    r.fileMbps = double(fileBytes) / r.seconds / 1e6;
    r.fileBytesPerSample = st.samples ? double(fileBytes) / double(st.samples * quint64(channels)) : 0;
    r.lost = st.lostSamples + rs.lostSamples;
    r.dropped = rs.droppedSamples;
    r.flagged = flags.flagged.load();
    r.cpu = bench::ThreadCpu::report(c0, c1, "recorder");
    if (!errors.isEmpty())
        r.error = errors.first();
    else if (!rs.lastError.isEmpty())
        r.error = rs.lastError;
    host.reset();
    if (!set.keep)
        QFile::remove(opts.path);
    return r;
}

bool clean(const Result &r)
{
    const double wanted = 1e9 / r.intervalNs;
    return r.error.isEmpty() && r.lost == 0 && r.dropped == 0 && r.flagged == 0 && r.steady >= 0.99 * wanted;
}

void print(const Result &r, double disk)
{
    const double wanted = 1e9 / r.intervalNs;
    std::printf("%3d ch  %5.1f ns  %6.2f MS/s/ch  ratio %5.3f  steady %6.2f MS/s/ch  payload %6.1f MB/s  "
                "file %6.1f MB/s = %4.1f %% of disk  %5.2f B/sample  %5.1f s  lost %llu  dropped %llu  "
                "overrun blocks %llu  %s\n",
                r.channels, r.intervalNs, r.perChannel / 1e6, r.steady / wanted, r.steady / 1e6, r.mbps, r.fileMbps,
                disk > 0 ? 100.0 * r.fileMbps / disk : 0.0, r.fileBytesPerSample, r.seconds, r.lost, r.dropped,
                r.flagged, clean(r) ? "OK" : r.samples == 0 ? "REFUSED" : "LOSS");
    if (!r.error.isEmpty())
        std::printf("        error: %s\n", qPrintable(r.error));
    std::printf("        CPU: %s\n", r.cpu.c_str());
    std::fflush(stdout);
}

double measureDisk(const Settings &set)
{
    const QString path = QDir(QDir::tempPath()).filePath(
        QStringLiteral("bench_pico_disk_%1.bin").arg(QCoreApplication::applicationPid()));
    return bench::diskRate(path, qint64(set.diskGiB * double(1ll << 30)));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Settings set;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc)
            set.seconds = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--format") && i + 1 < argc)
            set.hdf5 = std::strcmp(argv[++i], "null") != 0;
        else if (!std::strcmp(argv[i], "--no-search"))
            set.search = false;
        else if (!std::strcmp(argv[i], "--keep"))
            set.keep = true;
        else if (!std::strcmp(argv[i], "--disk-gb") && i + 1 < argc)
            set.diskGiB = std::max(0.0, std::atof(argv[++i]));
        else {
            std::fprintf(stderr, "usage: %s [--seconds N] [--format hdf5|null] [--no-search] [--keep] [--disk-gb G]\n",
                         argv[0]);
            return 64;
        }
    }
    std::printf("PicoScope streaming: simulated libps5000a -> PicoDriver -> Recorder (%s), %.0f s per run\n",
                set.hdf5 ? "HDF5" : "null writer", set.seconds);
    const double diskBefore = set.diskGiB > 0 ? measureDisk(set) : 0;
    std::printf("disk (sequential write, %.1f GiB + fdatasync, in %s): %.0f MB/s\n", set.diskGiB,
                qPrintable(QDir::tempPath()), diskBefore);
    std::fflush(stdout);
    bool goal = false;
    Result four;
    for (int channels : {1, 2, 4}) {
        const Result r = run(set, channels, 100e-9, set.seconds);
        print(r, diskBefore);
        if (channels == 4) {
            four = r;
            goal = clean(r);
        }
    }
    double best = 0;
    if (set.search) {
        std::printf("highest rate without loss, 4 channels (5 s per step):\n");
        for (double ns : {80.0, 64.0, 50.0, 40.0, 32.0, 25.0, 20.0, 16.0}) {
            const Result r = run(set, 4, ns * 1e-9, 5);
            print(r, diskBefore);
            if (!clean(r))
                break;
            best = 1e9 / ns;
        }
    }
    const double diskAfter = set.diskGiB > 0 ? measureDisk(set) : 0;
    const double disk = diskAfter > 0 ? (diskBefore + diskAfter) / 2 : diskBefore;
    std::printf("disk after the runs: %.0f MB/s; mean %.0f MB/s\n", diskAfter, disk);
    const double share = disk > 0 ? four.fileMbps / disk : 0;
    const bool withinDisk = !set.hdf5 || (disk > 0 && share < 0.30);
    std::printf("4 x 10 MS/s to %s: %s, file %.1f MB/s = %.1f %% of the disk's %.0f MB/s (goal < 30 %%)\n",
                set.hdf5 ? "HDF5" : "null", clean(four) ? "zero loss" : "LOSS", four.fileMbps, 100.0 * share, disk);
    std::printf("goal 4 x 10 MS/s to %s with zero loss%s: %s\n", set.hdf5 ? "HDF5" : "null",
                set.hdf5 ? " under 30 % of the disk rate" : "", goal && withinDisk ? "MET" : "NOT MET");
    if (set.search)
        std::printf("highest clean rate: %s per channel, %s in total (goal 125 MS/s in total: %s)\n",
                    best > 0 ? qPrintable(QStringLiteral("%1 MS/s").arg(best / 1e6)) : "below 12.5 MS/s",
                    best > 0 ? qPrintable(QStringLiteral("%1 MS/s").arg(4 * best / 1e6)) : "-",
                    4 * best >= 125e6 ? "MET" : "NOT MET");
    return goal && withinDisk ? 0 : 1;
}
