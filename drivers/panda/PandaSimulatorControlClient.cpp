// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorControlClient.h"

#include "PandaSimulatorLayout.h"

#include <QTcpSocket>

namespace bs::panda {
namespace {

/// A client that sends this much without a line feed is dropped (the server's lines are ≤ 1 KiB).
constexpr qsizetype kMaxPendingBytes = 1 << 20;

} // namespace

PandaSimulatorControlClient::PandaSimulatorControlClient(
    QTcpSocket *socket, PandaSimulatorCommands &commands, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_commands(commands)
{
    m_socket->setParent(this);
    m_who = isoTimeNow() + " config " + m_socket->peerAddress().toString().toUtf8() + ':'
        + QByteArray::number(m_socket->peerPort());
    connect(m_socket, &QTcpSocket::readyRead, this, &PandaSimulatorControlClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        emit closed();
        deleteLater();
    });
}

QByteArray PandaSimulatorControlClient::whoLine() const
{
    return m_who;
}

void PandaSimulatorControlClient::onReadyRead()
{
    m_buffer += m_socket->readAll();
    QByteArray replies;
    qsizetype start = 0;
    for (qsizetype lf = m_buffer.indexOf('\n'); lf >= 0; lf = m_buffer.indexOf('\n', start)) {
        m_commands.handleLine(QByteArrayView(m_buffer).sliced(start, lf - start), m_session, replies);
        start = lf + 1;
    }
    m_buffer.remove(0, start);
    if (!replies.isEmpty())
        m_socket->write(replies);
    if (m_buffer.size() > kMaxPendingBytes)
        m_socket->abort();
}

} // namespace bs::panda
