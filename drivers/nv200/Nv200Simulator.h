// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// piezosystem jena NV200/D NET simulator: the device side of the ASCII command protocol with
// XON/XOFF response framing, over TCP ("Telnet" port 23 of the XPort) and optionally over a
// pseudo-terminal (the USB serial path), as described in docs/protocols/nv200.md. Product code:
// used by `benchscope --demo`, `benchscope-sim nv200` and every NV200 driver test.
//
// The 20 kHz control loop, AWG and data recorder run in simulated time: whenever a command
// arrives or the 10 ms housekeeping timer fires, the model is advanced to "now" in whole 50 µs
// ticks, so recorded data and step times are exact, and a 50 ms recording takes ~50 ms of wall time.
//
// Threading: the object and everything it owns live on one thread (the creator's, or the worker it
// was moved to before start()). start()/stop() called from another thread are forwarded to that
// thread with a blocking queued call, so its event loop must be running. port(), ptyPath(),
// isRunning() and injectFault() are thread-safe. Destroy it on its own thread (deleteLater) or
// after that thread has finished.

#include <QElapsedTimer>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace bs::nv200 {

class Nv200SimulatorModel;
class Nv200SimulatorCommands;
class Nv200SimulatorTcpLink;
class Nv200SimulatorPty;
struct Nv200SimReply;

/// Settings of Nv200Simulator (also reachable as Nv200Simulator::Config). Defaults follow §5.
struct Nv200SimulatorConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 23; // 0 = ephemeral
    bool pty = false; // also open a pseudo-terminal (the "USB serial" path)
    bool telnetCrNul = false; // U2: TCP answer lines end with \r\x00\n instead of \r\n (the pty keeps \r\n)
    bool xoffFirst = true; // U1 (false: no XOFF at all, text then XON)
    bool refuseSecondClient = true; // U14: a second TCP client is closed (else the first is dropped)
    QString actuator = QStringLiteral("TRITOR100SG"); // also PSH20, TT2 (tilt, mrad)

    // Additions beyond the required API:
    bool tcp = true; // false: pty only (no TCP server)
    bool recoutfSupported = true; // false: `recoutf` answers error,2 (clients must fall back to recout)
    int housekeepingMs = 10; // model advance period while something evolves on its own
    int baud = 0; // pty output paced like an 8N1 line at this speed (baud / 10 bytes/s); 0 = unpaced
};

class Nv200Simulator : public QObject
{
    Q_OBJECT
public:
    using Config = Nv200SimulatorConfig;
    /// A newcomer that finds the old client apparently alive waits this long for it to leave.
    static constexpr int kNewcomerGraceMs = 250;
    enum class Fault { None, StallMidReply, DropConnection, GarbleValue };
    Q_ENUM(Fault)
    /// Lasting faults of the `meas` answer (live polling), see setMeasFault().
    enum class MeasFault { None, NoAnswer, Garbage, NotFinite };
    Q_ENUM(MeasFault)

    explicit Nv200Simulator(const Config &cfg = {}, QObject *parent = nullptr);
    ~Nv200Simulator() override;

    /// Listens on TCP (and opens the pty if configured). Idempotent. Returns false and a message
    /// if the port cannot be bound or the pty cannot be created.
    bool start(QString *error = nullptr);
    /// Closes the server, the client and the pty. The simulated device keeps its state. start()
    /// again comes back on the same TCP port (a reboot of the device: the link drops and returns).
    void stop();
    bool isRunning() const { return m_running.load(); }
    const Config &config() const { return m_config; }

    /// Actual TCP port after start() (0 before or without TCP).
    quint16 port() const { return m_port.load(); }
    /// Slave path of the pty ("/dev/pts/N"), empty if none.
    QString ptyPath() const;

    /// Thread-safe. Each fault applies once, on whichever link answers next:
    /// StallMidReply: the next answer is XOFF + half its text and then nothing (the next command
    /// line is answered normally again). DropConnection: the next answer of at least 64 bytes of
    /// text (recoutf, recout with many values, s) stops half-way and the TCP client is closed (on
    /// the pty: truncated like a stall). GarbleValue: the next answer with a numeric value has its
    /// first value corrupted ("80.000" -> "8#.0x"). None clears pending faults.
    void injectFault(Fault f);

