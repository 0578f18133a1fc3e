// SPDX-License-Identifier: GPL-3.0-or-later
#include "TraceStream.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace bs {

TraceStream::TraceStream(const QString &instrumentId, const StreamInfo &info)
    : instrumentId(instrumentId)
    , info(info)
    , m_channelCount(int(info.channels.size()))
    , m_formats(info.formats())
{
}

void TraceStream::setFormats(const std::vector<SampleFormat> &formats)
{
    if (int(formats.size()) == m_channelCount)
        m_formats = formats;
    m_refused = false; // a new announcement: report the next refusal again
}

bool TraceStream::accepts(const SampleBlock &block, QString *why) const
{
    const int n = std::min(block.channelCount, m_channelCount);
    for (int ch = 0; ch < n; ++ch) {
        const SampleFormat &got = block.format(ch);
        const SampleFormat &want = m_formats[std::size_t(ch)];
        if (got == want)
            continue;
        if (why) {
            *why = QStringLiteral("channel %1 is %2 × %3 + %4, announced %5 × %6 + %7")
                       .arg(ch)
                       .arg(sampleTypeName(got.type))
                       .arg(got.scale)
                       .arg(got.offset)
                       .arg(sampleTypeName(want.type))
                       .arg(want.scale)
                       .arg(want.offset);
        }
        return false;
    }
    return true;
}

double TraceStream::rowBytes() const
{
    constexpr double pyramidShare = 1.0 + 2.0 / double(MinMaxPyramid::Fanout - 1);
    double b = 8.0; // an explicit time; a regular block costs far less
    for (const SampleFormat &f : m_formats)
        b += double(sampleTypeSize(f.type)) * pyramidShare;
    return b;
}

std::vector<SampleFormat> TraceStream::chunkFormats(const SampleBlock &block) const
{
    // Channels the block lacks hold NaN: in their own format if floating, else in float32.
    std::vector<SampleFormat> out = m_formats;
    for (int ch = block.channelCount; ch < m_channelCount; ++ch) {
        if (isIntegerType(out[std::size_t(ch)].type))
            out[std::size_t(ch)] = SampleFormat::of(SampleType::Float32);
    }
    return out;
}

std::int64_t TraceStream::kill()
{
    m_dead = true;
    return -std::int64_t(clear());
}

std::uint64_t TraceStream::newEpoch()
{
    static std::atomic<std::uint64_t> next { 1 };
    return next.fetch_add(1, std::memory_order_relaxed);
}

namespace {

void mergeBreak(TraceChunk::BreakInfo &into, const TraceChunk::BreakInfo &b)
{
    if (!into.kinds) {
        into = b;
        return;
    }
    into.lost += b.lost;
    into.lostKnown = into.lostKnown && b.lostKnown;
    into.kinds |= b.kinds;
}

} // namespace

bool TraceStream::startsAfterBreak(const SampleBlock &b, TraceChunk::BreakInfo &info)
{
    // The same rules as the instrument host and the recorder: a loss the device reports, or a
    // jump forward in sample indices; plus the boundaries between two captures.
    info = std::exchange(m_pending, TraceChunk::BreakInfo {});
    bool brk = std::exchange(m_breakPending, false);
    const std::uint64_t jump = m_indexKnown && b.firstIndex > m_nextIndex ? b.firstIndex - m_nextIndex : 0;
    const bool reported = b.lostBefore > 0 || (b.flags & SampleBlock::DataLost);
    std::uint8_t kinds = 0;
    if (reported)
        kinds |= GapDeviceLoss;
    if (jump > 0)
        kinds |= GapIndexJump;
    if (m_indexKnown && (b.flags & SampleBlock::StartOfCapture))
        kinds |= GapNewCapture;
    if (kinds) {
        // Counted as the instrument host does: a jump also announced in lostBefore once.
        const std::uint64_t lost = std::max<std::uint64_t>(b.lostBefore, jump);
        mergeBreak(info, TraceChunk::BreakInfo { lost, lost > 0 || !(b.flags & SampleBlock::DataLost), kinds });
        brk = true;
    }
    m_nextIndex = b.endIndex();
    m_indexKnown = true;
    m_breakPending = (b.flags & SampleBlock::EndOfCapture) != 0;
    if (m_breakPending)
        m_pending = TraceChunk::BreakInfo { 0, true, GapNewCapture };
    return brk;
}

