// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstddef>

namespace bs {

/// The first index in [lo, hi) at which `pred` holds (`hi` if none), for a `pred` that is false
/// and then true over the range (as `std::partition_point` with the test inverted). Searches
/// outwards from `guess` in steps 1, 2, 4 … and then halves the bracket found: O(log |answer -
/// guess|) calls of `pred`, so a good guess (the same column width as the last one, a row
/// computed from a regular sample clock) costs one or two calls. Any guess gives the same answer.
template <typename Pred>
std::size_t gallopSearch(std::size_t lo, std::size_t hi, std::size_t guess, Pred &&pred)
{
    if (lo >= hi)
        return hi;
    guess = std::clamp(guess, lo, hi - 1);
    std::size_t from = lo; // the answer is in [from, to]: pred(to) holds or to == hi
    std::size_t to = hi;
    if (pred(guess)) {
        to = guess;
        for (std::size_t step = 1; to - lo >= step; step *= 2) {
            const std::size_t probe = to - step;
            if (!pred(probe)) {
                from = probe + 1;
                break;
            }
            to = probe;
        }
    } else {
        from = guess + 1;
        for (std::size_t step = 1; hi - guess > step; step *= 2) {
            const std::size_t probe = guess + step;
            if (pred(probe)) {
                to = probe;
                break;
            }
            from = probe + 1;
        }
    }
    while (from < to) {
        const std::size_t mid = from + (to - from) / 2;
        if (pred(mid))
            to = mid;
        else
            from = mid + 1;
    }
    return from;
}

} // namespace bs
