// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TraceChunk.h"
#include "TraceTypes.h"

#include <SampleBlock.h>
#include <StreamInfo.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

namespace bs {

/// The display history of one stream: a sequence of chunks, oldest first, sharing one row
/// numbering. Each chunk keeps the formats it was filled with, so a format change (re-announced
/// through setFormats(), e.g. a new range) starts a new chunk and older data keeps its conversion. Locking is the caller's job (TraceStore): `mutex` shared for the const queries,
/// exclusive for append/evict/clear. `info` and `instrumentId` are guarded by the store's
/// registry lock instead.
class TraceStream
{
public:
    TraceStream(const QString &instrumentId, const StreamInfo &info);

    const QString instrumentId;
    StreamInfo info;
    mutable std::shared_mutex mutex;

    int channelCount() const { return m_channelCount; }
    /// The announced formats (one per channel); blocks must match them (accepts()).
    const std::vector<SampleFormat> &formats() const { return m_formats; }
    void setFormats(const std::vector<SampleFormat> &formats);
    /// Whether the block's channels (those the stream has) are in the announced formats; if not,
    /// `why` names the first channel that differs.
    bool accepts(const SampleBlock &block, QString *why) const;
    /// Bytes one row costs with the announced formats (values, pyramid share, time), for sizing.
    double rowBytes() const;
    /// True once, for the first refused block (so the refusal is reported but not flooded).
    bool firstRefusal() { return !std::exchange(m_refused, true); }
    bool isDead() const { return m_dead; }
    /// Drops all data and refuses further appends (the stream left the registry).
    std::int64_t kill();

    /// Appends a block, opening chunks of `chunkRows` rows as needed. Returns the change in bytes
    /// held (negative if a block going back in time restarted the stream).
    std::int64_t append(const SampleBlock &block, std::size_t chunkRows);
    /// Drops the oldest chunk; returns its bytes and (via `rows`) its row count.
    std::size_t evictOldest(std::size_t &rows);
    /// Drops all chunks; returns the bytes freed.
    std::size_t clear();

    bool isEmpty() const { return m_chunks.empty(); }
    std::size_t bytes() const { return m_bytes; }
    std::uint64_t rowsHeld() const { return m_endRow - firstRow(); }
    /// Newest time in the oldest chunk (the eviction order key). Stream must not be empty.
    double oldestChunkLastTime() const { return m_chunks.front()->lastTime(); }
    TimeRange timeRange() const;
    std::optional<double> latestValue(int ch) const;
    /// See TraceStore::envelope().
    Envelope envelope(int ch, double tFrom, double tTo, int columns) const;
    /// See TraceStore::gaps().
    std::vector<TraceGap> gaps(double tFrom, double tTo, int maxCount) const;

    // --- Sample reading (TraceStore::readSamples/readNew) ---------------------------------------
    /// Changes (to a value never used before by any stream) whenever the stream's data is dropped
    /// as a whole: clear, restart (a block going back in time), removal. Rows keep counting up.
    std::uint64_t epoch() const { return m_epoch; }
    /// Row number of the oldest row held (`endRow()` when empty) and of the next row to come.
    std::uint64_t firstRow() const { return m_chunks.empty() ? m_endRow : m_chunks.front()->firstRow(); }
    std::uint64_t endRow() const { return m_endRow; }
    /// Row number of the first row held whose time is >= t (`endRow()` if none).
    std::uint64_t rowAt(double t) const { return rowOf(lowerBound(t)); }
    /// Row number of the first row held whose time is > t (`endRow()` if none).
    std::uint64_t rowAfter(double t) const;
    /// A zero-row block carrying flags (end of capture, a loss): remembered for the next row.
    void noteMarker(const SampleBlock &block);
    struct Piece
    {
        std::size_t n = 0; ///< rows copied
        bool breakBefore = false; ///< samples are missing just before the first of them
    };
    /// Copies the times and engineering values of channel `ch` of rows [row, min(end, row + max))
    /// to `times`/`values`, stopping early before a break (so a piece never spans missing
    /// samples). `row` must be held (firstRow() <= row < endRow()) and ch valid.
    Piece copyRows(int ch, std::uint64_t row, std::uint64_t end, std::size_t max, double *times, double *values) const;

private:
    struct Pos
    {
        std::size_t chunk; ///< m_chunks.size() = end
        std::size_t row;
    };
    Pos lowerBound(double t) const;
    Pos endPos() const { return Pos { m_chunks.size(), 0 }; }
    bool isEnd(Pos p) const { return p.chunk >= m_chunks.size(); }
    std::uint64_t rowOf(Pos p) const { return isEnd(p) ? m_endRow : m_chunks[p.chunk]->firstRow() + p.row; }
    Pos prev(Pos p) const;
    double timeAt(Pos p) const { return m_chunks[p.chunk]->times().at(p.row); }
    double valueAt(Pos p, int ch) const { return m_chunks[p.chunk]->channel(ch).value(p.row); }
    double timeOfRow(std::uint64_t row) const;

    /// A place in the chunks' break lists: the first break at or after a row (seekBreak(), a
    /// binary search), then forward one by one (forEachBreak()).
    struct BreakCursor
    {
        std::size_t chunk = 0;
        std::size_t index = 0; ///< into that chunk's breaks()
        std::uint64_t row = UINT64_MAX; ///< global row of that break; UINT64_MAX: none left
    };
    void seekBreak(BreakCursor &b, std::uint64_t row) const;
    /// Calls fn(chunk, index) for every break at a row in [lo, hi), in order.
    template<typename Fn> void forEachBreak(std::uint64_t lo, std::uint64_t hi, Fn &&fn) const;
    std::uint64_t countBreaks(std::uint64_t lo, std::uint64_t hi) const;

    class Emitter;
    class ColumnWalk;
    struct Column
    {
        double firstT = 0, firstV = 0, lastT = 0, lastV = 0;
        std::uint64_t firstRow = 0, lastRow = 0;
        std::uint64_t n = 0;
        MinMax m;
    };
    void scanColumns(Emitter &out, int ch, Pos lo, Pos end, double tFrom, double tTo, int columns) const;
    void pyramidColumns(Emitter &out, int ch, Pos lo, double tFrom, double tTo, int columns) const;

    std::vector<SampleFormat> chunkFormats(const SampleBlock &block) const;
    /// Whether samples are missing before this block (and remembers what the next block needs);
    /// `info` says what is known about them.
    bool startsAfterBreak(const SampleBlock &block, TraceChunk::BreakInfo &info);
    static std::uint64_t newEpoch();

    int m_channelCount;
    std::vector<SampleFormat> m_formats;
    bool m_dead = false;
    bool m_refused = false;
    std::deque<std::unique_ptr<TraceChunk>> m_chunks;
    std::uint64_t m_endRow = 0; ///< row number of the next appended row
    std::size_t m_bytes = 0;
    std::uint64_t m_epoch = newEpoch();
    std::uint64_t m_nextIndex = 0; ///< SampleBlock::endIndex() of the last block appended
    bool m_indexKnown = false;
    /// Row numbers of all breaks held, ascending (the chunks' breaks() in one list, for finding
    /// the next break without walking chunks); 8 bytes each, counted in bytes().
    std::deque<std::uint64_t> m_breakRows;
    bool m_breakPending = false; ///< a marker said samples are missing before the next row
    TraceChunk::BreakInfo m_pending; ///< what that marker said
};

} // namespace bs