void TraceStream::noteMarker(const SampleBlock &block)
{
    TraceChunk::BreakInfo info;
    if (startsAfterBreak(block, info)) {
        m_breakPending = true;
        mergeBreak(m_pending, info);
    }
}

std::int64_t TraceStream::append(const SampleBlock &block, std::size_t chunkRows)
{
    const std::size_t before = m_bytes;
    TraceChunk::BreakInfo info;
    const bool brk = startsAfterBreak(block, info);
    double minTime = -std::numeric_limits<double>::infinity();
    if (!m_chunks.empty()) {
        const double last = m_chunks.back()->lastTime();
        // Going back in time (restarted clock/capture): start this stream over so it stays sorted.
        if (block.time(0) < last)
            clear();
        else
            minTime = last;
    }
    const std::vector<SampleFormat> formats = chunkFormats(block);
    std::size_t done = 0;
    while (done < block.sampleCount) {
        if (m_chunks.empty() || m_chunks.back()->free() == 0 || !m_chunks.back()->hasFormats(formats)) {
            m_chunks.push_back(std::make_unique<TraceChunk>(formats, chunkRows, m_endRow));
            m_bytes += m_chunks.back()->bytes();
        }
        TraceChunk &chunk = *m_chunks.back();
        const std::size_t n = std::min(chunk.free(), block.sampleCount - done);
        const std::size_t oldBytes = chunk.bytes();
        if (brk && done == 0)
        {
            chunk.markBreakBeforeNext(info);
            m_breakRows.push_back(m_endRow);
            m_bytes += sizeof(std::uint64_t);
        }
        chunk.append(block, done, n, minTime);
        m_bytes += chunk.bytes() - oldBytes;
        minTime = chunk.lastTime();
        m_endRow += n;
        done += n;
    }
    return std::int64_t(m_bytes) - std::int64_t(before);
}

std::size_t TraceStream::evictOldest(std::size_t &rows)
{
    rows = 0;
    if (m_chunks.empty())
        return 0;
    std::size_t b = m_chunks.front()->bytes();
    rows = m_chunks.front()->size();
    const std::size_t breaks = m_chunks.front()->breaks().size();
    m_breakRows.erase(m_breakRows.begin(), m_breakRows.begin() + std::ptrdiff_t(breaks));
    b += breaks * sizeof(std::uint64_t);
    m_chunks.pop_front();
    m_bytes -= b;
    return b;
}

std::size_t TraceStream::clear()
{
    const std::size_t b = m_bytes;
    m_epoch = newEpoch();
    m_chunks.clear();
    m_breakRows.clear();
    m_bytes = 0;
    return b;
}

std::uint64_t TraceStream::rowAfter(double t) const
{
    return rowAt(std::nextafter(t, std::numeric_limits<double>::infinity()));
}

TraceStream::Piece TraceStream::copyRows(
    int ch, std::uint64_t row, std::uint64_t end, std::size_t max, double *times, double *values) const
{
    Piece p;
    auto it = std::partition_point(m_chunks.begin(), m_chunks.end(),
        [row](const auto &c) { return c->firstRow() + c->size() <= row; });
    for (; it != m_chunks.end() && p.n < max && row < end; ++it) {
        const TraceChunk &c = **it;
        const std::size_t from = std::size_t(row - c.firstRow());
        std::size_t to = std::size_t(std::min<std::uint64_t>(
            { std::uint64_t(c.size()), std::uint64_t(from + (max - p.n)), end - c.firstRow() }));
        const auto &breaks = c.breaks();
        auto b = std::lower_bound(breaks.begin(), breaks.end(), std::uint32_t(from));
        if (b != breaks.end() && *b == from) {
            if (p.n > 0)
                break; // the piece ends before the break
            p.breakBefore = true;
            ++b;
        }
        if (b != breaks.end() && *b < to)
            to = *b;
        c.times().copy(from, to, times + p.n);
        c.channel(ch).toValues(from, to, values + p.n);
        p.n += to - from;
        row += to - from;
        if (to < c.size())
            break; // at a break, at `end` or full
    }
    return p;
}

