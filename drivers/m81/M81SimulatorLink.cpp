// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorLink.h"

#include <QTcpSocket>

namespace bs::m81 {

M81SimulatorLink::M81SimulatorLink(Executor exec, Overrun overrun, std::atomic<unsigned> &faults, QObject *parent)
    : QObject(parent)
    , m_exec(std::move(exec))
    , m_overrun(std::move(overrun))
    , m_faults(faults)
{
}

void M81SimulatorLink::receive(QByteArrayView bytes)
{
    while (!bytes.isEmpty()) {
        const qsizetype lf = bytes.indexOf('\n');
        const QByteArrayView part = lf < 0 ? bytes : bytes.first(lf);
        bytes = lf < 0 ? QByteArrayView() : bytes.sliced(lf + 1);
        if (!m_discarding) {
            if (m_line.size() + part.size() > kMaxLine) {
                m_discarding = true;
                m_line.clear();
            } else {
                m_line.append(part);
            }
        }
        if (lf < 0)
            return;
        if (std::exchange(m_discarding, false)) {
            m_overrun();
            continue;
        }
        QByteArray line = std::exchange(m_line, QByteArray());
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue; // the empty line of the connect ritual: no answer
        const M81SimAnswer answer = m_exec(line);
        if (!answer.present)
            continue;
        if (take(kM81FaultStall))
            continue; // the answer never comes; later lines are answered again
        const QByteArray out = answer.text + "\r\n";
        if (take(kM81FaultDrop)) {
            transmit(out.left(out.size() / 2));
            hangUp();
            return;
        }
        transmit(out);
    }
}

M81SimulatorTcpLink::M81SimulatorTcpLink(QTcpSocket *socket, Executor exec, Overrun overrun,
                                         std::atomic<unsigned> &faults, QObject *parent)
    : M81SimulatorLink(std::move(exec), std::move(overrun), faults, parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] { receive(m_socket->readAll()); });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (std::exchange(m_gone, true))
            return;
        emit closed();
        deleteLater();
    });
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, [this] { receive(m_socket->readAll()); }, Qt::QueuedConnection);
}

void M81SimulatorTcpLink::transmit(const QByteArray &bytes)
{
    if (!m_gone)
        m_socket->write(bytes);
}

void M81SimulatorTcpLink::hangUp()
{
    if (m_gone)
        return;
    m_socket->flush();
    m_socket->disconnectFromHost();
}

} // namespace bs::m81
