// SPDX-License-Identifier: GPL-3.0-or-later
// bench_panda_pipeline [--seconds N] [--phase a|b|c|raw|disk|all[,...]] [--period S] [--keep]
//
// PandA simulator (own thread) -> PandaDriver in an InstrumentHost (own thread) -> sink, in one
// process, all figures from the same run:
//   raw   a plain QTcpSocket client that only counts the bytes of the same FRAMED RAW stream
//         (the limit for (a));
//   a     driver -> a counting BlockSink;
//   b     driver -> Recorder, CSV;
//   c     driver -> Recorder, HDF5;
//   disk  the machine's sequential write rate into the same temp dir (the limit for (c)).
// MB/s of a/b/c = SampleBlock payload (values + times, 8 bytes each) per second; "disk MB/s" =
// bytes of the recorded files per second. See bench/README.md.
#include "BenchUtil.h"
#include "InstrumentHost.h"
#include "PandaDriver.h"
#include "PandaDriverFields.h"
#include "PandaSimulator.h"
#include "Recorder.h"
#include "SessionClock.h"
#include "SimulatorThread.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

using namespace bs;
using namespace bs::panda;

namespace {

constexpr double kWarmupS = 0.5; // excluded from the steady-state window of raw and (a)
constexpr double kGoalRawRatio = 0.5;
constexpr double kGoalHdf5Mbps = 250.0;
constexpr double kGoalHdf5Seconds = 30.0;
constexpr qint64 kDiskTestBytes = 2ll << 30;

/// The capture every phase requests: ~9 columns (the simulator adds PCAP.GATE_DURATION for Mean).
const std::pair<const char *, const char *> kCapture[] = {
    { "PCAP.TS_TRIG", "Value" },
    { "COUNTER1.OUT", "Value" },
    { "COUNTER2.OUT", "Value" },
    { "COUNTER3.OUT", "Value" },
    { "INENC1.VAL", "Value" },
    { "INENC2.VAL", "Min Max Mean" },
};

double nowS()
{
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return double(t.nsecsElapsed()) * 1e-9;
}

/// Runs the main thread's event loop (InstrumentHost's mirror lives here) until `done` or timeout.
template <typename F> bool waitFor(F done, double timeoutS)
{
    const double end = nowS() + timeoutS;
    while (!done()) {
        if (nowS() > end)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        QThread::msleep(1);
    }
    return true;
}

void sleepWithEvents(double seconds)
{
    waitFor([] { return false; }, seconds);
}

// ---- the simulator ------------------------------------------------------------------------

struct Sim
{
    Sim()
    {
        PandaSimulator::Config cfg;
        cfg.controlPort = 0; // ephemeral
        cfg.dataPort = 0;
        thread = std::make_unique<SimulatorThread>(QStringLiteral("sim"), [cfg] { return new PandaSimulator(cfg); });
        thread->call([this](QObject *o) {
            auto *p = static_cast<PandaSimulator *>(o);
            ok = p->start(&error);
            control = p->controlPort();
            data = p->dataPort();
        });
    }
    PandaSimulator *sim() const { return static_cast<PandaSimulator *>(thread->object()); }

