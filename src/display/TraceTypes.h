// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHashFunctions>
#include <QMetaType>
#include <QString>

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

/// Left edge of envelope column `c` (0 <= c <= columns) of [tFrom, tTo): the time columns are
/// `[columnEdge(c), columnEdge(c + 1))`. Clamped so edges never decrease and the last is tTo.
inline double columnEdge(double tFrom, double tTo, int columns, int c)
{
    if (c >= columns)
        return tTo;
    const double e = tFrom + (tTo - tFrom) * double(c) / double(columns);
    return e < tTo ? e : tTo;
}

} // namespace bs

Q_DECLARE_METATYPE(bs::ChannelKey)
