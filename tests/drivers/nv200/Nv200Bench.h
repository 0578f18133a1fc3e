// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The NV200 driver test bench: an Nv200Simulator on its own thread, the driver in an
// InstrumentHost with a collecting sink, and waits with generous limits.
#include "../CollectingSink.h"
#include "../SpyText.h"
#include "InstrumentHost.h"
#include "Nv200Driver.h"
#include "Nv200Simulator.h"
#include "SimulatorThread.h"

#include <QSignalSpy>
#include <QtTest>

#include <functional>
#include <memory>

namespace bs::nv200::test_bench {

using bs::test::CollectingSink;

/// TcpOldFirmware: a device that refuses `recoutf` (error,2), so the driver reads with `recout`.
enum class Transport { Tcp, Pty, TcpOldFirmware };

struct Bench
{
    explicit Bench(Transport t = Transport::Tcp, const std::function<void(Nv200Driver &)> &setup = {},
                   const std::function<void(Nv200Simulator::Config &)> &simSetup = {})
    {
        Nv200Simulator::Config cfg;
        cfg.port = 0;
        cfg.pty = t == Transport::Pty;
        cfg.recoutfSupported = t != Transport::TcpOldFirmware;
        if (simSetup)
            simSetup(cfg);
        sim = std::make_unique<SimulatorThread>(QStringLiteral("nv200-sim"), [cfg] { return new Nv200Simulator(cfg); });
        sim->call([this](QObject *o) {
            auto *s = static_cast<Nv200Simulator *>(o);
            started = s->start(&error);
            port = s->port();
            pty = s->ptyPath();
        });
        auto drv = std::make_unique<Nv200Driver>();
        drv->setId(QStringLiteral("nv1"));
        drv->setAddress(t == Transport::Pty ? pty : QStringLiteral("127.0.0.1:%1").arg(port));
        drv->setRecorderPollMs(10);
        if (setup)
            setup(*drv);
        host = std::make_unique<InstrumentHost>(std::move(drv));
        host->addSink(&sink);
        errors = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::errorOccurred);
        progress = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::progress);
    }
    Nv200Simulator *simulator() const { return static_cast<Nv200Simulator *>(sim->object()); }
    void inject(Nv200Simulator::Fault f)
    {
        simulator()->injectFault(f); // thread-safe
    }
    QString lastError() const { return errors->isEmpty() ? QString() : errors->last().at(0).toString(); }
    bool anyError(const QString &part) const { return bs::test::spyContains(*errors, part); }
    QString allErrors() const { return bs::test::spyJoined(*errors); }
    void set(const char *key, const QVariant &v) { host->setParameter(QLatin1String(key), v); }

    std::unique_ptr<SimulatorThread> sim;
    CollectingSink sink;
    std::unique_ptr<InstrumentHost> host;
    std::unique_ptr<QSignalSpy> errors, progress;
    bool started = false;
    QString error, pty;
    quint16 port = 0;
};

inline bool waitState(InstrumentHost &h, Instrument::State s, int ms = 20000)
{
    QElapsedTimer t;
    t.start();
    while (h.state() != s && t.elapsed() < ms)
        QTest::qWait(5);
    return h.state() == s;
}

/// Blocks of a stream that carry samples (the live stream also has sample-less index marks).
inline std::vector<SampleBlockPtr> dataBlocks(const CollectingSink &sink, const QString &stream)
{
    std::vector<SampleBlockPtr> out;
    for (const auto &b : sink.blocks(stream))
        if (b->sampleCount > 0)
            out.push_back(b);
    return out;
}

inline bool waitBlocks(const CollectingSink &sink, const QString &stream, std::size_t n, int ms = 20000)
{
    QElapsedTimer t;
    t.start();
    while (dataBlocks(sink, stream).size() < n && t.elapsed() < ms)
        QTest::qWait(5);
    return dataBlocks(sink, stream).size() >= n;
}

inline void transports()
{
    QTest::addColumn<int>("transport");
    QTest::newRow("tcp") << int(Transport::Tcp);
    QTest::newRow("pty") << int(Transport::Pty);
}

} // namespace bs::nv200::test_bench
