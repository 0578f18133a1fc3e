// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One command channel of the M81 simulator (the TCP client or the pseudo-terminal)
// (docs/protocols/lakeshore-m81.md §1, §13 "Framing"): input lines end with LF (a CR before it is
// dropped), empty lines are ignored, each line is executed and its one answer, if it has one,
// goes back with CR LF. Nothing is ever sent unasked. Applies the faults that act on the next
// answer. Subclasses move the bytes.

#include "M81SimulatorCommands.h"

#include <QObject>

#include <atomic>
#include <functional>

class QTcpSocket;

namespace bs::m81 {

/// Fault bits shared between M81Simulator::injectFault (any thread) and the links.
enum M81SimFaultBit : unsigned {
    kM81FaultStall = 1u << 0, // the next answer is not sent
    kM81FaultDrop = 1u << 1,  // the connection ends (TCP) / the next answer stops half-way (pty)
};

class M81SimulatorLink : public QObject
{
    Q_OBJECT
public:
    using Executor = std::function<M81SimAnswer(QByteArrayView line)>;
    /// Called for a line longer than kMaxLine (discarded up to its LF).
    using Overrun = std::function<void()>;
    static constexpr qsizetype kMaxLine = 64 * 1024;

    M81SimulatorLink(Executor exec, Overrun overrun, std::atomic<unsigned> &faults, QObject *parent = nullptr);

    /// Feeds received bytes; answers every complete line in order.
    void receive(QByteArrayView bytes);
    /// Ends the connection now (TCP); a serial line cannot, so a pty ignores it.
    virtual void hangUp() = 0;

protected:
    virtual void transmit(const QByteArray &bytes) = 0;

private:
    bool take(unsigned bit) { return (m_faults.fetch_and(~bit) & bit) != 0; }

    Executor m_exec;
    Overrun m_overrun;
    std::atomic<unsigned> &m_faults;
    QByteArray m_line;
    bool m_discarding = false;
};

/// A TCP client. Several may be connected; each has its own line assembly, all share the device.
class M81SimulatorTcpLink final : public M81SimulatorLink
{
    Q_OBJECT
public:
    /// Takes ownership of the socket.
    M81SimulatorTcpLink(QTcpSocket *socket, Executor exec, Overrun overrun, std::atomic<unsigned> &faults,
                        QObject *parent = nullptr);
    void hangUp() override;

Q_SIGNALS:
    /// The connection is gone; the object deletes itself later.
    void closed();

protected:
    void transmit(const QByteArray &bytes) override;

private:
    QTcpSocket *m_socket;
    bool m_gone = false;
};

} // namespace bs::m81