    std::unique_ptr<SimulatorThread> thread;
    bool ok = false;
    QString error;
    quint16 control = 0, data = 0;
};

// ---- raw socket client --------------------------------------------------------------------

/// A data-port client that does nothing but count: sends the option line, skips "OK" and the
/// XML header (reading sample_bytes from it), then counts every byte on its own thread.
class RawReader
{
public:
    RawReader()
    {
        m_thread.setObjectName(QStringLiteral("raw-reader"));
        m_ctx = new QObject;
        m_ctx->moveToThread(&m_thread);
        m_thread.start();
    }
    ~RawReader()
    {
        QMetaObject::invokeMethod(m_ctx, [this] { delete m_ctx; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void connectTo(quint16 port)
    {
        QMetaObject::invokeMethod(
            m_ctx,
            [this, port] {
                m_buf.resize(4 << 20);
                m_socket = new QTcpSocket(m_ctx);
                QObject::connect(m_socket, &QTcpSocket::connected, m_ctx, [this] { m_socket->write("XML FRAMED RAW\n"); });
                QObject::connect(m_socket, &QTcpSocket::readyRead, m_ctx, [this] { onReadyRead(); });
                m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
            },
            Qt::BlockingQueuedConnection);
    }
    bool ready() const { return m_ready.load(); }
    int sampleBytes() const { return m_sampleBytes.load(); }
    quint64 payloadBytes() const { return m_payload.load(std::memory_order_relaxed); }

private:
    void onReadyRead()
    {
        for (;;) {
            const qint64 n = m_socket->read(m_buf.data(), qint64(m_buf.size()));
            if (n <= 0)
                return;
            if (m_sampleBytes.load(std::memory_order_relaxed) > 0) {
                m_payload.fetch_add(quint64(n), std::memory_order_relaxed);
                continue;
            }
            m_text.append(m_buf.data(), n); // "OK\n", then "<header>...</header>\n\n"
            if (!m_ready && m_text.startsWith("OK\n"))
                m_ready = true;
            const qsizetype end = m_text.indexOf("</header>\n\n");
            if (end < 0)
                continue;
            const qsizetype at = m_text.indexOf("sample_bytes=\"");
            const int sb = at < 0 ? 0 : m_text.mid(at + 14, 8).split('"').value(0).toInt();
            m_payload.fetch_add(quint64(m_text.size() - (end + 11)), std::memory_order_relaxed);
            m_text.clear();
            m_sampleBytes = sb > 0 ? sb : -1;
        }
    }

    QThread m_thread;
    QObject *m_ctx = nullptr;
    QTcpSocket *m_socket = nullptr;
    std::vector<char> m_buf;
    QByteArray m_text;
    std::atomic<bool> m_ready { false };
    std::atomic<int> m_sampleBytes { 0 };
    std::atomic<quint64> m_payload { 0 };
};

/// Blocking control-port client for the raw phase (on the main thread).
class Control
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        return m_socket.waitForConnected(5000);
    }
    /// Sends one command and returns its one-line reply ("OK", "OK =...", "ERR ...").
    QByteArray command(const QByteArray &line)
    {
        m_socket.write(line + '\n');
        m_socket.waitForBytesWritten(5000);
        while (!m_socket.canReadLine())
            if (!m_socket.waitForReadyRead(5000))
                return "ERR no reply to " + line;
        return m_socket.readLine().trimmed();
    }

private:
    QTcpSocket m_socket;
};

// ---- (a): counting sink -------------------------------------------------------------------

class CountingSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &streams) override
    {
        std::lock_guard lock(m_mutex);
        m_streams = streams;
    }
    void consume(const SampleBlockPtr &b) override
    {
        m_rows.fetch_add(b->sampleCount, std::memory_order_relaxed);
        m_bytes.fetch_add(b->payloadBytes(), std::memory_order_relaxed);
    }
    quint64 rows() const { return m_rows.load(std::memory_order_relaxed); }
    quint64 bytes() const { return m_bytes.load(std::memory_order_relaxed); }

private:
    std::mutex m_mutex;
    QVector<StreamInfo> m_streams;
    std::atomic<quint64> m_rows { 0 }, m_bytes { 0 };
};

// ---- results ------------------------------------------------------------------------------

struct Result
{
    bool ran = false;
    QString error;
    double seconds = 0; // steady window (raw, a) or end-to-end recording time (b, c)
    double rowsPerS = 0, mbps = 0; // rows/s and payload MB/s (raw: wire bytes)
    double inRowsPerS = 0, inMbps = 0; // b, c: what the driver delivered in the steady window
    double fileMbps = 0, syncedFileMbps = 0; // b, c: file bytes / s, and until fdatasync returned
    qint64 fileBytes = 0;
    int columns = 0, sampleBytes = 0;
    quint64 rows = 0, simRows = 0, hostLost = 0, dropped = 0, recLost = 0;
    qint64 peakQueue = 0;
    QString endText, firstError;
    std::string cpu;
    double othersCpu = 0; // % of one core used by other processes during the window
    bool endedEarly = false; // the capture ended before the window did (Data overrun)
    bool lossFree() const { return ran && error.isEmpty() && hostLost == 0 && dropped == 0 && recLost == 0
            && firstError.isEmpty() && (simRows == 0 || rows == simRows); }
};

struct Settings
{
    double seconds = 5;
    double period = 1e-7;
    bool keep = false;
};

// ---- raw socket rate ----------------------------------------------------------------------

