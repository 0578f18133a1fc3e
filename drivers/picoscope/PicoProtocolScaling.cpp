// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoProtocolScaling.h"

#include <algorithm>
#include <cmath>

namespace bs::picoscope {

std::int16_t ChannelScale::counts(double v) const
{
    const double c = std::round((v + offsetVolts) / rangeVolts * double(maxAdc));
    if (std::isnan(c)) // (a NaN converted to an integer is undefined)
        return 0;
    return std::int16_t(std::clamp(c, -double(maxAdc), double(maxAdc)));
}

void ChannelScale::toVolts(const std::int16_t *src, std::size_t n, double *dst) const
{
    const double k = rangeVolts / double(maxAdc);
    const double b = -offsetVolts;
    for (std::size_t i = 0; i < n; ++i)
        dst[i] = double(src[i]) * k + b;
}

double analogueOffsetLimit(int rangeIndex)
{
    if (rangeIndex <= 4)
        return 0.25;
    if (rangeIndex <= 7)
        return 2.5;
    return 20.0;
}

} // namespace bs::picoscope