    /// Thread-safe. From now on every `every`-th `meas` answer (1: all of them) is replaced:
    /// NoAnswer: nothing at all is sent back (not even XOFF/XON), as from a device that hangs;
    /// Garbage: `meas,` followed by bytes no number parser accepts (DEL, ESC, latin-1);
    /// NotFinite: `meas,nan`, `meas,inf`, `meas,-inf` in turn. None ends it. Other commands are
    /// answered normally.
    void setMeasFault(MeasFault f, int every = 1);
    /// Number of `meas` answers replaced by setMeasFault() so far.
    quint64 measFaultCount() const { return m_measFaulted.load(); }

    /// Lasting faults of the answers to one command (setReplyFault()).
    enum class ReplyFault {
        None,
        Refuse,        ///< `error,1` instead of the answer (the command is not carried out)
        TooManyValues, ///< the values of the answer repeated 100 times (recoutf: far more than recorded)
        Endless,       ///< XOFF, the answer's first line, then its last value repeated without end or XON
                       ///< (until the next command line arrives, the link ends or the fault is
                       ///< cleared; 1 GiB at most)
        ExtraLines,    ///< the answer framed between lines of other answers (`temp,…` before, `stat,…` after)
        StaleFrame,    ///< a whole frame of another command's answer (`recrun,1`) arrives first
        OutOfRange,    ///< the first value replaced by 987654321.000 (no reading this device can have)
    };
    Q_ENUM(ReplyFault)
    /// Thread-safe. From now on every answer to `command` (its name, e.g. "recoutf" or "meas") is
    /// replaced as `f` says; None (or an empty command) ends it. Other commands are answered normally.
    void setReplyFault(const QByteArray &command, ReplyFault f);
    /// Number of answers replaced by setReplyFault() so far.
    quint64 replyFaultCount() const { return m_replyFaulted.load(); }

    /// Simulated time in 50 µs ticks since the first start() (advanced lazily). Simulator thread only.
    qint64 simulatedTicks() const;

Q_SIGNALS:
    /// A TCP client connected (true) or left (false); refused clients are not reported.
    void clientChanged(bool connected);

private:
    bool startHere(QString *error);
    void stopHere();
    void onNewConnection();
    void onNewcomerGraceOver();
    void adopt(QTcpSocket *socket);
    void refuse(QTcpSocket *socket);
    void advance();
    Nv200SimReply execute(QByteArrayView line);
    void applyMeasFault(Nv200SimReply &reply);
    void applyReplyFault(QByteArrayView line, Nv200SimReply &reply);

    Config m_config;
    std::unique_ptr<Nv200SimulatorModel> m_model;
    std::unique_ptr<Nv200SimulatorCommands> m_commands;
    QTcpServer *m_server;
    QTimer *m_housekeeping;
    QTimer *m_newcomerGrace;
    QPointer<Nv200SimulatorTcpLink> m_client;
    QTcpSocket *m_newcomer = nullptr; // a client waiting for the old one to leave
    Nv200SimulatorPty *m_pty = nullptr;
    QElapsedTimer m_clock;
    std::atomic<unsigned> m_faults { 0 };
    std::atomic<int> m_measFault { 0 };
    std::atomic<int> m_measEvery { 1 };
    std::atomic<quint64> m_measSeen { 0 };
    std::atomic<quint64> m_measFaulted { 0 };
    std::atomic<bool> m_running { false };
    std::atomic<quint16> m_port { 0 };
    quint16 m_lastPort = 0; // the port of the last start(): a restart after stop() takes it again
    mutable QMutex m_replyFaultMutex;
    QByteArray m_replyFaultCommand;
    ReplyFault m_replyFault = ReplyFault::None;
    std::atomic<quint64> m_replyFaulted { 0 };
    mutable QMutex m_pathMutex;
    QString m_ptyPath;
};

} // namespace bs::nv200
