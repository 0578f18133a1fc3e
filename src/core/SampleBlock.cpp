// SPDX-License-Identifier: GPL-3.0-or-later
#include "SampleBlock.h"

namespace bs {

std::shared_ptr<SampleBlock> SampleBlock::make(const QString &instrumentId, const QString &streamId,
                                               int channels, std::size_t samples, bool irregular)
{
    auto b = std::make_shared<SampleBlock>();
    b->instrumentId = instrumentId;
    b->streamId = streamId;
    b->channelCount = channels;
    b->sampleCount = samples;
    b->values.assign(std::size_t(channels) * samples, 0.0);
    if (irregular)
        b->times.assign(samples, 0.0);
    return b;
}

} // namespace bs