Result runRaw(const Settings &set)
{
    Result r;
    r.ran = true;
    Sim sim;
    if (!sim.ok) {
        r.error = sim.error;
        return r;
    }
    RawReader reader;
    reader.connectTo(sim.data);
    Control control;
    if (!control.connectTo(sim.control) || !waitFor([&] { return reader.ready(); }, 5)) {
        r.error = QStringLiteral("cannot connect to the simulator");
        return r;
    }
    QList<QByteArray> setup { "*CAPTURE=" };
    for (const auto &[field, what] : kCapture)
        setup << QByteArray(field) + ".CAPTURE=" + what;
    setup << "PCAP.TRIG=CLOCK1.OUT" << "CLOCK1.PERIOD=" + QByteArray::number(set.period, 'g', 12);
    for (const QByteArray &cmd : setup) {
        const QByteArray reply = control.command(cmd);
        if (!reply.startsWith("OK")) {
            r.error = QString::fromUtf8(cmd + " -> " + reply);
            return r;
        }
    }
    bench::ThreadCpu cpu;
    const QByteArray armed = control.command("*PCAP.ARM=");
    if (!armed.startsWith("OK")) {
        r.error = QString::fromUtf8("*PCAP.ARM= -> " + armed);
        return r;
    }
    sleepWithEvents(kWarmupS);
    const auto c0 = cpu.sample();
    const quint64 b0 = reader.payloadBytes();
    const double t0 = nowS();
    sleepWithEvents(set.seconds);
    const quint64 b1 = reader.payloadBytes();
    const double t1 = nowS();
    const auto c1 = cpu.sample();
    r.othersCpu = bench::ThreadCpu::othersPercent(c0, c1);
    control.command("*PCAP.DISARM=");
    r.seconds = t1 - t0;
    r.sampleBytes = reader.sampleBytes();
    r.mbps = double(b1 - b0) / r.seconds / 1e6;
    r.rowsPerS = r.sampleBytes > 0 ? double(b1 - b0) / r.sampleBytes / r.seconds : 0;
    r.rows = r.sampleBytes > 0 ? (b1 - b0) / quint64(r.sampleBytes) : 0;
    r.cpu = bench::ThreadCpu::report(c0, c1);
    if (r.sampleBytes <= 0)
        r.error = QStringLiteral("no capture header / sample_bytes from the simulator");
    return r;
}

// ---- (a) (b) (c): simulator -> driver -> sink ----------------------------------------------

enum class Sink { Count, Csv, Hdf5 };

