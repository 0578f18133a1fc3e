// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The capture engine: ARM / DISARM, a timer that turns elapsed time × trigger rate into rows,
// encoding once per distinct client format, delivery to every data client with its own header and
// END, capture limit, and injected faults. Lives on the simulator's thread; rowsGenerated() and
// requestFault() may be called from any thread.

#include "PandaSimulatorEncoder.h"
#include "PandaSimulatorReply.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>

#include <atomic>

class QTcpSocket;
class QTimer;

namespace bs::panda {

class PandaSimulatorDataClient;

enum class CaptureFault : int { None, DropMidFrame, DataOverrun, Garbage, FramingError };

struct CaptureSettings
{
    quint64 captureLimit = 0; // 0 = until DISARM, else END n Ok after that many rows
    bool base64Nul = true; // U4
    bool oldGateDurationType = false; // U7
    bool sendArmStartTime = true; // U6
    bool lateJoinReportsMissed = false; // late data client: header missed = rows already generated
    qint64 overrunBytes = 64ll << 20; // per-client socket backlog that triggers Data overrun
    int tickMs = 5; // generation period
    QByteArray replay; // replay mode: bytes served after any option line
    int replayChunkBytes = 0;
    int replayDelayMs = 0;
};

class PandaSimulatorCapture : public QObject
{
    Q_OBJECT
public:
    /// Most rows generated in one tick; beyond it the simulated time falls behind the wall clock.
    static constexpr qint64 kMaxRowsPerBatch = 100'000;
    /// Most wall time one tick catches up (a stall does not turn into a huge batch).
    static constexpr qint64 kMaxCatchUpNs = 100'000'000;

    PandaSimulatorCapture(
        PandaSimulatorModel &model, const CaptureSettings &settings, QObject *parent = nullptr);
    ~PandaSimulatorCapture() override;

    void addDataClient(QTcpSocket *socket);
    /// Closes every data client and stops a running capture without END.
    void shutdown();

    Reply arm();
    void disarm();
    QByteArray captureStatus() const;
    QByteArray completion() const { return m_completion; }
    bool isArmed() const { return m_armed; }
    QList<QByteArray> dataClientLines() const;

    /// Thread-safe.
    quint64 rowsGenerated() const { return m_rowsGenerated.load(std::memory_order_relaxed); }
    /// Thread-safe: applies to the current or next capture.
    void requestFault(CaptureFault fault) { m_pendingFault.store(int(fault)); }

Q_SIGNALS:
    void captureFinished(quint64 rows, const QByteArray &reason);

private:
    void onTick();
    void produce(qint64 deviceTick);
    void distribute(const RowBatch &batch);
    void finish(const QByteArray &reason);
    void joinCapture(PandaSimulatorDataClient *client);
    QByteArray headerFor(const SimDataOptions &options) const;

    PandaSimulatorModel &m_model;
    CaptureSettings m_settings;
    QList<QPointer<PandaSimulatorDataClient>> m_clients;
    QTimer *m_timer;
    CaptureLayout m_layout;
    PandaSimulatorGenerator m_generator;
    PandaSimulatorEncoder m_encoder;
    QElapsedTimer m_wall;
    qint64 m_lastWallNs = 0;
    qint64 m_deviceNs = 0;
    bool m_armed = false;
    QByteArray m_completion = "Ok";
    QByteArray m_armTime;
    QByteArray m_startTime;
    std::atomic<quint64> m_rowsGenerated { 0 };
    std::atomic<int> m_pendingFault { 0 };
};

} // namespace bs::panda
