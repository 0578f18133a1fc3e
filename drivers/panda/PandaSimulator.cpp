// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulator.h"

#include "PandaSimulatorCapture.h"
#include "PandaSimulatorCommands.h"
#include "PandaSimulatorControlClient.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QMetaEnum>
#include <QThread>
#include <QTimer>

#include <cmath>
#include <utility>

namespace bs::panda {

/// Connects the command handler to the capture engine and the client lists.
class PandaSimulatorCaptureBridge final : public PandaSimulatorCaptureControl
{
public:
    explicit PandaSimulatorCaptureBridge(PandaSimulator &sim)
        : m_sim(sim)
    {
    }

    Reply arm() override
    {
        if (m_sim.m_armRace.exchange(false))
            m_sim.m_capture->arm(); // another client's ARM, handled just before this one
        Reply r = m_sim.m_capture->arm();
        if (!r.isError())
            Q_EMIT m_sim.captureArmed();
        return r;
    }
    void disarm() override { m_sim.m_capture->disarm(); }
    QByteArray captureStatus() const override { return m_sim.m_capture->captureStatus(); }
    quint64 capturedSamples() const override { return m_sim.m_capture->rowsGenerated(); }
    QByteArray completion() const override { return m_sim.m_capture->completion(); }
    QList<QByteArray> connectedClients() const override
    {
        QList<QByteArray> lines;
        for (const auto &c : m_sim.m_controlClients) {
            if (c)
                lines.append(c->whoLine());
        }
        return lines + m_sim.m_capture->dataClientLines();
    }

private:
    PandaSimulator &m_sim;
};

namespace {

CaptureSettings captureSettings(const PandaSimulatorConfig &c)
{
    CaptureSettings s;
    s.captureLimit = c.captureLimit;
    s.base64Nul = c.base64Nul;
    s.oldGateDurationType = c.oldGateDurationType || c.fpga.oldPcapNames;
    s.sendArmStartTime = c.sendArmStartTime;
    s.lateJoinReportsMissed = c.lateJoinReportsMissed;
    s.overrunBytes = c.overrunBytes;
    s.tickMs = c.tickMs;
    s.replay = c.replayData;
    s.replayChunkBytes = c.replayChunkBytes;
    s.replayDelayMs = c.replayDelayMs;
    return s;
}

} // namespace

PandaSimulator::PandaSimulator(const Config &cfg, QObject *parent)
    : QObject(parent)
    , m_config(cfg)
    , m_model(std::make_unique<PandaSimulatorModel>(cfg.fpga))
    , m_bridge(std::make_unique<PandaSimulatorCaptureBridge>(*this))
    , m_commands(std::make_unique<PandaSimulatorCommands>(*m_model, *m_bridge))
    , m_capture(new PandaSimulatorCapture(*m_model, captureSettings(cfg), this))
    , m_controlServer(new QTcpServer(this))
    , m_dataServer(new QTcpServer(this))
{
    m_controlFaults.refusedPrefix = cfg.refusedCommand;
    connect(m_controlServer, &QTcpServer::newConnection, this, &PandaSimulator::onControlConnection);
    connect(m_dataServer, &QTcpServer::newConnection, this, &PandaSimulator::onDataConnection);
    connect(m_capture, &PandaSimulatorCapture::captureFinished, this,
        [this](quint64 rows, const QByteArray &reason) {
            emit captureFinished(rows, QString::fromUtf8(reason));
        });
}

PandaSimulator::~PandaSimulator()
{
    if (QThread::currentThread() != thread() && thread() && thread()->isRunning())
        QMetaObject::invokeMethod(
            this, [this] { stopHere(); }, Qt::BlockingQueuedConnection);
    else
        stopHere();
}

bool PandaSimulator::start(QString *error)
{
    if (QThread::currentThread() == thread())
        return startHere(error);
    bool ok = false;
    QMetaObject::invokeMethod(
        this, [&] { ok = startHere(error); }, Qt::BlockingQueuedConnection);
    return ok;
}

void PandaSimulator::stop()
{
    if (QThread::currentThread() == thread())
        stopHere();
    else
        QMetaObject::invokeMethod(
            this, [this] { stopHere(); }, Qt::BlockingQueuedConnection);
}

bool PandaSimulator::startHere(QString *error)
{
    if (m_running)
        return true;
    auto fail = [&](QTcpServer *server, const char *what) {
        if (error)
            *error = tr("PandA simulator: cannot listen on %1 port %2: %3")
                         .arg(QLatin1String(what), m_config.address.toString(), server->errorString());
        m_controlServer->close();
        m_dataServer->close();
        return false;
    };
    if (!m_controlServer->listen(m_config.address, m_config.controlPort))
        return fail(m_controlServer, "control");
    if (!m_dataServer->listen(m_config.address, m_config.dataPort))
        return fail(m_dataServer, "data");
    m_controlPort = m_controlServer->serverPort();
    m_dataPort = m_dataServer->serverPort();
    m_running = true;
    return true;
}

void PandaSimulator::stopHere()
{
    m_rebootPending = false;
    m_controlServer->close();
    m_dataServer->close();
    const auto clients = m_controlClients;
    m_controlClients.clear();
    for (const auto &c : clients)
        delete c.data();
    m_capture->shutdown();
    m_running = false;
    m_controlPort = 0;
    m_dataPort = 0;
}

void PandaSimulator::onControlConnection()
{
    while (QTcpSocket *socket = m_controlServer->nextPendingConnection()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *client = new PandaSimulatorControlClient(socket, *m_commands, m_controlFaults, this);
        m_controlClients.append(client);
        connect(client, &PandaSimulatorControlClient::closed, this,
            [this, client] { m_controlClients.removeAll(client); });
    }
}

void PandaSimulator::onDataConnection()
{
    while (QTcpSocket *socket = m_dataServer->nextPendingConnection())
        m_capture->addDataClient(socket);
}

void PandaSimulator::setTriggerRate(double rowsPerSecond)
{
    qint64 ticks = 0;
    if (rowsPerSecond > 0 && std::isfinite(rowsPerSecond))
        ticks = qMax<qint64>(1, std::llround(double(kClockHz) / rowsPerSecond));
    auto apply = [this, ticks] {
        m_clockTicks = ticks;
        m_model->setClockPeriodTicks(0, ticks);
    };
    if (QThread::currentThread() == thread())
        apply();
    else
        QMetaObject::invokeMethod(this, apply, Qt::QueuedConnection);
}

void PandaSimulator::injectFault(Fault f)
{
    switch (f) {
    case Fault::OtherClientArmsFirst:
        m_armRace = true;
        return;
    case Fault::ControlDrop:
        QMetaObject::invokeMethod(this, [this] { dropControlClients(); }, Qt::QueuedConnection);
        return;
    case Fault::Reboot:
        QMetaObject::invokeMethod(this, [this] { reboot(); }, Qt::QueuedConnection);
        return;
    case Fault::None:
    case Fault::ControlStall:
    case Fault::ControlGarbage:
    case Fault::ControlExtraLine:
    case Fault::ControlSwapReplies:
    case Fault::ControlDropMidReply:
    case Fault::ClockOutOfRange:
        if (QThread::currentThread() == thread())
            applyControlFault(f);
        else
            QMetaObject::invokeMethod(this, [this, f] { applyControlFault(f); }, Qt::QueuedConnection);
        if (f != Fault::None)
            return;
        break;
    default:
        break;
    }
    m_capture->requestFault(CaptureFault(int(f)));
}

void PandaSimulator::applyControlFault(Fault f)
{
    using Next = ControlFaults::Next;
    switch (f) {
    case Fault::ControlStall:
        for (const auto &c : std::as_const(m_controlClients))
            if (c)
                c->stall();
        return;
    case Fault::ControlGarbage: m_controlFaults.next = Next::Garbage; return;
    case Fault::ControlExtraLine: m_controlFaults.next = Next::ExtraLine; return;
    case Fault::ControlSwapReplies: m_controlFaults.next = Next::Swap; return;
    case Fault::ControlDropMidReply: m_controlFaults.next = Next::DropMidReply; return;
    case Fault::ClockOutOfRange: m_controlFaults.next = Next::OutOfRange; return;
    default: m_controlFaults.next = Next::None; return;
    }
}

void PandaSimulator::setRefusedCommand(const QByteArray &prefix)
{
    auto apply = [this, prefix] { m_controlFaults.refusedPrefix = prefix; };
    if (QThread::currentThread() == thread())
        apply();
    else
        QMetaObject::invokeMethod(this, apply, Qt::QueuedConnection);
}

void PandaSimulator::reboot()
{
    if (!m_running)
        return;
    const quint16 control = m_controlPort, data = m_dataPort;
    stopHere(); // every connection dropped without END, both ports closed
    m_rebootPending = true;
    m_controlFaults.next = ControlFaults::Next::None;
    m_armRace = false;
    m_capture->requestFault(CaptureFault::None);
    *m_model = PandaSimulatorModel(m_config.fpga); // power-on state
    if (m_clockTicks >= 0)
        m_model->setClockPeriodTicks(0, m_clockTicks);
    QTimer::singleShot(m_config.rebootDownMs, this, [this, control, data] {
        if (!std::exchange(m_rebootPending, false))
            return; // stopped meanwhile
        const PandaSimulatorConfig again = m_config;
        m_config.controlPort = control;
        m_config.dataPort = data;
        QString error;
        if (!startHere(&error))
            qWarning("PandA simulator: after the simulated reboot: %s", qPrintable(error));
        m_config.controlPort = again.controlPort;
        m_config.dataPort = again.dataPort;
    });
}

QString PandaSimulator::faultName(Fault f)
{
    // "ControlStall" → "control-stall"
    const QString key = QLatin1String(QMetaEnum::fromType<Fault>().valueToKey(int(f)));
    QString out;
    for (int i = 0; i < key.size(); ++i) {
        if (key[i].isUpper() && i > 0)
            out += QLatin1Char('-');
        out += key[i].toLower();
    }
    return out;
}

bool PandaSimulator::faultFromName(const QString &name, Fault *f)
{
    const QMetaEnum e = QMetaEnum::fromType<Fault>();
    for (int i = 0; i < e.keyCount(); ++i)
        if (faultName(Fault(e.value(i))) == name) {
            *f = Fault(e.value(i));
            return true;
        }
    return false;
}

void PandaSimulator::dropControlClients()
{
    const auto clients = m_controlClients;
    m_controlClients.clear();
    for (const auto &c : clients)
        delete c.data();
    QTimer::singleShot(200, m_capture, [capture = m_capture] { capture->disarm(); });
}

quint64 PandaSimulator::rowsGenerated() const
{
    return m_capture->rowsGenerated();
}

} // namespace bs::panda
