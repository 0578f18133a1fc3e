// SPDX-License-Identifier: GPL-3.0-or-later
// Live data: start_streaming, the NDJSON bridge (MokuDriverBridge), lines into sample blocks.
//
// Times: sample k of the stream is at t0 + k·dt, where t0 is the session time of the
// start_streaming reply (the stream's time 0) and k = round(time / dt) from the line's `time`
// (seconds since the stream began, U8). Continuity is checked line by line (StreamContinuity):
// a jump forward is a loss (counted, the next block says DataLost with lostBefore), a time seen
// before is dropped. Blocks hold ~20 ms; nothing waits longer than 50 ms to be published.
#include "MokuDriver.h"

#include "MokuDriverRequests.h"
#include "SessionClock.h"

#include <cmath>

namespace bs::moku {

namespace {

const QString kStream = QStringLiteral("datalogger");
constexpr int kStopWaitMs = 5000;   // after stop_streaming: how long EOS may take
constexpr int kMaxReports = 3;      // problem messages per stream

/// "116 days", "3 h", "10 min", "5 s": a stream's length as a technician says it.
QString spanText(double seconds)
{
    const double s = std::max(0.0, seconds);
    if (s >= 2 * 86400.0)
        return MokuDriver::tr("%1 days").arg(std::llround(s / 86400));
    if (s >= 2 * 3600.0)
        return MokuDriver::tr("%1 h").arg(std::llround(s / 3600));
    if (s >= 120.0)
        return MokuDriver::tr("%1 min").arg(std::llround(s / 60));
    return MokuDriver::tr("%1 s").arg(std::llround(s));
}

} // namespace

void MokuDriver::start()
{
    if (m_stream.active || m_starting)
        return;
    if (!requireReady())
        return;
    const ModelInfo &m = *m_model;
    const QList<int> inputs = enabledInputs(m_params, m);
    if (inputs.isEmpty()) {
        fail(tr("Moku at %1: enable at least one input to stream").arg(m_rest.peer()));
        return;
    }
    const double rate = m_params.doubleValue(QStringLiteral("rate"));
    QString why = checkSampleRate(m, rate, int(inputs.size()), true);
    if (why.isEmpty())
        why = checkTrigger(m, m_params.stringValue(QStringLiteral("trigger_source")),
                           m_params.doubleValue(QStringLiteral("trigger_level")));
    // Where the numbers will come from, checked before the Moku starts streaming.
    const QString bridge = m_params.stringValue(QStringLiteral("bridge")).trimmed();
    std::optional<HostPort> bridgeAt;
    QString program;
    if (why.isEmpty() && !bridge.isEmpty()) {
        QString e;
        bridgeAt = parseHostPort(bridge, 0, &e);
        if (!bridgeAt)
            why = tr("Stream bridge %1: %2").arg(bridge, e);
        else if (bridgeAt->port == 0)
            why = tr("Stream bridge %1: give the port (host:port)").arg(bridge);
    } else if (why.isEmpty()) {
        program = MokuDriverBridge::findMokucli(m_params.stringValue(QStringLiteral("mokucli")), &why);
        if (!why.isEmpty())
            why = tr("Cannot stream: %1; or give a bridge address that already serves the stream").arg(why);
    }
    if (!why.isEmpty()) {
        fail(tr("Moku at %1: %2").arg(m_rest.peer(), why));
        return;
    }
    // The Moku's own rate when it was set and read back, else the rate asked for (Lab streams
    // faster than set_samplerate goes).
    const double actual = m_params.doubleValue(QStringLiteral("actual_rate"));
    const bool readBack = checkSampleRate(m, rate, int(inputs.size()), false).isEmpty() && actual > 0
        && std::abs(actual - rate) <= 0.01 * rate;
    const double streamRate = readBack ? actual : rate;

    m_starting = true;
    m_stopRequested = false;
    const double sent = SessionClock::now();
    const QJsonObject body = startStreamingBody(m_params, rate, m_longestStream);
    const bool untilStop = m_params.intValue(QStringLiteral("duration")) == 0;
    const qint64 seconds = qint64(body.value(QStringLiteral("duration")).toDouble());
    run({{datalogger(QStringLiteral("start_streaming"), body),
          [this, sent, inputs, streamRate, bridgeAt, program, untilStop, seconds](const Result &r) {
              m_starting = false;
              const double t0 = (sent + SessionClock::now()) / 2;
              const QString id = field(r.reply.data, QStringLiteral("stream_id")).toString();
              if (id.isEmpty()) {
                  fail(tr("Moku at %1: start_streaming gave no stream_id").arg(m_rest.peer()));
                  stopStreamingOnDevice();
                  return false;
              }
              m_stream = Stream{};
              m_stream.inputs = inputs;
              m_stream.rate = streamRate;
              m_stream.untilStop = untilStop;
              m_stream.seconds = seconds;
              m_stream.running.start();
              beginStream(id, t0);
              if (m_stream.active && untilStop)
                  armEndWarning();
              if (!m_stream.active)
                  return false;
              if (bridgeAt)
                  m_bridge.connectTo(*bridgeAt, kBridgeAttempts, kBridgeIntervalMs);
              else
                  m_bridge.launch(program, mokucliAddress(m_rest.endpoint()), id, kBridgeAttempts, kBridgeIntervalMs);
              return true;
          }}},
        {}, [this](const Result &r) {
            m_starting = false;
            if (r.http == 0 || ownershipLost(r))
                connectionFailed(r.error, ownershipLost(r));
            else
                fail(r.error);
        });
}

void MokuDriver::beginStream(const QString &streamId, double t0)
{
    Stream &s = m_stream;
    s.active = true;
    s.id = streamId;
    s.t0 = t0;
    s.dt = 1.0 / s.rate;
    s.splitter = std::make_unique<NdjsonLineSplitter>(kMaxLine);
    s.continuity = std::make_unique<StreamContinuity>(s.dt);
    s.pending.assign(std::size_t(s.inputs.size()), {});
    s.capture = ++m_captures;
    s.sinceFlush.start();
    setStreams({streamInfo()});
    captureStarted(kStream, t0,
                   {{QStringLiteral("capture"), s.capture}, {QStringLiteral("stream_id"), streamId},
                    {QStringLiteral("rate"), s.rate}, {QStringLiteral("inputs"), int(s.inputs.size())}});
    setState(State::Running, m_rest.peer());
    if (m_stopRequested) {
        m_stopRequested = false;
        stop();
    }
}

void MokuDriver::onBridgeBytes(const QByteArray &bytes)
{
    if (!m_stream.active || !m_stream.splitter)
        return;
    m_stream.splitter->append(bytes.constData(), std::size_t(bytes.size()));
    takeLine();
    if (m_stream.active)
        flush(false);
}

void MokuDriver::takeLine()
{
    Stream &s = m_stream;
    std::string_view text;
    while (s.active && s.splitter) {
        const auto got = s.splitter->takeLine(text);
        if (got == NdjsonLineSplitter::Result::NeedMore)
            return;
        if (got == NdjsonLineSplitter::Result::TooLong) {
            const QString why = s.splitter->error();
            endStream(tr("Stream cut: %1").arg(why), false, false);
            stopStreamingOnDevice();
            fail(tr("Moku stream from %1: %2 — every sample received before is kept").arg(m_bridge.where(), why));
            m_bridge.close();
            return;
        }
        const QString why = parseStreamLine(text, s.line);
        if (!why.isEmpty()) {
            // Its samples are lost; the time stamps of the next line count them.
            if (s.reports++ < kMaxReports)
                fail(tr("Moku stream from %1: a line was not understood: %2").arg(m_bridge.where(), why));
            continue;
        }
        if (s.line.endOfStream) {
            s.eos = true;
            const bool byDevice = !s.ending;
            if (byDevice && s.untilStop) // the longest stream the Moku was asked for is over
                fail(tr("The Moku ended its stream after %1, the longest BenchScope asks for: press Run to "
                        "continue (every sample is kept)")
                         .arg(spanText(double(s.seconds))));
            endStream(byDevice ? tr("End of stream: %1 samples").arg(s.received)
                               : tr("Stopped after %1 samples").arg(s.received),
                      byDevice, s.lost == 0);
            m_bridge.close();
            return;
        }
        const std::size_t n = s.line.sampleCount();
        if (!n)
            continue;
        // Which of the line's arrays is which channel of the stream.
        for (std::size_t c = 0; c < s.pending.size(); ++c) {
            const auto &chs = s.line.channels;
            if (std::find(chs.begin(), chs.end(), s.inputs[int(c)]) == chs.end() && !s.missingWarned) {
                s.missingWarned = true;
                const QString text = tr("The Moku's stream has no ch%1 although Input %1 is enabled; its samples are "
                                        "NaN")
                                         .arg(s.inputs[int(c)]);
                warn(text, kStream);
                fail(text);
            }
        }
        const auto check = s.continuity->check(s.line.time);
        const double *time = s.line.time.data();
        if (!s.haveIndex) {
            s.haveIndex = true;
            s.nextIndex = quint64(std::max<long long>(0, std::llround(time[0] / s.dt)));
        }
        if (check.ok()) {
            appendSamples(0, n, s.nextIndex);
            continue;
        }
        if (s.reports++ < kMaxReports)
            Q_EMIT message(tr("Moku stream: %1").arg(StreamContinuity::describe(check)));
        // Sample by sample: each at the index its time stamp says.
        for (std::size_t i = 0; i < n && s.active; ++i) {
            const long long k = std::llround(time[i] / s.dt);
            if (k < 0 || quint64(k) < s.nextIndex) {
                ++s.dropped;
                continue;
            }
            if (quint64(k) > s.nextIndex)
                noteLoss(quint64(k) - s.nextIndex);
            appendSamples(i, 1, s.nextIndex);
        }
    }
}

void MokuDriver::appendSamples(std::size_t from, std::size_t count, quint64)
{
    Stream &s = m_stream;
    const std::size_t chunk = std::size_t(std::max(1.0, s.rate / 50)); // ~20 ms a block
    while (count > 0) {
        if (s.pending[0].empty())
            s.pendingFirst = s.nextIndex;
        const std::size_t take = std::min(count, std::max<std::size_t>(1, chunk - std::min(chunk, s.pending[0].size())));
        for (std::size_t c = 0; c < s.pending.size(); ++c) {
            const auto &chs = s.line.channels;
            const auto it = std::find(chs.begin(), chs.end(), s.inputs[int(c)]);
            auto &dst = s.pending[c];
            if (it == chs.end()) {
                dst.insert(dst.end(), take, std::numeric_limits<double>::quiet_NaN());
            } else {
                const double *src = s.line.values[std::size_t(it - chs.begin())].data() + from;
                dst.insert(dst.end(), src, src + take);
            }
        }
        s.nextIndex += take;
        s.received += take;
        from += take;
        count -= take;
        if (s.pending[0].size() >= chunk)
            flush(true);
    }
}

void MokuDriver::noteLoss(quint64 samples)
{
    flush(true);
    m_stream.lost += samples;
    m_stream.lostPending += samples;
    m_stream.nextIndex += samples;
}

void MokuDriver::flush(bool force, std::uint32_t extraFlags)
{
    Stream &s = m_stream;
    const std::size_t n = s.pending.empty() ? 0 : s.pending[0].size();
    if (!n && !extraFlags)
        return;
    if (!force && !extraFlags && s.sinceFlush.elapsed() < 50
        && n < std::size_t(std::max(1.0, s.rate / 50)))
        return;
    const int channels = int(s.pending.size());
    auto b = SampleBlock::make(QString(), kStream, channels, n, false);
    b->firstIndex = n ? s.pendingFirst : s.nextIndex;
    b->dt = s.dt;
    b->t0 = s.t0 + double(b->firstIndex) * s.dt;
    for (int c = 0; c < channels; ++c)
        std::copy(s.pending[std::size_t(c)].begin(), s.pending[std::size_t(c)].end(), b->channel(c));
    if (s.firstBlock)
        b->flags |= SampleBlock::StartOfCapture;
    if (s.lostPending) {
        b->flags |= SampleBlock::DataLost;
        b->lostBefore = s.lostPending;
    }
    b->flags |= extraFlags;
    s.firstBlock = false;
    s.lostPending = 0;
    for (auto &p : s.pending)
        p.clear();
    s.sinceFlush.start();
    publish(b);
}

void MokuDriver::endStream(const QString &reason, bool byDevice, bool complete)
{
    Stream &s = m_stream;
    if (!s.active)
        return;
    flush(true, SampleBlock::EndOfCapture);
    const double tEnd = s.t0 + double(s.nextIndex) * s.dt;
    captureEnded(kStream, tEnd, reason, complete,
                 {{QStringLiteral("capture"), s.capture}, {QStringLiteral("samples"), double(s.received)},
                  {QStringLiteral("lost"), double(s.lost)}, {QStringLiteral("repeated"), double(s.dropped)}});
    Q_EMIT message(tr("Moku stream %1: %2%3")
                       .arg(s.capture)
                       .arg(reason)
                       .arg(s.lost ? tr(", %1 samples lost").arg(s.lost) : QString()));
    s.active = false;
    s.ending = false;
    s.pending = {};
    m_endWarning.stop();
    s.splitter.reset();
    if (state() == State::Running)
        setState(byDevice ? State::Finished : State::Connected, m_rest.peer());
}

void MokuDriver::armEndWarning()
{
    const Stream &s = m_stream;
    if (!s.active || !s.untilStop)
        return;
    // Warned this long before the end: an hour, or half of a shorter stream (unless set).
    const qint64 ms = s.seconds * 1000;
    const qint64 lead = m_endWarningLead >= 0 ? m_endWarningLead : std::min<qint64>(3'600'000, ms / 2);
    const qint64 warnAt = ms - lead;
    const qint64 left = warnAt - s.running.elapsed();
    if (left > 0) { // QTimer holds at most ~24 days: re-armed in steps of a day
        m_endWarning.start(int(std::min<qint64>(left, 86'400'000)));
        return;
    }
    const double remaining = std::max(0.0, double(ms - s.running.elapsed()) / 1000.0);
    const QString text = tr("The Moku's stream ends by itself in %1 (the longest BenchScope asks for is %2): "
                            "Stop and Run again before then to keep recording")
                             .arg(spanText(remaining),
                                  spanText(double(s.seconds)));
    warn(text, kStream);
    Q_EMIT message(text);
}

void MokuDriver::stopStreamingOnDevice(std::function<void()> then)
{
    if (!m_owned)
        return;
    run({{dataloggerNoBody(QStringLiteral("stop_streaming")),
          [then](const Result &) {
              if (then)
                  then();
              return true;
          },
          true}},
        {}, [this, then](const Result &r) {
            if (ownershipLost(r)) { // another client has the Moku now: nothing more to stop here
                connectionFailed(r.error, true);
                return;
            }
            Q_EMIT message(tr("stop_streaming: %1").arg(r.error));
            if (then)
                then();
        });
}

void MokuDriver::stop()
{
    if (m_starting) {
        m_stopRequested = true;
        return;
    }
    if (m_stream.active && !m_stream.ending) {
        m_stream.ending = true;
        const int capture = m_stream.capture;
        // What the bridge still sends before EOS is read; EOS (or the wait running out) ends it.
        stopStreamingOnDevice([this, capture] {
            QTimer::singleShot(kStopWaitMs, this, [this, capture] {
                if (m_stream.active && m_stream.capture == capture) {
                    endStream(tr("Stopped after %1 samples (no end of stream from the bridge)").arg(m_stream.received),
                              false, m_stream.lost == 0);
                    m_bridge.close();
                }
            });
        });
        return;
    }
    if (state() == State::Running)
        setState(State::Connected, m_rest.peer());
}

void MokuDriver::onBridgeClosed()
{
    if (!m_stream.active)
        return;
    // A last line without its LF is taken as it is.
    takeLine();
    if (!m_stream.active)
        return;
    if (m_stream.ending) {
        endStream(tr("Stopped after %1 samples").arg(m_stream.received), false, m_stream.lost == 0);
        m_bridge.close();
        return;
    }
    const QString why = tr("the stream bridge at %1 closed the connection without an end of stream").arg(m_bridge.where());
    endStream(tr("Stream cut: %1").arg(why), false, false);
    m_bridge.close();
    stopStreamingOnDevice();
    fail(tr("Moku stream: %1 — every sample received before is kept").arg(why));
}

void MokuDriver::onBridgeFailed(const QString &message)
{
    if (!m_stream.active) {
        Q_EMIT this->message(message);
        return;
    }
    if (m_stream.ending) { // already stopping: the error is only worth a line
        Q_EMIT this->message(message);
        return;
    }
    endStream(tr("Stream cut: %1").arg(message), false, false);
    m_bridge.close();
    stopStreamingOnDevice();
    fail(tr("%1 — every sample received before is kept").arg(message));
}

} // namespace bs::moku
