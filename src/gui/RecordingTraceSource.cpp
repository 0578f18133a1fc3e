// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingTraceSource.h"

#include <SampleBlock.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::RecordingTraceSource", text);
}

std::uint8_t gapKindsOf(const QString &kind)
{
    if (kind == QLatin1String("index_gap"))
        return GapIndexJump;
    if (kind == QLatin1String("queue_overflow") || kind == QLatin1String("device_lost")
        || kind == QLatin1String("device_overflow") || kind == QLatin1String("format_mismatch"))
        return GapDeviceLoss;
    return GapNewCapture; // a Run/Stop, an outage, a capture boundary or a jump in time
}

QString streamIndexKey(const QString &instrument, const QString &stream)
{
    return instrument + QLatin1Char('/') + stream;
}

/// Merges `in` (time order) into at most maxCount entries by bins of [tFrom, tTo) on their end
/// times, as TraceStore::gaps() does.
std::vector<TraceGap> mergeInBins(std::vector<TraceGap> in, double tFrom, double tTo, int maxCount)
{
    if (maxCount <= 0)
        return {};
    if (in.size() <= std::size_t(maxCount))
        return in;
    std::vector<TraceGap> out;
    int lastBin = -1;
    for (const TraceGap &g : in) {
        int bin = int(std::floor((g.end - tFrom) / (tTo - tFrom) * maxCount));
        bin = std::clamp(bin, 0, maxCount - 1);
        if (bin == lastBin && !out.empty()) {
            TraceGap &m = out.back();
            m.end = g.end;
            m.lost += g.lost;
            m.lostKnown = m.lostKnown && g.lostKnown;
            m.kinds |= g.kinds;
            m.count += g.count;
        } else {
            out.push_back(g);
            lastBin = bin;
        }
    }
    return out;
}
} // namespace

std::unique_ptr<RecordingTraceSource> RecordingTraceSource::open(
    const QString &path, const OverviewProgressFn &progress, QString *error)
{
    std::unique_ptr<RecordingTraceSource> s(new RecordingTraceSource);
    s->m_path = path;
    const QFileInfo info(path);
    const bool csv = info.isDir() || info.suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
    if (csv) {
        std::unique_ptr<RecordingSource> source = RecordingSource::open(path, error);
        if (!source)
            return {};
        s->m_format = source->format();
        s->m_streams = source->streams();
        s->m_notes = source->warnings();
        if (!s->loadCsv(*source, progress, error))
            return {};
    } else {
        auto browser = std::make_unique<Hdf5Browser>();
        if (!browser->open(path, error))
            return {};
        s->m_format = QStringLiteral("hdf5");
        s->m_streams = browser->streams();
        quint64 missing = 0;
        for (int i = 0; i < s->m_streams.size(); ++i)
            missing += browser->rowsWithoutOverview(i);
        if (missing > 0) {
            bool stored = false;
            QString why;
            if (!browser->buildOverview(progress, true, &stored, &why)) {
                if (error)
                    *error = why;
                return {};
            }
            s->m_notes << (stored ? tr("The min/max overview for browsing (%1 rows lacked one) was built and "
                                       "stored in the file, so it opens at once next time.")
                                        .arg(missing)
                                  : tr("The min/max overview for browsing (%1 rows lacked one) was built and "
                                       "kept in memory: the file could not be written.")
                                        .arg(missing));
        }
        s->m_browser = std::move(browser);
    }
    for (int i = 0; i < s->m_streams.size(); ++i) {
        const RecordingStreamInfo &st = s->m_streams[i];
        s->m_streamIndex.insert(streamIndexKey(st.header.instrumentId, st.streamKey()), i);
        for (int c = 0; c < st.channels.size(); ++c)
            s->m_keys.append(ChannelKey { st.header.instrumentId, st.streamKey(), c });
    }
    return s;
}

bool RecordingTraceSource::loadCsv(RecordingSource &source, const OverviewProgressFn &progress, QString *error)
{
    m_memory = std::make_unique<TraceStore>();
    QHash<QString, QVector<StreamInfo>> declared;
    QStringList order;
    quint64 total = 0;
    for (const RecordingStreamInfo &st : m_streams) {
        StreamInfo si;
        si.id = st.streamKey();
        si.name = st.header.streamName.isEmpty() ? si.id : st.header.streamName;
        for (const RecordingChannel &c : st.channels) {
            ChannelInfo ci;
            ci.name = c.name;
            ci.unit = c.unit;
            si.channels.append(ci);
        }
        if (!declared.contains(st.header.instrumentId))
            order.append(st.header.instrumentId);
        declared[st.header.instrumentId].append(si);
        total += st.rows;
    }
    for (const QString &instrument : order)
        m_memory->setStreams(instrument, declared.value(instrument));

    quint64 done = 0;
    for (int i = 0; i < m_streams.size(); ++i) {
        const RecordingStreamInfo &st = m_streams[i];
        const int n = int(st.channels.size());
        QList<int> all;
        for (int c = 0; c < n; ++c)
            all.append(c);
        std::uint64_t index = 0;
        bool cancelled = false;
        const bool ok = source.read(i, all, -INFINITY, INFINITY, [&](const RecordingPiece &p) {
            MutableSampleBlockPtr b = SampleBlock::make(st.header.instrumentId, st.streamKey(), n, p.rows, true);
            b->firstIndex = index;
            b->times.assign(p.times, p.times + p.rows);
            b->t0 = p.times[0];
            for (int c = 0; c < n; ++c)
                std::copy(p.values[std::size_t(c)], p.values[std::size_t(c)] + p.rows, b->channel(c));
            if (p.gapBefore)
                b->flags |= SampleBlock::DataLost; // the picture breaks here
            index += p.rows;
            m_memory->consume(b);
            done += p.rows;
            if (progress && total && !progress(double(done) / double(total))) {
                cancelled = true;
                return false;
            }
            return true;
        }, error);
        if (!ok)
            return false;
        if (cancelled) {
            if (error)
                *error = tr("Opening %1 was cancelled").arg(QDir::toNativeSeparators(m_path));
            return false;
        }
    }
    const TraceStore::Stats stats = m_memory->stats();
    if (stats.evictedSamples > 0)
        m_notes << tr("This CSV recording holds more than the %1 MiB kept for browsing: its oldest %2 values are "
                      "not shown (an HDF5 recording has no such limit).")
                       .arg(stats.memoryBudget >> 20)
                       .arg(stats.evictedSamples);
    return true;
}

