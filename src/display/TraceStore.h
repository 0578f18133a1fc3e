// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TraceSource.h"
#include "TraceTypes.h"

#include <BlockSink.h>
#include <StreamInfo.h>

#include <QStringList>
#include <QVector>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

namespace bs {

class TraceStream;

/// The display history of every live channel, fed straight from the driver threads and read by
/// the plots: per-stream chunked rings (one shared time column per stream) with an incremental
/// min/max pyramid per channel, all inside one memory budget.
///
/// Threading: every public function is thread-safe. `consume()`/`setStreams()` run on driver
/// threads (concurrently); they take the registry lock only briefly (shared) and then the one
/// stream's lock. Queries take the registry lock (shared) and one stream lock (shared) at a time.
/// Budget eviction is serialised by its own mutex and locks one stream at a time.
class TraceStore final : public BlockSink, public TraceSource
{
public:
    static constexpr quint64 DefaultMemoryBudget = quint64(1) << 30; ///< 1 GiB

    struct Stats
    {
        quint64 samplesHeld = 0; ///< values held: rows × channels, over all streams
        quint64 rowsHeld = 0; ///< time points held, over all streams
        quint64 bytesUsed = 0; ///< see memory accounting in README.md
        quint64 memoryBudget = 0;
        quint64 evictedSamples = 0; ///< values dropped to stay within budget (since last clear())
        /// Blocks ignored (since last clear()): malformed, or in formats other than announced.
        quint64 rejectedBlocks = 0;
    };

    TraceStore();
    ~TraceStore() override;
    TraceStore(const TraceStore &) = delete;
    TraceStore &operator=(const TraceStore &) = delete;

    // --- BlockSink (driver threads) -----------------------------------------------------------
    /// Declares the instrument's streams. A stream whose id and channel count are unchanged keeps
    /// its data (names/units/formats are updated; data held keeps its old conversion); others
    /// start empty; streams not listed are dropped.
    void setStreams(const QString &instrumentId, const QVector<StreamInfo> &streams) override;
    /// Appends a block. A block for an undeclared stream declares it (channels "ch0", "ch1", ...).
    /// A block starting earlier than its stream's newest sample restarts that stream. A block
    /// whose channel formats differ from the announced ones is refused (Stats::rejectedBlocks).
    void consume(const SampleBlockPtr &block) override;

    // --- Housekeeping ---------------------------------------------------------------------------
    /// Drops all samples (new acquisition); channels stay declared; counters reset.
    void clear();
    void removeInstrument(const QString &instrumentId);
    /// Bytes the store may use for display data; evicts the oldest chunks at once if exceeded.
    void setMemoryBudget(quint64 bytes);
    quint64 memoryBudget() const;

    // --- Queries (any thread, typically the GUI) -------------------------------------------------
    /// Bumped on every append, eviction, clear, removal and stream change.
    quint64 revision() const override;
    /// Bumped only when the set of channels or their descriptions change.
    quint64 layoutRevision() const override;
    QStringList instruments() const;
    QVector<ChannelKey> channels() const override;
    std::optional<ChannelInfo> channelInfo(const ChannelKey &key) const override;
    QVector<StreamInfo> streams(const QString &instrumentId) const;
    /// Time range held by the key's stream (all channels of a stream share it; `channel` ignored).
    TimeRange timeRange(const ChannelKey &key) const override;
    TimeRange timeRange(const QString &instrumentId, const QString &streamId) const;
    /// Union over the whole store.
    TimeRange timeRange() const override;
    /// Newest value of the channel (may be NaN if the device sent NaN); nullopt if nothing held.
    std::optional<double> latestValue(const ChannelKey &key) const;
    /// Plot points of [tFrom, tTo) split into `columns` equal time columns (edges: columnEdge()),
    /// in time order. Per column: none if it holds no samples; its samples exactly (NaN ones
    /// dropped) if it holds 1 or 2; otherwise its min and max (NaN skipped; none if all NaN) placed
    /// at the column's first and last sample times, min first unless the column's first value
    /// exceeds its last (so a ramp draws as a ramp). Outside this 2-per-column budget: the last
    /// sample before tFrom and the first at/after tTo, each if present and not NaN.
    /// Breaks (also outside the budget): where samples are missing between two of these points
    /// (a device loss, a jump in sample indices, a new capture), a point with a NaN value at the
    /// time of the point before comes between them, so no line bridges the gap; at most one per
    /// column (the points of a column and the one before its first point), and one more before
    /// the point after tTo. Cost O(columns + chunks spanned) on a regular sample clock,
    /// O(columns · log n) at worst (a window holding <= 4·columns samples is scanned directly);
    /// a break adds one binary search.
    Envelope envelope(const ChannelKey &key, double tFrom, double tTo, int columns) const override;
    /// The gaps of the channel's stream that touch [tFrom, tTo), in time order: those whose
    /// first sample after is at or after tFrom and whose last sample before is before tTo (the
    /// same ones the envelope breaks at). Gaps before the oldest sample held or after the newest
    /// are not reported. At most `maxCount` entries: beyond that, [tFrom, tTo) is split into
    /// maxCount equal bins and the gaps whose first sample after falls in one bin are merged
    /// (`count`, lost summed, kinds ORed; the last bin also takes those ending at/after tTo).
    /// Cost O(maxCount · log n) plus O(gaps in the window) for merging.
    std::vector<TraceGap> gaps(const ChannelKey &key, double tFrom, double tTo, int maxCount) const override;
    Stats stats() const;

