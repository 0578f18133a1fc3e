// SPDX-License-Identifier: GPL-3.0-or-later
// Live mode: meas and set polled at live_rate for the rolling strip chart.
//
// Every scheduled poll is one sample slot with its own sample index. A slot whose poll got no
// answer, a malformed answer or a value that is not a finite number is lost: the stream's index
// jumps over it (a zero-sample block marks the jump at once, so the shared pipeline counts it
// even if nothing follows). A tick that finds the previous poll still unanswered makes the next
// poll due at once when it is answered (late, not lost); further ticks while it waits are skipped
// if the answer comes (a slow host or device lowers the rate, nothing was asked and not answered),
// but are lost slots too if the awaited poll times out (polls a silent device would have missed).
// Ticks while the link carries other commands (a recorder read-back, an action) are a pause,
// not slots. No answer to kDeadPolls polls in a row ends in state Error; blocks already delivered
// stay.
#include "Nv200Driver.h"

#include "SessionClock.h"

#include <cmath>
#include <utility>

namespace bs::nv200 {

namespace {
const QString kLiveStream = QStringLiteral("live");
} // namespace

StreamInfo Nv200Driver::liveStream() const
{
    StreamInfo s;
    s.id = kLiveStream;
    s.name = tr("Live position");
    s.regular = false;
    s.nominalRate = m_params.doubleValue(QStringLiteral("live_rate"));
    s.channels = {ChannelInfo{QStringLiteral("Position"), positionUnit(), tr("meas"), true, {}},
                  ChannelInfo{QStringLiteral("Setpoint"), positionUnit(), tr("set"), true, {}}};
    return s;
}

void Nv200Driver::start()
{
    if (state() == State::Running)
        return;
    if (!requireReady())
        return;
    if (runsCapture()) { // one recorder capture, then Finished
        setState(State::Running, tr("recorder capture"));
        capture(true);
        return;
    }
    m_liveOn = true;
    m_lastLiveError.clear();
    m_liveSilentPolls = 0;
    m_liveAnchored = false;
    setState(State::Running, m_link.peer());
    updateLiveTimer();
}

void Nv200Driver::stop()
{
    m_liveOn = false;
    m_liveTimer.stop();
    if (m_waiting && m_rec.t0 < 0) { // armed but never triggered: nothing to wait for any more
        m_recPoll.stop();
        m_waiting = false;
        Q_EMIT progress(1, tr("Stopped waiting for the recorder"));
    }
    // A capture not triggered yet is abandoned; a triggered one is still read back and ends,
    // but the user stopped it: no Finished.
    if (m_cap.active && !m_cap.started)
        m_cap = Capture{};
    m_cap.run = m_cap.finish = false;
    if (m_awgRunning && m_link.isOpen())
        waveformStop();
    if (state() == State::Running)
        setState(State::Connected, m_link.peer());
}

void Nv200Driver::updateLiveTimer()
{
    const bool on = m_liveOn && state() == State::Running && m_params.boolValue(QStringLiteral("live"));
    if (!on) {
        m_liveTimer.stop();
        return;
    }
    const double rate = m_params.doubleValue(QStringLiteral("live_rate"));
    m_liveTimer.setInterval(int(std::lround(1000.0 / rate)));
    if (!m_liveTimer.isActive())
        m_liveTimer.start();
    announceStreams({recorderStream(m_rec.armed ? m_rec : recordingFromParameters()), liveStream()});
}

void Nv200Driver::announceStreams(const QVector<StreamInfo> &streams)
{
    const QVector<StreamInfo> before = this->streams();
    setStreams(streams);
    if (this->streams() != before)
        m_liveAnchored = false; // the pipeline starts counting this stream's indices afresh
}

void Nv200Driver::publishLiveMark()
{
    // A block without samples at the next slot index: the pipeline learns where the stream is,
    // and counts the slots it jumped over as lost.
    auto mark = SampleBlock::make(QString(), kLiveStream, 2, 0, true);
    mark->firstIndex = m_liveIndex;
    mark->t0 = SessionClock::now();
    m_liveAnchored = true;
    publish(mark);
}

void Nv200Driver::reportLive(const QString &key, const QString &message)
{
    if (key == m_lastLiveError)
        return; // the same failure at every poll is reported once, until a poll succeeds again
    m_lastLiveError = key;
    fail(message);
}

void Nv200Driver::pollLive()
{
    if (!m_liveOn || !m_link.isOpen())
        return;
    if (m_livePolling) { // the previous poll is still unanswered
        if (m_liveDue)
            ++m_liveMissed; // lost if the poll in flight times out, else skipped
        m_liveDue = true;   // the first one goes out as soon as the answer is in
        return;
    }
    if (m_readBack || m_link.busy())
        return; // paused while the link carries other commands (no slot)
    if (!m_liveAnchored)
        publishLiveMark();
    m_livePolling = true;
    m_liveMissed = 0;
    const std::uint64_t slot = m_liveIndex;
    auto position = std::make_shared<std::optional<double>>();
    auto when = std::make_shared<double>(0);
    auto timedOut = std::make_shared<bool>(false);
    // Both queries are queued at once, so nothing else can get between them.
    m_link.send(QStringLiteral("meas"), Link::Kind::Query, [this, position, when, timedOut](const Result &r) {
        *position = liveValue(r, timedOut.get());
        *when = (r.sentAt + r.answeredAt) / 2;
    });
    m_link.send(QStringLiteral("set"), Link::Kind::Query, [this, slot, position, when, timedOut](const Result &r) {
        if (r.status == Result::Status::Cancelled) { // we closed the link
            m_livePolling = false;
            return;
        }
        const auto setpoint = liveValue(r, timedOut.get());
        if (*position && setpoint) {
            m_lastLiveError.clear();
            auto block = SampleBlock::make(QString(), kLiveStream, 2, 1, true);
            block->firstIndex = slot;
            block->times[0] = *when;
            block->t0 = *when;
            block->channel(0)[0] = **position;
            block->channel(1)[0] = *setpoint;
            publish(block);
        }
        finishLiveSlot(slot, *position && setpoint, *timedOut);
    });
}

std::optional<double> Nv200Driver::liveValue(const Result &r, bool *timedOut)
{
    switch (r.status) {
    case Result::Status::Ok: break;
    case Result::Status::Cancelled:
    case Result::Status::Lost: return std::nullopt; // reported by onLinkLost
    case Result::Status::Timeout:
        *timedOut = true;
        m_liveSilentCommand = r.command;
        reportLive(QStringLiteral("timeout ") + r.command, r.error);
        return std::nullopt;
    case Result::Status::DeviceError:
        reportLive(QStringLiteral("error ") + r.command,
                   tr("NV200: '%1' refused: %2 (error %3)")
                       .arg(r.command, errorMeaning(r.reply.errorCode))
                       .arg(r.reply.errorCode));
        return std::nullopt;
    case Result::Status::Invalid:
        reportLive(QStringLiteral("invalid ") + r.command, r.error);
        return std::nullopt;
    }
    const auto v = r.reply.number(0); // nullopt for garbage and for nan/inf
    if (!v) {
        reportLive(QStringLiteral("garbled ") + r.command,
                   tr("NV200: garbled answer to '%1': '%2' (no finite number; the sample is lost)")
                       .arg(r.command, escapedText(r.text)));
        return v;
    }
    if (!plausibleLiveValue(*v)) {
        reportLive(QStringLiteral("range ") + r.command,
                   tr("NV200: answer to '%1' out of range: '%2' (the actuator's ranges are %3 … %4 %5 and %6 … %7 "
                      "%8; the sample is lost)")
                       .arg(r.command, escapedText(r.text))
                       .arg(formatNumber(m_ranges[0]), formatNumber(m_ranges[1]), m_unitClosedLoop)
                       .arg(formatNumber(m_ranges[2]), formatNumber(m_ranges[3]), m_unitOpenLoop));
        return std::nullopt;
    }
    return v;
}

bool Nv200Driver::plausibleLiveValue(double v) const
{
    if (!m_rangesKnown)
        return true;
    // `meas` is a position, or a voltage (open loop without a sensor); `set` follows the loop mode.
    auto within = [v](double lo, double hi) {
        const double span = std::max(std::abs(hi - lo), 1.0);
        return v >= std::min(lo, hi) - span && v <= std::max(lo, hi) + span;
    };
    return within(m_ranges[0], m_ranges[1]) || within(m_ranges[2], m_ranges[3]);
}

void Nv200Driver::finishLiveSlot(std::uint64_t slot, bool delivered, bool timedOut)
{
    m_livePolling = false;
    m_liveIndex = slot + 1 + (timedOut ? m_liveMissed : 0);
    if (!delivered)
        publishLiveMark(); // counts this slot and, after a timeout, the ticks that fell into its wait
    m_liveMissed = 0;
    m_liveSilentPolls = timedOut ? m_liveSilentPolls + 1 : 0;
    if (std::exchange(m_liveDue, false) && m_liveOn && m_liveSilentPolls < kDeadPolls)
        QMetaObject::invokeMethod(this, &Nv200Driver::pollLive, Qt::QueuedConnection);
    if (m_liveSilentPolls < kDeadPolls || !m_link.isOpen())
        return;
    const QString reason = tr("NV200 at %1 stopped answering: no answer to '%2' in %3 polls in a row "
                              "(%4 s each); the samples received are kept")
                               .arg(m_link.peer(), m_liveSilentCommand)
                               .arg(kDeadPolls)
                               .arg(m_link.timeoutMs(Link::Kind::Query) / 1000.0);
    m_link.close();
    onLinkLost(reason);
}

} // namespace bs::nv200