Result runPipeline(Sink kind, const Settings &set)
{
    Result r;
    r.ran = true;
    SessionClock::restart();
    Sim sim;
    if (!sim.ok) {
        r.error = sim.error;
        return r;
    }
    auto drv = std::make_unique<PandaDriver>();
    drv->setId(QStringLiteral("panda1"));
    const QString address = QStringLiteral("127.0.0.1:%1").arg(sim.control);
    drv->setAddress(address);
    drv->setParameter(QStringLiteral("data_port"), int(sim.data));
    drv->setParameter(QStringLiteral("process"), QStringLiteral("Raw"));
    drv->setParameter(QStringLiteral("clock_period"), set.period);
    for (const auto &[field, what] : kCapture)
        drv->setParameter(captureKey(field), QString::fromLatin1(what));
    // Sinks first: they must outlive the host that calls them.
    QStringList errors, messages;
    CountingSink counter;
    Recorder recorder;
    RecordingOptions opts;
    auto host = std::make_unique<InstrumentHost>(std::move(drv));
    QObject::connect(host.get(), &InstrumentHost::errorOccurred, [&](const QString &m) { errors << m; });
    QObject::connect(host.get(), &InstrumentHost::message, [&](const QString &m) { messages << m; });
    const QString base = QDir(QDir::tempPath())
                             .filePath(QStringLiteral("bench_panda_%1").arg(QCoreApplication::applicationPid()));
    if (kind == Sink::Count) {
        host->addSink(&counter);
    } else {
        opts.format = kind == Sink::Csv ? RecordingOptions::Format::Csv : RecordingOptions::Format::Hdf5;
        opts.path = kind == Sink::Csv ? base + QStringLiteral("_csv") : base + QStringLiteral(".h5");
        opts.instruments = { { QStringLiteral("panda1"), QStringLiteral("panda"), QStringLiteral("PandA (simulated)"),
            address } };
        if (!recorder.start(opts, &r.error))
            return r;
        host->addSink(&recorder);
    }
    auto cleanup = [&] {
        if (opts.path.isEmpty() || set.keep)
            return;
        if (kind == Sink::Csv)
            QDir(opts.path).removeRecursively();
        else
            QFile::remove(opts.path);
    };

    host->open();
    if (!waitFor([&] { return host->state() == Instrument::State::Connected; }, 10)) {
        r.error = QStringLiteral("driver did not connect: ") + host->lastError();
        recorder.stop();
        cleanup();
        return r;
    }
    bench::ThreadCpu cpu;
    host->start();
    if (!waitFor([&] { return host->state() == Instrument::State::Running; }, 10)) {
        r.error = QStringLiteral("capture did not start: ") + host->lastError();
        recorder.stop();
        cleanup();
        return r;
    }
    const double tRun = nowS();
    // A capture that ends by itself (Data overrun: the driver fell behind) ends the window early.
    const auto ended = [&] { return host->state() != Instrument::State::Running; };
    waitFor(ended, kWarmupS);
    const auto c0 = cpu.sample();
    const InstrumentStats s0 = host->stats();
    const double t0 = nowS();
    r.endedEarly = waitFor(ended, set.seconds);
    const InstrumentStats s1 = host->stats();
    const double t1 = nowS();
    const auto c1 = cpu.sample();
    r.othersCpu = bench::ThreadCpu::othersPercent(c0, c1);
    host->stop();
    // END arrives after the simulator's socket backlog has been read.
    waitFor([&] { return host->state() != Instrument::State::Running; }, 60);
    waitFor([&] { return !messages.isEmpty() && messages.back().contains(QStringLiteral("Capture ended")); }, 5);

    const InstrumentStats st = host->stats();
    r.rows = st.samples;
    r.hostLost = st.lostSamples;
    r.simRows = sim.sim()->rowsGenerated();
    r.firstError = errors.value(0);
    for (const QString &m : std::as_const(messages))
        if (m.contains(QStringLiteral("Capture ended")))
            r.endText = m;
    r.columns = host->streams().value(0).channels.size();
    r.inRowsPerS = double(s1.samples - s0.samples) / (t1 - t0);
    r.inMbps = double(s1.bytes - s0.bytes) / (t1 - t0) / 1e6;
    r.cpu = bench::ThreadCpu::report(c0, c1, kind == Sink::Count ? "other" : "recorder");
    if (kind == Sink::Count) {
        r.seconds = t1 - t0;
        r.rowsPerS = r.inRowsPerS;
        r.mbps = r.inMbps;
    } else {
        recorder.stop(); // writes what is queued
        const double tStopped = nowS();
        const RecorderStats rs = recorder.stats();
        bool synced = true;
        QStringList files;
        for (const StreamRecordStats &ss : rs.streams)
            if (!ss.file.isEmpty() && !files.contains(ss.file))
                files << ss.file;
        for (const QString &f : std::as_const(files))
            synced = bench::syncFile(f) && synced;
        const double tSynced = nowS();
        quint64 recorded = 0;
        for (const StreamRecordStats &ss : rs.streams)
            recorded += ss.samples;
        r.seconds = tStopped - tRun; // ARM acknowledged .. the last byte handed to the OS
        r.rows = recorded;
        r.rowsPerS = double(recorded) / r.seconds;
        r.mbps = double(rs.bytesWritten) / r.seconds / 1e6;
        r.fileBytes = bench::pathBytes(opts.path);
        r.fileMbps = double(r.fileBytes) / r.seconds / 1e6;
        r.syncedFileMbps = synced ? double(r.fileBytes) / (tSynced - tRun) / 1e6 : 0;
        r.dropped = rs.droppedSamples;
        r.recLost = rs.lostSamples;
        r.peakQueue = rs.peakQueuedBytes;
        if (!rs.lastError.isEmpty())
            r.error = rs.lastError;
        if (recorded != st.samples && r.error.isEmpty() && rs.droppedSamples == 0)
            r.error = QStringLiteral("recorded %1 rows of %2 delivered").arg(recorded).arg(st.samples);
    }
    host.reset(); // closes the driver on its thread
    cleanup();
    return r;
}

// ---- output -------------------------------------------------------------------------------

void printRow(const char *name, const Result &r, double raw, double disk)
{
    if (!r.ran)
        return;
    if (!r.error.isEmpty() && r.rows == 0) {
        std::printf("%-5s error: %s\n", name, qPrintable(r.error));
        return;
    }
    char ratio[32] = "";
    if (name[0] == 'a' && raw > 0)
        std::snprintf(ratio, sizeof ratio, "%.2f of raw", r.rowsPerS / raw);
    else if (name[0] == 'c' && disk > 0)
        std::snprintf(ratio, sizeof ratio, "%.2f of disk", r.mbps / disk);
    char diskCol[24] = "-";
    if (r.fileBytes > 0)
        std::snprintf(diskCol, sizeof diskCol, "%.0f/%.0f", r.fileMbps, r.syncedFileMbps);
    char lossCol[48] = "-";
    if (name[0] != 'r')
        std::snprintf(lossCol, sizeof lossCol, "%llu/%llu/%llu", static_cast<unsigned long long>(r.hostLost),
            static_cast<unsigned long long>(r.dropped), static_cast<unsigned long long>(r.recLost));
    std::printf("%-5s %10.2f %9.0f %12s %12s %14s %6.1f %12s\n", name, r.rowsPerS / 1e6, r.mbps, ratio, diskCol,
        lossCol, r.seconds, qPrintable(QString::number(r.rows)));
}

