// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <chrono>

namespace bs {

/// The session timeline shared by every driver: seconds since the acquisition was started.
/// Monotonic (steady clock); `restart()` is called by whoever starts the acquisition (Run all,
/// benchscope-rec); drivers read `now()` from any thread.
class SessionClock
{
public:
    static double now()
    {
        using namespace std::chrono;
        const auto ns = duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
        return double(ns - s_epochNs.load(std::memory_order_relaxed)) * 1e-9;
    }
    static void restart()
    {
        using namespace std::chrono;
        s_epochNs.store(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count());
        s_wallStartMs.store(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    }
    /// Wall-clock time (ms since the Unix epoch) of the last restart, for file headers.
    static long long wallClockStartMs() { return s_wallStartMs.load(); }

private:
    static inline std::atomic<long long> s_epochNs{
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count()};
    static inline std::atomic<long long> s_wallStartMs{
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count()};
};

} // namespace bs
