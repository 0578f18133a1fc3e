// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HostPort.h"
#include "PandaProtocol.h"

#include <QObject>
#include <QTcpSocket>
#include <QTimer>

#include <deque>
#include <functional>

namespace bs::panda {

/// The control connection (TCP 8888): sends LF-terminated commands, possibly pipelined, and hands
/// each reply to the callback of its request, strictly in request order.
class PandaDriverControlLink : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ControlReply &)>;

    explicit PandaDriverControlLink(QObject *parent = nullptr);

    void connectTo(const HostPort &endpoint);
    /// Closes the connection we no longer want. Pending requests are dropped without calling them
    /// back: the caller knows why it disconnects, and a "disconnected" reply would read as the
    /// device refusing the request.
    void disconnectFromHost();
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QString peer() const { return m_peer; }

    /// Sends `line` (without LF); `done` gets the reply (an Error reply on timeout or disconnect).
    void send(const QByteArray &line, Callback done = {});
    void query(const QString &target, Callback done) { send(target.toUtf8() + '?', std::move(done)); }
    void assign(const QString &target, const QString &value, Callback done = {});
    int pending() const { return int(m_pending.size()); }
    /// Blocks this thread (at most `ms`) until every request sent so far has its reply, handing
    /// the replies to their callbacks as they come. For close(): a DISARM must reach the PandA and
    /// be answered before the socket goes. False if the time ran out or the connection failed.
    bool waitForReplies(int ms);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

Q_SIGNALS:
    void connected();
    /// The connection failed or was lost; `reason` names the peer and the socket error.
    void connectionLost(const QString &reason);

private:
    void onReadyRead();
    void failAll(const QString &reason);

    QTcpSocket m_socket;
    ControlReplyParser m_parser;
    std::deque<Callback> m_pending;
    QTimer m_timeout;
    QString m_peer;
    int m_timeoutMs = 5000;
};

} // namespace bs::panda
