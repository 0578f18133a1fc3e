// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One data-port connection (spec §4.1): reads the option line, answers OK / ERR, idles until a
// capture starts, then receives header, payload and its own `END <n> <reason>`. Bounded: if the
// socket backlog would exceed the overrun limit the client gets `END n Data overrun` instead.

#include "PandaSimulatorLayout.h"

#include <QObject>

class QTcpSocket;
class QTimer;

namespace bs::panda {

class PandaSimulatorDataClient : public QObject
{
    Q_OBJECT
public:
    enum class State { AwaitingOptions, Idle, Capturing, Closed };

    /// Takes ownership of the socket.
    PandaSimulatorDataClient(QTcpSocket *socket, QObject *parent = nullptr);
    ~PandaSimulatorDataClient() override;

    /// Replay mode: after the option line, send these bytes verbatim in chunks, then close.
    void setReplay(const QByteArray &bytes, int chunkBytes, int delayMs);

    State state() const { return m_state; }
    const SimDataOptions &options() const { return m_options; }
    /// "<ISO time> data <ip:port>" for `*WHO?`.
    QByteArray whoLine() const;
    quint64 samplesSent() const { return m_samples; }
    /// Still capturing or still has unsent bytes of the last capture.
    bool takingData() const;

    /// Starts a capture for this client: header (unless NO_HEADER).
    void beginCapture(const QByteArray &header);
    /// Sends one batch. Returns false (after sending `END n Data overrun`) if the backlog would
    /// exceed overrunBytes.
    bool sendRows(const QByteArray &payload, quint64 rows, qint64 overrunBytes);
    /// Sends `END <n> <reason>` (unless NO_STATUS); closes with ONE_SHOT.
    void endCapture(const QByteArray &reason);

    // Faults (spec §8 "optionally inject"): each applies to this batch's payload.
    /// Sends part of the first block (cut inside a BIN block), then closes the connection.
    void dropMidFrame(const QByteArray &payload);
    /// Sends the payload with its first "BIN " marker replaced by junk (junk prepended otherwise).
    void sendGarbage(const QByteArray &payload, quint64 rows);

Q_SIGNALS:
    /// The option line was accepted; the client now waits for a capture.
    void ready();
    /// The connection is gone; the object deletes itself later.
    void closed();

private:
    void onReadyRead();
    void handleOptionLine(const QByteArray &line);
    void refuse(const QByteArray &message);
    void sendReplayChunk();
    void close();

    QTcpSocket *m_socket;
    QByteArray m_connectedAt;
    QByteArray m_peer;
    QByteArray m_buffer;
    SimDataOptions m_options;
    State m_state = State::AwaitingOptions;
    quint64 m_samples = 0;
    QByteArray m_replay;
    qsizetype m_replayPos = 0;
    int m_replayChunk = 0;
    int m_replayDelayMs = 0;
    QTimer *m_replayTimer = nullptr;
};

} // namespace bs::panda