void printDetails(const char *name, const Result &r)
{
    if (!r.ran)
        return;
    std::printf("  %-4s", name);
    if (name[0] == 'r')
        std::printf(" sample_bytes %d on the wire (FRAMED RAW)", r.sampleBytes);
    else
        std::printf(" %d columns; driver delivered %.2f Mrows/s (%.0f MB/s) in the steady window; simulator "
                    "generated %llu rows, sinks got %llu",
            r.columns, r.inRowsPerS / 1e6, r.inMbps, static_cast<unsigned long long>(r.simRows),
            static_cast<unsigned long long>(r.rows));
    if (r.peakQueue > 0)
        std::printf("; recorder queue peak %.0f MB", double(r.peakQueue) / 1e6);
    std::printf("\n       CPU (%% of one core): %s\n", r.cpu.c_str());
    if (r.othersCpu >= 20)
        std::printf("       WARNING: other processes used %.0f%% of a core meanwhile: figures are lower than on an "
                    "idle machine\n",
            r.othersCpu);
    if (r.endedEarly)
        std::printf("       the capture ended by itself before the window did (the rates are over the shorter time)\n");
    if (!r.endText.isEmpty())
        std::printf("       %s\n", qPrintable(r.endText));
    if (!r.firstError.isEmpty())
        std::printf("       driver error: %s\n", qPrintable(r.firstError));
    if (!r.error.isEmpty())
        std::printf("       error: %s\n", qPrintable(r.error));
}

