// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5RecordingSource.h"

#include "CsvExport.h"

#include <algorithm>
#include <cstring>

namespace bs {

bool Hdf5RecordingSource::open(const QString &path, QString *error)
{
    m_path = path;
    if (!m_reader.open(path, error))
        return false;
    for (int i = 0; i < m_reader.streams().size(); ++i) {
        const Hdf5RecordingReader::Stream &s = m_reader.streams()[i];
        RecordingStreamInfo info;
        info.file = path;
        info.header = csvHeaderOf(m_reader, i); // the header a CSV recording of it has
        for (const Hdf5RecordingReader::Channel &c : s.channels)
            info.channels.append({ c.name, c.unit });
        info.regular = s.regular;
        info.rows = s.rows;
        info.events = s.events;
        info.markers = s.markers;
        if (s.rows
            && (!timeAt(i, 0, &info.firstTime, error) || !timeAt(i, s.rows - 1, &info.lastTime, error)))
            return false;
        if (!collectGaps(i, &info, error))
            return false;
        m_streams.append(info);
    }
    return true;
}

bool Hdf5RecordingSource::timeAt(int stream, quint64 row, double *t, QString *error) const
{
    const Hdf5RecordingReader::Stream &s = m_reader.streams()[stream];
    if (s.regular) {
        // The segment holding the row: the last one starting at or before it.
        const auto it = std::upper_bound(s.segments.begin(), s.segments.end(), row,
            [](quint64 r, const Segment &seg) { return r < seg.fileRow; });
        *t = it == s.segments.begin() ? NAN : segmentTime(*(it - 1), row);
        return true;
    }
    return m_reader.readTimes(stream, row, 1, t, error);
}

bool Hdf5RecordingSource::bound(
    int stream, double t, bool after, quint64 lo, quint64 hi, quint64 *row, QString *error) const
{
    if (std::isinf(t)) { // an open end: no search
        *row = t < 0 ? lo : hi;
        return true;
    }
    while (lo < hi) {
        const quint64 mid = lo + (hi - lo) / 2;
        double v = NAN;
        if (!timeAt(stream, mid, &v, error))
            return false;
        if (after ? v <= t : v < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    *row = lo;
    return true;
}

bool Hdf5RecordingSource::collectGaps(int stream, RecordingStreamInfo *info, QString *error) const
{
    const Hdf5RecordingReader::Stream &s = m_reader.streams()[stream];
    GapCollector gaps(s.rows);
    for (const LossEvent &e : s.events)
        gaps.addLoss(e);
    for (const MarkerEvent &m : s.markers)
        gaps.addMarker(m);
    if (s.regular)
        for (std::size_t k = 1; k < s.segments.size(); ++k) {
            const Segment &prev = s.segments[k - 1], &seg = s.segments[k];
            if (seg.fileRow > prev.fileRow && seg.fileRow < s.rows
                && isTimeJump(seg.t0 - segmentTime(prev, seg.fileRow - 1), prev.dt))
                gaps.addTimeJump(seg.fileRow);
        }
    info->gaps = gaps.take();
    for (RecordingGap &g : info->gaps) {
        if (g.row > 0 && !timeAt(stream, g.row - 1, &g.start, error))
            return false;
        if (g.row < s.rows && !timeAt(stream, g.row, &g.end, error))
            return false;
    }
    return true;
}

bool Hdf5RecordingSource::read(
    int stream, const QList<int> &channels, double from, double to, const PieceFn &fn, QString *error)
{
    const Hdf5RecordingReader::Stream &s = m_reader.streams()[stream];
    const RecordingStreamInfo &info = m_streams[stream];
    quint64 first = 0, end = 0;
    if (!(from <= to) || !bound(stream, from, false, &first, error) || !bound(stream, to, true, &end, error))
        return !(from <= to);
    // Rows where a piece must end: gaps (no piece spans them) and, for regular streams, segment
    // starts (one time resolution per piece).
    std::vector<quint64> cuts;
    for (const RecordingGap &g : info.gaps)
        cuts.push_back(g.row);
    if (s.regular)
        for (const Segment &seg : s.segments)
            cuts.push_back(seg.fileRow);
    std::sort(cuts.begin(), cuts.end());
    auto gapAt = [&info](quint64 row) {
        const auto it = std::lower_bound(info.gaps.begin(), info.gaps.end(), row,
            [](const RecordingGap &g, quint64 r) { return g.row < r; });
        return it != info.gaps.end() && it->row == row;
    };

    RecordingPiece piece;
    const std::size_t n = std::size_t(channels.size());
    std::vector<std::vector<std::byte>> raw(n);
    std::vector<std::vector<double>> converted(n);
    std::vector<double> times;
    piece.raw.resize(n);
    piece.values.resize(n);
    for (quint64 row = first; row < end;) {
        quint64 stop = std::min<quint64>(end, row + PieceRows);
        const auto next = std::upper_bound(cuts.begin(), cuts.end(), row);
        if (next != cuts.end())
            stop = std::min(stop, *next);
        const std::size_t rows = std::size_t(stop - row);
        times.resize(rows);
        if (!m_reader.readTimes(stream, row, rows, times.data(), error))
            return false;
        for (std::size_t k = 0; k < n; ++k) {
            const int c = channels[int(k)];
            const SampleFormat &f = s.channels[c].format;
            raw[k].resize(rows * sampleTypeSize(f.type));
            if (!m_reader.readRaw(stream, c, row, rows, raw[k].data(), error))
                return false;
            piece.raw[k] = { raw[k].data(), f };
            if (f.isPlainDouble()) {
                piece.values[k] = reinterpret_cast<const double *>(raw[k].data());
            } else {
                converted[k].resize(rows);
                visitSampleType(f.type, [&](auto tag) {
                    using T = decltype(tag);
                    for (std::size_t i = 0; i < rows; ++i) {
                        T v;
                        std::memcpy(&v, raw[k].data() + i * sizeof(T), sizeof(T));
                        converted[k][i] = f.toValue(v);
                    }
                });
                piece.values[k] = converted[k].data();
            }
        }
        double dt = 0;
        if (s.regular) {
            const auto seg = std::upper_bound(s.segments.begin(), s.segments.end(), row,
                [](quint64 r, const Segment &g) { return r < g.fileRow; });
            dt = seg == s.segments.begin() ? 0 : (seg - 1)->dt;
        }
        piece.firstRow = row;
        piece.rows = rows;
        piece.gapBefore = row > first && gapAt(row);
        piece.times = times.data();
        piece.timeResolution = csv::timeResolution(dt);
        if (!fn(piece))
            return true;
        row = stop;
    }
    return true;
}

} // namespace bs
