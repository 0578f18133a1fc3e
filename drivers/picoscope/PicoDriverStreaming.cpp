// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming (protocols/picoscope.md §10.3): RunStreaming with a ring of `overview_buffer` samples
// per channel, GetStreamingLatestValues polled from a 1 ms timer on the worker thread; the
// StreamingReady callback only copies [startIndex, startIndex + n) out of the ring.
#include "PicoDriver.h"

#include "PicoProtocol.h"
#include "SessionClock.h"

#include <cmath>
#include <cstring>

namespace bs::picoscope {

namespace {
constexpr qint64 kMaxBlockAgeMs = 40;    // publish at least this often (live display)
constexpr qint64 kMaxPollMs = 50;        // then give the event loop (Stop, settings) a turn
constexpr double kBudgetSeconds = 0.25;  // fetch budget: this much of the unit's time, at least 2 rings
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
    // The unit's memory is its FIFO while streaming (MemorySegments(1): samples summed over the
    // channels); with the overview buffer it bounds how far behind the host may fall (§10.3).
    std::int32_t memory = 0;
    m_backlogCapacity = -1;
    if (m_api->memorySegments(m_handle, 1, &memory) == kOk && memory > 0 && !m_inputs.empty())
        m_backlogCapacity = std::int64_t(memory) / std::int64_t(m_inputs.size()) + std::int64_t(m_ring);
    const StreamingInterval wanted = streamingInterval(m_params.doubleValue(QStringLiteral("sample_interval")));
    StreamingInterval got = wanted;
    PicoStatus st = kOk;
    double called = 0, returned = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        got = wanted;
        called = SessionClock::now();
        st = m_api->runStreaming(m_handle, &got.value, got.unit, pre, length - pre, autoStop, 1, RatioNone, m_ring);
        returned = SessionClock::now();
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
        m_losses.clear();
        m_reported = 0;
        m_stageMalformed = false;
        m_lossAnnounced = false;
        m_stageTrigger = -1;
        m_autoStopped = false;
    }
    m_busy = true;
    // The unit starts sampling inside RunStreaming: the middle of the call is the best estimate of
    // its first sample on the session clock (the clock that places every sample and every loss).
    m_runStart = (called + returned) / 2;
    openCapture(m_runStart);
    m_sinceFlush.start();
    m_pollTimer.start();
    return true;
}

std::int64_t PicoDriver::clockIndex() const
{
    return m_dt > 0 ? std::int64_t(std::floor((SessionClock::now() - m_runStart) / m_dt)) : 0;
}

