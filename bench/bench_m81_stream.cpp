// SPDX-License-Identifier: GPL-3.0-or-later
// bench_m81_stream [--seconds N] [--rate R] [--parser-rows N]
//
// 1. Stream: `benchscope-sim m81` (a separate process, as an instrument is) streaming 10 elements
//    at R rows/s (default 5000, the M81's maximum) for N seconds (default 60) -> the m81 driver in
//    an InstrumentHost (its own thread, the normal host path) -> a counting sink. The stream is
//    bounded (`count` = R·N rows), so it ends by itself and every row asked for is accounted for:
//    rows/s sustained, overflows (the driver's incomplete captures and Overflow-flagged blocks),
//    lost rows (asked for − received, plus the host's index gaps), and the CPU the driver thread
//    used in % of one core (from /proc/self/task/<tid>/stat). Goals: 0 overflow, < 5 % of a core.
// 2. Parser alone: the driver's B64 row decoder (RowDecoder) on large synthetic TRACe:DATA:ALL?
//    replies of the same 10-element layout: rows/s, and how many times 5000 rows/s that is.
#include "BenchUtil.h"
#include "DriverRegistry.h"
#include "InstrumentHost.h"
#include "M81ProtocolElements.h"
#include "M81ProtocolRows.h"
#include "registry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>

using namespace bs;

namespace {

// Ten elements of every packed size the stream has: 8 doubles, a flag, a float.
const char *kElements = "RTIMe,1,MX,1,MY,1,MR,1,MTHeta,1,MX,2,MY,2,MDC,3,MOVerload,1,MRANge,1";

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

class CountingSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &) override {}
    void consume(const SampleBlockPtr &b) override
    {
        rows.fetch_add(quint64(b->sampleCount));
        if (b->flags & (SampleBlock::Overflow | SampleBlock::DataLost))
            overflowBlocks.fetch_add(1);
    }
    std::atomic<quint64> rows{0};
    std::atomic<quint64> overflowBlocks{0};
};

/// CPU seconds (user + system) of a process from /proc/<pid>/stat.
double processCpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = f.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields[11].toULongLong() + fields[12].toULongLong()) / double(::sysconf(_SC_CLK_TCK));
}

double threadCpu(const bench::ThreadCpu::Sample &s, const std::string &name)
{
    double sum = 0;
    for (const auto &[tid, nameCpu] : s.threads)
        if (nameCpu.first == name)
            sum += nameCpu.second;
    return sum;
}

struct StreamResult
{
    QString error;
    quint64 asked = 0, rows = 0, hostLost = 0, overflowBlocks = 0;
    int incompleteCaptures = 0;
    double seconds = 0, driverCpuPercent = 0, simCpuPercent = 0, othersPercent = 0;
    std::string cpu;
};

