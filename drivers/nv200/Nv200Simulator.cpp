// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200Simulator.h"

#include "Nv200SimulatorCommands.h"
#include "Nv200SimulatorLink.h"
#include "Nv200SimulatorModel.h"
#include "Nv200SimulatorPty.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <utility>

namespace bs::nv200 {

Nv200Simulator::Nv200Simulator(const Config &cfg, QObject *parent)
    : QObject(parent)
    , m_config(cfg)
    , m_model(std::make_unique<Nv200SimulatorModel>(actuatorByName(cfg.actuator)))
    , m_commands(std::make_unique<Nv200SimulatorCommands>(*m_model))
    , m_server(new QTcpServer(this))
    , m_housekeeping(new QTimer(this))
    , m_newcomerGrace(new QTimer(this))
{
    m_newcomerGrace->setSingleShot(true);
    connect(m_newcomerGrace, &QTimer::timeout, this, &Nv200Simulator::onNewcomerGraceOver);
    m_housekeeping->setInterval(qMax(1, cfg.housekeepingMs));
    m_housekeeping->setTimerType(Qt::PreciseTimer);
    connect(m_housekeeping, &QTimer::timeout, this, [this] {
        advance();
        if (!m_model->isActive())
            m_housekeeping->stop();
    });
    connect(m_server, &QTcpServer::newConnection, this, &Nv200Simulator::onNewConnection);
}

Nv200Simulator::~Nv200Simulator()
{
    if (QThread::currentThread() != thread() && thread() && thread()->isRunning())
        QMetaObject::invokeMethod(this, [this] { stopHere(); }, Qt::BlockingQueuedConnection);
    else
        stopHere();
}

bool Nv200Simulator::start(QString *error)
{
    if (QThread::currentThread() == thread())
        return startHere(error);
    bool ok = false;
    QMetaObject::invokeMethod(this, [&] { ok = startHere(error); }, Qt::BlockingQueuedConnection);
    return ok;
}

void Nv200Simulator::stop()
{
    if (QThread::currentThread() == thread())
        stopHere();
    else
        QMetaObject::invokeMethod(this, [this] { stopHere(); }, Qt::BlockingQueuedConnection);
}

QString Nv200Simulator::ptyPath() const
{
    QMutexLocker lock(&m_pathMutex);
    return m_ptyPath;
}

qint64 Nv200Simulator::simulatedTicks() const
{
    return m_model->tick();
}

bool Nv200Simulator::startHere(QString *error)
{
    if (m_running)
        return true;
    if (!m_clock.isValid())
        m_clock.start();
    // Started again after stop() (a reboot), it comes back at the address it had.
    const quint16 port = m_config.port != 0 ? m_config.port : m_lastPort;
    if (m_config.tcp && !m_server->listen(m_config.address, port)
        && !(port != m_config.port && m_server->listen(m_config.address, m_config.port))) {
        if (error)
            *error = tr("NV200 simulator: cannot listen on %1 port %2: %3")
                         .arg(m_config.address.toString())
                         .arg(m_config.port)
                         .arg(m_server->errorString());
        return false;
    }
    if (m_config.pty) {
        // CR NUL LF is the Telnet convention of the XPort; the USB serial line carries CR LF.
        const Nv200SimFraming framing { m_config.xoffFirst, false };
        m_pty = new Nv200SimulatorPty(framing, [this](QByteArrayView l) { return execute(l); }, m_faults, this);
        m_pty->setBaud(m_config.baud);
        if (!m_pty->open(error)) {
            delete m_pty;
            m_pty = nullptr;
            m_server->close();
            return false;
        }
        QMutexLocker lock(&m_pathMutex);
        m_ptyPath = m_pty->slavePath();
    }
    m_port = m_server->isListening() ? m_server->serverPort() : 0;
    m_lastPort = m_port;
    m_running = true;
    return true;
}

void Nv200Simulator::stopHere()
{
    m_server->close();
    m_newcomerGrace->stop();
    delete std::exchange(m_newcomer, nullptr);
    delete m_client.data();
    delete m_pty;
    m_pty = nullptr;
    {
        QMutexLocker lock(&m_pathMutex);
        m_ptyPath.clear();
    }
    m_housekeeping->stop();
    m_running = false;
    m_port = 0;
}

void Nv200Simulator::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // U14: one client at a time. A client that closed and at once connected again (the vendor
        // library's discover, close, connect) must not find its own old connection in the way,
        // so the old client is checked for life first, and a newcomer that finds it apparently
        // alive waits kNewcomerGraceMs for it to leave before it is refused.
        if (!m_client || !m_config.refuseSecondClient || !m_client->stillConnected()) {
            adopt(socket);
        } else if (!m_newcomer) {
            m_newcomer = socket;
            m_newcomerGrace->start(kNewcomerGraceMs);
        } else {
            refuse(socket);
        }
    }
}

void Nv200Simulator::onNewcomerGraceOver()
{
    QTcpSocket *socket = std::exchange(m_newcomer, nullptr);
    if (!socket)
        return;
    if (m_client && m_client->stillConnected())
        refuse(socket);
    else
        adopt(socket);
}

void Nv200Simulator::refuse(QTcpSocket *socket)
{
    socket->close(); // the newcomer is closed at once, nothing is answered
    socket->deleteLater();
}