QString RecordingTraceSource::lastError() const
{
    const std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

void RecordingTraceSource::fail(const QString &error) const
{
    const std::lock_guard lock(m_errorMutex);
    m_lastError = error;
}

int RecordingTraceSource::streamOf(const ChannelKey &key) const
{
    return m_streamIndex.value(streamIndexKey(key.instrumentId, key.streamId), -1);
}

bool RecordingTraceSource::validChannel(const ChannelKey &key) const
{
    const int s = streamOf(key);
    return s >= 0 && key.channel >= 0 && key.channel < m_streams[s].channels.size();
}

std::optional<ChannelInfo> RecordingTraceSource::channelInfo(const ChannelKey &key) const
{
    if (!validChannel(key))
        return std::nullopt;
    const RecordingChannel &c = m_streams[streamOf(key)].channels[key.channel];
    ChannelInfo info;
    info.name = c.name;
    info.unit = c.unit;
    return info;
}

TimeRange RecordingTraceSource::timeRange(const ChannelKey &key) const
{
    if (m_memory)
        return m_memory->timeRange(key);
    const int s = streamOf(key);
    if (s < 0)
        return {};
    const RecordingStreamInfo &st = m_streams[s];
    if (st.rows == 0 || !std::isfinite(st.firstTime) || !std::isfinite(st.lastTime))
        return {};
    return TimeRange { st.firstTime, st.lastTime, true };
}

TimeRange RecordingTraceSource::timeRange() const
{
    if (m_memory)
        return m_memory->timeRange();
    TimeRange all;
    for (const RecordingStreamInfo &st : m_streams) {
        if (st.rows == 0 || !std::isfinite(st.firstTime) || !std::isfinite(st.lastTime))
            continue;
        all.first = all.valid ? std::min(all.first, st.firstTime) : st.firstTime;
        all.last = all.valid ? std::max(all.last, st.lastTime) : st.lastTime;
        all.valid = true;
    }
    return all;
}

Envelope RecordingTraceSource::envelope(const ChannelKey &key, double tFrom, double tTo, int columns) const
{
    if (m_memory)
        return m_memory->envelope(key, tFrom, tTo, columns);
    Envelope out;
    if (!validChannel(key) || columns <= 0 || !(tFrom < tTo))
        return out;
    RecordingEnvelope e;
    QString error;
    {
        const std::lock_guard lock(m_pictureMutex);
        if (!m_browser->envelope(streamOf(key), key.channel, tFrom, tTo, columns, &e, &error)) {
            fail(error);
            return out;
        }
    }
    out.t = std::move(e.t);
    out.v = std::move(e.v);
    return out;
}

std::vector<TraceGap> RecordingTraceSource::gaps(const ChannelKey &key, double tFrom, double tTo, int maxCount) const
{
    const int s = streamOf(key);
    if (s < 0 || !(tFrom < tTo))
        return {};
    std::vector<TraceGap> in;
    for (const RecordingGap &g : m_streams[s].gaps) {
        if (!std::isfinite(g.start) || !std::isfinite(g.end) || g.end < tFrom || !(g.start < tTo))
            continue;
        TraceGap t;
        t.start = g.start;
        t.end = g.end;
        t.lost = g.lost;
        t.lostKnown = g.lost > 0;
        t.kinds = gapKindsOf(g.kind);
        in.push_back(t);
    }
    return mergeInBins(std::move(in), tFrom, tTo, maxCount);
}

SampleReadStatus RecordingTraceSource::readSamples(
    const ChannelKey &key, double tFrom, double tTo, const SamplePieceFn &piece, const SampleGapFn &gap) const
{
    if (m_memory)
        return m_memory->readSamples(key, tFrom, tTo, piece, gap);
    SampleReadStatus status;
    if (!validChannel(key))
        return status;
    status.found = true;
    const std::lock_guard lock(m_sampleMutex);
    QString error;
    if (!m_sampleReader) {
        m_sampleReader = RecordingSource::open(m_path, &error);
        if (!m_sampleReader) {
            fail(error);
            return status;
        }
    }
    const bool ok = m_sampleReader->read(streamOf(key), { key.channel }, tFrom, tTo, [&](const RecordingPiece &p) {
        if (p.gapBefore && gap)
            gap();
        piece(p.times, p.values[0], p.rows);
        status.rows += p.rows;
        return true;
    }, &error);
    if (!ok)
        fail(error);
    return status;
}

} // namespace bs
