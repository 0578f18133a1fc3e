// SPDX-License-Identifier: GPL-3.0-or-later
// bench_moku_stream [--seconds N] [--samples-per-line N[,N...]] [--no-driver] [--driver-samples N]
//
// The Moku live-data parse path (docs/protocols/moku.md §6): NDJSON lines as the `mokucli stream`
// bridge serves them, {"time":[…],"ch1":[…](,"ch2":[…])}, fed in 64 KiB pieces (as socket reads
// arrive) through NdjsonLineSplitter → parseStreamLine → StreamContinuity, on one thread. For one
// and two channels and several line sizes: samples/s sustained (wall), CPU seconds per million
// samples (this thread's CPU clock), and what the goal — a Moku:Pro's 10 MSa/s on one channel, i.e.
// 20 M numbers/s with the time column — would cost in % of one core (two channels: at 5 MSa/s,
// the Pro's maximum with two inputs). Also the writer
// (appendStreamLine, what the simulator uses to produce the stream) in samples/s, and Qt's own
// QJsonDocument on the same lines for comparison.
//
// With --driver (default on): the full driver path. `MokuSimulator` (Moku:Pro, in process on its own
// thread) answers the REST API; a thread of this benchmark is the stream bridge: it serves
// pre-written NDJSON (10 MSa/s time stamps, one input) over local TCP as fast as the driver reads
// it, then EOS. The `moku` driver (setting `bridge` = that port) runs in an InstrumentHost (thread
// drv-moku) into a counting sink: samples/s from the bridge's accept to Finished, samples lost, and
// the driver thread's CPU.
#include "BenchUtil.h"
#include "InstrumentHost.h"
#include "MokuDriver.h"
#include "MokuProtocolNdjson.h"
#include "MokuSimulator.h"
#include "SimulatorThread.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QThread>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <time.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace bs::moku;
using bs::SimulatorThread;

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


// ---------------------------------------------------------------------------------------------
// The full driver path

class CountingSink : public bs::BlockSink
{
public:
    void setStreams(const QString &, const QVector<bs::StreamInfo> &) override {}
    void consume(const bs::SampleBlockPtr &b) override
    {
        samples.fetch_add(quint64(b->sampleCount));
        if (b->flags & (bs::SampleBlock::Overflow | bs::SampleBlock::DataLost))
            lossBlocks.fetch_add(1);
    }
    std::atomic<quint64> samples{0};
    std::atomic<quint64> lossBlocks{0};
};

bool waitFor(const std::function<bool()> &pred, double seconds)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < qint64(seconds * 1000)) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
        QThread::msleep(1);
    }
    return pred();
}

/// One connection: sends `bytes` as fast as the reader takes them, then waits for it to close.
class BridgeServer
{
public:
    explicit BridgeServer(const std::string &bytes) : m_bytes(bytes)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(m_fd, 1) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~BridgeServer()
    {
        ::shutdown(m_fd, SHUT_RDWR);
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_fd);
    }
    quint16 port() const { return m_port; }
    std::atomic<qint64> acceptedNs{0};
    std::atomic<bool> sentAll{false};

private:
    void run()
    {
        const int c = ::accept(m_fd, nullptr, nullptr);
        if (c < 0)
            return;
        acceptedNs = std::chrono::steady_clock::now().time_since_epoch().count();
        std::size_t at = 0;
        while (at < m_bytes.size()) {
            const ssize_t n = ::send(c, m_bytes.data() + at, std::min<std::size_t>(m_bytes.size() - at, 1 << 20),
                                     MSG_NOSIGNAL);
            if (n <= 0)
                break;
            at += std::size_t(n);
        }
        sentAll = at == m_bytes.size();
        ::shutdown(c, SHUT_WR);
        char sink[256];
        while (::recv(c, sink, sizeof sink, 0) > 0) {
        }
        ::close(c);
    }

    const std::string &m_bytes;
    int m_fd = -1;
    quint16 m_port = 0;
    std::thread m_thread;
};

double threadCpuOf(const bs::bench::ThreadCpu::Sample &s, const std::string &name)
{
    double sum = 0;
    for (const auto &[tid, nameCpu] : s.threads)
        if (nameCpu.first == name)
            sum += nameCpu.second;
    return sum;
}