void Nv200Simulator::adopt(QTcpSocket *socket)
{
    if (socket->state() != QAbstractSocket::ConnectedState) { // left while it waited
        socket->deleteLater();
        return;
    }
    delete m_client.data(); // refuseSecondClient off: the newcomer wins
    const Nv200SimFraming framing { m_config.xoffFirst, m_config.telnetCrNul };
    auto *link = new Nv200SimulatorTcpLink(
        socket, framing, [this](QByteArrayView l) { return execute(l); }, m_faults, this);
    m_client = link;
    connect(link, &Nv200SimulatorTcpLink::closed, this, [this, link] {
        if (m_client == link)
            m_client = nullptr;
        emit clientChanged(false);
        if (m_newcomer) { // the old client left while a newcomer waited for it
            m_newcomerGrace->stop();
            QMetaObject::invokeMethod(this, &Nv200Simulator::onNewcomerGraceOver, Qt::QueuedConnection);
        }
    });
    emit clientChanged(true);
}

void Nv200Simulator::advance()
{
    m_model->advanceTo(m_clock.nsecsElapsed() / Nv200SimulatorModel::kTickNs);
}

Nv200SimReply Nv200Simulator::execute(QByteArrayView line)
{
    advance();
    const bool refused = !m_config.recoutfSupported && (line == "recoutf" || line.startsWith("recoutf,"));
    Nv200SimReply reply = refused ? Nv200SimReply::error(2) : m_commands->execute(line);
    if (line == "meas")
        applyMeasFault(reply);
    applyReplyFault(line, reply);
    if (m_model->isActive() && !m_housekeeping->isActive())
        m_housekeeping->start();
    return reply;
}

void Nv200Simulator::setMeasFault(MeasFault f, int every)
{
    m_measEvery.store(qMax(1, every));
    m_measSeen.store(0);
    m_measFault.store(int(f));
}

void Nv200Simulator::applyMeasFault(Nv200SimReply &reply)
{
    const auto fault = MeasFault(m_measFault.load());
    if (fault == MeasFault::None || ++m_measSeen % quint64(m_measEvery.load()) != 0)
        return;
    const quint64 n = m_measFaulted++;
    Nv200SimReply r;
    switch (fault) {
    case MeasFault::None: return;
    case MeasFault::NoAnswer: r.silent = true; break;
    case MeasFault::Garbage: r.lines.append(QByteArray("meas,7\x7f\x1b.#\xe9")); break;
    case MeasFault::NotFinite: r.lines.append(QByteArray("meas,") + (n % 3 == 0 ? "nan" : n % 3 == 1 ? "inf" : "-inf")); break;
    }
    reply = r;
}

void Nv200Simulator::setReplyFault(const QByteArray &command, ReplyFault f)
{
    QMutexLocker lock(&m_replyFaultMutex);
    m_replyFaultCommand = command;
    m_replyFault = command.isEmpty() ? ReplyFault::None : f;
    if (m_replyFault == ReplyFault::Endless)
        m_faults.fetch_or(kFaultEndlessAllowed);
    else
        m_faults.fetch_and(~unsigned(kFaultEndlessAllowed)); // an endless answer under way stops
}

void Nv200Simulator::applyReplyFault(QByteArrayView line, Nv200SimReply &reply)
{
    ReplyFault fault;
    {
        QMutexLocker lock(&m_replyFaultMutex);
        const qsizetype comma = line.indexOf(',');
        if (m_replyFault == ReplyFault::None || line.first(comma < 0 ? line.size() : comma) != m_replyFaultCommand)
            return;
        fault = m_replyFault;
    }
    const bool hasValue = !reply.lines.isEmpty() && reply.valuePos >= 0;
    switch (fault) {
    case ReplyFault::None: return;
    case ReplyFault::Refuse: reply = Nv200SimReply::error(1); break;
    case ReplyFault::TooManyValues: {
        if (!hasValue)
            return;
        QByteArray &l = reply.lines.first();
        const QByteArray values = l.mid(reply.valuePos);
        l.reserve(l.size() + 100 * (values.size() + 1));
        for (int i = 1; i < 100; ++i)
            l += ',' + values;
        break;
    }
    case ReplyFault::Endless: {
        if (!hasValue)
            return;
        const QByteArray &l = reply.lines.first();
        const QByteArray last = l.mid(l.lastIndexOf(',') + 1);
        reply.endless = true;
        reply.endlessChunk = ',' + (last.isEmpty() ? QByteArray("0.000") : last);
        break;
    }
    case ReplyFault::ExtraLines:
        reply.lines.prepend("temp,25.000");
        reply.lines.append("stat,4");
        if (reply.valuePos >= 0)
            reply.valuePos = -1; // the first line is no longer the one with the value
        break;
    case ReplyFault::StaleFrame: reply.staleFrame = {QByteArray("recrun,1")}; break;
    case ReplyFault::OutOfRange:
        if (!hasValue)
            return;
        reply.lines.first().replace(reply.valuePos, reply.valueLen, "987654321.000");
        reply.valueLen = 13;
        break;
    }
    ++m_replyFaulted;
}

void Nv200Simulator::injectFault(Fault f)
{
    switch (f) {
    case Fault::None: m_faults.store(0); break;
    case Fault::StallMidReply: m_faults.fetch_or(kFaultStall); break;
    case Fault::DropConnection: m_faults.fetch_or(kFaultDrop); break;
    case Fault::GarbleValue: m_faults.fetch_or(kFaultGarble); break;
    }
}

} // namespace bs::nv200
