// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HostPort.h"
#include "PandaProtocol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>

#include <deque>
#include <functional>

namespace bs::panda {

/// The control connection (TCP 8888): sends LF-terminated commands, possibly pipelined, and hands
/// each reply to the callback of its request, strictly in request order.
///
/// A peer that breaks the protocol loses the connection (connectionLost() names what was wrong,
/// peer bytes escaped): a line or list beyond the parser's bounds, a line that is no reply, a reply
/// when no request waits, a reply of the wrong shape (an assignment answered with a value or list, a
/// query with a bare OK, a value query with a list or the reverse: replies out of step). Each reply
/// must be complete within the timeout counted from the moment it became due (its command sent, or
/// the reply before it complete), however the bytes trickle in.
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

    /// The reply shape a request must get (an `ERR` always fits).
    enum class Expect { Ok, Value, List };
    /// Sends `line` (without LF); `done` gets the reply (an Error reply on timeout or disconnect).
    /// An assignment (`NAME=value`) expects `OK`.
    void send(const QByteArray &line, Callback done = {}, Expect expect = Expect::Ok);
    /// `target?` answered `OK =value`.
    void query(const QString &target, Callback done) { send(target.toUtf8() + '?', std::move(done), Expect::Value); }
    /// `target?` answered with a `!`…`.` list.
    void queryList(const QString &target, Callback done)
    {
        send(target.toUtf8() + '?', std::move(done), Expect::List);
    }
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
    struct Pending
    {
        Callback done;
        Expect expect = Expect::Ok;
        QByteArray command; // for the message when the reply is out of step
    };

    void onReadyRead();
    void failAll(const QString &reason);
    /// Closes the connection because of the peer: frees the parser, reports `reason`.
    void protocolFailure(const QString &reason);
    /// (Re)starts the timer for the reply now due: timeout minus the time it has been due.
    void armDeadline();

    QTcpSocket m_socket;
    ControlReplyParser m_parser;
    std::deque<Pending> m_pending;
    QTimer m_timeout;
    QElapsedTimer m_due; // since the oldest pending reply became due
    QString m_peer;
    int m_timeoutMs = 5000;
};

} // namespace bs::panda
