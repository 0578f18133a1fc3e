// SPDX-License-Identifier: GPL-3.0-or-later
#include "TraceStore.h"

#include "TraceStream.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

namespace {

bool isWellFormed(const SampleBlock &b)
{
    if (b.times.empty() && !(std::isfinite(b.t0) && std::isfinite(b.dt)))
        return false;
    return b.isConsistent();
}

StreamInfo defaultInfo(const SampleBlock &b)
{
    StreamInfo info;
    info.id = b.streamId;
    info.name = b.streamId;
    info.regular = b.isRegular();
    info.nominalRate = b.isRegular() ? 1.0 / b.dt : 0.0;
    for (int ch = 0; ch < b.channelCount; ++ch) {
        ChannelInfo c;
        c.name = QStringLiteral("ch%1").arg(ch);
        c.format = b.format(ch);
        info.channels.push_back(c);
    }
    return info;
}

} // namespace

TraceStore::TraceStore() = default;
TraceStore::~TraceStore() = default;

void TraceStore::bump(bool layout)
{
    if (layout)
        m_layoutRevision.fetch_add(1, std::memory_order_acq_rel);
    m_revision.fetch_add(1, std::memory_order_acq_rel);
}

std::shared_ptr<TraceStream> TraceStore::findLocked(
    const QString &instrumentId, const QString &streamId) const
{
    for (const auto &inst : m_instruments) {
        if (inst.id != instrumentId)
            continue;
        for (const auto &s : inst.streams) {
            if (s->info.id == streamId)
                return s;
        }
        return nullptr;
    }
    return nullptr;
}

std::shared_ptr<TraceStream> TraceStore::find(const QString &instrumentId, const QString &streamId) const
{
    std::shared_lock lock(m_registryMutex);
    return findLocked(instrumentId, streamId);
}

std::shared_ptr<TraceStream> TraceStore::findOrDeclare(const SampleBlock &block)
{
    if (auto s = find(block.instrumentId, block.streamId))
        return s;
    std::unique_lock lock(m_registryMutex);
    if (auto s = findLocked(block.instrumentId, block.streamId))
        return s;
    auto it = std::find_if(m_instruments.begin(), m_instruments.end(),
        [&](const Instrument &i) { return i.id == block.instrumentId; });
    if (it == m_instruments.end())
        it = m_instruments.insert(m_instruments.end(), Instrument { block.instrumentId, {} });
    auto s = std::make_shared<TraceStream>(block.instrumentId, defaultInfo(block));
    it->streams.push_back(s);
    lock.unlock();
    bump(true);
    return s;
}

std::vector<std::shared_ptr<TraceStream>> TraceStore::allStreams() const
{
    std::shared_lock lock(m_registryMutex);
    std::vector<std::shared_ptr<TraceStream>> out;
    for (const auto &inst : m_instruments)
        out.insert(out.end(), inst.streams.begin(), inst.streams.end());
    return out;
}

void TraceStore::killLocked(TraceStream &stream)
{
    std::unique_lock lock(stream.mutex);
    m_bytes.fetch_add(stream.kill());
}

void TraceStore::setStreams(const QString &instrumentId, const QVector<StreamInfo> &streams)
{
    {
        std::unique_lock lock(m_registryMutex);
        auto it = std::find_if(m_instruments.begin(), m_instruments.end(),
            [&](const Instrument &i) { return i.id == instrumentId; });
        if (it == m_instruments.end())
            it = m_instruments.insert(m_instruments.end(), Instrument { instrumentId, {} });
        std::vector<std::shared_ptr<TraceStream>> kept;
        for (const StreamInfo &info : streams) {
            auto old = std::find_if(it->streams.begin(), it->streams.end(), [&](const auto &s) {
                return s && s->info.id == info.id && s->channelCount() == info.channels.size();
            });
            if (old != it->streams.end()) {
                (*old)->info = info;
                {
                    // Its data keeps the old formats (their own chunks); new blocks use these.
                    std::unique_lock streamLock((*old)->mutex);
                    (*old)->setFormats(info.formats());
                }
                kept.push_back(std::move(*old));
            } else {
                kept.push_back(std::make_shared<TraceStream>(instrumentId, info));
            }
        }
        for (const auto &s : it->streams) {
            if (s)
                killLocked(*s);
        }
        it->streams = std::move(kept);
    }
    bump(true);
}

