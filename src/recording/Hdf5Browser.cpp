// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Browser.h"

#include "Hdf5Overview.h"
#include "OverviewAccumulator.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>
#include <cmath>

namespace bs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::Hdf5Browser", text);
}

constexpr quint64 Bucket = OverviewAccumulator::BucketRows;
constexpr quint64 Fanout = OverviewAccumulator::Fanout;
/// Rows read at a time when building an overview (a multiple of Bucket).
constexpr quint64 PassRows = 64 * Bucket;

/// Left edge of column c of [tFrom, tTo) (src/display's columnEdge(), repeated: no dependency).
double edgeOf(double tFrom, double tTo, int columns, int c)
{
    if (c >= columns)
        return tTo;
    const double e = tFrom + (tTo - tFrom) * double(c) / double(columns);
    return e < tTo ? e : tTo;
}

/// One piece of the answer, its values read afterwards in one go where they are not known yet.
struct Item
{
    enum Kind { Point, Break, Column } kind = Point;
    quint64 first = 0, last = 0, n = 0; ///< rows (Point: first)
    double tFirst = NAN, tLast = NAN;
    double vFirst = NAN, vLast = NAN;
    bool valuesKnown = false;
    double min = INFINITY, max = -INFINITY;
};

void emitItem(RecordingEnvelope &e, const Item &it)
{
    auto add = [&e](double t, double v) {
        e.t.push_back(t);
        e.v.push_back(v);
    };
    switch (it.kind) {
    case Item::Break:
        add(it.tFirst, NAN);
        break;
    case Item::Point:
        if (!std::isnan(it.vFirst))
            add(it.tFirst, it.vFirst);
        break;
    case Item::Column:
        if (it.n <= 2) {
            if (!std::isnan(it.vFirst))
                add(it.tFirst, it.vFirst);
            if (it.n == 2 && !std::isnan(it.vLast))
                add(it.tLast, it.vLast);
        } else if (it.min <= it.max) {
            const bool maxFirst = it.vFirst > it.vLast; // follow the column's trend
            add(it.tFirst, maxFirst ? it.max : it.min);
            add(it.tLast, maxFirst ? it.min : it.max);
        }
        break;
    }
}

} // namespace

bool Hdf5Browser::open(const QString &path, QString *error)
{
    m_path = path;
    m_overviews.clear();
    m_source = std::make_unique<Hdf5RecordingSource>();
    if (!m_source->open(path, error))
        return false;
    m_overviews.resize(std::size_t(m_source->streams().size()));
    return true;
}

bool Hdf5Browser::loadStored(int stream, QString *error)
{
    Overview &o = m_overviews[std::size_t(stream)];
    if (o.loaded)
        return true;
    const Hdf5RecordingReader::Stream &s = m_source->reader().streams()[stream];
    std::vector<double> level0;
    bool present = false;
    if (!m_source->reader().readOverviewLevel(stream, 0, &level0, &present, error))
        return false;
    const std::size_t width = 2 * std::size_t(std::max<qsizetype>(s.channels.size(), 1));
    quint64 nodes = present ? level0.size() / width : 0;
    // Only nodes within the rows (a crash leaves complete ones: nodes × Bucket ≤ rows).
    nodes = std::min<quint64>(nodes, (s.rows + Bucket - 1) / Bucket);
    level0.resize(std::size_t(nodes) * width);
    o.covered = std::min<quint64>(nodes * Bucket, s.rows);
    if (o.covered < s.rows && nodes * Bucket > s.rows)
        o.covered = s.rows;
    if (o.covered < s.rows && o.covered % Bucket) { // not on a node boundary: rebuild from there
        level0.resize(level0.size() - width);
        o.covered = o.covered / Bucket * Bucket;
    }
    o.levels.assign(1, std::move(level0));
    o.inFile = o.covered;
    o.loaded = true;
    return true;
}

quint64 Hdf5Browser::rowsWithoutOverview(int stream)
{
    if (!m_source || stream < 0 || stream >= streams().size() || !loadStored(stream, nullptr))
        return 0;
    return m_source->reader().streams()[stream].rows - m_overviews[std::size_t(stream)].inFile;
}

