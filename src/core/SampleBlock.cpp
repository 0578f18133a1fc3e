// SPDX-License-Identifier: GPL-3.0-or-later
#include "SampleBlock.h"

#include <algorithm>

namespace bs {

namespace {
constexpr std::size_t kAlign = 8; // every sample type's alignment
}

std::shared_ptr<SampleBlock> SampleBlock::make(const QString &instrumentId, const QString &streamId,
                                               int channels, std::size_t samples, bool irregular)
{
    return make(instrumentId, streamId, std::vector<SampleFormat>(std::size_t(std::max(0, channels))), samples,
                irregular);
}

std::shared_ptr<SampleBlock> SampleBlock::make(const QString &instrumentId, const QString &streamId,
                                               const std::vector<SampleFormat> &formats, std::size_t samples,
                                               bool irregular)
{
    auto b = std::make_shared<SampleBlock>();
    b->instrumentId = instrumentId;
    b->streamId = streamId;
    b->channelCount = int(formats.size());
    b->sampleCount = samples;
    b->m_formats = formats;
    b->m_offsets.reserve(formats.size());
    std::size_t bytes = 0;
    for (const SampleFormat &f : formats) {
        b->m_offsets.push_back(bytes);
        bytes += (samples * sampleTypeSize(f.type) + kAlign - 1) / kAlign * kAlign;
    }
    b->m_data.assign(bytes, std::byte{0});
    if (irregular)
        b->times.assign(samples, 0.0);
    return b;
}

double SampleBlock::value(int ch, std::size_t i) const
{
    const SampleFormat &f = format(ch);
    return visitSampleType(f.type, [&](auto tag) {
        using T = decltype(tag);
        return f.toValue(data<T>(ch)[i]);
    });
}

void SampleBlock::toValues(int ch, std::size_t from, std::size_t n, double *out) const
{
    const SampleFormat &f = format(ch);
    visitSampleType(f.type, [&](auto tag) {
        using T = decltype(tag);
        const T *in = data<T>(ch) + from;
        if (f.isIdentity()) {
            for (std::size_t i = 0; i < n; ++i)
                out[i] = double(in[i]);
        } else {
            for (std::size_t i = 0; i < n; ++i)
                out[i] = double(in[i]) * f.scale + f.offset;
        }
    });
}

bool SampleBlock::isConsistent() const
{
    if (channelCount < 0 || m_formats.size() != std::size_t(channelCount) || m_offsets.size() != m_formats.size())
        return false;
    if (!times.empty() && times.size() != sampleCount)
        return false;
    for (std::size_t c = 0; c < m_formats.size(); ++c)
        if (m_offsets[c] + sampleCount * sampleTypeSize(m_formats[c].type) > m_data.size())
            return false;
    return true;
}

} // namespace bs
