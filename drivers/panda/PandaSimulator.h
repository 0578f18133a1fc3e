// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// PandABox simulator: the device side of the PandABlocks control (8888) and data (8889) protocols,
// as described in docs/protocols/panda.md. Product code: used by `benchscope --demo`,
// `benchscope-sim panda` and every PandA driver test.
//
// Threading: the object and everything it owns live on one thread (the creator's, or the worker it
// was moved to before start()). start()/stop() called from another thread are forwarded to that
// thread with a blocking queued call, so its event loop must be running. setTriggerRate(),
// injectFault() and rowsGenerated() are thread-safe. Destroy it on its own thread (deleteLater) or
// after that thread has finished.

#include "PandaSimulatorControlClient.h"
#include "PandaSimulatorModel.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <atomic>
#include <memory>

namespace bs::panda {

class PandaSimulatorModel;
class PandaSimulatorCommands;
class PandaSimulatorCapture;
class PandaSimulatorControlClient;
class PandaSimulatorCaptureBridge;

/// Settings of PandaSimulator (also reachable as PandaSimulator::Config).
struct PandaSimulatorConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 controlPort = 8888, dataPort = 8889; // 0 = ephemeral
    quint64 captureLimit = 0; // 0 = run until DISARM; else END with "Ok" after that many rows
    bool base64Nul = true; // U4: NUL before LF in BASE64 lines
    bool oldGateDurationType = false; // U7: uint32 scale 1 form
    bool sendArmStartTime = true; // U6: arm_time / start_time in the header
    /// The FPGA build: blocks offered, older PCAP names (which imply the U7 old gate type).
    SimFpga fpga;

    // Additions beyond the required API:
    bool lateJoinReportsMissed = false; // late data client: missed = rows already generated (else 0)
    qint64 overrunBytes = 64ll << 20; // per-client socket backlog that ends with "Data overrun"
    int tickMs = 5; // generation period (rows come in batches of elapsed × rate)
    /// Replay mode (spec §8): when non-empty, every data client gets these bytes verbatim after its
    /// option line (e.g. a fixture .bin, which starts with "OK"), in chunks, then is closed.
    QByteArray replayData;
    int replayChunkBytes = 0; // 0 = all at once
    int replayDelayMs = 0; // pause between chunks
    /// Fault::Reboot: how long both ports stay closed before the "rebooted" device listens again.
    int rebootDownMs = 1000;
    /// Control commands starting with this (non-empty) are refused: `ERR Refused by fault injection`.
    QByteArray refusedCommand;
};

class PandaSimulator : public QObject
{
    Q_OBJECT
public:
    using Config = PandaSimulatorConfig;
    /// ControlDrop closes every control connection at once and ends the running capture 200 ms
    /// later (the data clients get their rows and END after losing the control connection).
    /// OtherClientArmsFirst: the next `*PCAP.ARM=` finds a capture that another client armed just
    /// before it (with the settings of that moment), and is refused as the server refuses it.
    ///
    /// Control-port faults (ControlStall … ClockOutOfRange) apply to the control connections: Stall
    /// to every connection open now (they read and never answer; a new connection is served), the
    /// others once, to the next reply of any connection: Garbage replaces it by control and non-UTF-8
    /// bytes, ExtraLine adds an `OK =` line nobody asked for, SwapReplies holds the reply to the
    /// next `*PCAP.ARM=` back until the next command is answered (replies out of order), DropMidReply sends half of it and closes that connection,
    /// ClockOutOfRange answers the next `CLOCK1.PERIOD?` with 1e+300 s. Reboot drops every
    /// connection (no END), closes both ports for `rebootDownMs`, resets the device to its power-on
    /// state (fields, captures, clock at the configured rate) and listens again on the same ports.
    /// None clears a fault not yet applied (and a data fault).
    enum class Fault {
        None,
        DropMidFrame,
        DataOverrun,
        Garbage,
        FramingError,
        ControlDrop,
        OtherClientArmsFirst,
        ControlStall,
        ControlGarbage,
        ControlExtraLine,
        ControlSwapReplies,
        ControlDropMidReply,
        ClockOutOfRange,
        Reboot
    };
    Q_ENUM(Fault)
    /// The fault's name as `benchscope-sim panda --fault` takes it ("control-stall"), and back
    /// (false for an unknown name).
    static QString faultName(Fault f);
    static bool faultFromName(const QString &name, Fault *f);

    explicit PandaSimulator(const Config &cfg = {}, QObject *parent = nullptr);
    ~PandaSimulator() override;

    /// Listens on both ports. Idempotent. Returns false (and a message) if a port cannot be bound.
    bool start(QString *error = nullptr);
    /// Closes both servers and every connection (no END is sent).
    void stop();
    bool isRunning() const { return m_running.load(); }
    const Config &config() const { return m_config; }

    /// Actual ports after start() (0 before).
    quint16 controlPort() const { return m_controlPort.load(); }
    quint16 dataPort() const { return m_dataPort.load(); }

    /// Sets CLOCK1.PERIOD = 1 / rate (the default PCAP.TRIG source). ≤ 0 stops the clock.
    void setTriggerRate(double rowsPerSecond);
    /// Data faults apply to the current capture, or the next one if none is running, on all data
    /// clients; control faults and Reboot as described at Fault. Thread-safe.
    void injectFault(Fault f);
    /// Refuses control commands starting with `prefix` (empty: none) with `ERR Refused by fault
    /// injection`. Thread-safe.
    void setRefusedCommand(const QByteArray &prefix);
    /// Rows generated in the current (or last) capture, as `*PCAP.CAPTURED?`. Thread-safe.
    quint64 rowsGenerated() const;

Q_SIGNALS:
    /// A capture ended (reason as in the END line: Ok, Disarmed, Framing error).
    void captureFinished(quint64 rows, const QString &reason);
    /// A `*PCAP.ARM=` was accepted.
    void captureArmed();

private:
    bool startHere(QString *error);
    void stopHere();
    void onControlConnection();
    void onDataConnection();
    void dropControlClients();
    void reboot();
    void applyControlFault(Fault f);

    friend class PandaSimulatorCaptureBridge;

    Config m_config;
    std::unique_ptr<PandaSimulatorModel> m_model;
    std::unique_ptr<PandaSimulatorCaptureBridge> m_bridge;
    std::unique_ptr<PandaSimulatorCommands> m_commands;
    PandaSimulatorCapture *m_capture;
    QTcpServer *m_controlServer;
    QTcpServer *m_dataServer;
    QList<QPointer<PandaSimulatorControlClient>> m_controlClients;
    ControlFaults m_controlFaults;
    bool m_rebootPending = false;
    qint64 m_clockTicks = -1; // CLOCK1 period set by setTriggerRate (kept across a reboot)
    std::atomic<bool> m_running { false };
    std::atomic<bool> m_armRace { false };
    std::atomic<quint16> m_controlPort { 0 };
    std::atomic<quint16> m_dataPort { 0 };
};

} // namespace bs::panda
