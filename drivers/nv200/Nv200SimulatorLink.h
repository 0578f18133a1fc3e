// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One command channel of the simulator (the TCP client or the pseudo-terminal): assembles lines
// (CR terminates, LF and NUL are ignored), has each executed, and frames every answer as
// XOFF, text + CR LF (or CR NUL LF), XON (docs/protocols/nv200.md, Framing). Applies the injected
// faults. Subclasses move the bytes.

#include "Nv200SimulatorCommands.h"

#include <QObject>

#include <atomic>
#include <functional>

class QTcpSocket;
class QTimer;

namespace bs::nv200 {

/// Fault bits shared between Nv200Simulator::injectFault (any thread) and the links.
enum Nv200SimFaultBit : unsigned {
    kFaultStall = 1u << 0,
    kFaultDrop = 1u << 1,
    kFaultGarble = 1u << 2,
    kFaultEndlessAllowed = 1u << 3, // lasting: an endless answer goes on only while this is set
};

struct Nv200SimFraming
{
    bool xoffFirst = true; // U1
    bool crNul = false; // U2: CR NUL LF line ends
};

class Nv200SimulatorLink : public QObject
{
    Q_OBJECT
public:
    /// Runs one command line (model already advanced by the callee).
    using Executor = std::function<Nv200SimReply(QByteArrayView line)>;
    static constexpr char kXon = 0x11, kXoff = 0x13;
    static constexpr qsizetype kMaxLine = 4096; // longer input is discarded
    static constexpr qsizetype kLongReply = 64; // DropConnection hits the first reply at least this long

    Nv200SimulatorLink(const Nv200SimFraming &framing, Executor exec, std::atomic<unsigned> &faults,
        QObject *parent = nullptr);

    /// Feeds received bytes; answers every complete line in order.
    void receive(QByteArrayView bytes);
    /// The framed bytes of one answer (public for tests and for the pty).
    QByteArray frame(const Nv200SimReply &reply) const;

    /// Whether an endless answer (a ReplyFault) is being sent.
    bool endlessRunning() const { return m_endlessLeft > 0; }

protected:
    virtual void transmit(const QByteArray &bytes) = 0;
    /// Bytes handed to transmit() that have not left yet.
    virtual qint64 backlog() const = 0;
    /// Stops an endless answer (the next command line does it, as does the end of the link).
    void stopEndless();
    /// DropConnection: end the connection after the bytes already transmitted.
    virtual void hangUp() = 0;

private:
    bool take(unsigned bit);
    void pumpEndless();
    /// An endless answer stops after this much, so a test that fails cannot fill the memory.
    static constexpr qint64 kEndlessCap = qint64(1) << 30;

    Nv200SimFraming m_framing;
    Executor m_exec;
    std::atomic<unsigned> &m_faults;
    QByteArray m_line;
    bool m_discarding = false; // the current line overflowed kMaxLine
    QTimer *m_pump = nullptr;
    QByteArray m_endlessChunk;
    qint64 m_endlessLeft = 0;
};

/// The one TCP client ("Telnet" port of the XPort).
class Nv200SimulatorTcpLink final : public Nv200SimulatorLink
{
    Q_OBJECT
public:
    /// Takes ownership of the socket.
    Nv200SimulatorTcpLink(QTcpSocket *socket, const Nv200SimFraming &framing, Executor exec,
        std::atomic<unsigned> &faults, QObject *parent = nullptr);

    /// Whether the client is still there. Takes in, at once, whatever it sent that the event loop
    /// has not handled yet, including its end of stream: a client that closed and at once
    /// connected again is seen as gone here even before its `disconnected` is delivered (then
    /// closed() has been emitted before this returns false).
    bool stillConnected();

Q_SIGNALS:
    /// The connection is gone; the object deletes itself later.
    void closed();

protected:
    void transmit(const QByteArray &bytes) override;
    qint64 backlog() const override;
    void hangUp() override;

private:
    QTcpSocket *m_socket;
    bool m_gone = false; // closed() emitted
};

} // namespace bs::nv200