void usage()
{
    std::printf("usage: bench_panda_pipeline [--seconds N] [--phase a|b|c|raw|disk|all[,...]] [--period S] [--keep]\n"
                "  --seconds N  measuring time per phase (default 5; the issue's goal run for (c) is 30)\n"
                "  --period S   CLOCK1.PERIOD = trigger period (default 1e-7 s = 10 M rows/s requested;\n"
                "               the simulator generates at most ~20 M rows/s)\n"
                "  --keep       keep the recorded files in the temp dir\n");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Settings set;
    QStringList phases;
    const QStringList args = app.arguments().mid(1);
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        bool ok = true;
        if (a == QLatin1String("--seconds")) {
            set.seconds = next.toDouble(&ok);
            ++i;
            ok = ok && set.seconds > 0;
        } else if (a == QLatin1String("--phase")) {
            phases << next.split(QLatin1Char(','), Qt::SkipEmptyParts);
            ++i;
        } else if (a == QLatin1String("--period")) {
            set.period = next.toDouble(&ok);
            ++i;
            ok = ok && set.period >= 1e-7;
        } else if (a == QLatin1String("--keep")) {
            set.keep = true;
        } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            usage();
            return 0;
        } else {
            ok = false;
        }
        if (!ok) {
            std::fprintf(stderr, "bench_panda_pipeline: bad argument '%s'\n", qPrintable(a));
            usage();
            return 2;
        }
    }
    if (phases.isEmpty() || phases.contains(QLatin1String("all")))
        phases = { QStringLiteral("raw"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
            QStringLiteral("disk") };
    for (const QString &p : std::as_const(phases))
        if (!QStringList { "raw", "a", "b", "c", "disk" }.contains(p)) {
            std::fprintf(stderr, "bench_panda_pipeline: unknown phase '%s'\n", qPrintable(p));
            usage();
            return 2;
        }
    const auto want = [&](const char *p) { return phases.contains(QLatin1String(p)); };

    std::printf("bench_panda_pipeline: PandA simulator -> PandaDriver -> sink, one process, %d cores\n",
        QThread::idealThreadCount());
    std::printf("  capture:");
    for (const auto &[field, what] : kCapture)
        std::printf(" %s=%s", field, what);
    std::printf(", FRAMED RAW, PCAP.TRIG=CLOCK1.OUT, CLOCK1.PERIOD=%g s (%.1f M rows/s requested)\n", set.period,
        1e-6 / set.period);
    std::printf("  %.1f s per phase (+%.1f s warm-up), temp dir %s\n\n", set.seconds, kWarmupS,
        qPrintable(QDir::tempPath()));
    std::fflush(stdout);

    Result raw, a, b, c;
    double disk = 0;
    if (want("disk")) {
        disk = bench::diskRate(QDir(QDir::tempPath()).filePath(
                                   QStringLiteral("bench_panda_disk_%1.bin").arg(QCoreApplication::applicationPid())),
            kDiskTestBytes);
        std::printf("disk  sequential write, %lld MiB in 8 MiB writes + fdatasync: %.0f MB/s\n",
            kDiskTestBytes >> 20, disk);
        std::fflush(stdout);
    }
    if (want("raw"))
        raw = runRaw(set);
    if (want("a"))
        a = runPipeline(Sink::Count, set);
    if (want("b"))
        b = runPipeline(Sink::Csv, set);
    if (want("c"))
        c = runPipeline(Sink::Hdf5, set);

    std::printf("\n%-5s %10s %9s %12s %12s %14s %6s %12s\n", "phase", "Mrows/s", "MB/s", "ratio", "disk MB/s",
        "lost h/d/r", "s", "rows");
    printRow("raw", raw, 0, 0);
    printRow("a", a, raw.rowsPerS, 0);
    printRow("b csv", b, 0, 0);
    printRow("c h5", c, 0, disk);
    if (disk > 0)
        std::printf("%-5s %10s %9.0f\n", "disk", "-", disk);
    std::printf("\n");
    printDetails("raw", raw);
    printDetails("a", a);
    printDetails("b", b);
    printDetails("c", c);
    std::printf(
        "\nMB/s: raw = bytes on the socket; a/b/c = SampleBlock payload (values + times, 8 bytes each).\n"
        "raw and a: steady window after %.1f s warm-up. b and c: rows written / (ARM .. Recorder::stop()\n"
        "returned, i.e. including the queue drain); disk MB/s = file bytes / the same time, and / the time\n"
        "until fdatasync of the files returned. lost h/d/r = InstrumentHost lostSamples / Recorder dropped\n"
        "(queue overflow) / Recorder device-lost. CPU: the simulator shares the 2 cores with the pipeline.\n\n",
        kWarmupS);

    int rc = 0;
    for (const Result *r : { &raw, &a, &b, &c })
        if (r->ran && !r->error.isEmpty())
            rc = 1;
    if (a.ran && raw.ran) {
        const double ratio = raw.rowsPerS > 0 ? a.rowsPerS / raw.rowsPerS : 0;
        const bool pass = ratio >= kGoalRawRatio && a.lossFree();
        std::printf("GOAL (a) driver >= %.0f%% of the raw socket rate: %s - %.2f Mrows/s = %.0f%% of %.2f Mrows/s%s\n",
            100 * kGoalRawRatio, pass ? "PASS" : "MISS", a.rowsPerS / 1e6, 100 * ratio, raw.rowsPerS / 1e6,
            a.lossFree() ? ", no loss" : ", with loss");
    } else if (a.ran) {
        std::printf("GOAL (a): needs the raw phase in the same run (--phase raw,a)\n");
    }
    if (c.ran) {
        const bool fast = c.mbps >= kGoalHdf5Mbps;
        const bool longEnough = set.seconds >= kGoalHdf5Seconds;
        const bool pass = fast && c.lossFree() && longEnough;
        std::printf("GOAL (c) HDF5 >= %.0f MB/s sustained %.0f s, zero loss: %s - %.0f MB/s over %.1f s, "
                    "lost %llu/%llu/%llu%s%s\n",
            kGoalHdf5Mbps, kGoalHdf5Seconds,
            pass ? "PASS" : (fast && c.lossFree() ? "PASS (rate) - run --seconds 30 for the goal" : "MISS"), c.mbps,
            c.seconds, static_cast<unsigned long long>(c.hostLost), static_cast<unsigned long long>(c.dropped),
            static_cast<unsigned long long>(c.recLost),
            disk > 0 ? qPrintable(QStringLiteral(", %1% of the disk's %2 MB/s")
                                      .arg(100 * c.mbps / disk, 0, 'f', 0)
                                      .arg(disk, 0, 'f', 0))
                     : "",
            c.lossFree() ? "" : " (loss)");
        if (!pass)
            rc = 1;
    }
    return rc;
}