StreamResult runStream(const QString &simPath, int rate, double seconds)
{
    StreamResult r;
    quint16 port = 0;
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        port = probe.serverPort();
    }
    QProcess sim;
    sim.setProcessChannelMode(QProcess::SeparateChannels);
    sim.start(simPath, {QStringLiteral("m81"), QStringLiteral("--port"), QString::number(port)});
    QByteArray printed;
    if (!waitFor([&] {
            printed += sim.readAllStandardOutput();
            return printed.contains("127.0.0.1:") || sim.state() == QProcess::NotRunning;
        }, 20) || sim.state() != QProcess::Running) {
        r.error = QStringLiteral("benchscope-sim m81 did not start: %1 %2")
                      .arg(QString::fromLocal8Bit(printed), QString::fromLocal8Bit(sim.readAllStandardError()));
        return r;
    }

    const DriverInfo *info = DriverRegistry::instance().find(QStringLiteral("m81"));
    if (!info) {
        r.error = QStringLiteral("no driver of type m81 is registered");
        return r;
    }
    std::unique_ptr<Instrument> drv = info->create();
    drv->setId(QStringLiteral("m81"));
    r.asked = quint64(std::llround(rate * seconds));
    auto host = std::make_unique<InstrumentHost>(std::move(drv));
    QStringList errors;
    QObject::connect(host.get(), &InstrumentHost::errorOccurred, [&](const QString &m) { errors << m; });
    CountingSink sink;
    host->addSink(&sink);
    host->setAddress(QStringLiteral("127.0.0.1:%1").arg(port));
    host->setParameter(QStringLiteral("elements"), QString::fromLatin1(kElements));
    host->setParameter(QStringLiteral("rate"), rate);
    host->setParameter(QStringLiteral("count"), int(r.asked));
    host->open();
    if (!waitFor([&] { return host->state() == Instrument::State::Connected; }, 20)) {
        r.error = QStringLiteral("did not connect: ") + errors.join(QStringLiteral("; "));
        return r;
    }
    bench::ThreadCpu cpu;
    const auto c0 = cpu.sample();
    const double sim0 = processCpuSeconds(sim.processId());
    QElapsedTimer wall;
    wall.start();
    host->start();
    const bool ended = waitFor([&] {
        const auto s = host->state();
        return s == Instrument::State::Finished || s == Instrument::State::Error
               || (host->report().started && s == Instrument::State::Connected);
    }, seconds * 1.5 + 30);
    r.seconds = double(wall.nsecsElapsed()) * 1e-9;
    const auto c1 = cpu.sample();
    const double sim1 = processCpuSeconds(sim.processId());
    if (!ended)
        errors << QStringLiteral("the bounded stream did not end within %1 s").arg(seconds * 1.5 + 30);
    host->stop();
    waitFor([&] { return host->state() != Instrument::State::Running; }, 10);
    const InstrumentStats st = host->stats();
    r.rows = sink.rows.load();
    r.hostLost = st.lostSamples;
    r.overflowBlocks = sink.overflowBlocks.load() + st.overflowBlocks;
    r.incompleteCaptures = host->report().incompleteCaptures;
    const double span = double(c1.wallNs - c0.wallNs) * 1e-9;
    r.driverCpuPercent = 100.0 * (threadCpu(c1, "drv-m81") - threadCpu(c0, "drv-m81")) / span;
    r.simCpuPercent = 100.0 * (sim1 - sim0) / span;
    r.othersPercent = bench::ThreadCpu::othersPercent(c0, c1) - r.simCpuPercent;
    r.cpu = bench::ThreadCpu::report(c0, c1);
    if (!errors.isEmpty())
        r.error = errors.join(QStringLiteral("; "));
    host->close();
    host.reset();
    sim.terminate();
    sim.waitForFinished(10000);
    return r;
}

struct ParserResult
{
    QString error;
    quint64 rows = 0;
    double seconds = 0;
    int rowBytes = 0;
};