bool Hdf5Browser::complete(
    int stream, const OverviewProgressFn &progress, quint64 done, quint64 total, bool *cancelled, QString *error)
{
    Overview &o = m_overviews[std::size_t(stream)];
    const Hdf5RecordingReader &r = m_source->reader();
    const Hdf5RecordingReader::Stream &s = r.streams()[stream];
    const int channels = int(s.channels.size());
    if (o.covered < s.rows) {
        std::vector<SampleFormat> formats;
        for (const Hdf5RecordingReader::Channel &c : s.channels)
            formats.push_back(c.format);
        OverviewAccumulator acc(formats, 1);
        std::vector<std::vector<std::byte>> raw(static_cast<std::size_t>(channels));
        std::vector<const std::byte *> ptr(static_cast<std::size_t>(channels));
        for (quint64 row = o.covered; row < s.rows;) {
            const quint64 n = std::min(PassRows, s.rows - row);
            for (int c = 0; c < channels; ++c) {
                raw[std::size_t(c)].resize(std::size_t(n) * sampleTypeSize(formats[std::size_t(c)].type));
                if (!r.readRaw(stream, c, row, n, raw[std::size_t(c)].data(), error))
                    return false;
                ptr[std::size_t(c)] = raw[std::size_t(c)].data();
            }
            acc.add(ptr.data(), std::size_t(n));
            row += n;
            if (progress && !progress(double(done + row - o.covered) / double(std::max<quint64>(total, 1)))) {
                *cancelled = true;
                return false;
            }
        }
        acc.finish();
        std::vector<double> &level0 = o.levels.front();
        level0.insert(level0.end(), acc.pending(0).begin(), acc.pending(0).end());
        o.covered = s.rows;
    }
    o.levels.resize(1);
    while (o.levels.back().size() > 2 * std::size_t(std::max(channels, 1)))
        o.levels.push_back(OverviewAccumulator::coarser(o.levels.back(), channels));
    return true;
}

bool Hdf5Browser::buildOverview(const OverviewProgressFn &progress, bool store, bool *stored, QString *error)
{
    if (stored)
        *stored = false;
    if (!m_source)
        return false;
    quint64 total = 0, notInFile = 0;
    std::vector<quint64> missing;
    for (int i = 0; i < streams().size(); ++i) {
        if (!loadStored(i, error))
            return false;
        missing.push_back(m_source->reader().streams()[i].rows - m_overviews[std::size_t(i)].covered);
        total += missing.back();
        notInFile += rowsWithoutOverview(i);
    }
    quint64 done = 0;
    bool cancelled = false;
    for (int i = 0; i < streams().size(); ++i) {
        if (!complete(i, progress, done, total, &cancelled, error)) {
            if (cancelled) { // forget the half-built overviews
                for (Overview &o : m_overviews)
                    o = Overview();
                if (error)
                    *error = tr("Building the overview of %1 was cancelled").arg(QDir::toNativeSeparators(m_path));
            }
            return false;
        }
        done += missing[std::size_t(i)];
    }
    if (progress && total == 0)
        progress(1.0);
    if (!store || notInFile == 0)
        return true;
    return storeAll(stored, error);
}

