// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorControlClient.h"

#include "PandaSimulatorLayout.h"

#include <QTcpSocket>

#include <algorithm>
#include <utility>

namespace bs::panda {
namespace {

/// A client that sends this much without a line feed is dropped (the server's lines are ≤ 1 KiB).
constexpr qsizetype kMaxPendingBytes = 1 << 20;

} // namespace

PandaSimulatorControlClient::PandaSimulatorControlClient(QTcpSocket *socket, PandaSimulatorCommands &commands,
                                                         ControlFaults &faults, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_commands(commands)
    , m_faults(faults)
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
        const QByteArrayView line = QByteArrayView(m_buffer).sliced(start, lf - start);
        start = lf + 1;
        QByteArray reply;
        if (!m_faults.refusedPrefix.isEmpty() && line.startsWith(m_faults.refusedPrefix))
            reply = "ERR Refused by fault injection\n";
        else
            m_commands.handleLine(line, m_session, reply);
        if (reply.isEmpty() || m_stalled)
            continue; // a table's data line, or a hung server
        if (!applyFaults(line, reply, replies))
            return;
    }
    m_buffer.remove(0, start);
    if (!replies.isEmpty())
        m_socket->write(replies);
    if (m_buffer.size() > kMaxPendingBytes)
        m_socket->abort();
}

bool PandaSimulatorControlClient::applyFaults(QByteArrayView line, QByteArray &reply, QByteArray &out)
{
    using Next = ControlFaults::Next;
    const Next fault = m_faults.next;
    if (fault == Next::OutOfRange) {
        if (line == "CLOCK1.PERIOD?") {
            m_faults.next = Next::None;
            reply = "OK =1e+300\n";
        }
    } else if (fault == Next::Swap) {
        if (line == "*PCAP.ARM=") {
            m_faults.next = Next::None;
            m_heldReply = reply;
            return true;
        }
    } else if (fault != Next::None) {
        m_faults.next = Next::None;
        switch (fault) {
        case Next::Garbage:
            reply = QByteArray("\x1b[2J\x07\xff\xfe\x01garbage\x9b\n");
            break;
        case Next::ExtraLine:
            reply += "OK =an extra line nobody asked for\n";
            break;
        case Next::DropMidReply:
            out += reply.left(std::max<qsizetype>(1, reply.size() / 2));
            m_socket->write(out);
            m_socket->flush();
            m_socket->abort();
            return false;
        default:
            break;
        }
    }
    out += reply;
    out += std::exchange(m_heldReply, {});
    return true;
}

} // namespace bs::panda
