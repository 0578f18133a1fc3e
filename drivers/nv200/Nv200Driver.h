// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"
#include "Nv200DriverLink.h"
#include "Nv200ProtocolRecorder.h"

#include <QElapsedTimer>
#include <QTimer>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace bs {
struct DriverInfo;
}

namespace bs::nv200 {

/// piezosystem jena NV200/D (NET) piezo amplifier over USB serial or Telnet TCP 23.
///
/// Address: `host[:port]` or `[IPv6]:port` (TCP, port 23 by default) or a serial device
/// (`/dev/ttyUSB0`, the pty a simulator prints, `COM3`). open() identifies the device by its prompt and reads the actuator.
/// Two streams:
///  - "recorder": the two-channel data recorder, delivered after each read-back as ONE regular
///    block (dt = stride × 50 µs, t0 = the session time the recording started, units per
///    source, StartOfCapture|EndOfCapture);
///  - "live": `meas` and `set` polled at `live_rate` while running (irregular, one sample per
///    block), paused while a recorder read-back is in progress. Each poll is one sample index; a
///    poll that fails (no answer, garbage, nan/inf) is a lost sample (an index jump), and no
///    answer to kDeadPolls polls in a row is state Error.
/// Run (start()) polls the live stream ("run_mode" live, the default) or records one recorder
/// capture ("recorder capture": what the capture action does) and then goes to State::Finished.
/// Every recording read back is one capture: captureStarted at its trigger, captureEnded when the
/// block is delivered (complete = every sample the recorder held) or the capture failed.
/// Actions: step, waveform_start, waveform_stop, arm, read, capture (arm + trigger + read),
/// refresh, send_command; `invoke("raw:<line>")` sends one line as typed.
/// Every `error,N` answer is reported as "NV200: '<command>' refused: <meaning> (error N)".
class Nv200Driver : public Instrument
{
    Q_OBJECT
public:
    /// Polls in a row without an answer after which the device counts as gone (state Error).
    static constexpr int kDeadPolls = 3;

    explicit Nv200Driver(QObject *parent = nullptr);
    ~Nv200Driver() override;

    static DriverInfo info();
    QString type() const override { return QStringLiteral("nv200"); }

    /// Command timeouts in ms (defaults 400 / 600 / 6000 as the vendor library uses). Call before
    /// the driver is moved to its thread.
    void setTimeouts(int setterMs, int queryMs, int dumpMs) { m_link.setTimeouts(setterMs, queryMs, dumpMs); }
    /// Interval of `recrun` polls while a recording runs (default 50 ms).
    void setRecorderPollMs(int ms) { m_recPollMs = ms; }

public Q_SLOTS:
    void open() override;
    void close() override;
    /// Starts live polling, or one recorder capture (run_mode), in state Running.
    void start() override;
    /// Stops live polling, stops the waveform generator if we started it, cancels a wait for a
    /// recording that has not been triggered (a triggered one is still read back; state Connected).
    void stop() override;
    void invoke(const QString &action) override;

protected:
    QString applyParameter(const QString &key, const QVariant &value) override;

private:
    using Link = Nv200DriverLink;
    using Result = Link::Result;
    struct Step
    {
        QString command;
        Link::Kind kind = Link::Kind::Setter;
        /// Called with a successful answer; return false to stop the sequence (after reporting).
        std::function<bool(const Result &)> onReply;
    };
    struct Sequence
    {
        std::vector<Step> steps;
        std::size_t at = 0;
        std::function<void()> done, failed;
    };
    /// What the driver knows about the recording it armed.
    struct Recording
    {
        bool armed = false;
        int mode = 0;          ///< recast
        RecorderTiming timing;
        double t0 = -1;        ///< session time the recording started (-1: not yet known)
        int sourceA = 0, sourceB = 1;
        bool closedLoop = true;
        bool lengthKnown = true; ///< false: read without arming, timing.length is only a guess
    };
    /// The recorder capture in progress (Run in "recorder capture" mode, or the actions).
    struct Capture
    {
        bool active = false;
        bool started = false; ///< captureStarted emitted (the recording's start time is known)
        bool run = false;     ///< begun by Run: the state is Running until it ends
        bool finish = false;  ///< State::Finished when it ends by itself (not while live polling)
        int number = 0;
    };

