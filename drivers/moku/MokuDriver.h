// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"
#include "MokuDriverBridge.h"
#include "MokuDriverRequests.h"
#include "MokuDriverRest.h"
#include "MokuProtocolModels.h"
#include "MokuProtocolNdjson.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <functional>
#include <memory>
#include <set>
#include <vector>

namespace bs {
struct DriverInfo;
}

namespace bs::moku {

/// Liquid Instruments Moku:Go / Lab / Pro / Delta running the Datalogger, over the HTTP REST API
/// of MokuOS 4.x, with live data from the `mokucli stream` NDJSON bridge
/// (docs/protocols/moku.md; drivers/moku/README.md says what is checked and read back).
///
/// open(): claim_ownership (forced only with `force_connect` or the take_over action), describe
/// (proxy_version 2, model, MokuOS), name, serial_number, then the session's settings written
/// (the first Datalogger call loads the instrument: shown as progress, `deploy_timeout`) and every
/// setting read back. close(), errors after the claim and the destructor relinquish ownership.
///
/// start(): start_streaming, then the bridge; one stream "datalogger", one channel per enabled
/// input ("Input N", V), regular samples at the stream's rate from the session time of the
/// start_streaming reply. EOS ends the capture (Finished); stop() calls stop_streaming.
class MokuDriver : public Instrument
{
    Q_OBJECT
public:
    static constexpr quint16 kDefaultPort = 80;
    /// The bridge is tried this often, this far apart (the vendor's client: 5 × 0.5 s).
    static constexpr int kBridgeAttempts = 20;
    static constexpr int kBridgeIntervalMs = 500;
    static constexpr int kLogPollMs = 500;
    /// The longest NDJSON line accepted (a Moku:Pro line of 0.1 s at 10 MSa/s is ~40 MB).
    static constexpr std::size_t kMaxLine = std::size_t(512) << 20;

    explicit MokuDriver(QObject *parent = nullptr);
    ~MokuDriver() override;

    static DriverInfo info();
    static QString checkAddress(const QString &address);
    /// The start_streaming duration sent for "until Stop" (`duration` 0), in seconds: by default
    /// kLongestStreamS. Tests shorten it to see the warning before the end and the end itself.
    /// Before the driver moves to its thread.
    void setLongestStream(qint64 seconds) { m_longestStream = seconds; }
    /// How long before the end of an "until Stop" stream the user is warned, in ms: by default an
    /// hour, or half of a shorter stream (-1). Tests set it to the whole stream, so the warning
    /// comes at its start whatever the machine's load. Before the driver moves to its thread.
    void setEndWarningLead(qint64 ms) { m_endWarningLead = ms; }
    /// How long close() waits for the answer to a claim still on its way, so that a Moku it made
    /// ours is given back (it cannot be given back without the key that answer carries).
    static constexpr int kClaimWaitMs = 2000;
    QString type() const override { return QStringLiteral("moku"); }

public Q_SLOTS:
    void open() override;
    void close() override;
    void start() override;
    void stop() override;
    void invoke(const QString &action) override;

protected:
    QString applyParameter(const QString &key, const QVariant &value) override;

private:
    using Request = MokuDriverRest::Request;
    using Result = MokuDriverRest::Result;
    struct Step
    {
        Request request;
        /// Called with the result; return false to stop the sequence. Unless `handlesErrors`, a
        /// failed result stops the sequence (reported by the sequence's `failed`).
        std::function<bool(const Result &)> onReply;
        bool handlesErrors = false;
        /// When set, builds the request at the moment it is sent (after the steps before it).
        std::function<Request()> make = {};
    };
    struct Sequence
    {
        std::vector<Step> steps;
        std::size_t at = 0;
        std::function<void()> done;
        std::function<void(const Result &)> failed;
        quint64 generation = 0;
    };
    struct Stream
    {
        bool active = false;
        bool ending = false;      ///< stop() or EOS: finishing up
        bool eos = false;
        QString id;               ///< stream_id
        QList<int> inputs;        ///< enabled inputs, one channel each
        double rate = 0;
        double dt = 0;
        double t0 = 0;            ///< session time of stream time 0
        std::unique_ptr<NdjsonLineSplitter> splitter;
        std::unique_ptr<StreamContinuity> continuity;
        StreamLine line;
        bool haveIndex = false;
        quint64 nextIndex = 0;
        quint64 received = 0;
        quint64 lost = 0;
        quint64 lostPending = 0;
        quint64 dropped = 0;      ///< repeated time stamps
        std::vector<std::vector<double>> pending; ///< per channel, not yet published
        quint64 pendingFirst = 0;
        QElapsedTimer sinceFlush;
        bool firstBlock = true;
        int capture = 0;
        int reports = 0;          ///< problem messages shown (bounded)
        bool missingWarned = false;
        bool untilStop = false;   ///< `duration` 0: asked for the longest stream
        qint64 seconds = 0;       ///< the duration start_streaming was given
        QElapsedTimer running;    ///< since the start_streaming reply
    };
    struct Log
    {
        bool active = false;
        bool stopRequested = false;
        QString fileName;
        double duration = 0;
        bool polling = false;
        bool sawRunning = false;
        int pollErrors = 0;
        QString lastText;
    };