std::size_t TraceStore::chunkRowsFor(double rowBytes) const
{
    // Aim for ~32 chunks per budget so eviction is fine-grained; 64..65536 rows per chunk.
    const double target = double(m_budget.load(std::memory_order_relaxed)) / 32.0;
    std::size_t rows = 64;
    while (rows < 65536 && double(rows * 2) * rowBytes <= target)
        rows *= 2;
    return rows;
}

void TraceStore::consume(const SampleBlockPtr &block)
{
    if (!block)
        return;
    if (block->sampleCount == 0) {
        // A marker (end of capture, a loss reported between blocks): readers see a gap there.
        if (block->flags != SampleBlock::NoFlags || block->lostBefore > 0) {
            if (const auto s = find(block->instrumentId, block->streamId)) {
                std::unique_lock lock(s->mutex);
                if (!s->isDead())
                    s->noteMarker(*block);
            }
        }
        return;
    }
    if (!isWellFormed(*block)) {
        m_rejectedBlocks.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const auto stream = findOrDeclare(*block);
    {
        std::unique_lock lock(stream->mutex);
        if (stream->isDead())
            return;
        QString why;
        if (!stream->accepts(*block, &why)) {
            // A producer bug (the formats must be re-announced first): refused, counted, reported.
            m_rejectedBlocks.fetch_add(1, std::memory_order_relaxed);
            if (stream->firstRefusal())
                qWarning("TraceStore: refusing blocks of %s/%s: %s (further refusals only counted)",
                    qPrintable(block->instrumentId), qPrintable(block->streamId), qPrintable(why));
            return;
        }
        m_bytes.fetch_add(stream->append(*block, chunkRowsFor(stream->rowBytes())));
    }
    bump();
    if (quint64(std::max<std::int64_t>(m_bytes.load(), 0)) > m_budget.load())
        evictToBudget();
}

void TraceStore::evictToBudget()
{
    std::lock_guard guard(m_evictMutex);
    const auto streams = allStreams();
    bool evicted = false;
    while (m_bytes.load() > std::int64_t(m_budget.load())) {
        // The chunk whose newest sample is oldest, across the whole store.
        TraceStream *oldest = nullptr;
        double oldestTime = std::numeric_limits<double>::infinity();
        for (const auto &s : streams) {
            std::shared_lock lock(s->mutex);
            if (s->isDead() || s->isEmpty())
                continue;
            const double t = s->oldestChunkLastTime();
            if (!oldest || t < oldestTime) {
                oldest = s.get();
                oldestTime = t;
            }
        }
        if (!oldest)
            break;
        std::unique_lock lock(oldest->mutex);
        std::size_t rows = 0;
        m_bytes.fetch_sub(std::int64_t(oldest->evictOldest(rows)));
        m_evictedSamples.fetch_add(
            quint64(rows) * quint64(oldest->channelCount()), std::memory_order_relaxed);
        evicted = evicted || rows > 0;
    }
    if (evicted)
        bump();
}

void TraceStore::clear()
{
    for (const auto &s : allStreams()) {
        std::unique_lock lock(s->mutex);
        m_bytes.fetch_sub(std::int64_t(s->clear()));
    }
    m_evictedSamples.store(0);
    m_rejectedBlocks.store(0);
    bump();
}

void TraceStore::removeInstrument(const QString &instrumentId)
{
    {
        std::unique_lock lock(m_registryMutex);
        auto it = std::find_if(m_instruments.begin(), m_instruments.end(),
            [&](const Instrument &i) { return i.id == instrumentId; });
        if (it == m_instruments.end())
            return;
        for (const auto &s : it->streams)
            killLocked(*s);
        m_instruments.erase(it);
    }
    bump(true);
}

void TraceStore::setMemoryBudget(quint64 bytes)
{
    m_budget.store(std::min<quint64>(bytes, quint64(std::numeric_limits<std::int64_t>::max())));
    evictToBudget();
}

quint64 TraceStore::memoryBudget() const
{
    return m_budget.load();
}

quint64 TraceStore::revision() const
{
    return m_revision.load(std::memory_order_acquire);
}

quint64 TraceStore::layoutRevision() const
{
    return m_layoutRevision.load(std::memory_order_acquire);
}

QStringList TraceStore::instruments() const
{
    std::shared_lock lock(m_registryMutex);
    QStringList out;
    for (const auto &inst : m_instruments)
        out << inst.id;
    return out;
}

QVector<ChannelKey> TraceStore::channels() const
{
    std::shared_lock lock(m_registryMutex);
    QVector<ChannelKey> out;
    for (const auto &inst : m_instruments) {
        for (const auto &s : inst.streams) {
            for (int ch = 0; ch < s->channelCount(); ++ch)
                out.push_back(ChannelKey { inst.id, s->info.id, ch });
        }
    }
    return out;
}

std::optional<ChannelInfo> TraceStore::channelInfo(const ChannelKey &key) const
{
    std::shared_lock lock(m_registryMutex);
    const auto s = findLocked(key.instrumentId, key.streamId);
    if (!s || key.channel < 0 || key.channel >= s->info.channels.size())
        return std::nullopt;
    return s->info.channels.at(key.channel);
}

QVector<StreamInfo> TraceStore::streams(const QString &instrumentId) const
{
    std::shared_lock lock(m_registryMutex);
    QVector<StreamInfo> out;
    for (const auto &inst : m_instruments) {
        if (inst.id == instrumentId) {
            for (const auto &s : inst.streams)
                out.push_back(s->info);
        }
    }
    return out;
}

TimeRange TraceStore::timeRange(const QString &instrumentId, const QString &streamId) const
{
    const auto s = find(instrumentId, streamId);
    if (!s)
        return {};
    std::shared_lock lock(s->mutex);
    return s->timeRange();
}

TimeRange TraceStore::timeRange(const ChannelKey &key) const
{
    return timeRange(key.instrumentId, key.streamId);
}

TimeRange TraceStore::timeRange() const
{
    TimeRange all;
    for (const auto &s : allStreams()) {
        std::shared_lock lock(s->mutex);
        const TimeRange r = s->timeRange();
        if (!r.valid)
            continue;
        all.first = all.valid ? std::min(all.first, r.first) : r.first;
        all.last = all.valid ? std::max(all.last, r.last) : r.last;
        all.valid = true;
    }
    return all;
}

std::optional<double> TraceStore::latestValue(const ChannelKey &key) const
{
    const auto s = find(key.instrumentId, key.streamId);
    if (!s)
        return std::nullopt;
    std::shared_lock lock(s->mutex);
    return s->latestValue(key.channel);
}

Envelope TraceStore::envelope(const ChannelKey &key, double tFrom, double tTo, int columns) const
{
    const auto s = find(key.instrumentId, key.streamId);
    if (!s)
        return {};
    std::shared_lock lock(s->mutex);
    return s->envelope(key.channel, tFrom, tTo, columns);
}

std::vector<TraceGap> TraceStore::gaps(const ChannelKey &key, double tFrom, double tTo, int maxCount) const
{
    const auto s = find(key.instrumentId, key.streamId);
    if (!s || key.channel < 0 || key.channel >= s->channelCount())
        return {};
    std::shared_lock lock(s->mutex);
    return s->gaps(tFrom, tTo, maxCount);
}

TraceStore::Stats TraceStore::stats() const
{
    Stats st;
    for (const auto &s : allStreams()) {
        std::shared_lock lock(s->mutex);
        st.rowsHeld += s->rowsHeld();
        st.samplesHeld += s->rowsHeld() * quint64(s->channelCount());
    }
    st.bytesUsed = quint64(std::max<std::int64_t>(m_bytes.load(), 0));
    st.memoryBudget = m_budget.load();
    st.evictedSamples = m_evictedSamples.load();
    st.rejectedBlocks = m_rejectedBlocks.load();
    return st;
}

void TraceStore::readRows(TraceStream &stream, int ch, SampleCursor &at, std::uint64_t end,
    const SamplePieceFn &piece, const SampleGapFn &gap, SampleReadStatus &status) const
{
    if (at.row >= end)
        return;
    // Bounded scratch: one piece at a time, whatever the range.
    const auto cap = std::size_t(std::min<std::uint64_t>(end - at.row, PieceRows));
    std::vector<double> times(cap), values(cap);
    while (at.row < end) {
        TraceStream::Piece p;
        bool missing = false;
        {
            std::shared_lock lock(stream.mutex);
            if (stream.isDead() || stream.epoch() != at.epoch) {
                status.restarted = true;
                break;
            }
            if (at.row < stream.firstRow()) {
                // Evicted before we got to it.
                status.lost += stream.firstRow() - at.row;
                at.row = stream.firstRow();
                missing = true;
            }
            if (at.row < end)
                p = stream.copyRows(ch, at.row, end, cap, times.data(), values.data());
        }
        // The lock is released: the callbacks may use the store, appends are not held up.
        if ((missing || p.breakBefore) && at.delivered) {
            if (gap)
                gap();
            at.delivered = false;
        }
        if (p.n == 0)
            break;
        piece(times.data(), values.data(), p.n);
        at.row += p.n;
        at.delivered = true;
        status.rows += p.n;
    }
}

SampleReadStatus TraceStore::readSamples(const ChannelKey &key, double tFrom, double tTo,
    const SamplePieceFn &piece, const SampleGapFn &gap) const
{
    SampleReadStatus status;
    const auto s = find(key.instrumentId, key.streamId);
    if (!s || key.channel < 0 || key.channel >= s->channelCount())
        return status;
    status.found = true;
    if (!(tFrom <= tTo) || !piece)
        return status;
    SampleCursor at;
    std::uint64_t end = 0;
    {
        std::shared_lock lock(s->mutex);
        at.epoch = s->epoch();
        at.row = s->rowAt(tFrom);
        end = s->rowAfter(tTo);
    }
    readRows(*s, key.channel, at, end, piece, gap, status);
    return status;
}

SampleCursor TraceStore::cursorAt(const ChannelKey &key, double t) const
{
    SampleCursor c;
    const auto s = find(key.instrumentId, key.streamId);
    if (!s)
        return c;
    std::shared_lock lock(s->mutex);
    c.epoch = s->epoch();
    c.row = std::isnan(t) ? s->firstRow() : s->rowAt(t);
    return c;
}

SampleReadStatus TraceStore::readNew(const ChannelKey &key, SampleCursor &cursor,
    const SamplePieceFn &piece, const SampleGapFn &gap, std::uint64_t maxRows) const
{
    SampleReadStatus status;
    const auto s = find(key.instrumentId, key.streamId);
    if (!s || key.channel < 0 || key.channel >= s->channelCount() || !piece)
        return status;
    status.found = true;
    std::uint64_t end = 0;
    {
        std::shared_lock lock(s->mutex);
        if (cursor.epoch != s->epoch()) {
            status.restarted = cursor.epoch != 0;
            cursor.epoch = s->epoch();
            cursor.row = s->firstRow();
        }
        status.behind = s->endRow() - std::min(s->endRow(), cursor.row);
        end = s->endRow();
        if (cursor.row < end && end - cursor.row > maxRows)
            end = cursor.row + maxRows;
    }
    if (status.restarted) {
        // Reported by a call that delivers nothing, so the caller can start over before the new
        // data comes.
        if (cursor.delivered && gap)
            gap();
        cursor.delivered = false;
        return status;
    }
    readRows(*s, key.channel, cursor, end, piece, gap, status);
    {
        std::shared_lock lock(s->mutex);
        status.behind = s->epoch() == cursor.epoch && cursor.row < s->endRow()
            ? s->endRow() - std::max(cursor.row, s->firstRow())
            : 0;
    }
    return status;
}

} // namespace bs
