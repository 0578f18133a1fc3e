// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Naive reference model and seeded block generator for the TraceStore tests.

#include <SampleBlock.h>
#include <StreamInfo.h>
#include <TraceTypes.h>

#include <QRandomGenerator>
#include <QString>

#include <cmath>
#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace bs::test {

/// Every sample ever appended to one stream, plain vectors, and where samples are missing.
struct RefStream
{
    std::vector<double> t;
    std::vector<std::vector<double>> v; // [channel][row]
    /// Rows preceded by missing samples (ascending) and what is known about them.
    std::vector<std::size_t> breaks;
    std::vector<TraceGap> breakInfo; // start/end/count unused

    explicit RefStream(int channels = 1)
        : v(std::size_t(channels))
    {
    }
    std::size_t size() const { return t.size(); }
    /// Any block, also a zero-row marker; the gap rules of src/display/README.md, written plainly.
    void add(const SampleBlock &b)
    {
        const std::uint64_t jump = m_indexKnown && b.firstIndex > m_next ? b.firstIndex - m_next : 0;
        std::uint8_t kinds = 0;
        if (b.lostBefore > 0 || (b.flags & SampleBlock::DataLost))
            kinds |= GapDeviceLoss;
        if (jump > 0)
            kinds |= GapIndexJump;
        if (m_indexKnown && (b.flags & SampleBlock::StartOfCapture))
            kinds |= GapNewCapture;
        if (kinds) {
            const std::uint64_t lost = std::max<std::uint64_t>(b.lostBefore, jump);
            note(lost, lost > 0 || !(b.flags & SampleBlock::DataLost), kinds);
        }
        m_next = b.endIndex();
        m_indexKnown = true;
        if (b.sampleCount > 0 && m_pending) {
            breaks.push_back(t.size());
            breakInfo.push_back(m_info);
            m_pending = false;
        }
        if (b.flags & SampleBlock::EndOfCapture)
            note(0, true, GapNewCapture);
        for (std::size_t i = 0; i < b.sampleCount; ++i)
            t.push_back(b.time(i));
        for (std::size_t ch = 0; ch < v.size(); ++ch) { // engineering values, any native type
            const std::size_t old = v[ch].size();
            v[ch].resize(old + b.sampleCount);
            if (b.sampleCount)
                b.toValues(int(ch), 0, b.sampleCount, v[ch].data() + old);
        }
    }
    /// First row whose time is >= t, by linear scan.
    std::size_t firstAtOrAfter(double time) const
    {
        std::size_t i = 0;
        while (i < t.size() && t[i] < time)
            ++i;
        return i;
    }
    /// Whether a break lies at a row r with a < r <= b.
    bool breakBetween(std::size_t a, std::size_t b) const
    {
        for (std::size_t r : breaks) {
            if (r > a && r <= b)
                return true;
        }
        return false;
    }

private:
    void note(std::uint64_t lost, bool known, std::uint8_t kinds)
    {
        if (!m_pending) {
            m_info = TraceGap { 0, 0, lost, known, kinds, 1 };
            m_pending = true;
            return;
        }
        m_info.lost += lost;
        m_info.lostKnown = m_info.lostKnown && known;
        m_info.kinds |= kinds;
    }
    std::uint64_t m_next = 0;
    bool m_indexKnown = false;
    bool m_pending = false;
    TraceGap m_info;
};