TimeRange TraceStream::timeRange() const
{
    if (m_chunks.empty())
        return {};
    return TimeRange { m_chunks.front()->firstTime(), m_chunks.back()->lastTime(), true };
}

std::optional<double> TraceStream::latestValue(int ch) const
{
    if (m_chunks.empty() || ch < 0 || ch >= m_channelCount)
        return std::nullopt;
    const TraceChunk &c = *m_chunks.back();
    return c.channel(ch).value(c.size() - 1);
}

TraceStream::Pos TraceStream::lowerBound(double t) const
{
    // First chunk whose newest sample is >= t; the answer is inside it.
    auto it = std::partition_point(
        m_chunks.begin(), m_chunks.end(), [t](const auto &c) { return c->lastTime() < t; });
    if (it == m_chunks.end())
        return endPos();
    return Pos { std::size_t(it - m_chunks.begin()), (*it)->times().lowerBound(t) };
}

TraceStream::Pos TraceStream::prev(Pos p) const
{
    if (p.row > 0)
        return Pos { p.chunk, p.row - 1 };
    return Pos { p.chunk - 1, m_chunks[p.chunk - 1]->size() - 1 };
}

double TraceStream::timeOfRow(std::uint64_t row) const
{
    auto it = std::partition_point(m_chunks.begin(), m_chunks.end(),
        [row](const auto &c) { return c->firstRow() + c->size() <= row; });
    return (*it)->times().at(std::size_t(row - (*it)->firstRow()));
}

void TraceStream::seekBreak(BreakCursor &b, std::uint64_t row) const
{
    // The stream's list of break rows finds the next one; then its chunk and place there.
    const auto next = std::lower_bound(m_breakRows.begin(), m_breakRows.end(), row);
    if (next == m_breakRows.end()) {
        b = BreakCursor { m_chunks.size(), 0, UINT64_MAX };
        return;
    }
    const std::uint64_t r = *next;
    const auto it = std::partition_point(
        m_chunks.begin(), m_chunks.end(), [r](const auto &k) { return k->firstRow() + k->size() <= r; });
    const auto &br = (*it)->breaks();
    b.chunk = std::size_t(it - m_chunks.begin());
    b.index = std::size_t(std::lower_bound(br.begin(), br.end(), std::uint32_t(r - (*it)->firstRow())) - br.begin());
    b.row = r;
}

template<typename Fn> void TraceStream::forEachBreak(std::uint64_t lo, std::uint64_t hi, Fn &&fn) const
{
    BreakCursor b;
    seekBreak(b, lo);
    while (b.row < hi) {
        fn(b.chunk, b.index);
        ++b.index;
        b.row = UINT64_MAX;
        for (; b.chunk < m_chunks.size(); ++b.chunk, b.index = 0) {
            const TraceChunk &c = *m_chunks[b.chunk];
            if (b.index < c.breaks().size()) {
                b.row = c.firstRow() + c.breaks()[b.index];
                break;
            }
        }
    }
}

std::uint64_t TraceStream::countBreaks(std::uint64_t lo, std::uint64_t hi) const
{
    if (lo >= hi)
        return 0;
    return std::uint64_t(std::lower_bound(m_breakRows.begin(), m_breakRows.end(), hi)
        - std::lower_bound(m_breakRows.begin(), m_breakRows.end(), lo));
}

/// Adds envelope points in row order and a NaN point (a break) between two of them that have
/// missing samples between their rows: at most one per column (the first one in it wins).
class TraceStream::Emitter
{
public:
    Emitter(const TraceStream &s, Envelope &e, std::uint64_t firstRow)
        : m_rows(s.m_breakRows)
        , m_e(e)
    {
        seek(m_rows.begin(), firstRow);
    }

