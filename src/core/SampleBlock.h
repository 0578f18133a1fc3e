// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace bs {

/// One chunk of samples of one stream, immutable once published.
///
/// Blocks cross thread boundaries as `SampleBlockPtr` (shared, const): the driver thread builds a
/// block, then the recorder thread and the TraceStore read the same memory without copying.
///
/// Layout: `values` is channel-major, `values[ch * sampleCount + i]`. Time of sample i is
/// `t0 + i * dt` for regular streams (`dt > 0`, `times` empty) or `times[i]` for irregular ones
/// (`times.size() == sampleCount`; `t0 == times[0]`). Times are seconds on the session timeline
/// (since acquisition start). `firstIndex` counts samples of this stream since acquisition start;
/// a jump between consecutive blocks is a gap.
struct SampleBlock
{
    enum Flag : std::uint32_t {
        NoFlags = 0,
        Overflow = 1u << 0,     ///< the device reported an overrun / ADC overflow in this block
        DataLost = 1u << 1,     ///< samples before this block were lost (device or transport)
        Trigger = 1u << 2,      ///< `triggerIndex` marks the trigger sample
        EndOfCapture = 1u << 3, ///< last block of a capture (PandA END, NV200 read-back done)
        StartOfCapture = 1u << 4,
    };

    QString instrumentId;       ///< Instrument::id() of the producer
    QString streamId;           ///< StreamInfo::id within that instrument
    std::uint64_t firstIndex = 0;
    double t0 = 0.0;
    double dt = 0.0;
    std::vector<double> times;  ///< irregular streams only
    int channelCount = 0;
    std::size_t sampleCount = 0;
    std::vector<double> values; ///< channel-major
    std::uint32_t flags = NoFlags;
    std::int64_t triggerIndex = -1;
    std::uint64_t lostBefore = 0; ///< samples known lost just before this block (device overrun)

    bool isRegular() const { return dt > 0.0 && times.empty(); }
    const double *channel(int ch) const { return values.data() + std::size_t(ch) * sampleCount; }
    double *channel(int ch) { return values.data() + std::size_t(ch) * sampleCount; }
    double time(std::size_t i) const { return times.empty() ? t0 + double(i) * dt : times[i]; }
    double lastTime() const { return sampleCount ? time(sampleCount - 1) : t0; }
    std::uint64_t endIndex() const { return firstIndex + sampleCount; }
    /// Bytes of sample data carried (values + explicit times), used for queue budgets and rates.
    std::size_t payloadBytes() const { return (values.size() + times.size()) * sizeof(double); }

    /// Allocates a block with room for `samples` samples of `channels` channels (values zeroed).
    static std::shared_ptr<SampleBlock> make(const QString &instrumentId, const QString &streamId,
                                             int channels, std::size_t samples, bool irregular);
};

using SampleBlockPtr = std::shared_ptr<const SampleBlock>;
using MutableSampleBlockPtr = std::shared_ptr<SampleBlock>;

} // namespace bs

Q_DECLARE_METATYPE(bs::SampleBlockPtr)
