// SPDX-License-Identifier: GPL-3.0-or-later
#include "TraceChunk.h"

#include <algorithm>
#include <limits>

namespace bs {

TraceChunk::TraceChunk(const std::vector<SampleFormat> &formats, std::size_t capacity, std::uint64_t firstRow)
    : m_capacity(capacity)
    , m_firstRow(firstRow)
    , m_times(capacity)
{
    m_channels.reserve(formats.size());
    for (const SampleFormat &f : formats)
        m_channels.emplace_back(f, capacity);
}

bool TraceChunk::hasFormats(const std::vector<SampleFormat> &formats) const
{
    if (formats.size() != m_channels.size())
        return false;
    for (std::size_t ch = 0; ch < formats.size(); ++ch) {
        if (!(m_channels[ch].format() == formats[ch]))
            return false;
    }
    return true;
}

void TraceChunk::append(const SampleBlock &block, std::size_t from, std::size_t n, double minTime)
{
    if (n == 0)
        return;
    const bool wasEmpty = size() == 0;
    if (block.times.empty()) {
        m_times.appendRegular(block.t0, std::max(block.dt, 0.0), from, n);
    } else {
        const double *t = block.times.data() + from;
        bool sorted = t[0] >= minTime; // false for NaN too
        for (std::size_t i = 1; sorted && i < n; ++i)
            sorted = t[i] >= t[i - 1];
        if (sorted) {
            m_times.appendExplicit(t, n);
        } else {
            std::vector<double> fixed(t, t + n);
            double floor = minTime;
            for (double &x : fixed)
                floor = x = x >= floor ? x : floor; // NaN and steps back become the previous time
            m_times.appendExplicit(fixed.data(), n);
        }
    }
    if (wasEmpty)
        m_firstTime = m_times.at(0);
    m_lastTime = m_times.last();

    for (int ch = 0; ch < channelCount(); ++ch) {
        if (ch < block.channelCount)
            m_channels[std::size_t(ch)].append(block, ch, from, n);
        else
            m_channels[std::size_t(ch)].appendNaN(n);
    }
}

std::size_t TraceChunk::bytes() const
{
    std::size_t b = sizeof(TraceChunk) + m_times.bytes() + m_channels.capacity() * sizeof(ChannelColumn)
        + m_breaks.capacity() * sizeof(std::uint32_t) + m_breakInfo.capacity() * sizeof(BreakInfo);
    for (const auto &c : m_channels)
        b += c.bytes();
    return b;
}

} // namespace bs