    /// A point standing for row `row` of column `column` (-1: the sample before the window,
    /// `columns`: the sample after it). NaN values are dropped.
    void add(std::uint64_t row, double t, double v, int column)
    {
        if (std::isnan(v))
            return;
        if (m_nextBreak <= row) [[unlikely]] // a break after the previous point's row, up to this one
            breakBefore(row, column);
        m_e.add(t, v);
    }

    void column(const Column &col, int c)
    {
        if (col.n <= 2) {
            add(col.firstRow, col.firstT, col.firstV, c);
            if (col.n == 2)
                add(col.lastRow, col.lastT, col.lastV, c);
        } else if (col.m.isValid()) {
            // Follow the column's trend: max first when its first value exceeds its last.
            // Picked by index, not by a branch: the trend is as random as the signal.
            const double ends[2] = { col.m.min, col.m.max };
            const bool maxFirst = col.firstV > col.lastV;
            add(col.firstRow, col.firstT, ends[maxFirst], c);
            add(col.lastRow, col.lastT, ends[!maxFirst], c);
        }
    }

private:
    // Out of line: the common path of add() stays a compare and two appends.
    Q_DECL_COLD_FUNCTION Q_NEVER_INLINE void breakBefore(std::uint64_t row, int column)
    {
        if (!m_e.empty() && column != m_breakColumn) {
            m_e.add(m_e.t.back(), std::numeric_limits<double>::quiet_NaN());
            m_breakColumn = column;
        }
        seek(m_next, row + 1);
    }
    void seek(std::deque<std::uint64_t>::const_iterator from, std::uint64_t row)
    {
        m_next = std::lower_bound(from, m_rows.end(), row);
        m_nextBreak = m_next == m_rows.end() ? UINT64_MAX : *m_next;
    }

    const std::deque<std::uint64_t> &m_rows;
    Envelope &m_e;
    std::deque<std::uint64_t>::const_iterator m_next;
    std::uint64_t m_nextBreak = UINT64_MAX; ///< row of the first break after the last point
    int m_breakColumn = std::numeric_limits<int>::min();
};

void TraceStream::scanColumns(
    Emitter &out, int ch, Pos lo, Pos end, double tFrom, double tTo, int columns) const
{
    // Few samples in the window: one sequential pass over them, O(samples) <= O(4 · columns).
    Column col;
    int c = 0;
    double edge = columnEdge(tFrom, tTo, columns, 1);
    std::vector<double> times, values;
    for (std::size_t k = lo.chunk; k < m_chunks.size() && k <= end.chunk; ++k) {
        const TraceChunk &chunk = *m_chunks[k];
        const std::size_t from = k == lo.chunk ? lo.row : 0;
        const std::size_t to = k == end.chunk ? end.row : chunk.size();
        times.resize(to - from);
        chunk.times().copy(from, to, times.data());
        values.resize(to - from);
        chunk.channel(ch).toValues(from, to, values.data());
        for (std::size_t row = from; row < to; ++row) {
            const double t = times[row - from];
            const double v = values[row - from];
            if (c < columns - 1 && !(t < edge)) {
                if (col.n) {
                    col.lastRow = col.firstRow + col.n - 1;
                    out.column(col, c);
                }
                col = Column {};
                while (c < columns - 1 && !(t < edge))
                    edge = columnEdge(tFrom, tTo, columns, ++c + 1);
            }
            if (!col.n) {
                col.firstT = t;
                col.firstV = v;
                col.firstRow = chunk.firstRow() + row;
            }
            col.lastT = t;
            col.lastV = v;
            ++col.n;
            col.m.add(v);
        }
    }
    if (col.n) {
        col.lastRow = col.firstRow + col.n - 1; // rows are consecutive
        out.column(col, c);
    }
}

/// The envelope's columns of a window holding many samples, walked chunk by chunk: each column's
/// end found forward from its start (TimeColumn::Reader: arithmetic on a regular sample clock,
/// else a search around the last column's width), its min/max from the pyramid, the channel's
/// type dispatched once per chunk. O(columns + chunks) on a regular clock, O(columns · log n)
/// at worst.
class TraceStream::ColumnWalk
{
public:
    ColumnWalk(Emitter &out, int ch, double tFrom, double tTo, int columns)
        : m_out(out)
        , m_ch(ch)
        , m_tFrom(tFrom)
        , m_tTo(tTo)
        , m_columns(columns)
    {
    }