/// The documented envelope semantics, computed by one linear pass over rows [from, size): the
/// points, then a NaN (at the time of the point before) between two points with a break between
/// their rows, at most one per column.
inline Envelope naiveEnvelope(
    const RefStream &s, std::size_t from, int ch, double tFrom, double tTo, int columns)
{
    Envelope e;
    if (columns <= 0 || !(tFrom < tTo))
        return e;
    struct Point
    {
        double t, v;
        std::size_t row;
        int column;
    };
    std::vector<Point> points;
    const auto &v = s.v[std::size_t(ch)];
    auto add = [&](std::size_t i, int column) {
        if (!std::isnan(v[i]))
            points.push_back(Point { s.t[i], v[i], i, column });
    };
    std::size_t i = from;
    while (i < s.size() && s.t[i] < tFrom)
        ++i;
    if (i > from)
        add(i - 1, -1);
    for (int c = 0; c < columns; ++c) {
        const double hi = columnEdge(tFrom, tTo, columns, c + 1);
        const std::size_t first = i;
        double mn = std::numeric_limits<double>::infinity();
        double mx = -mn;
        bool any = false;
        for (; i < s.size() && s.t[i] < hi; ++i) {
            if (!std::isnan(v[i])) {
                any = true;
                mn = std::min(mn, v[i]);
                mx = std::max(mx, v[i]);
            }
        }
        const std::size_t n = i - first;
        if (n == 0)
            continue;
        if (n <= 2) {
            for (std::size_t k = first; k < i; ++k)
                add(k, c);
        } else if (any) {
            const bool maxFirst = v[first] > v[i - 1];
            points.push_back(Point { s.t[first], maxFirst ? mx : mn, first, c });
            points.push_back(Point { s.t[i - 1], maxFirst ? mn : mx, i - 1, c });
        }
    }
    while (i < s.size() && s.t[i] < tTo)
        ++i;
    if (i < s.size())
        add(i, columns);
    int brokenColumn = std::numeric_limits<int>::min();
    for (std::size_t k = 0; k < points.size(); ++k) {
        if (k > 0 && points[k].column != brokenColumn && s.breakBetween(points[k - 1].row, points[k].row)) {
            e.add(points[k - 1].t, std::numeric_limits<double>::quiet_NaN());
            brokenColumn = points[k].column;
        }
        e.add(points[k].t, points[k].v);
    }
    return e;
}

/// Bit-exact equality of two envelopes, a break (NaN) equal to a break.
inline bool sameEnvelope(const Envelope &a, const Envelope &b)
{
    if (a.t != b.t || a.v.size() != b.v.size())
        return false;
    for (std::size_t i = 0; i < a.v.size(); ++i) {
        if (!(a.v[i] == b.v[i] || (std::isnan(a.v[i]) && std::isnan(b.v[i]))))
            return false;
    }
    return true;
}

/// Where two envelopes first differ, for a failure message ("sizes 10 vs 12; first difference at 3
/// got (t, v) want (t, v)"); a break (NaN) equals a break.
inline QString envelopeDifference(const Envelope &a, const Envelope &b)
{
    QString out = QStringLiteral("sizes %1 vs %2").arg(a.size()).arg(b.size());
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        const bool same = i < a.size() && i < b.size() && a.t[i] == b.t[i]
            && (a.v[i] == b.v[i] || (std::isnan(a.v[i]) && std::isnan(b.v[i])));
        if (!same) {
            out += QStringLiteral("; first difference at %1").arg(i);
            if (i < a.size())
                out += QStringLiteral(" got (%1, %2)").arg(a.t[i], 0, 'g', 17).arg(a.v[i], 0, 'g', 17);
            if (i < b.size())
                out += QStringLiteral(" want (%1, %2)").arg(b.t[i], 0, 'g', 17).arg(b.v[i], 0, 'g', 17);
            break;
        }
    }
    return out;
}

/// The gaps of rows [from, size) touching [tFrom, tTo), each one (no merging).
inline std::vector<TraceGap> naiveGaps(const RefStream &s, std::size_t from, double tFrom, double tTo)
{
    std::vector<TraceGap> out;
    for (std::size_t k = 0; k < s.breaks.size(); ++k) {
        const std::size_t r = s.breaks[k];
        if (r <= from || r >= s.size() || !(s.t[r] >= tFrom) || !(s.t[r - 1] < tTo))
            continue;
        TraceGap g = s.breakInfo[k];
        g.start = s.t[r - 1];
        g.end = s.t[r];
        g.count = 1;
        out.push_back(g);
    }
    return out;
}

/// Produces random blocks of one stream: random sizes, gaps, NaN runs, regular or irregular.
class BlockGen
{
public:
    BlockGen(
        quint32 seed, QString instrument, QString stream, int channels, bool regular, bool equalTimes = true)
        : m_rng(seed)
        , m_inst(std::move(instrument))
        , m_stream(std::move(stream))
        , m_channels(channels)
        , m_regular(regular)
        , m_equalTimes(equalTimes)
        , m_dt(regular ? 1e-3 * (1 + m_rng.bounded(9)) : 0.0)
    {
    }

