// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming (protocols/picoscope.md §10.3): RunStreaming with a ring of `overview_buffer` samples
// per channel, GetStreamingLatestValues polled from a 1 ms timer on the worker thread; the
// StreamingReady callback only copies [startIndex, startIndex + n) out of the ring.
#include "PicoDriver.h"

#include "PicoProtocol.h"
#include "SessionClock.h"

#include <cmath>

namespace bs::picoscope {

namespace {
constexpr int kMaxChunksPerPoll = 256;   // catch up after a late poll, but give the event loop a turn
constexpr qint64 kMaxBlockAgeMs = 40;    // publish at least this often (live display)
} // namespace

bool PicoDriver::runStreaming()
{
    const bool autoStop = m_params.boolValue(QStringLiteral("stream_auto_stop"));
    const auto length = std::uint32_t(std::min<qint64>(m_params.intValue(QStringLiteral("stream_samples")), 0xFFFFFFFFLL));
    m_ring = std::uint32_t(m_params.intValue(QStringLiteral("overview_buffer")));
    for (Input &in : m_inputs) {
        in.max.assign(m_ring, 0);
        in.min.clear();
        if (!ok(m_api->setDataBuffers(m_handle, in.channel, in.max.data(), nullptr, std::int32_t(m_ring), 0, RatioNone),
                "SetDataBuffers"))
            return false;
    }
    const bool triggered = m_params.stringValue(QStringLiteral("trigger")) != QLatin1String("none");
    const auto pre = triggered ? std::uint32_t(std::llround(length * m_params.doubleValue(QStringLiteral("pre_trigger")) / 100.0))
                               : 0u;
    const StreamingInterval wanted = streamingInterval(m_params.doubleValue(QStringLiteral("sample_interval")));
    StreamingInterval got = wanted;
    PicoStatus st = kOk;
    for (int attempt = 0; attempt < 2; ++attempt) {
        got = wanted;
        st = m_api->runStreaming(m_handle, &got.value, got.unit, pre, length - pre, autoStop, 1, RatioNone, m_ring);
        if (st != kPowerSupplyConnected)
            break;
        handlePowerStatus(st); // supply plugged in: accept and retry
    }
    if (!ok(st, "RunStreaming"))
        return false;
    m_rawDt = m_dt = got.seconds();
    updateParameter(QStringLiteral("actual_interval"),
                    QStringLiteral("%1 (%2, streaming)").arg(formatInterval(m_dt), formatRate(1.0 / m_dt)));
    announceStream(m_dt);
    {
        QMutexLocker lock(&m_stageMutex);
        m_stageMax.assign(m_inputs.size(), {});
        m_staged = 0;
        m_stageOverflow = 0;
        m_stageLost = false;
        m_stageMalformed = false;
        m_lossAnnounced = false;
        m_stageTrigger = -1;
        m_autoStopped = false;
    }
    m_busy = true;
    m_runStart = SessionClock::now();
    m_sinceFlush.start();
    m_pollTimer.start();
    return true;
}

void BS_PICO_CALLBACK PicoDriver::streamingCallback(std::int16_t, std::int32_t n, std::uint32_t start,
                                                    std::int16_t overflow, std::uint32_t triggerAt,
                                                    std::int16_t triggered, std::int16_t autoStop, void *param)
{
    auto *gate = static_cast<CallbackGate *>(param);
    QMutexLocker gateLock(&gate->mutex);
    PicoDriver *d = gate->driver;
    if (!d)
        return;
    QMutexLocker lock(&d->m_stageMutex);
    if (d->m_stageMax.size() != d->m_inputs.size())
        return;
    const std::size_t count = n > 0 ? std::size_t(n) : 0;
    const bool outside = count > 0 && (start >= d->m_ring || count > d->m_ring);
    if (triggered && !outside)
        d->m_stageTrigger = std::int64_t(d->m_staged) + std::int64_t(triggerAt);
    if (outside)
        d->m_stageMalformed = true; // a chunk the registered buffer cannot hold: not read, counted lost
    if (overflow == std::int16_t(-1) || outside) {
        // All bits set: the library's buffer overran (U4) and samples before this chunk are gone.
        // The API does not say how many; the chunk holds the newest samples, so it ends about now
        // on the unit's clock (± one poll period), which places what was staged since the gap.
        if (!d->m_stageLost)
            d->m_lossAt = d->m_staged;
        d->m_stageLost = true;
        const auto nowIndex = std::int64_t(std::llround((SessionClock::now() - d->m_runStart) / d->m_dt));
        const std::size_t chunk = outside ? 0 : count; // an unread chunk is part of the gap
        d->m_lossResume = nowIndex - std::int64_t(chunk) - std::int64_t(d->m_staged - d->m_lossAt);
    } else {
        d->m_stageOverflow |= overflow;
    }
    if (autoStop)
        d->m_autoStopped = true;
    if (count == 0 || d->m_ring == 0 || outside)
        return;
    // A chunk never straddles the ring's end with the libraries we know (U1), but copy in two
    // parts if one does.
    const std::size_t first = std::min<std::size_t>(count, d->m_ring - std::min<std::size_t>(start, d->m_ring));
    for (std::size_t i = 0; i < d->m_inputs.size(); ++i) {
        const std::int16_t *ring = d->m_inputs[i].max.data();
        auto &stage = d->m_stageMax[i];
        stage.insert(stage.end(), ring + start, ring + start + first);
        stage.insert(stage.end(), ring, ring + (count - first));
    }
    d->m_staged += count;
}

void PicoDriver::pollStreaming()
{
    if (!m_busy || m_activeMode != Mode::Streaming)
        return;
    for (int i = 0; i < kMaxChunksPerPoll; ++i) {
        const std::size_t before = m_staged;
        const PicoStatus st = m_api->latestValues(m_handle, &PicoDriver::streamingCallback, m_gate);
        if (st == kBusy || st == kDriverFunction)
            break; // no data yet: try at the next tick
        if (st != kOk) {
            if (isPowerStatus(st))
                Q_EMIT message(tr("Power source changed: data collection aborted."));
            const bool power = isPowerStatus(st);
            ok(st, "GetStreamingLatestValues");
            if (!power)
                finishStreaming(statusName(st));
            return;
        }
        if (m_staged == before || m_autoStopped)
            break;
    }
    flushStreaming(false);
    if (m_autoStopped)
        finishStreaming(tr("auto-stop after %1 samples").arg(m_index));
}

void PicoDriver::drainStreaming()
{
    for (int i = 0; i < kMaxChunksPerPoll && !m_autoStopped; ++i) {
        const std::size_t before = m_staged;
        if (m_api->latestValues(m_handle, &PicoDriver::streamingCallback, m_gate) != kOk || m_staged == before)
            break;
    }
    flushStreaming(true);
}

void PicoDriver::flushStreaming(bool force)
{
    QMutexLocker lock(&m_stageMutex);
    if (m_staged == 0 && !m_stageLost)
        return;
    const auto minSamples = std::size_t(std::max(1.0, 0.02 / std::max(m_dt, 1e-12)));
    if (!force && m_staged < minSamples && m_sinceFlush.elapsed() < kMaxBlockAgeMs)
        return;
    m_sinceFlush.restart();
    std::vector<MutableSampleBlockPtr> out;
    bool carryLoss = false;
    if (!m_stageLost) {
        out.push_back(stagedBlock(0, m_staged, 0));
    } else if (m_staged == m_lossAt) {
        // The overrun came with no samples yet: publish what came before, place the gap when
        // data resume (from the time the overrun was seen).
        if (m_staged > 0)
            out.push_back(stagedBlock(0, m_staged, 0));
        carryLoss = true;
        m_lossAt = 0;
        if (!m_lossAnnounced) // the count follows when data resume
            fail(m_stageMalformed ? tr("PicoScope: the library reports samples outside the registered buffer "
                                       "(overview buffer %1): they cannot be read and are lost")
                                        .arg(m_ring)
                                  : tr("PicoScope: the driver's streaming buffer overran: samples are being lost"));
        m_lossAnnounced = true;
    } else {
        const std::int64_t expected = std::int64_t(m_index + m_lossAt);
        const std::uint64_t lost = m_lossResume > expected ? std::uint64_t(m_lossResume - expected) : 1;
        if (m_lossAt > 0)
            out.push_back(stagedBlock(0, m_lossAt, 0));
        out.push_back(stagedBlock(m_lossAt, m_staged, lost));
        fail((m_stageMalformed
                  ? tr("PicoScope: the library reported samples outside the registered buffer (overview buffer "
                       "%1): they could not be read; about %2 samples per channel were lost before %3 s")
                        .arg(m_ring)
                  : tr("PicoScope: the driver's streaming buffer overran (the computer did not fetch data in "
                       "time): about %2 samples per channel were lost before %3 s"))
                 .arg(lost)
                 .arg(out.back()->t0, 0, 'f', 6));
        m_stageMalformed = false;
        m_lossAnnounced = false;
    }
    for (auto &stage : m_stageMax)
        stage.clear();
    m_staged = 0;
    m_stageOverflow = 0;
    m_stageLost = carryLoss;
    m_stageTrigger = -1;
    lock.unlock();
    for (const MutableSampleBlockPtr &b : out)
        publish(b);
}

MutableSampleBlockPtr PicoDriver::stagedBlock(std::size_t from, std::size_t to, std::uint64_t lostBefore)
{
    const std::size_t n = to - from;
    auto block = SampleBlock::make(id(), QStringLiteral("scope"), int(m_inputs.size()), n, false);
    m_index += lostBefore;
    block->firstIndex = m_index;
    block->lostBefore = lostBefore;
    block->t0 = m_runStart + double(m_index) * m_dt;
    block->dt = m_dt;
    for (std::size_t i = 0; i < m_inputs.size(); ++i)
        m_inputs[i].scale.toVolts(m_stageMax[i].data() + from, n, block->channel(int(i)));
    if (m_stageTrigger >= std::int64_t(from) && m_stageTrigger < std::int64_t(to)) {
        block->flags |= SampleBlock::Trigger;
        block->triggerIndex = m_stageTrigger - std::int64_t(from);
    }
    if (lostBefore > 0)
        block->flags |= SampleBlock::DataLost;
    noteOverflow(block.get(), m_stageOverflow);
    m_index += n;
    return block;
}

void PicoDriver::finishStreaming(const QString &why)
{
    endAcquisition(why);
    Q_EMIT message(tr("Streaming stopped: %1 (%2 samples per channel)").arg(why).arg(m_index));
}

} // namespace bs::picoscope
