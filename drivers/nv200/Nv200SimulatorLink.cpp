// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200SimulatorLink.h"

#include <QTcpSocket>
#include <QTimer>

namespace bs::nv200 {

Nv200SimulatorLink::Nv200SimulatorLink(
    const Nv200SimFraming &framing, Executor exec, std::atomic<unsigned> &faults, QObject *parent)
    : QObject(parent)
    , m_framing(framing)
    , m_exec(std::move(exec))
    , m_faults(faults)
{
}

void Nv200SimulatorLink::stopEndless()
{
    m_endlessLeft = 0;
    m_endlessChunk.clear();
    if (m_pump)
        m_pump->stop();
}

void Nv200SimulatorLink::pumpEndless()
{
    // As fast as the reader takes it, never more than 256 kB waiting here; the fault cleared
    // (setReplyFault None) ends it.
    if (!(m_faults.load() & kFaultEndlessAllowed))
        m_endlessLeft = 0;
    while (m_endlessLeft > 0 && backlog() < 256 * 1024) {
        transmit(m_endlessChunk);
        m_endlessLeft -= m_endlessChunk.size();
    }
    if (m_endlessLeft <= 0)
        stopEndless();
}

bool Nv200SimulatorLink::take(unsigned bit)
{
    return (m_faults.fetch_and(~bit) & bit) != 0;
}

QByteArray Nv200SimulatorLink::frame(const Nv200SimReply &reply) const
{
    const QByteArray eol = m_framing.crNul ? QByteArray("\r\0\n", 3) : QByteArray("\r\n");
    QByteArray out;
    out.reserve(reply.textSize() + 2 + reply.lines.size() * 3);
    if (m_framing.xoffFirst)
        out += kXoff;
    for (const QByteArray &l : reply.lines)
        out += l + eol;
    out += kXon;
    return out;
}

void Nv200SimulatorLink::receive(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (c == '\n' || c == '\0')
            continue;
        if (c != '\r') {
            if (m_line.size() >= kMaxLine) {
                m_discarding = true;
                m_line.clear();
            }
            m_line += c;
            continue;
        }
        stopEndless(); // a new command ends an endless answer
        const QByteArray line = m_line;
        const bool discard = m_discarding;
        m_line.clear();
        m_discarding = false;
        if (discard)
            continue;

        Nv200SimReply reply;
        if (line.trimmed().isEmpty())
            reply.lines.append("NV200/D_NET>");
        else
            reply = m_exec(line);

        if (reply.silent)
            continue;
        if (reply.valuePos >= 0 && take(kFaultGarble)) {
            // e.g. "80.000" -> "8#.0x"
            QByteArray &l = reply.lines.first();
            const QByteArray v = l.mid(reply.valuePos, reply.valueLen);
            l.replace(reply.valuePos, reply.valueLen, v.left(1) + '#' + v.mid(2, 2) + 'x');
        }
        if (reply.endless) {
            // XOFF and the start of the answer, then its values repeated and never an end.
            QByteArray chunk;
            while (chunk.size() < 16 * 1024)
                chunk += reply.endlessChunk;
            transmit((m_framing.xoffFirst ? QByteArray(1, kXoff) : QByteArray()) + reply.lines.value(0));
            m_endlessChunk = chunk;
            m_endlessLeft = kEndlessCap;
            if (!m_pump) {
                m_pump = new QTimer(this);
                m_pump->setInterval(1);
                connect(m_pump, &QTimer::timeout, this, &Nv200SimulatorLink::pumpEndless);
            }
            m_pump->start();
            pumpEndless();
            continue;
        }
        QByteArray out = frame(reply);
        if (!reply.staleFrame.isEmpty()) {
            Nv200SimReply stale;
            stale.lines = reply.staleFrame;
            out.prepend(frame(stale)); // an answer that belongs to an earlier command comes first
        }
        const bool drop = reply.textSize() >= kLongReply && take(kFaultDrop);
        if (drop || take(kFaultStall)) {
            // XOFF and half of the text, then nothing: the rest of the input is dropped too.
            transmit(out.left((m_framing.xoffFirst ? 1 : 0) + reply.textSize() / 2));
            m_line.clear();
            if (drop)
                hangUp();
            return;
        }
        transmit(out);
    }
}

Nv200SimulatorTcpLink::Nv200SimulatorTcpLink(QTcpSocket *socket, const Nv200SimFraming &framing,
    Executor exec, std::atomic<unsigned> &faults, QObject *parent)
    : Nv200SimulatorLink(framing, std::move(exec), faults, parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] { receive(m_socket->readAll()); });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_gone)
            return;
        m_gone = true;
        stopEndless();
        emit closed();
        deleteLater();
    });
    // Bytes a client sent while it waited to be accepted are answered now.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, [this] { receive(m_socket->readAll()); }, Qt::QueuedConnection);
}

bool Nv200SimulatorTcpLink::stillConnected()
{
    while (!m_gone && m_socket->state() == QAbstractSocket::ConnectedState && m_socket->waitForReadyRead(0)) {
    }
    if (!m_gone && m_socket->state() != QAbstractSocket::ConnectedState) {
        m_gone = true;
        stopEndless();
        emit closed();
        deleteLater();
    }
    return !m_gone;
}

void Nv200SimulatorTcpLink::transmit(const QByteArray &bytes)
{
    m_socket->write(bytes);
}

qint64 Nv200SimulatorTcpLink::backlog() const
{
    return m_socket->bytesToWrite();
}

void Nv200SimulatorTcpLink::hangUp()
{
    m_socket->flush();
    m_socket->disconnectFromHost();
}

} // namespace bs::nv200
