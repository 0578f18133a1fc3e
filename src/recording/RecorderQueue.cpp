// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecorderQueue.h"

#include <algorithm>

namespace bs {

namespace {
bool wellFormed(const SampleBlock &b)
{
    return b.isConsistent();
}
} // namespace

void RecorderQueue::open(qint64 budgetBytes, double maxQueueSeconds)
{
    std::lock_guard lock(m_mutex);
    m_items.clear();
    m_intake.clear();
    m_budget = budgetBytes;
    m_maxQueueSeconds = maxQueueSeconds;
    m_countLater = false;
    m_queued = 0;
    m_peak = 0;
    m_dropped = m_lost = m_droppedEvents = 0;
    m_queuedEvents = 0;
    m_paused = false;
    m_open = true;
}

void RecorderQueue::closeIntake(bool countLater)
{
    {
        std::lock_guard lock(m_mutex);
        m_countLater = countLater && (m_open || m_countLater);
        m_open = false;
        m_paused = false;
    }
    m_cv.notify_all();
}

bool RecorderQueue::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_open;
}

void RecorderQueue::announce(const QString &instrumentId, const QVector<StreamInfo> &streams)
{
    {
        std::lock_guard lock(m_mutex);
        m_announced.insert(instrumentId, streams);
        if (!m_open)
            return;
        QueueItem item;
        item.instrumentId = instrumentId;
        item.streams = streams;
        m_items.push_back(std::move(item));
    }
    m_cv.notify_one();
}

QHash<QString, QVector<StreamInfo>> RecorderQueue::announced() const
{
    std::lock_guard lock(m_mutex);
    return m_announced;
}

void RecorderQueue::drop(Intake &in, const SampleBlock &b, quint64 lost)
{
    DropRun &run = in.pending;
    if (run.blocks == 0) {
        run.firstIndex = b.firstIndex;
        run.t0 = b.t0;
        run.channelCount = b.channelCount;
        run.regular = b.isRegular();
        run.dt = b.dt;
    }
    ++run.blocks;
    run.samples += b.sampleCount;
    run.deviceLost += lost;
    if (b.flags & (SampleBlock::Overflow | SampleBlock::DataLost))
        ++run.overflowBlocks;
    m_dropped += b.sampleCount;
}

double RecorderQueue::rate(const SampleBlock &b) const
{
    if (b.isRegular() && b.dt > 0)
        return 1.0 / b.dt;
    const auto it = m_announced.constFind(b.instrumentId);
    if (it != m_announced.constEnd())
        for (const StreamInfo &s : *it)
            if (s.id == b.streamId)
                return s.nominalRate > 0 ? s.nominalRate : 0.0;
    return 0.0; // unknown: bounded by bytes only
}

bool RecorderQueue::tooLong(const Intake &in, const SampleBlock &b) const
{
    if (m_maxQueueSeconds <= 0 || in.queuedSamples == 0 || in.queuedT0.empty())
        return false;
    const double r = rate(b);
    if (r > 0)
        return double(in.queuedSamples + b.sampleCount) > r * m_maxQueueSeconds;
    const double last = b.sampleCount ? b.time(b.sampleCount - 1) : b.t0;
    return last - in.queuedT0.front() > m_maxQueueSeconds;
}

void RecorderQueue::push(const SampleBlockPtr &block)
{
    if (!block)
        return;
    const SampleBlock &b = *block;
    const qint64 bytes = qint64(b.payloadBytes());
    {
        std::lock_guard lock(m_mutex);
        if (!m_open && !m_countLater)
            return;
        Intake &in = m_intake[key(b.instrumentId, b.streamId)];
        if (!in.seen) {
            in.instrumentId = b.instrumentId;
            in.streamId = b.streamId;
        }
        const quint64 gap = in.seen && b.firstIndex > in.nextIndex ? b.firstIndex - in.nextIndex : 0;
        const quint64 lost = std::max<quint64>(b.lostBefore, gap);
        in.seen = true;
        in.nextIndex = b.endIndex();
        m_lost += lost;
        const qint64 queued = m_queued.load(std::memory_order_relaxed);
        if (!m_open || !wellFormed(b) || (queued > 0 && queued + bytes > m_budget) || tooLong(in, b)) {
            drop(in, b, lost);
            return;
        }
        QueueItem item;
        item.block = block;
        item.bytes = bytes;
        item.gap = gap;
        item.dropped = std::exchange(in.pending, DropRun());
        m_items.push_back(std::move(item));
        in.queuedSamples += b.sampleCount;
        in.queuedT0.push_back(b.t0);
        m_queued.store(queued + bytes, std::memory_order_relaxed);
        m_peak = std::max(m_peak, queued + bytes);
    }
    m_cv.notify_one();
}

void RecorderQueue::pushEvent(const InstrumentEvent &event)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_open)
            return;
        if (m_queuedEvents >= MaxQueuedEvents) {
            ++m_droppedEvents;
            return;
        }
        ++m_queuedEvents;
        QueueItem item;
        item.event = std::make_shared<const InstrumentEvent>(event);
        m_items.push_back(std::move(item));
    }
    m_cv.notify_one();
}

RecorderQueue::Pop RecorderQueue::pop(QueueItem *item, std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (!m_paused && !m_items.empty()) {
            *item = std::move(m_items.front());
            m_items.pop_front();
            if (item->event)
                --m_queuedEvents;
            if (item->block) {
                auto in = m_intake.find(key(item->block->instrumentId, item->block->streamId));
                if (in != m_intake.end()) {
                    in->queuedSamples -= std::min<quint64>(in->queuedSamples, item->block->sampleCount);
                    if (!in->queuedT0.empty())
                        in->queuedT0.pop_front();
                }
            }
            return Pop::Item;
        }
        if (!m_open && m_items.empty())
            return Pop::Closed;
        if (m_cv.wait_until(lock, deadline) == std::cv_status::timeout)
            return Pop::Timeout;
    }
}

void RecorderQueue::release(qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    m_queued.store(m_queued.load(std::memory_order_relaxed) - bytes, std::memory_order_relaxed);
}

namespace {
void sortDrops(QList<PendingDrop> &drops)
{
    std::sort(drops.begin(), drops.end(), [](const PendingDrop &a, const PendingDrop &b) {
        return a.instrumentId != b.instrumentId ? a.instrumentId < b.instrumentId : a.streamId < b.streamId;
    });
}
} // namespace

QList<PendingDrop> RecorderQueue::pendingDrops() const
{
    std::lock_guard lock(m_mutex);
    QList<PendingDrop> out;
    for (const Intake &in : m_intake)
        if (in.pending.blocks)
            out.append({ in.instrumentId, in.streamId, in.pending });
    sortDrops(out);
    return out;
}

QList<PendingDrop> RecorderQueue::takePendingDrops()
{
    std::lock_guard lock(m_mutex);
    QList<PendingDrop> out;
    for (Intake &in : m_intake)
        if (in.pending.blocks)
            out.append({ in.instrumentId, in.streamId, std::exchange(in.pending, DropRun()) });
    sortDrops(out);
    return out;
}

void RecorderQueue::setPaused(bool paused)
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = paused && m_open;
    }
    m_cv.notify_all();
}

RecorderQueue::Counters RecorderQueue::counters() const
{
    std::lock_guard lock(m_mutex);
    return { m_open, m_queued.load(std::memory_order_relaxed), m_peak, m_dropped, m_lost, m_droppedEvents };
}

} // namespace bs