    /// False once the window or its columns are used up.
    bool more() const { return !m_done; }
    /// Rows [from, size) of the chunk.
    void chunk(const TraceChunk &chunk, std::size_t from)
    {
        const ChannelColumn &values = chunk.channel(m_ch);
        values.visit([&](const auto &pyramid) { walk(chunk, values, pyramid, from); });
    }
    /// Emits the column still open when the chunks end.
    void finish()
    {
        if (m_open) {
            takeLast();
            close();
        }
    }

private:
    template <typename Pyramid>
    void walk(const TraceChunk &chunk, const ChannelColumn &values, const Pyramid &pyramid, std::size_t row)
    {
        TimeColumn::Reader times(chunk.times());
        const std::size_t size = chunk.size();
        while (row < size) {
            if (!m_open && !open(chunk.firstRow() + row, times.at(row), values.toValue(pyramid.value(row)))) {
                m_done = true;
                return;
            }
            // The column ends in this chunk if its newest sample reaches the edge (as lowerBound()).
            const bool ends = !(chunk.lastTime() < m_edge);
            std::size_t hi = size;
            if (ends) {
                // Explicit times: look where a column as wide as the last one would end.
                const std::uint64_t guess = std::max(m_col.firstRow + m_width, chunk.firstRow() + row);
                hi = times.lowerBound(m_edge, row, std::size_t(guess - chunk.firstRow()));
            }
            if (hi > row) {
                m_col.m.add(values.toMinMax(pyramid.range(row, hi)));
                m_last = &chunk;
                m_lastRow = hi - 1;
            }
            row = hi;
            if (ends) {
                // The last sample's time and value, only now: a column wider than a chunk need
                // not read the end of every chunk it passes.
                if (m_last == &chunk) {
                    m_col.lastT = times.at(m_lastRow);
                    m_col.lastV = values.toValue(pyramid.value(m_lastRow));
                } else { // it ended with an earlier chunk
                    takeLast();
                }
                close();
            }
        }
    }

    /// Starts the column holding a sample at time t (empty columns before it are skipped).
    bool open(std::uint64_t row, double t, double v)
    {
        for (;; ++m_c) {
            if (m_c >= m_columns || !(t < m_tTo))
                return false;
            m_edge = columnEdge(m_tFrom, m_tTo, m_columns, m_c + 1);
            if (t < m_edge)
                break;
        }
        m_col = Column {};
        m_col.firstRow = row;
        m_col.firstT = t;
        m_col.firstV = v;
        m_open = true;
        return true;
    }
    /// The last sample's time and value from the chunk that holds it (out of the way: rare).
    Q_NEVER_INLINE void takeLast()
    {
        m_col.lastT = m_last->times().at(m_lastRow);
        m_col.lastV = m_last->channel(m_ch).value(m_lastRow);
    }
    void close()
    {
        m_col.lastRow = m_last->firstRow() + m_lastRow;
        // Rows are consecutive; min/max only counts for more than 2 (Emitter::column()).
        m_col.n = m_col.lastRow + 1 - m_col.firstRow;
        m_out.column(m_col, m_c);
        m_width = m_col.n;
        m_open = false;
        ++m_c;
    }

    Emitter &m_out;
    const int m_ch;
    const double m_tFrom, m_tTo;
    const int m_columns;
    int m_c = 0; ///< the column open or next
    double m_edge = 0; ///< right edge of column m_c (when open)
    bool m_open = false;
    bool m_done = false;
    Column m_col;
    const TraceChunk *m_last = nullptr; ///< the chunk holding the open column's last sample so far
    std::size_t m_lastRow = 0; ///< and its row there
    std::uint64_t m_width = 0; ///< rows of the last column emitted: where to look for the next edge
};

void TraceStream::pyramidColumns(Emitter &out, int ch, Pos lo, double tFrom, double tTo, int columns) const
{
    ColumnWalk walk(out, ch, tFrom, tTo, columns);
    for (std::size_t k = lo.chunk; k < m_chunks.size() && walk.more(); ++k)
        walk.chunk(*m_chunks[k], k == lo.chunk ? lo.row : 0);
    walk.finish();
}

