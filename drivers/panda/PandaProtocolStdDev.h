// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Standard deviation of a capture gate from the raw sums the PandA sends (spec §5.2, U5): shared by
// the RAW decoder and the simulator's SCALED encoder so that both compute the same double.

#include <QtGlobal>

#include <cmath>
#include <limits>

namespace bs::panda {

__extension__ using PandaUInt128 = unsigned __int128;

/// sqrt(A/N − (B/N)²) for N samples, their sum B and the sum of squares A (96 bits used).
/// N·S² = A − B²/N: B² is split into quotient and remainder by N so that the large difference is
/// taken in integers and only the small rest in floating point. NaN when N is 0 or not 32-bit.
inline double pandaStdDev(PandaUInt128 squares, qint64 sum, double samples)
{
    if (!(samples >= 1) || samples > 4294967295.0)
        return std::numeric_limits<double>::quiet_NaN();
    const quint64 n = quint64(samples);
    const PandaUInt128 b = sum < 0 ? PandaUInt128(0 - quint64(sum)) : PandaUInt128(quint64(sum));
    const PandaUInt128 bb = b * b;
    const PandaUInt128 q = bb / n;
    const quint64 r = quint64(bb % n);
    if (q > squares)
        return 0.0; // the sums disagree by rounding: no spread
    const double ns2 = double(squares - q) - double(r) / double(n);
    return ns2 <= 0 ? 0.0 : std::sqrt(ns2 / double(n));
}

} // namespace bs::panda
