// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHashFunctions>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace bs {

/// Addresses one channel held by the TraceStore: instrument id, stream id, channel index.
struct ChannelKey
{
    QString instrumentId;
    QString streamId;
    int channel = 0;

    /// "inst/stream/ch", e.g. "panda1/pcap/3".
    QString toString() const;
    /// Inverse of toString() (splits at the last two '/'); nullopt when malformed.
    static std::optional<ChannelKey> fromString(const QString &text);

    bool operator==(const ChannelKey &o) const = default;
};

inline size_t qHash(const ChannelKey &k, size_t seed = 0) noexcept
{
    return qHashMulti(seed, k.instrumentId, k.streamId, k.channel);
}

/// First and last sample time held (seconds on the session timeline). Invalid when nothing is held.
struct TimeRange
{
    double first = 0.0;
    double last = 0.0;
    bool valid = false;

    bool isValid() const { return valid; }
    double span() const { return valid ? last - first : 0.0; }
};

/// Plot-ready points of one channel, in time order (`t` non-decreasing); `t.size() == v.size()`.
/// A point with a NaN value is a break (samples are missing there): a line stops at it.
struct Envelope
{
    std::vector<double> t;
    std::vector<double> v;

    std::size_t size() const { return t.size(); }
    bool empty() const { return t.empty(); }
    void add(double time, double value)
    {
        t.push_back(time);
        v.push_back(value);
    }
};

/// Why samples are missing (bits of TraceGap::kinds).
enum GapKind : std::uint8_t {
    GapDeviceLoss = 1u << 0, ///< the device or transport said so (`DataLost`, `lostBefore`)
    GapIndexJump = 1u << 1, ///< `firstIndex` jumped forward
    GapNewCapture = 1u << 2, ///< a capture ended before and a new one started here
};

/// Missing samples inside a time window (TraceStore::gaps()), or several of them merged.
struct TraceGap
{
    double start = 0.0; ///< time of the last sample held before the (first) gap
    double end = 0.0; ///< time of the first sample after the (last) gap
    std::uint64_t lost = 0; ///< samples lost (summed over merged gaps); meaningful if lostKnown
    bool lostKnown = false; ///< false when a device reported a loss without saying how much
    std::uint8_t kinds = 0; ///< GapKind bits (ORed over merged gaps)
    std::uint32_t count = 1; ///< gaps merged into this entry (1 unless the window held too many)
};

/// Left edge of envelope column `c` (0 <= c <= columns) of [tFrom, tTo): the time columns are
/// `[columnEdge(c), columnEdge(c + 1))`. Clamped so edges never decrease and the last is tTo.
inline double columnEdge(double tFrom, double tTo, int columns, int c)
{
    if (c >= columns)
        return tTo;
    const double e = tFrom + (tTo - tFrom) * double(c) / double(columns);
    return e < tTo ? e : tTo;
}

/// Receives samples read from the TraceStore: times (s) and engineering values of one channel,
/// `n` >= 1 of them, in time order (NaN values are passed on as stored).
using SamplePieceFn = std::function<void(const double *times, const double *values, std::size_t n)>;
/// Called between two pieces where samples are missing (a loss or overrun the device reported, a
/// jump in sample indices, a new capture, rows evicted before they were read, a restart).
using SampleGapFn = std::function<void()>;

/// Where an incremental reader (TraceStore::readNew) stands in one stream. Plain data: copy it,
/// keep it; it stays meaningful when older data is evicted or the stream restarts (both are
/// detected and reported).
struct SampleCursor
{
    std::uint64_t epoch = 0; ///< the stream's data generation read from; 0: not started
    std::uint64_t row = 0; ///< next row to read (rows count up over the stream's life)
    bool delivered = false; ///< rows were delivered: missing data at `row` is a gap
};

/// What a TraceStore read did.
struct SampleReadStatus
{
    bool found = false; ///< the channel exists
    std::uint64_t rows = 0; ///< samples delivered
    std::uint64_t lost = 0; ///< rows evicted before they could be read
    bool restarted = false; ///< the stream was cleared/restarted/replaced since the cursor's read
    std::uint64_t behind = 0; ///< rows still held after the last one delivered (readNew)
};

} // namespace bs

Q_DECLARE_METATYPE(bs::ChannelKey)
