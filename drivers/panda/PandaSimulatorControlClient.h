// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One control-port connection: splits the byte stream into LF-terminated lines, hands each to the
// command handler in order, and writes all replies of one read at once (so pipelined requests are
// answered strictly in order).

#include "PandaSimulatorCommands.h"

#include <QObject>

class QTcpSocket;

namespace bs::panda {

/// Control-port faults on demand (spec §8 "optionally inject"), shared by every control client of
/// one simulator and touched only on its thread. A one-shot fault applies to the next reply of any
/// client, except Swap (the reply to the next `*PCAP.ARM=` is held back and sent after the reply to
/// the command that follows it) and OutOfRange (the next `CLOCK1.PERIOD?` answers a period no PandA
/// runs).
struct ControlFaults
{
    enum class Next { None, Garbage, ExtraLine, Swap, DropMidReply, OutOfRange };
    Next next = Next::None;
    /// Commands starting with this (non-empty) are answered `ERR Refused by fault injection`
    /// instead of being executed.
    QByteArray refusedPrefix;
};

class PandaSimulatorControlClient : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of the socket. `faults` outlives the client.
    PandaSimulatorControlClient(QTcpSocket *socket, PandaSimulatorCommands &commands, ControlFaults &faults,
                                QObject *parent = nullptr);

    /// From now on this connection reads commands and never answers (a hung server thread).
    void stall() { m_stalled = true; }

    /// "<ISO time> config <ip:port>" for `*WHO?`.
    QByteArray whoLine() const;

Q_SIGNALS:
    /// The connection is gone; the object deletes itself later.
    void closed();

private:
    void onReadyRead();
    /// The reply to `line` as the fault settings make it; false if the connection was cut.
    bool applyFaults(QByteArrayView line, QByteArray &reply, QByteArray &out);

    QTcpSocket *m_socket;
    PandaSimulatorCommands &m_commands;
    ControlFaults &m_faults;
    QByteArray m_heldReply; // Swap: sent after the next reply
    bool m_stalled = false;
    ControlSession m_session;
    QByteArray m_buffer;
    QByteArray m_who;
};

} // namespace bs::panda
