// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Lake Shore M81-SSM simulator: the instrument's SCPI server on TCP (port 7777) and optionally a
// pseudo-terminal standing in for the USB virtual serial port, with three source and three
// measure modules and the TRACe data stream (docs/protocols/lakeshore-m81.md). Product code: used
// by `benchscope-sim m81`, `benchscope --demo` and the M81 tests; the vendor's own client must
// work against it unchanged.
//
// Time: stream rows are computed from the elapsed time whenever a command arrives (no timer per
// row), so row k's RTIMe is exactly k / rate whatever the load.
//
// Threading: the object and everything it owns live on one thread (the creator's, or the worker
// it was moved to before start()). start()/stop() called from another thread are forwarded to
// that thread with a blocking queued call, so its event loop must be running. port(), ptyPath(),
// isRunning() and injectFault() are thread-safe. Destroy it on its own thread (deleteLater) or
// after that thread has finished.

#include "M81SimulatorConfig.h"

#include <QElapsedTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QTcpServer;
class QTcpSocket;

namespace bs::m81 {

class M81SimulatorCommands;
class M81SimulatorPty;
class M81SimulatorTcpLink;
struct M81SimAnswer;

class M81Simulator : public QObject
{
    Q_OBJECT
public:
    using Config = M81SimulatorConfig;
    enum class Fault {
        None,           ///< clears faults not yet applied
        DropConnection, ///< every TCP client is closed at once (pty only: the next answer stops half-way)
        TruncatedRow,   ///< the next TRACe:DATA:ALL? with rows loses the second half of its last row
        Stall,          ///< the next answer is never sent (the line is still carried out)
        ErrorMidStream, ///< the next TRACe:DATA:ALL? of a stream queues -230 "Data corrupt or stale"
    };
    Q_ENUM(Fault)

    explicit M81Simulator(const Config &cfg = {}, QObject *parent = nullptr);
    ~M81Simulator() override;

    /// Listens on TCP (and opens the pty if configured). Idempotent. Returns false and a message
    /// if the port cannot be bound or the pty cannot be created.
    bool start(QString *error = nullptr);
    /// Closes the server, the clients and the pty; the device keeps its state.
    void stop();
    bool isRunning() const { return m_running.load(); }
    const Config &config() const { return m_config; }

    /// Actual TCP port after start() (0 before or without TCP).
    quint16 port() const { return m_port.load(); }
    /// Slave path of the pty ("/dev/pts/N"), empty if none.
    QString ptyPath() const;

    /// Thread-safe; each fault applies once (see Fault).
    void injectFault(Fault f);
    /// Fault names for command lines: "drop", "truncated-row", "stall", "error".
    static bool faultFromName(const QString &name, Fault *f);

Q_SIGNALS:
    /// A TCP client connected (true) or left (false).
    void clientChanged(bool connected);

private:
    bool startHere(QString *error);
    void stopHere();
    void onNewConnection();
    M81SimAnswer execute(QByteArrayView line);
    void overrun();

    Config m_config;
    QElapsedTimer m_clock;
    std::unique_ptr<M81SimulatorCommands> m_commands;
    QTcpServer *m_server;
    QList<QPointer<M81SimulatorTcpLink>> m_clients;
    M81SimulatorPty *m_pty = nullptr;
    std::atomic<unsigned> m_faults { 0 };
    std::atomic<bool> m_running { false };
    std::atomic<quint16> m_port { 0 };
    mutable QMutex m_pathMutex;
    QString m_ptyPath;
};

} // namespace bs::m81
