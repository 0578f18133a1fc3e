// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Naive reference model and seeded block generator for the TraceStore tests.

#include <SampleBlock.h>
#include <StreamInfo.h>
#include <TraceTypes.h>

#include <QRandomGenerator>

#include <cmath>
#include <limits>
#include <vector>

namespace bs::test {

/// Every sample ever appended to one stream, plain vectors.
struct RefStream
{
    std::vector<double> t;
    std::vector<std::vector<double>> v; // [channel][row]

    explicit RefStream(int channels = 1)
        : v(std::size_t(channels))
    {
    }
    std::size_t size() const { return t.size(); }
    void add(const SampleBlock &b)
    {
        for (std::size_t i = 0; i < b.sampleCount; ++i)
            t.push_back(b.time(i));
        for (std::size_t ch = 0; ch < v.size(); ++ch) { // engineering values, any native type
            const std::size_t old = v[ch].size();
            v[ch].resize(old + b.sampleCount);
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
};

/// The documented envelope semantics, computed by one linear pass over rows [from, size).
inline Envelope naiveEnvelope(
    const RefStream &s, std::size_t from, int ch, double tFrom, double tTo, int columns)
{
    Envelope e;
    if (columns <= 0 || !(tFrom < tTo))
        return e;
    const auto &v = s.v[std::size_t(ch)];
    auto add = [&](std::size_t i) {
        if (!std::isnan(v[i]))
            e.add(s.t[i], v[i]);
    };
    std::size_t i = from;
    while (i < s.size() && s.t[i] < tFrom)
        ++i;
    if (i > from)
        add(i - 1);
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
                add(k);
        } else if (any) {
            const bool maxFirst = v[first] > v[i - 1];
            e.add(s.t[first], maxFirst ? mx : mn);
            e.add(s.t[i - 1], maxFirst ? mn : mx);
        }
    }
    while (i < s.size() && s.t[i] < tTo)
        ++i;
    if (i < s.size())
        add(i);
    return e;
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

    /// Next block of 1..maxSize samples (sometimes after a gap).
    MutableSampleBlockPtr next(std::size_t maxSize = 700)
    {
        const std::size_t n = 1 + m_rng.bounded(quint32(maxSize));
        auto b = SampleBlock::make(m_inst, m_stream, m_channels, n, !m_regular);
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
};

} // namespace bs::test