Envelope TraceStream::envelope(int ch, double tFrom, double tTo, int columns) const
{
    Envelope e;
    if (ch < 0 || ch >= m_channelCount || columns <= 0 || !(tFrom < tTo) || m_chunks.empty())
        return e;
    const Pos lo = lowerBound(tFrom);
    const Pos end = lowerBound(tTo);
    const std::uint64_t rows = rowOf(end) - rowOf(lo);
    const std::size_t reserve = std::size_t(std::min<std::uint64_t>(rows, std::uint64_t(columns) * 2)) + 2;
    e.t.reserve(reserve);
    e.v.reserve(reserve);

    const bool before = rowOf(lo) > firstRow();
    Emitter out(*this, e, before ? rowOf(lo) - 1 : rowOf(lo));
    if (before) { // last sample before the window (outside the column budget)
        const Pos p = prev(lo);
        out.add(rowOf(lo) - 1, timeAt(p), valueAt(p, ch), -1);
    }
    if (rows <= std::uint64_t(columns) * 4)
        scanColumns(out, ch, lo, end, tFrom, tTo, columns);
    else
        pyramidColumns(out, ch, lo, tFrom, tTo, columns);
    if (!isEnd(end)) // first sample at or after the window's end
        out.add(rowOf(end), timeAt(end), valueAt(end, ch), columns);
    return e;
}

std::vector<TraceGap> TraceStream::gaps(double tFrom, double tTo, int maxCount) const
{
    std::vector<TraceGap> out;
    if (maxCount <= 0 || !(tFrom < tTo) || m_chunks.empty())
        return out;
    // A break before row r is in the window when the sample after it is at or after tFrom and
    // the one before it is before tTo (rowAt(tFrom) <= r <= rowAt(tTo)), with both held.
    const std::uint64_t lo = std::max(rowAt(tFrom), firstRow() + 1);
    const std::uint64_t hi = std::min(rowAt(tTo) + 1, m_endRow);
    if (lo >= hi)
        return out;
    auto gapAt = [this](std::size_t k, std::size_t i) {
        const TraceChunk &c = *m_chunks[k];
        const TraceChunk::BreakInfo &b = c.breakInfo()[i];
        return TraceGap { timeOfRow(c.firstRow() + c.breaks()[i] - 1), c.times().at(c.breaks()[i]), b.lost,
            b.lostKnown, b.kinds, 1 };
    };
    if (countBreaks(lo, hi) <= std::uint64_t(maxCount)) {
        forEachBreak(lo, hi, [&](std::size_t k, std::size_t i) { out.push_back(gapAt(k, i)); });
        return out;
    }
    // Too many: one entry per maxCount equal time bins, holding the gaps whose first sample after
    // is in that bin (the last bin also those ending at or after tTo).
    out.reserve(std::size_t(maxCount));
    std::uint64_t binLo = lo;
    for (int bin = 0; bin < maxCount && binLo < hi; ++bin) {
        const std::uint64_t binHi = bin + 1 == maxCount
            ? hi
            : std::clamp(rowAt(columnEdge(tFrom, tTo, maxCount, bin + 1)), binLo, hi);
        TraceChunk::BreakInfo sum;
        std::uint32_t count = 0;
        std::size_t firstK = 0, firstI = 0, lastK = 0, lastI = 0;
        forEachBreak(binLo, binHi, [&](std::size_t k, std::size_t i) {
            if (!count)
                firstK = k, firstI = i;
            lastK = k, lastI = i;
            ++count;
            mergeBreak(sum, m_chunks[k]->breakInfo()[i]);
        });
        if (count) {
            TraceGap g = gapAt(firstK, firstI);
            g.end = gapAt(lastK, lastI).end;
            g.lost = sum.lost;
            g.lostKnown = sum.lostKnown;
            g.kinds = sum.kinds;
            g.count = count;
            out.push_back(g);
        }
        binLo = binHi;
    }
    return out;
}

} // namespace bs