    // MokuDriver.cpp: connection, ownership, sequences, actions
    void connectTo(bool force);
    void afterClaim();
    void run(std::vector<Step> steps, std::function<void()> done = {},
             std::function<void(const Result &)> failed = {});
    void runStep(const std::shared_ptr<Sequence> &seq);
    Request deviceGet(const QString &op) const;
    Request datalogger(const QString &op, const QJsonObject &body) const;
    Request dataloggerGet(const QString &op) const;
    Request dataloggerNoBody(const QString &op) const;
    bool isReady() const;
    bool requireReady();
    /// A failure of the connection as a whole (transport, or ownership lost): ends the stream and
    /// the log poll, relinquishes when still the owner, reports, state Error.
    void connectionFailed(const QString &message, bool ownershipLost = false);
    /// Whether `r` says another client owns the Moku now.
    static bool ownershipLost(const Result &r);
    void relinquish();
    /// A claim still on its way (close, a new connection, the destructor): waits for its answer
    /// (at most kClaimWaitMs, the answers of other calls are not taken meanwhile) and gives a
    /// Moku it made ours back, so that the Moku never stays owned under a key we never read.
    void settleClaim();
    void setOwnedByOther(bool owned);
    int timeoutMs() const;

    // MokuDriverSettings.cpp: model-aware checks, writes and read-backs
    QString checkSetting(const QString &key, const QVariant &value) const;
    void writeSetting(const QString &key, quint64 ticket);
    /// `ticket`: the write's number for its device operation (0: none); what its reply and
    /// read-back say is stored only while no newer write of that operation was asked for, so an
    /// older reply never overwrites a value typed since.
    std::vector<Step> writeSteps(const QString &key, bool connecting, quint64 ticket = 0);
    std::vector<Step> readBackSteps(const QString &key, quint64 ticket = 0);
    static QString operationOf(const QString &key);
    bool latest(const QString &key, quint64 ticket) const;
    std::vector<Step> connectSteps();
    std::vector<Step> connectFrontendSteps(int n);
    void store(const QList<std::pair<QString, QVariant>> &values);
    void deviceRefused(const QString &key, const Result &r);
    StreamInfo streamInfo() const;
    void updateStreams();

    // MokuDriverStream.cpp
    void beginStream(const QString &streamId, double t0);
    void onBridgeBytes(const QByteArray &bytes);
    void onBridgeClosed();
    void onBridgeFailed(const QString &message);
    void takeLine();
    void appendSamples(std::size_t from, std::size_t count, quint64 index);
    void noteLoss(quint64 samples);
    void flush(bool force, std::uint32_t extraFlags = 0);
    void endStream(const QString &reason, bool byDevice, bool complete);
    void stopStreamingOnDevice(std::function<void()> then = {});
    /// "Until Stop": arms the warning that the Moku's stream will end (an hour before, or half
    /// way through a shorter one), in steps QTimer can hold.
    void armEndWarning();

    // MokuDriverLogging.cpp
    void startLog();
    void stopLog();
    void pollLog();
    void downloadLog(const QString &fileName);
    QString downloadFolder() const;
    void convertLog(const QString &path);
    void saveSettings();
    void loadSettings();

    MokuDriverRest m_rest;
    MokuDriverBridge m_bridge;
    QTimer m_logTimer;
    QTimer m_endWarning;        ///< "until Stop": the stream's end is near
    qint64 m_longestStream = kLongestStreamS;
    qint64 m_endWarningLead = -1;
    const ModelInfo *m_model = nullptr;
    bool m_owned = false;
    bool m_deployed = false;
    bool m_closing = false;
    bool m_claiming = false;    ///< claim_ownership sent, its answer not taken yet
    std::function<void()> m_claimAnswered; ///< while settleClaim() waits: ends the wait
    quint64 m_generation = 0;   ///< bumped on close and on failures: late replies are dropped
    std::set<QString> m_unsent; ///< settings given while disconnected
    QHash<QString, quint64> m_writeTickets; ///< per device operation: the newest write asked for
    Stream m_stream;
    Log m_log;
    int m_captures = 0;
    bool m_starting = false;
    bool m_stopRequested = false;
};

} // namespace bs::moku
