// SPDX-License-Identifier: GPL-3.0-or-later
// Live mode: meas and set polled at live_rate for the rolling strip chart.
#include "Nv200Driver.h"

#include <cmath>

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
    s.channels = {ChannelInfo{QStringLiteral("Position"), positionUnit(), tr("meas"), true},
                  ChannelInfo{QStringLiteral("Setpoint"), positionUnit(), tr("set"), true}};
    return s;
}

void Nv200Driver::start()
{
    if (state() == State::Running)
        return;
    if (!requireReady())
        return;
    m_liveOn = true;
    m_lastLiveError.clear();
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
    setStreams({recorderStream(m_rec.armed ? m_rec : recordingFromParameters()), liveStream()});
}

void Nv200Driver::reportLive(const QString &message)
{
    if (message == m_lastLiveError)
        return; // the same failure at every poll is reported once
    m_lastLiveError = message;
    fail(message);
}

void Nv200Driver::pollLive()
{
    // Paused while the recorder is read back; skipped when the link is busy (no backlog).
    if (!m_liveOn || m_readBack || m_link.busy() || !m_link.isOpen())
        return;
    auto position = std::make_shared<std::optional<double>>();
    auto when = std::make_shared<double>(0);
    auto check = [this](const Result &r) -> std::optional<double> {
        if (r.ok())
            m_timeouts = 0;
        if (r.status == Result::Status::Cancelled || r.status == Result::Status::Lost)
            return std::nullopt;
        if (r.status == Result::Status::DeviceError) {
            reportLive(tr("NV200: '%1' refused: %2 (error %3)")
                           .arg(r.command, errorMeaning(r.reply.errorCode))
                           .arg(r.reply.errorCode));
            return std::nullopt;
        }
        if (r.status != Result::Status::Ok) {
            report(r); // timeouts count towards a dead link
            return std::nullopt;
        }
        const auto v = r.reply.number(0);
        if (!v)
            reportLive(tr("NV200: garbled answer to '%1': '%2'").arg(r.command, QString::fromLatin1(r.text.left(60))));
        return v;
    };
    // Both queries are queued at once, so nothing else can get between them.
    m_link.send(QStringLiteral("meas"), Link::Kind::Query, [position, when, check](const Result &r) {
        *position = check(r);
        *when = (r.sentAt + r.answeredAt) / 2;
    });
    m_link.send(QStringLiteral("set"), Link::Kind::Query, [this, position, when, check](const Result &r) {
        const auto setpoint = check(r);
        if (!*position || !setpoint)
            return;
        m_lastLiveError.clear();
        auto block = SampleBlock::make(QString(), kLiveStream, 2, 1, true);
        block->firstIndex = m_liveIndex++;
        block->times[0] = *when;
        block->t0 = *when;
        block->values[0] = **position;
        block->values[1] = *setpoint;
        publish(block);
    });
}

} // namespace bs::nv200
