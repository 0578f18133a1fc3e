// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InstrumentEvent.h"
#include "SampleBlock.h"
#include "StreamInfo.h"

#include <QHash>
#include <QList>
#include <QVector>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace bs {

/// Blocks of one stream dropped in a row because the queue was full (or malformed).
struct DropRun
{
    quint64 blocks = 0, samples = 0;
    quint64 firstIndex = 0; ///< index of the first dropped sample
    double t0 = 0; ///< t0 of the first dropped block
    quint64 deviceLost = 0; ///< device losses announced by the dropped blocks
    quint64 overflowBlocks = 0; ///< dropped blocks flagged Overflow/DataLost
    int channelCount = 0;
    bool regular = false;
    double dt = 0;
};

/// One entry of the queue: a block (with the losses detected in front of it), an instrument event
/// or an announcement.
struct QueueItem
{
    SampleBlockPtr block; ///< null for an event or a stream announcement
    std::shared_ptr<const InstrumentEvent> event; ///< set for an instrument event
    QString instrumentId; ///< announcement
    QVector<StreamInfo> streams; ///< announcement
    qint64 bytes = 0; ///< payload bytes counted against the budget
    quint64 gap = 0; ///< samples missing between the stream's previous block and this one
    DropRun dropped; ///< blocks of this stream dropped just before this one
};

/// Dropped blocks not yet followed by an accepted block of their stream.
struct PendingDrop
{
    QString instrumentId, streamId;
    DropRun run;
};

/// The bounded queue between driver threads (push, announce: never block on the writer) and the
/// recorder's writer thread (pop, release). Also tracks sample-index continuity per stream so that
/// gaps and dropped blocks are attributed exactly.
class RecorderQueue
{
public:
    enum class Pop { Item, Timeout, Closed };
    struct Counters
    {
        bool open = false;
        qint64 queuedBytes = 0, peakQueuedBytes = 0;
        quint64 droppedSamples = 0, lostSamples = 0;
        quint64 droppedEvents = 0;
    };

    /// `maxQueueSeconds` > 0 also bounds each stream's queued data by time: a block is dropped when
    /// the stream's queued samples plus its own would exceed that many seconds at the stream's
    /// rate (1/dt, or the announced nominal rate), or, when the rate is not known, when they would
    /// span more than that (oldest queued t0 to the block's last sample time). A block is always
    /// accepted when none of its stream waits.
    void open(qint64 budgetBytes, double maxQueueSeconds = 0);
    /// Stops accepting blocks; pop() returns what is queued, then Closed. With `countLater` (the
    /// writer failed) blocks pushed afterwards are still counted as dropped, per stream, until the
    /// next closeIntake() or open().
    void closeIntake(bool countLater = false);
    bool isOpen() const;

    void announce(const QString &instrumentId, const QVector<StreamInfo> &streams);
    QHash<QString, QVector<StreamInfo>> announced() const;
    void push(const SampleBlockPtr &block);
    /// Queues an event in order with the blocks. At most MaxQueuedEvents wait at once; beyond
    /// that they are dropped and counted (droppedEvents).
    void pushEvent(const InstrumentEvent &event);
    static constexpr int MaxQueuedEvents = 10000;

    Pop pop(QueueItem *item, std::chrono::steady_clock::time_point deadline);
    /// The writer finished with an item of `bytes` (they stay counted until then).
    void release(qint64 bytes);
    QList<PendingDrop> pendingDrops() const;
    QList<PendingDrop> takePendingDrops();
    /// Test hook: while paused, pop() hands out nothing (closeIntake() resumes).
    void setPaused(bool paused);

    Counters counters() const;
    qint64 queuedBytes() const { return m_queued.load(std::memory_order_relaxed); }

private:
    struct Intake
    {
        QString instrumentId, streamId;
        bool seen = false;
        quint64 nextIndex = 0;
        DropRun pending;
        quint64 queuedSamples = 0; ///< of this stream, in the queue
        std::deque<double> queuedT0; ///< t0 of its queued blocks, oldest first
    };
    /// The time bound: `b` would make its stream's queue hold more than m_maxQueueSeconds.
    bool tooLong(const Intake &in, const SampleBlock &b) const;
    /// Samples per second of a block's stream: 1/dt, else the announced nominal rate, else 0.
    double rate(const SampleBlock &b) const;
    void drop(Intake &in, const SampleBlock &b, quint64 lost);
    static QString key(const QString &instrumentId, const QString &streamId)
    {
        return instrumentId + QChar(0x1f) + streamId;
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<QueueItem> m_items;
    QHash<QString, Intake> m_intake;
    QHash<QString, QVector<StreamInfo>> m_announced;
    qint64 m_budget = 0;
    double m_maxQueueSeconds = 0;
    std::atomic<qint64> m_queued { 0 };
    qint64 m_peak = 0;
    quint64 m_dropped = 0, m_lost = 0, m_droppedEvents = 0;
    int m_queuedEvents = 0;
    bool m_open = false;
    bool m_countLater = false; ///< closed after a write failure: pushes are counted as dropped
    bool m_paused = false;
};

} // namespace bs