/// The driver's RowDecoder on synthetic replies of `rowsPerReply` rows each.
ParserResult runParser(quint64 totalRows, int rowsPerReply)
{
    ParserResult r;
    QByteArray format;
    const QList<QByteArray> parts = QByteArray(kElements).split(',');
    for (int i = 0; i < parts.size(); i += 2) {
        const m81::ElementInfo *e = m81::findElement(parts[i]);
        if (!e) {
            r.error = QStringLiteral("unknown element %1").arg(QString::fromLatin1(parts[i]));
            return r;
        }
        format += e->structCode;
    }
    QString error;
    const auto layout = m81::parseRowLayout("\"" + format + "\"", -1, &error);
    if (!layout) {
        r.error = error;
        return r;
    }
    r.rowBytes = layout->rowBytes;
    // Plausible values: doubles from a lock-in, a flag, a float range; random bits would give NaNs.
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0.0, 1e-3);
    QByteArray bytes(qsizetype(rowsPerReply) * layout->rowBytes, Qt::Uninitialized);
    for (int row = 0; row < rowsPerReply; ++row) {
        char *p = bytes.data() + qsizetype(row) * layout->rowBytes;
        for (int v = 0; v < layout->valueCount(); ++v) {
            char *field = p + layout->offsets[v];
            switch (layout->codes[v]) {
            case 'd': { const double x = row * 2e-4 + noise(rng); std::memcpy(field, &x, 8); break; }
            case 'f': { const float x = 10.0f; std::memcpy(field, &x, 4); break; }
            case '?': *field = char(rng() & 1); break;
            default: std::memset(field, 0, size_t(m81::structCodeSize(layout->codes[v]))); break;
            }
        }
    }
    const QByteArray reply = m81::encodeBase64(bytes);
    m81::RowDecoder decoder(*layout);
    std::vector<double> out;
    out.reserve(size_t(rowsPerReply) * size_t(layout->valueCount()));
    QElapsedTimer t;
    t.start();
    while (r.rows < totalRows) {
        out.clear();
        const auto n = decoder.feed(reply, out, &error);
        if (!n || *n != size_t(rowsPerReply)) {
            r.error = n ? QStringLiteral("decoded %1 rows of %2").arg(*n).arg(rowsPerReply) : error;
            return r;
        }
        r.rows += *n;
    }
    r.seconds = double(t.nsecsElapsed()) * 1e-9;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double seconds = 60;
    int rate = 5000;
    quint64 parserRows = 5'000'000;
    QString simPath = QStringLiteral(BENCHSCOPE_SIM);
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--rate") && i + 1 < argc)
            rate = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--parser-rows") && i + 1 < argc)
            parserRows = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--sim") && i + 1 < argc)
            simPath = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::printf("usage: %s [--seconds N] [--rate R] [--parser-rows N] [--sim BENCHSCOPE_SIM]\n", argv[0]);
            return 0;
        } else {
            // scripts/bench gives every benchmark the same arguments: another one's option is skipped.
            std::fprintf(stderr, "bench_m81_stream: ignoring '%s' (not an option of this benchmark)\n", argv[i]);
        }
    }
    if (seconds <= 0 || rate < 1 || rate > 5000) {
        std::fprintf(stderr, "--seconds must be > 0 and --rate 1..5000\n");
        return 64;
    }
    registerBuiltinDrivers();

    std::printf("M81 stream: benchscope-sim m81 (own process) -> m81 driver (InstrumentHost) -> counting sink\n"
                "%d rows/s, 10 elements (%s), %.0f s, bounded: %lld rows\n",
                rate, kElements, seconds, std::llround(rate * seconds));
    std::fflush(stdout);
    const StreamResult s = runStream(simPath, rate, seconds);
    const quint64 lost = (s.asked > s.rows ? s.asked - s.rows : 0) + s.hostLost;
    std::printf("rows %llu of %llu in %.1f s: %.1f rows/s sustained (%.4f of the rate)\n", s.rows, s.asked, s.seconds,
                double(s.rows) / s.seconds, double(s.rows) / s.seconds / rate);
    std::printf("overflow: %d incomplete captures, %llu overflow blocks; lost rows %llu (host index gaps %llu)\n",
                s.incompleteCaptures, s.overflowBlocks, lost, s.hostLost);
    std::printf("driver thread CPU %.2f %% of one core; simulator process %.1f %%; other processes %.0f %%\n",
                s.driverCpuPercent, s.simCpuPercent, s.othersPercent);
    std::printf("threads: %s\n", s.cpu.c_str());
    if (!s.error.isEmpty())
        std::printf("error: %s\n", qPrintable(s.error));
    const bool streamGoal = s.error.isEmpty() && s.incompleteCaptures == 0 && s.overflowBlocks == 0 && lost == 0
                            && s.driverCpuPercent < 5.0;
    std::printf("goal 0 overflow, 0 lost, driver < 5 %% of a core: %s\n", streamGoal ? "MET" : "NOT MET");

    const ParserResult p = runParser(parserRows, 100'000);
    if (!p.error.isEmpty()) {
        std::printf("parser: error: %s\n", qPrintable(p.error));
        return 1;
    }
    const double rowsPerSecond = double(p.rows) / p.seconds;
    std::printf("parser alone (RowDecoder, %d-byte rows, replies of 100000 rows): %llu rows in %.3f s = %.3g rows/s, "
                "%.0fx the 5000 rows/s maximum\n",
                p.rowBytes, p.rows, p.seconds, rowsPerSecond, rowsPerSecond / 5000.0);
    return streamGoal ? 0 : 1;
}
