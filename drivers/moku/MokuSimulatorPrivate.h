// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Inside of MokuSimulator (not for other code): the request plumbing (MokuSimulator.cpp), the
// device state and Datalogger operations (MokuSimulatorDatalogger.cpp), logging and streaming
// (MokuSimulatorStreaming.cpp).

#include "MokuSimulator.h"
#include "MokuSimulatorSignals.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>

#include <atomic>
#include <cmath>

#include <deque>
#include <memory>
#include <string>
#include <vector>

class QTcpServer;
class QTcpSocket;

namespace bs::moku {

/// One HTTP request, copied out of Qt's request object (which lives only during the handler).
struct SimCall
{
    QByteArray method;  ///< GET, POST, DELETE, …
    QStringList path;   ///< decoded segments after /api/
    QByteArray key;     ///< Moku-Client-Key header
    QByteArray body;
};

struct SimReply
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QByteArray clientKey;   ///< sent as the Moku-Client-Key header when not empty
    QString filePath;       ///< a file to send as the body instead of `body`
    bool never = false;     ///< stall: keep the request unanswered
};

struct SimPending
{
    std::unique_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;
};

struct SimStream
{
    enum class State { Running, Stopped, Error };
    QString id;
    double rate = 0;
    qint64 total = -1; ///< samples; -1 = until stop_streaming
    std::vector<int> channels;
    std::vector<InputSignal> signalsOf;
    QElapsedTimer clock;
    qint64 delivered = 0;
    qint64 perLine = 1;
    qint64 lastReadMs = 0;
    State state = State::Running;
    QString error;
    QPointer<QTcpSocket> bridge;
    bool endSent = false;
    qint64 due() const;           ///< samples acquired by now (≤ total)
    bool acquiring() const;       ///< still acquiring (not past its duration, not stopped)
};

struct SimLogging
{
    QString fileName;
    QString target;
    QString prefix;
    QString comments;
    QString mode;
    double rate = 0;
    double duration = 0;
    double delay = 0;
    std::vector<int> channels;
    std::vector<InputSignal> signalsOf;
    QElapsedTimer clock;
    qint64 written = 0;
    bool running = false;
    bool stopped = false;
    std::unique_ptr<QFile> file;
    qint64 total() const { return qint64(std::floor(rate * duration + 1e-9)); }
};

class MokuSimulatorPrivate : public QObject
{
public:
    MokuSimulatorPrivate(MokuSimulator *q, const MokuSimulatorConfig &cfg);
    ~MokuSimulatorPrivate() override;

    bool start(QString *error);
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void process(const SimCall &call, std::shared_ptr<SimPending> pending);
    void send(const std::shared_ptr<SimPending> &pending, const SimReply &reply);
    SimReply dispatch(const SimCall &call);

    // envelope
    static SimReply ok(const QJsonValue &data = QJsonValue::Null, const QStringList &messages = {});
    static SimReply fail(const QString &code, const QString &message, const QJsonValue &data = QJsonValue::Null);
    static SimReply notFound(const QString &what);
    SimReply refusal(const QString &code, const QString &message) const;

    // device
    SimReply device(const SimCall &call, const QJsonObject &body);
    SimReply claim(const SimCall &call, const QJsonObject &body);
    QString checkKey(const SimCall &call) const;
    QJsonObject describe() const;
    SimReply files(const SimCall &call);
    SimReply hwstate(const SimCall &call);
    QString targetDir(const QString &target) const;
    QStringList targets() const;

    // Datalogger
    bool isDatalogger(const SimCall &call) const;
    SimReply datalogger(const SimCall &call, const QString &op, const QJsonObject &body);
    void resetInstrument();
    int enabledInputs() const;
    QJsonObject frontendJson(int channel) const;
    QJsonObject waveformJson(int channel) const;
    QString summaryText() const;
    QJsonObject settingsJson() const;
    QString applySettings(const QJsonObject &s);

    // logging and streaming
    SimReply startLogging(const QJsonObject &body, bool strict);
    SimReply loggingProgress();
    SimReply stopLogging();
    void catchUpLog();
    SimReply startStreaming(const QJsonObject &body);
    SimReply stopStreaming();
    SimReply streamStatus() const;
    SimReply getChunk(const SimCall &call);
    void streamTick();
    void streamError(const QString &message);
    void attachBridge(QTcpSocket *socket);
    void pumpBridge();
    void applyPendingStreamFault();

    MokuSimulator *q;
    MokuSimulatorConfig cfg;
    ModelInfo model;
    QHttpServer *server = nullptr;
    QTcpServer *bridgeServer = nullptr;
    QTemporaryDir storage;

    // ownership
    QByteArray ownerKey; ///< set through setOwner()
    quint64 keyCounter = 0;
    void setOwner(const QByteArray &key);
    /// Config::holdClaimAnswers: claims carried out, their answers not sent yet.
    QList<std::pair<std::shared_ptr<SimPending>, SimReply>> heldClaims;

    // deployment (§4)
    enum class Deploy { No, Deploying, Done } deploy = Deploy::No;
    std::deque<std::pair<SimCall, std::shared_ptr<SimPending>>> deployQueue;
    QList<std::shared_ptr<SimPending>> stalled;

    // instrument state
    std::vector<InputSettings> inputs;
    std::vector<WaveformSettings> outputs;
    std::vector<QString> terminations;
    double sampleRate = 1000;
    QString acquisitionMode = QStringLiteral("Normal");
    int platformId = 1;

    SimLogging logging;
    std::unique_ptr<SimStream> stream;
    int streamCounter = 0;
    QList<QPointer<QTcpSocket>> waitingBridges;
    QTimer *tick = nullptr; ///< a child, so that it moves with the simulator
    std::string lineBuffer;

    std::atomic<int> pendingRestFault{0};  ///< MokuSimulator::Fault of the next REST call
    bool pendingStreamError = false;
};

} // namespace bs::moku