std::size_t PicoDriver::fetchBudget() const
{
    const double bySeconds = m_dt > 0 ? kBudgetSeconds / m_dt : 0;
    return std::max<std::size_t>(2 * std::size_t(m_ring), std::size_t(std::min(bySeconds, 4e9)));
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
    d->m_reported += count;
    const bool outside = count > 0 && (start >= d->m_ring || count > d->m_ring);
    if (triggered && !outside)
        d->m_stageTrigger = std::int64_t(d->m_staged) + std::int64_t(triggerAt);
    if (outside)
        d->m_stageMalformed = true; // a chunk the registered buffer cannot hold: not read, counted lost
    if (overflow == std::int16_t(-1) || outside) {
        // All bits set: the library's buffer overran (U4) and samples before this chunk are gone.
        // The API does not say how many. The samples from here on are contiguous up to what the
        // library holds, so their place is known once it has handed out everything: then the last
        // of them was taken "now" (pollStreaming). An earlier gap still waiting for that is placed
        // so that its samples end here (the total lost stays right; only the split is estimated).
        // If the unit's buffer size is known: it was full when it overran, so this chunk begins
        // that many samples before the call.
        const std::int64_t estimate =
            d->m_backlogCapacity > 0 && !outside ? std::max<std::int64_t>(0, d->m_callIndex - d->m_backlogCapacity) : -1;
        if (!d->m_losses.empty() && d->m_losses.back().at == d->m_staged) {
            Loss &same = d->m_losses.back(); // no samples since the last gap: one gap
            same.placed = false;
            same.malformed |= outside;
            same.estimate = estimate;
        } else {
            d->placeLosses(false);
            d->m_losses.push_back({d->m_staged, false, 0, outside, estimate});
        }
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

void PicoDriver::placeLosses(bool caughtUp)
{
    // (called with m_stageMutex held)
    for (Loss &l : m_losses) {
        if (l.placed)
            continue;
        l.placed = true;
        const std::int64_t after = std::int64_t(m_staged - l.at);
        // Caught up: the last staged sample was taken when the call that found nothing began.
        // Otherwise the buffer-size estimate, or, without one, "it ends now" (the upper bound).
        l.resume = caughtUp || l.estimate < 0 ? (caughtUp ? m_callIndex : clockIndex()) - after : l.estimate;
    }
}

bool PicoDriver::fetchStreaming(std::size_t budget, PicoStatus *status)
{
    QElapsedTimer spent;
    spent.start();
    std::size_t fetched = 0;
    *status = kOk;
    // What the unit had taken when this poll began. Once that much is here, the poll is done:
    // the samples taken while it ran are for the next one. (A library whose samples appear
    // continuously, like ours, would otherwise be called in a tight loop until kMaxPollMs at every
    // poll.) The place of what is staged is a lower bound of the unit's index while a gap waits.
    const std::int64_t target = clockIndex();
    for (;;) {
        const std::size_t before = m_reported;
        m_callIndex = clockIndex();
        const PicoStatus st = m_api->latestValues(m_handle, &PicoDriver::streamingCallback, m_gate);
        if (st != kOk) {
            *status = st;
            return false;
        }
        if (m_reported == before || m_autoStopped) {
            // The library has handed out everything it holds: this places the samples after a gap
            // on the unit's clock.
            QMutexLocker lock(&m_stageMutex);
            if (m_reported == before)
                placeLosses(true);
            return true;
        }
        const std::size_t got = m_reported - before;
        fetched += got;
        // At the live edge: this call brought less than 0.1 ms of the unit's samples (a gap
        // waiting to be placed hides the index, so this is how such a poll ends).
        if (m_dt > 0 && double(got) < 1e-4 / m_dt)
            return true;
        {
            QMutexLocker lock(&m_stageMutex);
            if (m_losses.empty() && std::int64_t(m_index + m_staged) >= target)
                return true;
        }
        if (fetched >= budget || spent.elapsed() > kMaxPollMs)
            return false;
    }
}

void PicoDriver::pollStreaming()
{
    if (!m_busy || m_activeMode != Mode::Streaming)
        return;
    PicoStatus st = kOk;
    fetchStreaming(fetchBudget(), &st);
    if (st == kBusy || st == kDriverFunction)
        st = kOk; // no data yet: try at the next tick
    if (st != kOk) {
        if (isPowerStatus(st))
            Q_EMIT message(tr("Power source changed: data collection aborted."));
        const bool power = isPowerStatus(st);
        ok(st, "GetStreamingLatestValues");
        if (!power)
            finishStreaming(End::Failure, statusName(st));
        return;
    }
    flushStreaming(false);
    if (m_autoStopped)
        finishStreaming(End::ByItself, tr("auto-stop after %1 samples").arg(m_index));
}

void PicoDriver::drainStreaming()
{
    // What the unit took before Stop is fetched, up to the fetch budget, so that Stop stays prompt
    // however far behind the host is; what it holds beyond that never reaches the recording and is
    // counted lost at the end of the run (estimated from the unit's clock).
    PicoStatus st = kOk;
    const std::int64_t taken = clockIndex(); // what the unit took before Stop
    const bool caughtUp = m_autoStopped || fetchStreaming(fetchBudget(), &st);
    flushStreaming(true);
    if (caughtUp || st != kOk || taken <= std::int64_t(m_index))
        return;
    const auto missing = std::uint64_t(taken - std::int64_t(m_index));
    // A block without samples after the gap: its index (and time) is where the run ended.
    MutableSampleBlockPtr marker;
    {
        QMutexLocker lock(&m_stageMutex);
        marker = stagedBlock(0, 0, missing);
    }
    marker->flags |= SampleBlock::EndOfCapture;
    fail(tr("PicoScope: the computer did not fetch the data in time: about %1 samples per channel that the unit "
            "took before Stop were not fetched and are lost")
             .arg(missing));
    publish(marker);
}

void PicoDriver::flushStreaming(bool force)
{
    QMutexLocker lock(&m_stageMutex);
    if (m_staged == 0 && m_losses.empty())
        return;
    const auto minSamples = std::size_t(std::max(1.0, 0.02 / std::max(m_dt, 1e-12)));
    if (!force && m_losses.empty() && m_staged < minSamples && m_sinceFlush.elapsed() < kMaxBlockAgeMs)
        return;
    // A gap whose place is not known yet holds back the samples after it, unless the run ends or
    // too many wait: then they are placed as if the library had handed out everything by now.
    if (!m_losses.empty() && !m_losses.back().placed && (force || m_staged - m_losses.back().at > fetchBudget()))
        placeLosses(false);
    m_sinceFlush.restart();
    std::vector<MutableSampleBlockPtr> out;
    std::size_t from = 0;        // first staged sample not published yet
    std::uint64_t gap = 0;       // samples lost just before `from`
    bool malformed = false;
    std::vector<Loss> waiting;
    for (const Loss &l : m_losses) {
        if (!l.placed) {
            waiting.push_back(l);
            break;
        }
        if (l.at > from) {
            out.push_back(stagedBlock(from, l.at, gap));
            from = l.at;
        }
        // The samples from l.at on start at index l.resume; what lies between is lost (at least one
        // sample: the library said so). Two gaps with nothing between are one.
        gap = l.resume > std::int64_t(m_index) ? std::uint64_t(l.resume - std::int64_t(m_index)) : 1;
        malformed |= l.malformed;
    }
    const std::size_t end = waiting.empty() ? m_staged : waiting.front().at;
    if (end > from) {
        out.push_back(stagedBlock(from, end, gap));
        from = end;
    } else if (gap > 0 && waiting.empty() && force) {
        // The run ends right after a gap: a block without samples carries the count.
        auto marker = stagedBlock(from, from, gap);
        marker->flags |= SampleBlock::EndOfCapture;
        out.push_back(marker);
    } else if (gap > 0 && waiting.empty()) {
        waiting.push_back({from, true, std::int64_t(m_index + gap), malformed}); // placed: wait for samples
    }
    // (a placed gap right before an unplaced one is covered by the later one's placement)
    for (const MutableSampleBlockPtr &b : out)
        if (b->lostBefore > 0)
            fail((malformed ? tr("PicoScope: the library reported samples outside the registered buffer (overview "
                                 "buffer %1): they could not be read; about %2 samples per channel were lost before %3 s")
                                  .arg(m_ring)
                            : tr("PicoScope: the driver's streaming buffer overran (the computer did not fetch data "
                                 "in time): about %2 samples per channel were lost before %3 s"))
                     .arg(b->lostBefore)
                     .arg(b->t0, 0, 'f', 6));
    // A gap whose size is not published yet (no samples after it so far) is announced at once.
    const bool pending = !waiting.empty();
    if (pending && !m_lossAnnounced) {
        fail(waiting.front().malformed || m_stageMalformed
                 ? tr("PicoScope: the library reports samples outside the registered buffer (overview buffer %1): "
                      "they cannot be read and are lost")
                       .arg(m_ring)
                 : tr("PicoScope: the driver's streaming buffer overran: samples are being lost"));
        m_lossAnnounced = true;
    } else if (!pending) {
        m_lossAnnounced = false;
        m_stageMalformed = false;
    }
    // What waits behind an unplaced gap stays staged, renumbered from 0.
    if (from > 0) {
        for (auto &stage : m_stageMax)
            stage.erase(stage.begin(), stage.begin() + std::ptrdiff_t(from));
        m_staged -= from;
        m_stageTrigger = m_stageTrigger >= std::int64_t(from) ? m_stageTrigger - std::int64_t(from) : -1;
    }
    for (Loss &l : waiting)
        l.at -= std::min(l.at, from);
    m_losses = waiting;
    if (m_staged == 0) {
        m_stageOverflow = 0;
        m_stageTrigger = -1;
    }
    lock.unlock();
    for (const MutableSampleBlockPtr &b : out)
        publish(b);
}

MutableSampleBlockPtr PicoDriver::stagedBlock(std::size_t from, std::size_t to, std::uint64_t lostBefore)
{
    const std::size_t n = to - from;
    Q_ASSERT(m_formats.size() == m_inputs.size());
    auto block = SampleBlock::make(id(), QStringLiteral("scope"), m_formats, n, false);
    m_index += lostBefore;
    block->firstIndex = m_index;
    block->lostBefore = lostBefore;
    block->t0 = m_runStart + double(m_index) * m_dt;
    block->dt = m_dt;
    for (std::size_t i = 0; n > 0 && i < m_inputs.size(); ++i) // (a gap marker has no samples, no storage)
        std::memcpy(block->data<std::int16_t>(int(i)), m_stageMax[i].data() + from, n * sizeof(std::int16_t));
    if (m_stageTrigger >= std::int64_t(from) && m_stageTrigger < std::int64_t(to)) {
        block->flags |= SampleBlock::Trigger;
        block->triggerIndex = m_stageTrigger - std::int64_t(from);
    }
    if (lostBefore > 0)
        block->flags |= SampleBlock::DataLost;
    noteOverflow(block.get(), m_stageOverflow);
    m_index += n;
    m_captureSamples += n;
    m_captureLost += lostBefore;
    m_captureSegments += n > 0 ? 1 : 0;
    m_captureEnd = m_runStart + double(m_index) * m_dt;
    return block;
}

void PicoDriver::finishStreaming(End how, const QString &why)
{
    endAcquisition(how, why);
    Q_EMIT message(tr("Streaming stopped: %1 (%2 samples per channel)").arg(why).arg(m_index));
}

} // namespace bs::picoscope
