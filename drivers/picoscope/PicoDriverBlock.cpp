// SPDX-License-Identifier: GPL-3.0-or-later
// Block and rapid-block captures (protocols/picoscope.md §10.1, §10.2): RunBlock with a BlockReady
// callback that only posts back to the worker thread, then GetValues / GetValuesBulk there.
#include "PicoDriver.h"

#include "PicoProtocol.h"
#include "SessionClock.h"

#include <cmath>
#include <cstring>

namespace bs::picoscope {

namespace {
std::size_t downsampledCount(std::size_t raw, std::uint32_t ratio)
{
    return ratio <= 1 ? raw : (raw + ratio - 1) / ratio;
}
} // namespace

bool PicoDriver::applySegments()
{
    m_captures = mode() == Mode::Rapid ? std::uint32_t(m_params.intValue(QStringLiteral("captures"))) : 1;
    std::uint32_t maxSegs = 0;
    if (!ok(m_api->maxSegments(m_handle, &maxSegs), "GetMaxSegments"))
        return false;
    if (m_captures > maxSegs) {
        fail(tr("PicoScope: %1 captures requested, the unit has at most %2 memory segments").arg(m_captures).arg(maxSegs));
        return false;
    }
    std::int32_t perSegment = 0;
    return ok(m_api->memorySegments(m_handle, m_captures, &perSegment), "MemorySegments")
        && ok(m_api->setNoOfCaptures(m_handle, m_captures), "SetNoOfCaptures");
}

bool PicoDriver::runBlock()
{
    const std::size_t raw = std::size_t(m_pre) + std::size_t(m_post);
    if (m_activeMode == Mode::Block) {
        const std::size_t n = downsampledCount(raw, m_ratio);
        for (Input &in : m_inputs) {
            in.max.assign(n, 0);
            in.min.assign(m_ratioMode == RatioAggregate ? n : 0, 0);
            if (!ok(m_api->setDataBuffers(m_handle, in.channel, in.max.data(),
                                          in.min.empty() ? nullptr : in.min.data(), std::int32_t(n), 0, m_ratioMode),
                    "SetDataBuffers"))
                return false;
        }
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::int32_t indisposedMs = 0;
        const PicoStatus st = m_api->runBlock(m_handle, m_pre, m_post, m_timebase, &indisposedMs, 0,
                                              &PicoDriver::blockReadyCallback, m_gate);
        if (st == kOk) {
            m_busy = true;
            const double now = SessionClock::now();
            if (m_runStart < 0)
                m_runStart = now;
            openCapture(now); // one block, or one rapid-block run of m_captures segments
            return true;
        }
        if (st == kPowerSupplyConnected) { // supply plugged in: accept it and retry, as the vendor does
            handlePowerStatus(st);
            continue;
        }
        ok(st, "RunBlock");
        return false;
    }
    return false;
}

void BS_PICO_CALLBACK PicoDriver::blockReadyCallback(std::int16_t, PicoStatus status, void *param)
{
    auto *gate = static_cast<CallbackGate *>(param);
    QMutexLocker lock(&gate->mutex);
    if (PicoDriver *d = gate->driver)
        QMetaObject::invokeMethod(d, [d, status] { d->onBlockReady(status); }, Qt::QueuedConnection);
}

void PicoDriver::onBlockReady(PicoStatus status)
{
    if (!m_busy || status == kCancelled)
        return; // a capture we stopped ourselves
    if (status != kOk) {
        ok(status, "BlockReady");
        endAcquisition(End::Failure, statusName(status));
        return;
    }
    m_readyAt = SessionClock::now();
    if (m_activeMode == Mode::Rapid)
        readRapid();
    else
        readBlock();
    if (m_busy)
        captureDone();
}

void PicoDriver::readBlock()
{
    std::uint32_t n = std::uint32_t(m_pre) + std::uint32_t(m_post);
    std::int16_t overflow = 0;
    const PicoStatus st = m_api->values(m_handle, 0, &n, m_ratio, m_ratioMode, 0, &overflow);
    if (st != kOk) {
        if (isPowerStatus(st))
            Q_EMIT message(tr("Power source changed: data collection aborted."));
        ok(st, "GetValues");
        endAcquisition(End::Failure, statusName(st));
        return;
    }
    const std::size_t values = std::min<std::size_t>(n, m_inputs.empty() ? 0 : m_inputs.front().max.size());
    std::vector<const std::int16_t *> maxPtr, minPtr;
    for (const Input &in : m_inputs) {
        maxPtr.push_back(in.max.data());
        minPtr.push_back(in.min.empty() ? nullptr : in.min.data());
    }
    const double t0 = m_readyAt - double(m_pre + m_post) * m_rawDt;
    publishCapture(maxPtr, minPtr, values, t0, overflow);
}

void PicoDriver::readRapid()
{
    const std::uint32_t captures = m_captures;
    const std::size_t n = std::size_t(m_pre) + std::size_t(m_post);
    // One buffer per input and segment, registered now (the vendor's order) and released after.
    std::vector<std::vector<std::vector<std::int16_t>>> buf(m_inputs.size());
    bool registered = true;
    for (std::size_t i = 0; i < m_inputs.size() && registered; ++i) {
        buf[i].resize(captures);
        for (std::uint32_t seg = 0; seg < captures && registered; ++seg) {
            buf[i][seg].assign(n, 0);
            registered = ok(m_api->setDataBuffers(m_handle, m_inputs[i].channel, buf[i][seg].data(), nullptr,
                                                  std::int32_t(n), seg, RatioNone),
                            "SetDataBuffer");
        }
    }
    std::vector<std::int16_t> overflow(captures, 0);
    std::uint32_t got = std::uint32_t(n);
    PicoStatus st = registered ? m_api->valuesBulk(m_handle, &got, 0, captures - 1, 1, RatioNone, overflow.data())
                               : PicoStatus(kOk);
    // Trigger time stamps in sample ticks; only differences matter, so a reset counter on
    // segment 0 does not (§10.2 step 8). ps2000a has none: segments are then placed back to back.
    std::vector<std::uint64_t> ticks(captures, 0);
    auto valid = std::make_unique<bool[]>(captures);
    const bool stampsOk = registered && st == kOk
        && m_api->triggerTimeStamps(m_handle, 0, captures - 1, ticks.data(), valid.get()) == kOk;
    for (std::size_t i = 0; i < m_inputs.size(); ++i)
        for (std::uint32_t seg = 0; seg < buf[i].size(); ++seg)
            m_api->setDataBuffers(m_handle, m_inputs[i].channel, nullptr, nullptr, 0, seg, RatioNone);
    if (!registered)
        return endAcquisition(End::Failure, tr("SetDataBuffer failed"));
    if (st != kOk) {
        if (isPowerStatus(st))
            Q_EMIT message(tr("Power source changed: data collection aborted."));
        ok(st, "GetValuesBulk");
        return endAcquisition(End::Failure, statusName(st));
    }
    // Place each segment on the session timeline by its trigger time stamp (sample ticks); the
    // last trigger happened `post` samples before BlockReady.
    std::vector<double> trigger(captures);
    trigger[captures - 1] = m_readyAt - double(m_post) * m_rawDt;
    for (std::uint32_t seg = captures - 1; seg-- > 0;) {
        const bool stamped = stampsOk && valid[seg + 1] && ticks[seg + 1] > ticks[seg];
        trigger[seg] = trigger[seg + 1] - double(stamped ? ticks[seg + 1] - ticks[seg] : n) * m_rawDt;
    }
    for (std::uint32_t seg = 0; seg < captures; ++seg) {
        const double t0 = trigger[seg] - double(m_pre) * m_rawDt;
        std::vector<const std::int16_t *> maxPtr, minPtr;
        for (std::size_t i = 0; i < m_inputs.size(); ++i) {
            maxPtr.push_back(buf[i][seg].data());
            minPtr.push_back(nullptr);
        }
        publishCapture(maxPtr, minPtr, std::min<std::size_t>(got, n), t0, overflow[seg]);
    }
}

void PicoDriver::publishCapture(const std::vector<const std::int16_t *> &maxBuf,
                                const std::vector<const std::int16_t *> &minBuf, std::size_t n, double t0,
                                std::int16_t overflow)
{
    if (n == 0)
        return;
    const int perInput = channelsPerInput();
    Q_ASSERT(m_formats.size() == m_inputs.size() * std::size_t(perInput));
    auto block = SampleBlock::make(id(), QStringLiteral("scope"), m_formats, n, false);
    block->firstIndex = m_index;
    block->t0 = t0;
    block->dt = m_dt;
    block->flags = SampleBlock::StartOfCapture | SampleBlock::EndOfCapture;
    // The counts as the library returned them (raw, decimated, averaged or min/max per interval).
    for (std::size_t i = 0; i < m_inputs.size(); ++i) {
        std::memcpy(block->data<std::int16_t>(int(i) * perInput), maxBuf[i], n * sizeof(std::int16_t));
        if (perInput == 2 && minBuf[i])
            std::memcpy(block->data<std::int16_t>(int(i) * perInput + 1), minBuf[i], n * sizeof(std::int16_t));
    }
    if (m_params.stringValue(QStringLiteral("trigger")) != QLatin1String("none")) {
        block->flags |= SampleBlock::Trigger;
        block->triggerIndex = std::int64_t(m_pre) / std::int64_t(m_ratio);
    }
    noteOverflow(block.get(), overflow);
    m_index += n;
    m_captureSamples += n;
    ++m_captureSegments;
    m_captureEnd = t0 + double(n) * m_dt;
    publish(block);
}

void PicoDriver::noteOverflow(SampleBlock *block, std::int16_t overflow)
{
    if (overflow == 0) {
        m_lastOverflow = 0;
        return;
    }
    block->flags |= SampleBlock::Overflow;
    ++m_overflowEvents;
    if (overflow == m_lastOverflow)
        return;
    m_lastOverflow = overflow;
    QStringList over;
    for (int ch = 0; ch < kAnalogueChannels; ++ch)
        if (overflow & (1 << ch))
            over << channelLetter(ch);
    Q_EMIT message(tr("Over range on channel %1: the input exceeds the selected range.").arg(over.join(QStringLiteral(", "))));
}

void PicoDriver::captureDone()
{
    m_busy = false;
    m_api->stop(m_handle);
    closeCapture(tr("complete"), true);
    if (!m_running || m_single || !m_params.boolValue(QStringLiteral("repeat"))) {
        // The capture asked for is complete: the run ends by itself.
        endAcquisition(End::ByItself, m_activeMode == Mode::Rapid
                                          ? tr("rapid-block run complete (%1 captures)").arg(m_captureSegments)
                                          : tr("capture complete"));
        return;
    }
    // Re-arm from the event loop so that Stop and parameter changes get their turn in between.
    QMetaObject::invokeMethod(this, [this] {
        if (m_running && !m_busy && m_handle > 0 && !runBlock())
            endAcquisition(End::Failure);
    }, Qt::QueuedConnection);
}

} // namespace bs::picoscope
