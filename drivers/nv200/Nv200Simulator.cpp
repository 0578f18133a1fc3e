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

namespace bs::nv200 {

Nv200Simulator::Nv200Simulator(const Config &cfg, QObject *parent)
    : QObject(parent)
    , m_config(cfg)
    , m_model(std::make_unique<Nv200SimulatorModel>(actuatorByName(cfg.actuator)))
    , m_commands(std::make_unique<Nv200SimulatorCommands>(*m_model))
    , m_server(new QTcpServer(this))
    , m_housekeeping(new QTimer(this))
{
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
    if (m_config.tcp && !m_server->listen(m_config.address, m_config.port)) {
        if (error)
            *error = tr("NV200 simulator: cannot listen on %1 port %2: %3")
                         .arg(m_config.address.toString())
                         .arg(m_config.port)
                         .arg(m_server->errorString());
        return false;
    }
    if (m_config.pty) {
        const Nv200SimFraming framing { m_config.xoffFirst, m_config.telnetCrNul };
        m_pty = new Nv200SimulatorPty(framing, [this](QByteArrayView l) { return execute(l); }, m_faults, this);
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
    m_running = true;
    return true;
}

void Nv200Simulator::stopHere()
{
    m_server->close();
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
        if (m_client && m_config.refuseSecondClient) {
            // U14: one connection at a time; the newcomer is closed at once.
            socket->close();
            socket->deleteLater();
            continue;
        }
        delete m_client.data(); // the newcomer wins
        const Nv200SimFraming framing { m_config.xoffFirst, m_config.telnetCrNul };
        auto *link = new Nv200SimulatorTcpLink(
            socket, framing, [this](QByteArrayView l) { return execute(l); }, m_faults, this);
        m_client = link;
        connect(link, &Nv200SimulatorTcpLink::closed, this, [this, link] {
            if (m_client == link)
                m_client = nullptr;
            emit clientChanged(false);
        });
        emit clientChanged(true);
    }
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
    if (m_model->isActive() && !m_housekeeping->isActive())
        m_housekeeping->start();
    return reply;
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
