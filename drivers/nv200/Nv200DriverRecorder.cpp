// SPDX-License-Identifier: GPL-3.0-or-later
// The two-channel data recorder: arm, wait, read back, deliver one block per recording. Each
// recording is one capture: captureStarted at its trigger, captureEnded when its block is
// delivered (or the capture failed); a capture begun by Run or while not live polling ends in
// State::Finished.
#include "Nv200Driver.h"

#include "Nv200Protocol.h"
#include "SessionClock.h"

#include <QJsonObject>

#include <algorithm>
#include <utility>

namespace bs::nv200 {

namespace {
const QString kRecorderStream = QStringLiteral("recorder");
constexpr int kRecoutChunk = 64;        // values per recout request in the fallback read-out
constexpr double kFinishMarginS = 2.0;  // grace after the expected end of a recording
} // namespace

Nv200Driver::Recording Nv200Driver::recordingFromParameters() const
{
    Recording r;
    r.mode = int(recorderAutostartNames().indexOf(m_params.stringValue(QStringLiteral("recorder_autostart"))));
    r.timing = recorderTiming(m_params.doubleValue(QStringLiteral("recorder_duration")));
    r.sourceA = int(recorderSourceNames().indexOf(m_params.stringValue(QStringLiteral("recorder_source_a"))));
    r.sourceB = int(recorderSourceNames().indexOf(m_params.stringValue(QStringLiteral("recorder_source_b"))));
    r.closedLoop = m_closedLoop;
    return r;
}

StreamInfo Nv200Driver::recorderStream(const Recording &rec) const
{
    StreamInfo s;
    s.id = kRecorderStream;
    s.name = tr("Data recorder");
    s.regular = true;
    s.nominalRate = rec.timing.rateHz;
    int ch = 0;
    for (const int src : {rec.sourceA, rec.sourceB}) {
        const QString name = QString(QLatin1Char(ch ? 'B' : 'A')) + QLatin1Char(' ') + recorderSourceNames().value(src);
        s.channels.append(ChannelInfo{name, recorderSourceUnit(src, rec.closedLoop, m_unitClosedLoop, m_unitOpenLoop),
                                      tr("recorder channel %1, source %2").arg(ch).arg(src), true, {}});
        ++ch;
    }
    return s;
}

void Nv200Driver::beginCapture(bool run)
{
    if (m_cap.active && m_cap.started)
        abortCapture(tr("the recorder was armed again before the recording was read back"));
    m_cap = Capture{true, false, run, run || !m_liveOn, ++m_captures};
}

void Nv200Driver::recordingStarted(double t0)
{
    m_rec.t0 = t0;
    if (!m_cap.active || m_cap.started)
        return;
    m_cap.started = true;
    captureStarted(kRecorderStream, t0,
                   QJsonObject{{QStringLiteral("capture"), m_cap.number},
                               {QStringLiteral("length"), m_rec.lengthKnown ? QJsonValue(m_rec.timing.length) : QJsonValue()},
                               {QStringLiteral("rate_hz"), m_rec.timing.rateHz},
                               {QStringLiteral("stride"), m_rec.timing.stride}});
}

void Nv200Driver::endCapture(std::size_t samples, bool complete, double tEnd)
{
    if (!m_cap.active)
        return;
    const Capture c = std::exchange(m_cap, Capture{});
    const QString reason = complete
        ? tr("Recorder read back")
        : tr("Recorder read back incomplete: %1 of %2 samples per channel").arg(samples).arg(m_rec.timing.length);
    captureEnded(kRecorderStream, tEnd, reason, complete,
                 QJsonObject{{QStringLiteral("capture"), c.number},
                             {QStringLiteral("samples"), double(samples)},
                             {QStringLiteral("rate_hz"), m_rec.timing.rateHz},
                             {QStringLiteral("stride"), m_rec.timing.stride}});
    if (c.finish)
        setState(State::Finished, tr("recorder capture %1: %2 samples per channel").arg(c.number).arg(samples));
}

void Nv200Driver::abortCapture(const QString &why)
{
    if (!m_cap.active)
        return;
    const Capture c = std::exchange(m_cap, Capture{});
    const RecorderTiming t = m_rec.armed ? m_rec.timing : recordingFromParameters().timing; // failed before armed
    captureEnded(kRecorderStream, SessionClock::now(), tr("Recorder capture failed: %1").arg(why), false,
                 QJsonObject{{QStringLiteral("capture"), c.number},
                             {QStringLiteral("samples"), 0},
                             {QStringLiteral("rate_hz"), t.rateHz},
                             {QStringLiteral("stride"), t.stride}});
    if (c.run && state() == State::Running)
        setState(State::Connected, tr("recorder capture failed"));
}

void Nv200Driver::arm(std::function<void()> then, std::function<void()> failed)
{
    if (!requireReady()) {
        if (failed)
            failed();
        return;
    }
    if (m_waiting || m_readBack) {
        fail(tr("NV200: the recorder is busy (a read-back is running)"));
        if (failed)
            failed();
        return;
    }
    if (!m_cap.active || m_cap.started)
        beginCapture(false); // the arm action on its own
    const Recording rec = recordingFromParameters();
    run({{QStringLiteral("recsrc,0,%1").arg(rec.sourceA), Link::Kind::Setter, {}},
         {QStringLiteral("recsrc,1,%1").arg(rec.sourceB), Link::Kind::Setter, {}},
         {QStringLiteral("recast,%1").arg(rec.mode), Link::Kind::Setter, {}},
         {QStringLiteral("recstr,%1").arg(rec.timing.stride), Link::Kind::Setter, {}},
         {QStringLiteral("reclen,%1").arg(rec.timing.length), Link::Kind::Setter, {}},
         {QStringLiteral("recrun,1"), Link::Kind::Setter,
          [this, rec](const Result &r) {
              m_rec = rec;
              m_rec.armed = true;
              m_rec.t0 = -1;
              if (rec.mode == 0)
                  recordingStarted(r.sentAt); // recast 0: recrun,1 starts the recording
              refreshStreams();
              Q_EMIT message(rec.mode == 0 ? tr("Recorder started: %1 samples at %2 Hz")
                                                 .arg(rec.timing.length)
                                                 .arg(rec.timing.rateHz, 0, 'g', 6)
                                           : tr("Recorder armed (%1): %2 samples at %3 Hz")
                                                 .arg(recorderAutostartNames().value(rec.mode))
                                                 .arg(rec.timing.length)
                                                 .arg(rec.timing.rateHz, 0, 'g', 6));
              return true;
          }}},
        std::move(then), std::move(failed));
}

void Nv200Driver::capture(bool run)
{
    const bool ready = requireReady();
    if (ready && (m_waiting || m_readBack))
        fail(tr("NV200: the recorder is busy (a read-back is running)"));
    if (!ready || m_waiting || m_readBack) {
        if (run && state() == State::Running)
            setState(State::Connected, tr("recorder capture not started"));
        return;
    }
    beginCapture(run);
    const int mode = recordingFromParameters().mode;
    const int number = m_cap.number;
    // Each stage goes on only while this capture is still the one in progress (Stop before the
    // trigger abandons it); a stage that fails ends it as incomplete.
    auto current = [this, number] { return m_cap.active && m_cap.number == number; };
    auto failed = [this, current] {
        if (current())
            abortCapture(m_lastFailure);
    };
    auto readIt = [this, current] {
        if (current())
            read();
    };
    arm([this, mode, current, failed, readIt] {
        if (!current())
            return;
        if (mode == 1)
            step(readIt, failed);
        else if (mode == 2)
            waveformStart(readIt, failed);
        else
            read();
    }, failed);
}

void Nv200Driver::read()
{
    if (!requireReady())
        return;
    if (m_waiting || m_readBack) {
        fail(tr("NV200: a recorder read-back is already running"));
        return;
    }
    if (!m_cap.active)
        beginCapture(false); // the read action on its own
    if (!m_rec.armed) {
        // Not armed by us: read what the device holds, with its own stride.
        m_rec = recordingFromParameters();
        m_link.send(QStringLiteral("recstr"), Link::Kind::Query, [this](const Result &r) {
            const auto v = report(r) ? numberOf(r) : std::nullopt;
            if (!v)
                return abortCapture(m_lastFailure);
            m_rec.timing.stride = std::max(1, int(*v));
            m_rec.timing.rateHz = kRecorderBaseRateHz / m_rec.timing.stride;
            m_rec.armed = true;
            m_rec.lengthKnown = false; // the device's reclen, up to the whole buffer
            m_rec.t0 = -1;
            read();
        });
        return;
    }
    m_waiting = true;
    m_waitDeadline = -1;
    Q_EMIT progress(0, m_rec.t0 < 0 ? tr("Recorder armed, waiting for the trigger…") : tr("Recording…"));
    pollRecorder();
}

void Nv200Driver::pollRecorder()
{
    if (!m_waiting)
        return;
    m_link.send(QStringLiteral("recrun"), Link::Kind::Query, [this](const Result &r) {
        if (!m_waiting)
            return;
        const auto v = report(r) ? numberOf(r) : std::nullopt;
        if (!v) {
            m_waiting = false;
            return abortCapture(m_lastFailure);
        }
        if (*v != 0) {
            if (m_rec.t0 >= 0 && m_waitDeadline < 0)
                m_waitDeadline = m_rec.t0 + m_rec.timing.length * m_rec.timing.period() + kFinishMarginS;
            if (m_waitDeadline >= 0 && SessionClock::now() > m_waitDeadline) {
                m_waiting = false;
                fail(tr("NV200: the recording did not finish (recrun still 1 %1 s after its expected end)")
                         .arg(kFinishMarginS));
                return abortCapture(m_lastFailure);
            }
            m_recPoll.start(m_recPollMs);
            return;
        }
        // Finished: read both channels. Live polls pause until the block is delivered.
        m_waiting = false;
        m_readBack = true;
        m_channelData[0].clear();
        m_channelData[1].clear();
        Q_EMIT progress(0, tr("Reading channel A of the recorder…"));
        readChannel(0, [this] { readChannel(1, [this] { deliverRecording(); }); });
    });
}

void Nv200Driver::readChannel(int channel, std::function<void()> then)
{
    m_readingChannel = channel;
    m_progressThrottle.invalidate();
    m_link.send(QStringLiteral("recoutf,%1").arg(channel), Link::Kind::Dump,
                [this, channel, then = std::move(then)](const Result &r) {
                    if (!m_readBack)
                        return;
                    if (r.status == Result::Status::DeviceError) {
                        Q_EMIT message(tr("NV200 refused 'recoutf,%1' (%2); reading with recout instead")
                                           .arg(channel)
                                           .arg(errorMeaning(r.reply.errorCode)));
                        readChannelInChunks(channel, then);
                        return;
                    }
                    if (!report(r))
                        return readBackFailed();
                    // The device answers with what it recorded: never more than it was set to
                    // hold (or its whole buffer when the length is not known).
                    RecorderValues v = parseRecoutf(r.text, channel,
                                                    m_rec.lengthKnown ? m_rec.timing.length : kRecorderBufferSize);
                    if (!v.ok()) {
                        fail(tr("NV200: recorder channel %1: %2").arg(channel).arg(v.error));
                        return readBackFailed();
                    }
                    m_channelData[channel] = std::move(v.values);
                    Q_EMIT progress((channel + 1) / 2.0, tr("Read channel %1 of the recorder")
                                                             .arg(QLatin1Char(channel ? 'B' : 'A')));
                    then();
                },
                recoutfBytes(m_rec.lengthKnown ? m_rec.timing.length : kRecorderBufferSize));
}

void Nv200Driver::readChannelInChunks(int channel, std::function<void()> then)
{
    std::vector<double> &data = m_channelData[channel];
    const int total = std::max(1, m_rec.timing.length);
    const int at = int(data.size());
    if (at >= total) {
        then();
        return;
    }
    const int count = std::min(kRecoutChunk, total - at);
    m_link.send(QStringLiteral("recout,%1,%2,%3").arg(channel).arg(at).arg(count), Link::Kind::Query,
                [this, channel, at, count, total, then = std::move(then)](const Result &r) {
                    if (!m_readBack)
                        return;
                    if (!report(r))
                        return readBackFailed();
                    const RecorderValues v = parseRecout(r.text, channel, at, count);
                    if (!v.ok() || v.values.empty()) {
                        fail(tr("NV200: recorder channel %1 at index %2: %3")
                                 .arg(channel)
                                 .arg(at)
                                 .arg(v.ok() ? tr("no values") : v.error));
                        return readBackFailed();
                    }
                    auto &data = m_channelData[channel];
                    data.insert(data.end(), v.values.begin(), v.values.end());
                    Q_EMIT progress((channel + std::min(1.0, double(data.size()) / total)) / 2.0,
                                    tr("Reading channel %1 of the recorder…").arg(QLatin1Char(channel ? 'B' : 'A')));
                    readChannelInChunks(channel, then);
                });
}

void Nv200Driver::deliverRecording()
{
    const std::size_t n = std::min(m_channelData[0].size(), m_channelData[1].size());
    if (m_channelData[0].size() != m_channelData[1].size())
        Q_EMIT message(tr("NV200 recorder channels differ in length (%1 and %2); %3 samples kept")
                           .arg(m_channelData[0].size())
                           .arg(m_channelData[1].size())
                           .arg(n));
    const double dt = m_rec.timing.period();
    const double t0 = m_rec.t0 >= 0 ? m_rec.t0 : SessionClock::now() - double(n) * dt;
    // Complete: both channels hold every sample the recorder was set to take (a buffer read
    // without arming has no known length: what the device returned is what it held).
    const bool complete = n > 0 && m_channelData[0].size() == m_channelData[1].size()
        && (!m_rec.lengthKnown || n >= std::size_t(m_rec.timing.length));
    if (m_cap.active && !m_cap.started)
        recordingStarted(t0); // its start became known only now (read without a trigger seen)
    if (n > 0) {
        announceStreams({recorderStream(m_rec), liveStream()});
        auto block = SampleBlock::make(QString(), kRecorderStream, 2, n, false);
        block->firstIndex = m_recIndex;
        block->t0 = t0;
        block->dt = dt;
        std::copy_n(m_channelData[0].begin(), n, block->channel(0));
        std::copy_n(m_channelData[1].begin(), n, block->channel(1));
        block->flags = SampleBlock::StartOfCapture | SampleBlock::EndOfCapture;
        m_recIndex += n;
        publish(block);
    }
    m_rec.armed = false;
    endReadBack();
    Q_EMIT progress(1, tr("Recorder read back: %1 samples per channel").arg(n));
    Q_EMIT message(tr("Recorder read back: %1 samples per channel at %2 Hz").arg(n).arg(m_rec.timing.rateHz, 0, 'g', 6));
    endCapture(n, complete, t0 + double(n) * dt);
}

void Nv200Driver::readBackFailed()
{
    endReadBack();
    abortCapture(m_lastFailure);
}

void Nv200Driver::endReadBack()
{
    m_readBack = false;
    // Release the memory, not just the contents (clear() keeps the capacity).
    std::vector<double>().swap(m_channelData[0]);
    std::vector<double>().swap(m_channelData[1]);
}

} // namespace bs::nv200
