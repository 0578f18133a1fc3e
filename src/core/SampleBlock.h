// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SampleFormat.h"

#include <QMetaType>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <limits>
#include <vector>

namespace bs {

/// One chunk of samples of one stream, immutable once published.
///
/// Blocks cross thread boundaries as `SampleBlockPtr` (shared, const): the driver thread builds a
/// block, then the recorder thread and the TraceStore read the same memory without copying.
///
/// Each channel keeps the device's own sample type (SampleFormat: int8 … float64 plus the scale
/// and offset that give the engineering value). Storage is channel-major: channel `ch` is
/// `sampleCount` values of `format(ch).type` at `data<T>(ch)` (each channel 8-byte aligned). Time of
/// sample i is `t0 + i * dt` for regular streams (`dt > 0`, `times` empty) or `times[i]` for
/// irregular ones (`times.size() == sampleCount`; `t0 == times[0]`). Times are seconds on the session
/// timeline (since acquisition start). `firstIndex` counts samples of this stream since acquisition
/// start; a jump between consecutive blocks is a gap.
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
    /// With StreamInfo::timeChannel: times[i] == value(timeChannel, i) + timeOffset, computed
    /// exactly so (toValues() into times, then += timeOffset). NaN: times are not derived.
    double timeOffset = std::numeric_limits<double>::quiet_NaN();
    int channelCount = 0;
    std::size_t sampleCount = 0;
    std::uint32_t flags = NoFlags;
    std::int64_t triggerIndex = -1;
    std::uint64_t lostBefore = 0; ///< samples known lost just before this block (device overrun)

    bool isRegular() const { return dt > 0.0 && times.empty(); }
    double time(std::size_t i) const { return times.empty() ? t0 + double(i) * dt : times[i]; }
    double lastTime() const { return sampleCount ? time(sampleCount - 1) : t0; }
    std::uint64_t endIndex() const { return firstIndex + sampleCount; }

    const SampleFormat &format(int ch) const { return m_formats[std::size_t(ch)]; }
    const std::vector<SampleFormat> &formats() const { return m_formats; }
    /// Channel `ch` as stored; T must be its type (checked: a wrong T is a programming error).
    template <typename T> const T *data(int ch) const
    {
        Q_ASSERT(sampleTypeOf<T>() == format(ch).type);
        return reinterpret_cast<const T *>(m_data.data() + m_offsets[std::size_t(ch)]);
    }
    template <typename T> T *data(int ch)
    {
        Q_ASSERT(sampleTypeOf<T>() == format(ch).type);
        return reinterpret_cast<T *>(m_data.data() + m_offsets[std::size_t(ch)]);
    }
    /// A Float64 channel's values (raw: equal to the engineering value when the format is the
    /// identity, as for every channel made by make(channels, …)).
    const double *channel(int ch) const { return data<double>(ch); }
    double *channel(int ch) { return data<double>(ch); }
    /// Channel `ch` as stored, untyped (`sampleCount * sampleTypeSize(format(ch).type)` bytes).
    const std::byte *rawData(int ch) const { return m_data.data() + m_offsets[std::size_t(ch)]; }
    std::byte *rawData(int ch) { return m_data.data() + m_offsets[std::size_t(ch)]; }
    /// Engineering value of sample i of channel ch (raw × scale + offset). For a few values; use
    /// toValues() for many.
    double value(int ch, std::size_t i) const;
    /// Engineering values of samples [from, from + n) of channel ch into `out`.
    void toValues(int ch, std::size_t from, std::size_t n, double *out) const;
    /// Bytes of sample data carried (channels as stored + explicit times), used for queue budgets
    /// and rates.
    std::size_t payloadBytes() const { return m_data.size() + times.size() * sizeof(double); }
    /// Storage and formats agree with channelCount and sampleCount (a consumer checks before
    /// trusting a producer's block).
    bool isConsistent() const;

    /// Allocates a block with room for `samples` samples of `channels` plain-double channels
    /// (values zeroed).
    static std::shared_ptr<SampleBlock> make(const QString &instrumentId, const QString &streamId,
                                             int channels, std::size_t samples, bool irregular);
    /// Allocates a block whose channels have the given formats (values zeroed).
    static std::shared_ptr<SampleBlock> make(const QString &instrumentId, const QString &streamId,
                                             const std::vector<SampleFormat> &formats, std::size_t samples,
                                             bool irregular);

private:
    std::vector<SampleFormat> m_formats;
    std::vector<std::size_t> m_offsets; ///< byte offset of each channel in m_data
    std::vector<std::byte> m_data;      ///< heap storage: aligned for any sample type
};

using SampleBlockPtr = std::shared_ptr<const SampleBlock>;
using MutableSampleBlockPtr = std::shared_ptr<SampleBlock>;

} // namespace bs

Q_DECLARE_METATYPE(bs::SampleBlockPtr)
