// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TraceTypes.h"

#include <StreamInfo.h>

#include <QVector>

#include <optional>
#include <vector>

namespace bs {

/// What the views read: the channels, their time ranges, plot envelopes, gaps and samples. The
/// live TraceStore is one; a recording opened for browsing is another (src/gui's
/// RecordingTraceSource), so that the scope, the measurements and the spectrum work on both. The
/// semantics of each function are those documented on TraceStore. Every function may be called
/// from any thread.
class TraceSource
{
public:
    virtual ~TraceSource() = default;

    /// Bumped whenever data or channels change (never for a recording: it does not change).
    virtual quint64 revision() const = 0;
    /// Bumped only when the set of channels or their descriptions change.
    virtual quint64 layoutRevision() const = 0;
    virtual QVector<ChannelKey> channels() const = 0;
    virtual std::optional<ChannelInfo> channelInfo(const ChannelKey &key) const = 0;
    /// Time range of the key's stream (`channel` ignored).
    virtual TimeRange timeRange(const ChannelKey &key) const = 0;
    /// Union over every stream.
    virtual TimeRange timeRange() const = 0;
    virtual Envelope envelope(const ChannelKey &key, double tFrom, double tTo, int columns) const = 0;
    virtual std::vector<TraceGap> gaps(const ChannelKey &key, double tFrom, double tTo, int maxCount) const = 0;
    virtual SampleReadStatus readSamples(const ChannelKey &key, double tFrom, double tTo,
        const SamplePieceFn &piece, const SampleGapFn &gap = {}) const = 0;
    /// True while new samples may arrive (the live store): Follow and Triggered mode make sense.
    virtual bool live() const { return true; }
};

} // namespace bs
