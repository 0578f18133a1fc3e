// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One control-port connection: splits the byte stream into LF-terminated lines, hands each to the
// command handler in order, and writes all replies of one read at once (so pipelined requests are
// answered strictly in order).

#include "PandaSimulatorCommands.h"

#include <QObject>

class QTcpSocket;

namespace bs::panda {

class PandaSimulatorControlClient : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of the socket.
    PandaSimulatorControlClient(
        QTcpSocket *socket, PandaSimulatorCommands &commands, QObject *parent = nullptr);

    /// "<ISO time> config <ip:port>" for `*WHO?`.
    QByteArray whoLine() const;

Q_SIGNALS:
    /// The connection is gone; the object deletes itself later.
    void closed();

private:
    void onReadyRead();

    QTcpSocket *m_socket;
    PandaSimulatorCommands &m_commands;
    ControlSession m_session;
    QByteArray m_buffer;
    QByteArray m_who;
};

} // namespace bs::panda