    StreamInfo info() const
    {
        StreamInfo s;
        s.id = m_stream;
        s.name = m_stream;
        s.regular = m_regular;
        for (int ch = 0; ch < m_channels; ++ch)
            s.channels.push_back(ChannelInfo { QStringLiteral("c%1").arg(ch), QStringLiteral("V"), {}, true, {} });
        return s;
    }

    /// Also make device losses (with and without a count), zero-row loss and end-of-capture
    /// markers, capture boundaries and bursts of tiny blocks each after a gap (off by default, so
    /// older tests keep their data).
    void setAllGapKinds(bool on) { m_allGaps = on; }

    /// Next block of 1..maxSize samples (sometimes after a gap), or with setAllGapKinds() sometimes
    /// a zero-row marker.
    MutableSampleBlockPtr next(std::size_t maxSize = 700)
    {
        std::uint32_t flags = SampleBlock::NoFlags;
        std::uint64_t lostBefore = 0;
        if (m_allGaps) {
            if (m_burst > 0) {
                --m_burst;
                maxSize = 3;
                m_index += 1 + m_rng.bounded(3);
            }
            switch (m_rng.bounded(30)) {
            case 0: // a loss the device counted (the indices do not show it)
                flags |= SampleBlock::DataLost;
                lostBefore = 1 + m_rng.bounded(100);
                break;
            case 1: // a loss without a count
                flags |= SampleBlock::DataLost;
                break;
            case 2: { // a zero-row marker: a counted loss, or the end of a capture
                auto m = SampleBlock::make(m_inst, m_stream, m_channels, 0, !m_regular);
                m->firstIndex = m_index;
                if (m_rng.bounded(2))
                    m->lostBefore = 1 + m_rng.bounded(10);
                else
                    m->flags = SampleBlock::EndOfCapture;
                return m;
            }
            case 3: // the last block of a capture; the next one starts another
                flags |= SampleBlock::EndOfCapture;
                break;
            case 4: // many gaps close together
                m_burst = 5 + m_rng.bounded(40);
                break;
            default:
                break;
            }
            if (std::exchange(m_newCapture, (flags & SampleBlock::EndOfCapture) != 0))
                flags |= SampleBlock::StartOfCapture;
        }
        const std::size_t n = 1 + m_rng.bounded(quint32(maxSize));
        auto b = SampleBlock::make(m_inst, m_stream, m_channels, n, !m_regular);
        b->flags = flags;
        b->lostBefore = lostBefore;
        if (m_rng.bounded(20) == 0)
            m_index += 1 + m_rng.bounded(5000); // gap
        b->firstIndex = m_index;
        if (m_regular) {
            b->dt = m_dt;
            b->t0 = double(m_index) * m_dt;
        } else {
            if (m_rng.bounded(20) == 0)
                m_t += 20.0 * m_rng.generateDouble(); // gap in time
            for (std::size_t i = 0; i < n; ++i) {
                if (!m_equalTimes || m_rng.bounded(10) != 0) // some equal times
                    m_t += 1e-6 + 1e-2 * m_rng.generateDouble(); // ~ the regular dt
                b->times[i] = m_t;
            }
            b->t0 = b->times[0];
        }
        for (int ch = 0; ch < m_channels; ++ch) {
            double *v = b->channel(ch);
            const int mode = int(m_rng.bounded(8));
            for (std::size_t i = 0; i < n; ++i) {
                m_phase += 0.01;
                if (mode == 0 || m_rng.bounded(50) == 0)
                    v[i] = std::numeric_limits<double>::quiet_NaN();
                else if (mode == 1)
                    v[i] = double(m_rng.bounded(5)); // many ties
                else
                    v[i] = std::sin(m_phase * (ch + 1)) * 10 + m_rng.generateDouble() - 0.5;
            }
        }
        m_index += n;
        return b;
    }

    QRandomGenerator &rng() { return m_rng; }

private:
    QRandomGenerator m_rng;
    QString m_inst;
    QString m_stream;
    int m_channels;
    bool m_regular;
    bool m_equalTimes;
    double m_dt;
    std::uint64_t m_index = 0;
    double m_t = 0.0;
    double m_phase = 0.0;
    bool m_allGaps = false;
    bool m_newCapture = false;
    std::uint32_t m_burst = 0;
};

} // namespace bs::test