bool Hdf5Browser::storeAll(bool *stored, QString *error)
{
    // HDF5 cannot open a file for writing while it is open for reading: close it, write, reopen.
    std::vector<Overview> overviews = std::move(m_overviews);
    QList<QString> groups;
    QList<int> channels;
    for (const Hdf5RecordingReader::Stream &s : m_source->reader().streams()) {
        groups << s.group;
        channels << int(s.channels.size());
    }
    m_source.reset();
    bool ok = false;
    {
        h5::Lock lock;
        h5::Id f = h5::file(H5Fopen(m_path.toLocal8Bit().constData(), H5F_ACC_RDWR, H5P_DEFAULT));
        ok = f.valid();
        for (int i = 0; ok && i < groups.size(); ++i) {
            h5::Id g = h5::group(H5Gopen2(f.get(), groups[i].toUtf8().constData(), H5P_DEFAULT));
            ok = h5::check(g.valid());
            if (ok && H5Lexists(g.get(), h5::OverviewGroup, H5P_DEFAULT) > 0)
                ok = h5::check(H5Ldelete(g.get(), h5::OverviewGroup, H5P_DEFAULT) >= 0);
            h5::Id og;
            std::vector<h5::Id> levels;
            ok = ok && h5::createOverview(g.get(), channels[i], &og, &levels);
            std::vector<double> level = overviews[std::size_t(i)].levels.front();
            for (int k = 0; ok && k < int(levels.size()); ++k) {
                hsize_t written = 0;
                if (k > 0)
                    level = OverviewAccumulator::coarser(level, channels[i]);
                ok = h5::appendOverviewNodes(levels[std::size_t(k)].get(), channels[i], &written, level);
            }
            ok = ok && h5::writeAttribute(og.get(), "complete", quint64(1));
        }
        ok = f.valid() && h5::check(f.close()) && ok;
        const QString why = h5::errorText();
        if (!ok)
            qWarning("storing the overview failed: %s", qPrintable(why));
    }
    if (!open(m_path, error))
        return false;
    for (std::size_t i = 0; ok && i < overviews.size(); ++i)
        overviews[i].inFile = overviews[i].covered;
    m_overviews = std::move(overviews); // what was built, whether stored or not
    if (stored)
        *stored = ok;
    return true;
}

Hdf5Browser::MinMax Hdf5Browser::nodes(int stream, int channel, quint64 from, quint64 to) const
{
    // Level-0 node indices [from, to): walk up, scanning the ragged ends at each level.
    const Overview &o = m_overviews[std::size_t(stream)];
    const std::size_t width = 2 * std::size_t(m_source->reader().streams()[stream].channels.size());
    MinMax out;
    auto scan = [&](std::size_t level, quint64 a, quint64 b) {
        const std::vector<double> &l = o.levels[level];
        for (quint64 i = a; i < b; ++i)
            out.add(l[std::size_t(i) * width + 2 * std::size_t(channel)],
                l[std::size_t(i) * width + 2 * std::size_t(channel) + 1]);
    };
    std::size_t level = 0;
    for (;;) {
        const quint64 alignedFrom = (from + Fanout - 1) / Fanout * Fanout;
        const quint64 alignedTo = to / Fanout * Fanout;
        if (level + 1 >= o.levels.size() || alignedFrom >= alignedTo) {
            scan(level, from, to);
            return out;
        }
        scan(level, from, alignedFrom);
        scan(level, alignedTo, to);
        from = alignedFrom / Fanout;
        to = alignedTo / Fanout;
        ++level;
    }
}

bool Hdf5Browser::range(int stream, int channel, quint64 lo, quint64 hi, MinMax *out, QString *error)
{
    // Whole level-0 nodes inside from the overview; the ragged ends read only when the node
    // holding them reaches beyond what the rest already gives.
    const quint64 a = (lo + Bucket - 1) / Bucket * Bucket, b = hi / Bucket * Bucket;
    std::vector<std::pair<quint64, quint64>> parts;
    if (a < b) {
        *out = nodes(stream, channel, a / Bucket, b / Bucket);
        parts = { { lo, a }, { b, hi } };
    } else if (lo / Bucket == (hi - 1) / Bucket) {
        parts = { { lo, hi } };
    } else {
        parts = { { lo, a }, { a, hi } };
    }
    const std::vector<double> &level0 = m_overviews[std::size_t(stream)].levels.front();
    const std::size_t width = 2 * std::size_t(m_source->reader().streams()[stream].channels.size());
    for (const auto &[from, to] : parts) {
        if (from >= to)
            continue;
        const std::size_t at = std::size_t(from / Bucket) * width + 2 * std::size_t(channel);
        if (out->valid() && level0[at] >= out->min && level0[at + 1] <= out->max)
            continue; // nothing in that node lies outside
        m_scratch.resize(std::size_t(to - from));
        if (!m_source->reader().readValues(stream, channel, from, to - from, m_scratch.data(), error))
            return false;
        m_rowsRead += to - from;
        for (double v : m_scratch)
            out->add(v, v);
    }
    return true;
}

