// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaDriverControlLink.h"

#include <QElapsedTimer>

namespace bs::panda {

PandaDriverControlLink::PandaDriverControlLink(QObject *parent)
    : QObject(parent)
    , m_socket(this)
    , m_timeout(this)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        const QString reason = tr("PandA at %1 did not answer within %2 s").arg(m_peer).arg(m_timeoutMs / 1000.0);
        m_socket.abort();
        // The cause first; requests still pending afterwards fail with the same reason.
        Q_EMIT connectionLost(reason);
        failAll(reason);
    });
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_timeout.stop();
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        Q_EMIT connected();
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, &PandaDriverControlLink::onReadyRead);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        const QString reason = tr("PandA control port %1: %2").arg(m_peer, m_socket.errorString());
        m_timeout.stop();
        Q_EMIT connectionLost(reason);
        failAll(reason);
    });
}

void PandaDriverControlLink::connectTo(const HostPort &endpoint)
{
    m_peer = endpoint.toString();
    m_parser = ControlReplyParser();
    m_pending.clear();
    m_socket.abort();
    m_socket.connectToHost(endpoint.host, endpoint.port);
    m_timeout.start(m_timeoutMs);
}

void PandaDriverControlLink::disconnectFromHost()
{
    m_timeout.stop();
    m_socket.blockSignals(true);
    m_socket.abort();
    m_socket.blockSignals(false);
    m_pending.clear();
}

void PandaDriverControlLink::send(const QByteArray &line, Callback done)
{
    if (!isConnected()) {
        if (done)
            done(ControlReply{ControlReply::Kind::Error, tr("not connected to %1").arg(m_peer), {}});
        return;
    }
    if (line.contains('\n') || line.contains('\r')) {
        if (done)
            done(ControlReply{ControlReply::Kind::Error, tr("refused to send a command containing CR or LF"), {}});
        return;
    }
    m_pending.push_back(std::move(done));
    m_socket.write(line + '\n');
    if (!m_timeout.isActive())
        m_timeout.start(m_timeoutMs);
}

void PandaDriverControlLink::assign(const QString &target, const QString &value, Callback done)
{
    QByteArray line = encodeAssign(target, value);
    if (line.isEmpty()) {
        if (done)
            done(ControlReply{ControlReply::Kind::Error, tr("'%1' is not a valid value for %2").arg(value, target), {}});
        return;
    }
    line.chop(1); // send() adds the LF
    send(line, std::move(done));
}

void PandaDriverControlLink::onReadyRead()
{
    m_parser.feed(m_socket.readAll());
    while (m_parser.hasReply()) {
        const ControlReply r = m_parser.takeReply();
        if (m_pending.empty())
            continue; // unsolicited text: nothing waits for it
        Callback cb = std::move(m_pending.front());
        m_pending.pop_front();
        if (cb)
            cb(r);
    }
    if (m_pending.empty())
        m_timeout.stop();
    else
        m_timeout.start(m_timeoutMs);
}

bool PandaDriverControlLink::waitForReplies(int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!m_pending.empty() && isConnected()) {
        const qint64 left = ms - clock.elapsed();
        if (left <= 0)
            return false;
        if (m_socket.bytesToWrite() > 0)
            m_socket.waitForBytesWritten(int(left));
        else if (m_socket.waitForReadyRead(int(left)))
            onReadyRead();
    }
    return m_pending.empty();
}

void PandaDriverControlLink::failAll(const QString &reason)
{
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &cb : pending)
        if (cb)
            cb(ControlReply{ControlReply::Kind::Error, reason, {}});
}

} // namespace bs::panda
