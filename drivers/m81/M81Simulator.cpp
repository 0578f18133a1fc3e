// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81Simulator.h"

#include "M81SimulatorCommands.h"
#include "M81SimulatorLink.h"
#include "M81SimulatorPty.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <utility>

namespace bs::m81 {

M81Simulator::M81Simulator(const Config &cfg, QObject *parent)
    : QObject(parent)
    , m_config(cfg)
    , m_server(new QTcpServer(this))
{
    m_clock.start();
    m_commands = std::make_unique<M81SimulatorCommands>(m_config, [this] { return m_clock.nsecsElapsed(); });
    connect(m_server, &QTcpServer::newConnection, this, &M81Simulator::onNewConnection);
}

M81Simulator::~M81Simulator()
{
    if (QThread::currentThread() != thread() && thread() && thread()->isRunning())
        QMetaObject::invokeMethod(this, [this] { stopHere(); }, Qt::BlockingQueuedConnection);
    else
        stopHere();
}

bool M81Simulator::start(QString *error)
{
    if (QThread::currentThread() == thread())
        return startHere(error);
    bool ok = false;
    QMetaObject::invokeMethod(this, [&] { ok = startHere(error); }, Qt::BlockingQueuedConnection);
    return ok;
}

void M81Simulator::stop()
{
    if (QThread::currentThread() == thread())
        stopHere();
    else
        QMetaObject::invokeMethod(this, [this] { stopHere(); }, Qt::BlockingQueuedConnection);
}

QString M81Simulator::ptyPath() const
{
    QMutexLocker lock(&m_pathMutex);
    return m_ptyPath;
}

bool M81Simulator::startHere(QString *error)
{
    if (m_running)
        return true;
    if (m_config.tcp && !m_server->listen(m_config.address, m_config.port)) {
        if (error)
            *error = tr("M81 simulator: cannot listen on %1 port %2: %3")
                         .arg(m_config.address.toString())
                         .arg(m_config.port)
                         .arg(m_server->errorString());
        return false;
    }
    if (m_config.pty) {
        m_pty = new M81SimulatorPty([this](QByteArrayView l) { return execute(l); }, [this] { overrun(); },
                                    m_faults, this);
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

void M81Simulator::stopHere()
{
    m_server->close();
    for (const QPointer<M81SimulatorTcpLink> &c : std::exchange(m_clients, {}))
        delete c.data();
    delete m_pty;
    m_pty = nullptr;
    {
        QMutexLocker lock(&m_pathMutex);
        m_ptyPath.clear();
    }
    m_running = false;
    m_port = 0;
}

void M81Simulator::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *link = new M81SimulatorTcpLink(
            socket, [this](QByteArrayView l) { return execute(l); }, [this] { overrun(); }, m_faults, this);
        m_clients.append(link);
        connect(link, &M81SimulatorTcpLink::closed, this, [this, link] {
            m_clients.removeAll(link);
            emit clientChanged(false);
        });
        emit clientChanged(true);
    }
}

M81SimAnswer M81Simulator::execute(QByteArrayView line)
{
    return m_commands->execute(line);
}

void M81Simulator::overrun()
{
    m_commands->pushError(-363, "");
}

void M81Simulator::injectFault(Fault f)
{
    switch (f) {
    case Fault::None:
        m_faults.store(0);
        m_commands->disarmFaults();
        break;
    case Fault::Stall: m_faults.fetch_or(kM81FaultStall); break;
    case Fault::TruncatedRow: m_commands->armTruncatedRow(); break;
    case Fault::ErrorMidStream: m_commands->armStreamError(); break;
    case Fault::DropConnection:
        QMetaObject::invokeMethod(this, [this] {
            m_clients.removeAll(nullptr);
            if (m_clients.isEmpty()) {
                m_faults.fetch_or(kM81FaultDrop); // the pty: its next answer stops half-way
                return;
            }
            const QList<QPointer<M81SimulatorTcpLink>> clients = m_clients; // hangUp() may remove them
            for (const QPointer<M81SimulatorTcpLink> &c : clients)
                if (c)
                    c->hangUp();
        }, Qt::QueuedConnection);
        break;
    }
}

bool M81Simulator::faultFromName(const QString &name, Fault *f)
{
    static const QList<std::pair<QString, Fault>> kNames {
        { QStringLiteral("drop"), Fault::DropConnection },
        { QStringLiteral("truncated-row"), Fault::TruncatedRow },
        { QStringLiteral("stall"), Fault::Stall },
        { QStringLiteral("error"), Fault::ErrorMidStream },
    };
    for (const auto &[n, fault] : kNames) {
        if (n == name) {
            *f = fault;
            return true;
        }
    }
    return false;
}

} // namespace bs::m81
