// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaDriverControlLink.h"

#include <QElapsedTimer>

#include <algorithm>

namespace bs::panda {

PandaDriverControlLink::PandaDriverControlLink(QObject *parent)
    : QObject(parent)
    , m_socket(this)
    , m_timeout(this)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        // Counted from when the reply became due, not from the last byte: a peer that trickles
        // bytes without ever completing a reply is cut off too.
        const QString reason = m_pending.empty() || !isConnected()
            ? tr("PandA at %1 did not answer within %2 s").arg(m_peer).arg(m_timeoutMs / 1000.0)
            : tr("PandA at %1 did not complete its reply to '%2' within %3 s")
                  .arg(m_peer, escapePeerText(m_pending.front().command))
                  .arg(m_timeoutMs / 1000.0);
        protocolFailure(reason);
    });
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_timeout.stop();
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        Q_EMIT connected();
    });
    // Qt reads at most this much ahead of the parser; the parser bounds what it keeps.
    m_socket.setReadBufferSize(1 << 20);
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
    m_parser.reset();
    m_pending.clear();
    m_socket.abort();
    m_socket.connectToHost(endpoint.host, endpoint.port);
    m_timeout.start(m_timeoutMs);
}

void PandaDriverControlLink::armDeadline()
{
    if (m_pending.empty()) {
        m_timeout.stop();
        return;
    }
    m_timeout.start(int(std::max<qint64>(0, m_timeoutMs - m_due.elapsed())));
}

void PandaDriverControlLink::protocolFailure(const QString &reason)
{
    m_timeout.stop();
    m_socket.blockSignals(true); // the abort is ours: no second "connection lost"
    m_socket.abort();
    m_socket.blockSignals(false);
    m_parser.reset(); // frees a long partial line or list at once
    // The cause first; requests still pending afterwards fail with the same reason.
    Q_EMIT connectionLost(reason);
    failAll(reason);
}

void PandaDriverControlLink::disconnectFromHost()
{
    m_timeout.stop();
    m_socket.blockSignals(true);
    m_socket.abort();
    m_socket.blockSignals(false);
    m_pending.clear();
    m_parser.reset();
}

void PandaDriverControlLink::send(const QByteArray &line, Callback done, Expect expect)
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
    if (m_pending.empty()) {
        m_due.start();
        m_timeout.start(m_timeoutMs);
    }
    m_pending.push_back(Pending{std::move(done), expect, line.left(80)});
    m_socket.write(line + '\n');
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

namespace {

bool fits(PandaDriverControlLink::Expect expect, const ControlReply &r)
{
    using Kind = ControlReply::Kind;
    using Expect = PandaDriverControlLink::Expect;
    switch (r.kind) {
    case Kind::Error: return true;
    case Kind::Ok: return expect == Expect::Ok;
    case Kind::Value: return expect == Expect::Value;
    case Kind::Multi: return expect == Expect::List;
    }
    return false;
}

QString replyText(const ControlReply &r)
{
    switch (r.kind) {
    case ControlReply::Kind::Ok: return QStringLiteral("OK");
    case ControlReply::Kind::Value: return QStringLiteral("OK =") + r.value.left(80);
    case ControlReply::Kind::Error: return QStringLiteral("ERR ") + r.value.left(80);
    case ControlReply::Kind::Multi:
        return r.lines.isEmpty() ? QStringLiteral(".")
                                 : QStringLiteral("!%1 … (%2 lines)").arg(r.lines.first().left(80)).arg(r.lines.size());
    }
    return {};
}

} // namespace

void PandaDriverControlLink::onReadyRead()
{
    bool answered = false;
    while (m_socket.bytesAvailable() > 0) {
        m_parser.feed(m_socket.read(64 << 10));
        if (!m_parser.violation().isEmpty()) {
            protocolFailure(tr("PandA control port %1 sent %2; connection closed").arg(m_peer, m_parser.violation()));
            return;
        }
        while (m_parser.hasReply()) {
            const ControlReply r = m_parser.takeReply();
            if (!m_parser.protocolError().isEmpty()) {
                protocolFailure(tr("PandA control port %1: %2; connection closed").arg(m_peer, m_parser.protocolError()));
                return;
            }
            if (m_pending.empty()) {
                protocolFailure(tr("PandA control port %1 sent '%2' when no command waited for a reply; "
                                   "connection closed").arg(m_peer, replyText(r)));
                return;
            }
            if (!fits(m_pending.front().expect, r)) {
                protocolFailure(tr("PandA control port %1 answered '%2' with '%3': replies out of step; connection closed")
                                    .arg(m_peer, escapePeerText(m_pending.front().command), replyText(r)));
                return;
            }
            Callback cb = std::move(m_pending.front().done);
            m_pending.pop_front();
            answered = true;
            m_due.start(); // the next reply is due from now
            if (cb)
                cb(r);
            if (!isConnected())
                return; // the callback closed the connection
        }
    }
    if (answered || m_pending.empty())
        armDeadline();
}

bool PandaDriverControlLink::waitForReplies(int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!m_pending.empty() && isConnected()) {
        const qint64 left = std::min<qint64>(ms - clock.elapsed(), m_timeoutMs - m_due.elapsed());
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
    for (auto &p : pending)
        if (p.done)
            p.done(ControlReply{ControlReply::Kind::Error, reason, {}});
}

} // namespace bs::panda
