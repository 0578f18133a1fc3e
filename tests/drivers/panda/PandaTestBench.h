// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the PandA driver tests share: a simulator on its own thread with a driver on its host
// (Bench), another control client, and waits with generous timeouts (no wall-clock assertions).

#include "../CollectingSink.h"
#include "../SpyText.h"
#include "DriverRegistry.h"
#include "InstrumentHost.h"
#include "PandaDriver.h"
#include "PandaSimulator.h"
#include "SimulatorThread.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

namespace bs::panda::test {

using bs::test::spyContains;

using bs::test::CollectingSink;


inline constexpr int kWaitMs = 20000; // generous: a loaded 2-core machine

struct Bench
{
    explicit Bench(PandaSimulator::Config cfg = {})
    {
        cfg.controlPort = 0;
        cfg.dataPort = 0;
        sim = std::make_unique<SimulatorThread>(QStringLiteral("sim"), [cfg] { return new PandaSimulator(cfg); });
        sim->call([this](QObject *o) {
            auto *p = static_cast<PandaSimulator *>(o);
            started = p->start(&error);
            control = p->controlPort();
            data = p->dataPort();
        });
        auto drv = std::make_unique<PandaDriver>();
        drv->setId(QStringLiteral("panda1"));
        const bool v6 = cfg.address.protocol() == QAbstractSocket::IPv6Protocol;
        drv->setAddress((v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(cfg.address.toString()).arg(control));
        drv->setParameter(QStringLiteral("data_port"), int(data));
        host = std::make_unique<InstrumentHost>(std::move(drv));
        host->addSink(&sink);
    }
    PandaSimulator *simulator() const { return static_cast<PandaSimulator *>(sim->object()); }
    void inject(PandaSimulator::Fault f)
    {
        sim->call([f](QObject *o) { static_cast<PandaSimulator *>(o)->injectFault(f); });
    }

    std::unique_ptr<SimulatorThread> sim;
    CollectingSink sink;
    std::unique_ptr<InstrumentHost> host;
    bool started = false;
    QString error;
    quint16 control = 0, data = 0;
};

inline bool waitState(InstrumentHost &h, Instrument::State s, int ms = kWaitMs)
{
    QElapsedTimer t;
    t.start();
    while (h.state() != s && t.elapsed() < ms)
        QTest::qWait(5);
    return h.state() == s;
}

/// Starts a 10 kHz capture and waits until at least `minRows` rows have arrived.
inline bool startStreaming(Bench &b, quint64 minRows)
{
    b.host->setParameter(QStringLiteral("clock_period"), 1e-4);
    b.host->start();
    if (!waitState(*b.host, Instrument::State::Running))
        return false;
    QElapsedTimer t;
    t.start();
    while (b.sink.rows() < minRows && t.elapsed() < kWaitMs)
        QTest::qWait(5);
    return b.sink.rows() >= minRows;
}


/// Another program on the same PandA: a blocking control client of its own.
class OtherClient
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(kWaitMs);
    }
    /// Sends one command; returns "OK", "OK =v", "ERR …", or a list as its lines joined by '\n'.
    QString ask(const QByteArray &line)
    {
        m_socket.write(line + '\n');
        m_socket.flush();
        QString multi;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < kWaitMs) {
            while (m_socket.canReadLine()) {
                QByteArray l = m_socket.readLine();
                l.chop(1);
                if (l.startsWith('!')) {
                    multi += QString::fromUtf8(l.mid(1)) + QLatin1Char('\n');
                    continue;
                }
                if (l == ".")
                    return multi;
                return QString::fromUtf8(l);
            }
            m_socket.waitForReadyRead(50);
        }
        return QStringLiteral("(no reply to %1)").arg(QString::fromUtf8(line));
    }
    bool busy() { return ask("*PCAP.STATUS?").startsWith(QLatin1String("OK =Busy")); }

private:
    QTcpSocket m_socket;
};

/// The other client's capture: COUNTER2 and TS_TRIG at 10 kHz.
inline bool armAsOther(OtherClient &o)
{
    return o.ask("*CAPTURE=") == QLatin1String("OK") && o.ask("COUNTER2.OUT.CAPTURE=Value") == QLatin1String("OK")
        && o.ask("PCAP.TS_TRIG.CAPTURE=Value") == QLatin1String("OK")
        && o.ask("CLOCK1.PERIOD=0.0001") == QLatin1String("OK") && o.ask("*PCAP.ARM=") == QLatin1String("OK");
}

inline const QString kOtherCapture = QStringLiteral("COUNTER2.OUT Value\nPCAP.TS_TRIG Value\n");

/// Data blocks follow each other without a restart of the sample index: one StartOfCapture.
inline bool indexContinuous(const std::vector<SampleBlockPtr> &blocks, QString *why)
{
    quint64 next = 0;
    int starts = 0;
    for (const auto &b : blocks) {
        if (b->flags & SampleBlock::StartOfCapture)
            ++starts;
        if (b->sampleCount == 0)
            continue;
        if (b->firstIndex != next) {
            *why = QStringLiteral("block at index %1, expected %2").arg(b->firstIndex).arg(next);
            return false;
        }
        next = b->firstIndex + b->sampleCount;
    }
    if (starts != 1)
        *why = QStringLiteral("%1 blocks flagged StartOfCapture").arg(starts);
    return starts == 1;
}

inline bool waitRows(Bench &b, quint64 rows)
{
    QElapsedTimer t;
    t.start();
    while (b.sink.rows() < rows && t.elapsed() < kWaitMs)
        QTest::qWait(5);
    return b.sink.rows() >= rows;
}

/// Runs one capture of ours that ends by its row limit: waits for the END marker, not for the
/// (possibly very short) Running state.
inline bool runToEnd(Bench &b, quint64 rows)
{
    b.host->start();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < kWaitMs) {
        const auto blocks = b.sink.blocks();
        if (b.sink.rows() >= rows && !blocks.empty() && (blocks.back()->flags & SampleBlock::EndOfCapture)
            && b.host->state() == Instrument::State::Finished)
            return true;
        QTest::qWait(5);
    }
    return false;
}


} // namespace bs::panda::test
