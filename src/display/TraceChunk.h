// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChannelColumn.h"
#include "TimeColumn.h"

#include <SampleBlock.h>

#include <cstdint>
#include <vector>

namespace bs {

/// A run of consecutive rows of one stream: one shared time column and, per channel, the values
/// in their native type with their min/max pyramid. Its channel formats are fixed: a block in
/// other formats goes to a new chunk. The unit of eviction. Not thread-safe (owning stream's lock).
class TraceChunk
{
public:
    TraceChunk(const std::vector<SampleFormat> &formats, std::size_t capacity, std::uint64_t firstRow);

    /// Appends rows `[from, from + n)` of `block` (n <= free()). Explicit times are raised to at
    /// least `minTime` (keeps the column sorted if a driver sends a step backwards). The block's
    /// channels must have this chunk's formats; channels it lacks are filled with NaN (their
    /// formats must be floating-point); extra block channels are ignored.
    void append(const SampleBlock &block, std::size_t from, std::size_t n, double minTime);

    std::size_t size() const { return m_times.size(); }
    std::size_t capacity() const { return m_capacity; }
    std::size_t free() const { return m_capacity - size(); }
    std::uint64_t firstRow() const { return m_firstRow; }
    double firstTime() const { return m_firstTime; }
    double lastTime() const { return m_lastTime; }
    const TimeColumn &times() const { return m_times; }
    const ChannelColumn &channel(int ch) const { return m_channels[std::size_t(ch)]; }
    int channelCount() const { return int(m_channels.size()); }
    bool hasFormats(const std::vector<SampleFormat> &formats) const;
    /// What is known about the samples missing before a row.
    struct BreakInfo
    {
        std::uint64_t lost = 0; ///< samples lost, if known
        bool lostKnown = false;
        std::uint8_t kinds = 0; ///< GapKind bits
    };
    /// Marks that samples are missing before the next row appended (a loss, overrun or a new
    /// capture); readers report a gap there.
    void markBreakBeforeNext(const BreakInfo &info)
    {
        m_breaks.push_back(std::uint32_t(size()));
        m_breakInfo.push_back(info);
    }
    /// Rows (chunk-relative, ascending) preceded by a break.
    const std::vector<std::uint32_t> &breaks() const { return m_breaks; }
    /// What is known about each break, parallel to breaks().
    const std::vector<BreakInfo> &breakInfo() const { return m_breakInfo; }
    /// Bytes this chunk occupies: its heap storage (by capacity) plus the objects themselves.
    std::size_t bytes() const;

private:
    std::size_t m_capacity;
    std::uint64_t m_firstRow;
    double m_firstTime = 0.0;
    double m_lastTime = 0.0;
    TimeColumn m_times;
    std::vector<ChannelColumn> m_channels;
    std::vector<std::uint32_t> m_breaks;
    std::vector<BreakInfo> m_breakInfo;
};

} // namespace bs