bool runDriverPath(std::size_t totalSamples, std::size_t perLine)
{
    using namespace bs;
    const double rate = 10e6;
    std::printf("\nfull driver path: MokuSimulator (Moku:Pro, REST) + a bridge thread serving NDJSON over local TCP "
                "-> moku driver (InstrumentHost) -> counting sink\n");
    const Stream s = makeStream(1, perLine, totalSamples, rate);
    std::printf("%zu samples at %.0f MSa/s time stamps, one input, %zu per line (%.1f MB)\n", s.samples, rate / 1e6,
                perLine, double(s.bytes.size()) / 1e6);
    std::fflush(stdout);

    MokuSimulator::Config cfg;
    cfg.model = Model::Pro;
    cfg.deployDelay = 0.1;
    cfg.bridgePort = -1;
    cfg.idleTimeout = 3600;
    cfg.streamBufferSeconds = 3600;
    bool started = false;
    QString error;
    quint16 port = 0;
    SimulatorThread sim(QStringLiteral("moku-sim"), [cfg] { return new MokuSimulator(cfg); });
    sim.call([&](QObject *o) {
        auto *m = static_cast<MokuSimulator *>(o);
        started = m->start(&error);
        port = m->port();
    });
    if (!started) {
        std::printf("error: the simulator did not start: %s\n", qPrintable(error));
        return false;
    }
    BridgeServer bridge(s.bytes);
    if (!bridge.port()) {
        std::printf("error: no local port for the bridge\n");
        return false;
    }
    auto drv = std::make_unique<MokuDriver>();
    drv->setId(QStringLiteral("moku"));
    drv->setAddress(QStringLiteral("127.0.0.1:%1").arg(port));
    auto host = std::make_unique<InstrumentHost>(std::move(drv));
    QStringList errors;
    QObject::connect(host.get(), &InstrumentHost::errorOccurred, [&](const QString &m) { errors << m; });
    CountingSink sink;
    host->addSink(&sink);
    host->setParameter(QStringLiteral("bridge"), QStringLiteral("127.0.0.1:%1").arg(bridge.port()));
    host->setParameter(QStringLiteral("in1_enable"), true);
    host->setParameter(QStringLiteral("in2_enable"), false);
    host->setParameter(QStringLiteral("rate"), rate);
    host->setParameter(QStringLiteral("duration"), 3600);
    host->open();
    if (!waitFor([&] { return host->state() == Instrument::State::Connected; }, 60)) {
        std::printf("error: the driver did not connect: %s\n", qPrintable(errors.join(QStringLiteral("; "))));
        return false;
    }
    bench::ThreadCpu cpu;
    const auto c0 = cpu.sample();
    host->start();
    const bool ended = waitFor([&] {
        const auto st = host->state();
        return st == Instrument::State::Finished || st == Instrument::State::Error;
    }, 600);
    const qint64 endNs = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto c1 = cpu.sample();
    const double wall = double(endNs - bridge.acceptedNs.load()) * 1e-9;
    const InstrumentStats st = host->stats();
    const quint64 got = sink.samples.load();
    const double driverCpu = threadCpuOf(c1, "drv-moku") - threadCpuOf(c0, "drv-moku");
    std::printf("received %llu of %zu samples in %.3f s (bridge accept -> Finished): %.3e samples/s, %.2fx 10 MSa/s\n",
                got, s.samples, wall, double(got) / wall, double(got) / wall / rate);
    std::printf("lost: host index gaps %llu, loss-flagged blocks %llu; driver thread CPU %.3f s = %.4f CPU s per "
                "million samples (10 MSa/s would cost %.0f %% of a core)\n",
                st.lostSamples, sink.lossBlocks.load(), driverCpu, driverCpu / double(got) * 1e6,
                100.0 * rate * driverCpu / double(got));
    std::printf("threads: %s\n", bench::ThreadCpu::report(c0, c1).c_str());
    if (!ended)
        errors << QStringLiteral("the stream did not end within 600 s");
    if (!errors.isEmpty())
        std::printf("error: %s\n", qPrintable(errors.join(QStringLiteral("; "))));
    host->close();
    waitFor([&] { return host->state() == Instrument::State::Disconnected; }, 10);
    host.reset();
    return ended && errors.isEmpty() && got == s.samples && st.lostSamples == 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double seconds = 3;
    std::vector<std::size_t> perLineSizes{1000, 10000, 100000, 1000000};
    bool driver = true;
    std::size_t driverSamples = 10000000;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--seconds") && i + 1 < args.size()) {
            // `scripts/bench --seconds 60` is meant for the streaming benchmarks; a tenth is plenty
            seconds = std::max(0.5, args[++i].toDouble() / 10.0);
        } else if (args[i] == QLatin1String("--samples-per-line") && i + 1 < args.size()) {
            perLineSizes.clear();
            for (const QString &n : args[++i].split(QLatin1Char(',')))
                perLineSizes.push_back(std::size_t(n.toULongLong()));
        } else if (args[i] == QLatin1String("--no-driver")) {
            driver = false;
        } else if (args[i] == QLatin1String("--driver-samples") && i + 1 < args.size()) {
            driverSamples = std::size_t(args[++i].toULongLong());
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
    // for comparison: Qt's own JSON parser on the same lines (QJsonDocument, then each array's doubles)
    {
        const Stream s = makeStream(1, 100000, 2000000, 10e6);
        std::vector<double> t, v;
        std::size_t samples = 0;
        QElapsedTimer wall;
        const double cpu0 = threadCpuSeconds();
        wall.start();
        while (wall.nsecsElapsed() < qint64(seconds * 1e9)) {
            std::size_t from = 0;
            for (std::size_t nl; (nl = s.bytes.find('\n', from)) != std::string::npos; from = nl + 1) {
                const QByteArray line = QByteArray::fromRawData(s.bytes.data() + from, qsizetype(nl - from));
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                const QJsonArray ta = o.value(QLatin1String("time")).toArray();
                const QJsonArray va = o.value(QLatin1String("ch1")).toArray();
                t.resize(std::size_t(ta.size()));
                v.resize(std::size_t(va.size()));
                for (qsizetype i = 0; i < ta.size(); ++i)
                    t[std::size_t(i)] = ta.at(i).toDouble();
                for (qsizetype i = 0; i < va.size(); ++i)
                    v[std::size_t(i)] = va.at(i).toDouble();
                samples += t.size();
            }
        }
        const double cpu = threadCpuSeconds() - cpu0;
        const double perSample = cpu / double(samples);
        std::printf("for comparison, Qt's QJsonDocument on the same 1-channel lines of 100000: %.3e samples/s, "
                    "%.4f CPU s per million samples (10 MSa/s would cost %.0f %% of a core)\n",
                    double(samples) / (double(wall.nsecsElapsed()) * 1e-9), perSample * 1e6, 100.0 * perSample * kGoalRate);
    }
    std::printf("\ngoal (one channel at 10 MSa/s under one core, no false gaps): %s\n", met ? "MET" : "MISSED");
    if (driver && !runDriverPath(driverSamples, 100000)) {
        std::printf("full driver path: FAILED (see above)\n");
        met = false;
    }
    return met ? 0 : 1;
}