    // --- Sample reading (any thread) ---------------------------------------------------------------
    /// Rows per piece at most (bounds the scratch buffers: 2 × 512 KiB).
    static constexpr std::size_t PieceRows = std::size_t(1) << 16;
    /// Visits the samples of the channel with tFrom <= t <= tTo in time order, as pieces of at most
    /// PieceRows converted to engineering values, with `gap` between two pieces where samples are
    /// missing. A piece never spans missing samples. Locking: the stream's lock is taken shared
    /// while a piece is copied and released before `piece`/`gap` run, so the callbacks may call
    /// the store (and appends go on meanwhile). Rows evicted while reading are reported as a gap
    /// (and counted in `lost`); a restart of the stream while reading ends the read (`restarted`).
    SampleReadStatus readSamples(const ChannelKey &key, double tFrom, double tTo,
        const SamplePieceFn &piece, const SampleGapFn &gap = {}) const override;
    /// A cursor at the first sample at or after time t (use +inf for "only what comes next",
    /// -inf for "everything held"). An unknown channel gives a cursor that starts at the oldest.
    SampleCursor cursorAt(const ChannelKey &key, double t) const;
    /// Visits everything after `cursor` (at most `maxRows` rows), like readSamples(), and moves
    /// the cursor past it. A cursor that was never started begins at the oldest row held. If the
    /// stream restarted (clear(), a block going back in time, or removed and declared again)
    /// since the cursor's last read, the call delivers nothing, sets `restarted` and moves the
    /// cursor to the oldest row of the new data (the next call reads it). Rows evicted before
    /// they were read are counted in `lost`. Either one, and missing samples the stream knows
    /// of, call `gap` once the cursor had delivered rows. `behind`: rows after the cursor when
    /// done (a reader falling behind can skip ahead with cursorAt()).
    SampleReadStatus readNew(const ChannelKey &key, SampleCursor &cursor, const SamplePieceFn &piece,
        const SampleGapFn &gap = {}, std::uint64_t maxRows = UINT64_MAX) const;

private:
    struct Instrument
    {
        QString id;
        std::vector<std::shared_ptr<TraceStream>> streams;
    };

    std::shared_ptr<TraceStream> findLocked(const QString &instrumentId, const QString &streamId) const;
    std::shared_ptr<TraceStream> find(const QString &instrumentId, const QString &streamId) const;
    std::shared_ptr<TraceStream> findOrDeclare(const SampleBlock &block);
    std::vector<std::shared_ptr<TraceStream>> allStreams() const;
    void killLocked(TraceStream &stream);
    std::size_t chunkRowsFor(double rowBytes) const;
    void evictToBudget();
    void bump(bool layout = false);
    /// The loop behind readSamples()/readNew(): rows [row, end) of one epoch, piece by piece.
    void readRows(TraceStream &stream, int ch, SampleCursor &at, std::uint64_t end,
        const SamplePieceFn &piece, const SampleGapFn &gap, SampleReadStatus &status) const;

    mutable std::shared_mutex m_registryMutex;
    std::vector<Instrument> m_instruments;
    std::mutex m_evictMutex;
    std::atomic<std::int64_t> m_bytes { 0 };
    std::atomic<quint64> m_budget { DefaultMemoryBudget };
    std::atomic<quint64> m_revision { 0 };
    std::atomic<quint64> m_layoutRevision { 0 };
    std::atomic<quint64> m_evictedSamples { 0 };
    std::atomic<quint64> m_rejectedBlocks { 0 };
};

} // namespace bs