    // Nv200Driver.cpp: connection, identity, sequences, parameters
    void buildParameters();
    void onLinkConnected();
    void onLinkLost(const QString &reason);
    void identify(int attempt = 0);
    void readIdentity(std::function<void()> done, std::function<void()> failed);
    void run(std::vector<Step> steps, std::function<void()> done = {}, std::function<void()> failed = {});
    void runStep(const std::shared_ptr<Sequence> &seq);
    bool report(const Result &r);
    std::optional<double> numberOf(const Result &r, int field = 0);
    bool isReady() const;
    bool requireReady();
    QString positionUnit() const;
    void refreshStreams();
    void updateTiming(double durationMs);
    bool runsCapture() const;
    void sendRaw(const QString &line);

    // Nv200DriverLive.cpp
    void pollLive();
    std::optional<double> liveValue(const Result &r, bool *timedOut);
    void finishLiveSlot(std::uint64_t slot, bool delivered, bool timedOut);
    void publishLiveMark();
    void reportLive(const QString &key, const QString &message);
    void updateLiveTimer();
    void announceStreams(const QVector<StreamInfo> &streams);

    // Nv200DriverActions.cpp: setpoint step and waveform generator
    void step(std::function<void()> then = {}, std::function<void()> failed = {});
    void waveformStart(std::function<void()> then = {}, std::function<void()> failed = {});
    void waveformStop();
    void noteTrigger(int mode, double sentAt);

    // Nv200DriverRecorder.cpp
    void arm(std::function<void()> then = {}, std::function<void()> failed = {});
    void read();
    void capture(bool run = false);
    void beginCapture(bool run);
    void recordingStarted(double t0);
    void endCapture(std::size_t samples, bool complete, double tEnd);
    void abortCapture(const QString &why);
    void readBackFailed();
    void pollRecorder();
    void readChannel(int channel, std::function<void()> then);
    void readChannelInChunks(int channel, std::function<void()> then);
    void deliverRecording();
    void endReadBack();
    Recording recordingFromParameters() const;
    StreamInfo recorderStream(const Recording &rec) const;
    StreamInfo liveStream() const;

    Link m_link;
    QTimer m_liveTimer;
    QTimer m_recPoll;
    int m_recPollMs = 50;
    bool m_linkConnected = false;
    bool m_liveOn = false;
    int m_timeouts = 0;         // consecutive timeouts
    QString m_lastLiveError;     // key of the live failure reported last (reported once)
    std::uint64_t m_liveIndex = 0; // next live sample slot
    bool m_livePolling = false;    // a live poll is in flight
    bool m_liveDue = false;        // a tick came while it was: poll again as soon as it is answered
    bool m_liveAnchored = false;   // the pipeline knows the live stream's current index
    std::uint64_t m_liveMissed = 0; // ticks missed while the poll in flight waited
    int m_liveSilentPolls = 0;     // consecutive polls with a timeout
    QString m_liveSilentCommand;   // the command that timed out last

    // Identity
    QString m_device;
    QString m_unitClosedLoop = QStringLiteral("\u00b5m");
    QString m_unitOpenLoop = QStringLiteral("V");
    bool m_closedLoop = true;   // the device's loop mode as last read or set
    std::array<double, 4> m_ranges{{0, 0, 0, 0}}; // posmin, posmax, avmin, avmax as read on connect
    bool m_rangesKnown = false;
    /// Whether a live value can be a reading of this device: within posmin…posmax or avmin…avmax,
    /// each widened by its span on both sides.
    bool plausibleLiveValue(double v) const;
    bool m_awgRunning = false;

    // Recorder
    Recording m_rec;
    bool m_waiting = false;     // polling recrun
    bool m_readBack = false;    // reading the buffers
    double m_waitDeadline = -1;
    std::vector<double> m_channelData[2];
    std::uint64_t m_recIndex = 0;
    QElapsedTimer m_progressThrottle;
    int m_readingChannel = 0;
    Capture m_cap;
    int m_captures = 0;         // captures begun since the driver was created
    QString m_lastFailure;      // the last error reported (names why a capture failed)
};

} // namespace bs::nv200