bool Hdf5Browser::envelope(
    int stream, int channel, double tFrom, double tTo, int columns, RecordingEnvelope *out, QString *error)
{
    out->t.clear();
    out->v.clear();
    m_rowsRead = 0;
    if (!m_source || stream < 0 || stream >= streams().size() || channel < 0
        || channel >= streams()[stream].channels.size() || columns <= 0 || !(tFrom < tTo)) {
        if (error)
            *error = tr("Internal error: no stream %1 channel %2, or an empty window").arg(stream).arg(channel);
        return false;
    }
    const Hdf5RecordingReader &r = m_source->reader();
    const quint64 rows = r.streams()[stream].rows;
    if (rows == 0)
        return true;
    bool cancelled = false;
    if (!loadStored(stream, error)
        || (m_overviews[std::size_t(stream)].levels.size() <= 1 && !complete(stream, {}, 0, 0, &cancelled, error))
        || (m_overviews[std::size_t(stream)].covered < rows && !complete(stream, {}, 0, 0, &cancelled, error)))
        return false;
    quint64 lo = 0, end = 0;
    if (!m_source->bound(stream, tFrom, false, 0, rows, &lo, error)
        || !m_source->bound(stream, tTo, false, lo, rows, &end, error))
        return false;
    const quint64 first = lo > 0 ? lo - 1 : lo, last = end < rows ? end + 1 : end;
    std::vector<quint64> breaks; // rows with a gap before them, inside (first, last)
    for (const RecordingGap &g : streams()[stream].gaps)
        if (g.row > first && g.row < last)
            breaks.push_back(g.row);
    breaks.push_back(last);

    // Few rows in the window: read them all and scan (as TraceStore does below 4 per column).
    const bool scanAll = end - lo <= std::max<quint64>(4 * quint64(columns), m_scanRows);
    std::vector<Item> items;
    auto timeOf = [&](quint64 row, double *t) { return m_source->timeAt(stream, row, t, error); };
    quint64 a = first;
    for (const quint64 b : breaks) {
        if (a > first) { // a gap lies before row a
            double t0 = NAN, t1 = NAN;
            if (!timeOf(a - 1, &t0) || !timeOf(a, &t1))
                return false;
            Item gap;
            gap.kind = Item::Break;
            gap.tFirst = 0.5 * (t0 + t1);
            items.push_back(gap);
        }
        quint64 from = a;
        if (from < lo) { // the last sample before the window
            Item p;
            p.first = from;
            if (!timeOf(from, &p.tFirst))
                return false;
            items.push_back(p);
            from = lo;
        }
        const quint64 to = std::min(b, end);
        if (from < to) {
            if (scanAll) {
                // Few rows: read them all and scan, as TraceStore does.
                std::vector<double> times(std::size_t(to - from)), values(std::size_t(to - from));
                if (!r.readTimes(stream, from, to - from, times.data(), error)
                    || !r.readValues(stream, channel, from, to - from, values.data(), error))
                    return false;
                m_rowsRead += to - from;
                Item col;
                col.kind = Item::Column;
                col.valuesKnown = true;
                int c = 0;
                double edge = edgeOf(tFrom, tTo, columns, 1);
                for (std::size_t i = 0; i < times.size(); ++i) {
                    const double t = times[i], v = values[i];
                    if (c < columns - 1 && !(t < edge)) {
                        if (col.n)
                            items.push_back(col);
                        col = Item();
                        col.kind = Item::Column;
                        col.valuesKnown = true;
                        while (c < columns - 1 && !(t < edge))
                            edge = edgeOf(tFrom, tTo, columns, ++c + 1);
                    }
                    if (!col.n) {
                        col.tFirst = t;
                        col.vFirst = v;
                    }
                    col.tLast = t;
                    col.vLast = v;
                    ++col.n;
                    if (v < col.min)
                        col.min = v;
                    if (v > col.max)
                        col.max = v;
                }
                if (col.n)
                    items.push_back(col);
            } else {
                // Many rows: per column two time searches and one overview query.
                std::vector<std::pair<quint64, quint64>> parts; // rows [first, end) of each column
                std::vector<double> firstTimes;
                quint64 cur = from;
                for (int c = 0; c < columns && cur < to; ++c) {
                    double tLo = NAN;
                    if (!timeOf(cur, &tLo))
                        return false;
                    const double edge = edgeOf(tFrom, tTo, columns, c + 1);
                    if (!(tLo < edge))
                        continue;
                    quint64 hi = to;
                    if (c < columns - 1 && !m_source->bound(stream, edge, false, cur, to, &hi, error))
                        return false;
                    parts.emplace_back(cur, hi);
                    firstTimes.push_back(tLo);
                    cur = hi;
                }
                // Zoomed out: an edge between two wide columns moves to the nearest node boundary
                // (each node to the column holding its middle); those columns need no raw reads.
                std::vector<bool> snapped(parts.size(), false);
                const quint64 snapRows = std::min(m_snapNodes, ~quint64(0) / Bucket) * Bucket;
                for (std::size_t k = 1; m_snapNodes > 0 && k < parts.size(); ++k) {
                    const quint64 edge = parts[k].first;
                    if (edge - parts[k - 1].first < snapRows || parts[k].second - edge < snapRows)
                        continue;
                    const quint64 moved = (edge + Bucket / 2) / Bucket * Bucket;
                    parts[k - 1].second = parts[k].first = moved;
                    snapped[k - 1] = snapped[k] = true;
                }
                const std::vector<double> &level0 = m_overviews[std::size_t(stream)].levels.front();
                const std::size_t width = 2 * std::size_t(r.streams()[stream].channels.size());
                auto middle = [&](quint64 row) {
                    const std::size_t at = std::size_t(row / Bucket) * width + 2 * std::size_t(channel);
                    return 0.5 * (level0[at] + level0[at + 1]);
                };
                for (std::size_t k = 0; k < parts.size(); ++k) {
                    const auto [lo0, hi0] = parts[k];
                    Item col;
                    col.kind = Item::Column;
                    col.first = lo0;
                    col.last = hi0 - 1;
                    col.n = hi0 - lo0;
                    col.tFirst = firstTimes[k];
                    if ((snapped[k] && !timeOf(lo0, &col.tFirst)) || !timeOf(hi0 - 1, &col.tLast))
                        return false;
                    if (col.n > 2) {
                        MinMax m;
                        if (!range(stream, channel, lo0, hi0, &m, error))
                            return false;
                        col.min = m.min;
                        col.max = m.max;
                    }
                    if (snapped[k]) { // the trend from the first and last node, not from two reads
                        col.valuesKnown = true;
                        col.vFirst = middle(lo0);
                        col.vLast = middle(hi0 - 1);
                    }
                    items.push_back(col);
                }
            }
        }
        if (b > end) { // the first sample at or after the window's end
            Item p;
            p.first = end;
            if (!timeOf(end, &p.tFirst))
                return false;
            items.push_back(p);
        }
        a = b;
    }
    // The values of single rows and column ends, in one read.
    std::vector<quint64> wanted;
    for (const Item &it : items)
        if (it.kind == Item::Point)
            wanted.push_back(it.first);
        else if (it.kind == Item::Column && !it.valuesKnown)
            wanted.insert(wanted.end(), { it.first, it.last });
    std::vector<double> values(wanted.size());
    if (!r.readValuesAt(stream, channel, wanted, values.data(), error))
        return false;
    std::size_t k = 0;
    for (Item &it : items) {
        if (it.kind == Item::Point)
            it.vFirst = values[k++];
        else if (it.kind == Item::Column && !it.valuesKnown) {
            it.vFirst = values[k++];
            it.vLast = values[k++];
        }
        emitItem(*out, it);
    }
    return true;
}

} // namespace bs
