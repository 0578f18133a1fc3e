// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <chrono>

namespace bs {

/// The session timeline shared by every driver: seconds since the timeline began (the first Run
/// after the session was opened or cleared). Monotonic (steady clock); drivers read `now()` from
/// any thread.
///
/// One timeline for the whole session: Stop and Run do not restart it (Workspace restarts it only
/// when nothing has run on it yet, or when the display is cleared). While a recording holds the
/// clock (`hold()`, taken by the Recorder for as long as it records) `restart()` does nothing and
/// returns false: time in a recording never goes backwards.
class SessionClock
{
public:
    static double now() { return toSession(steadyNs()); }
    /// Session time of a steady_clock reading (ns since the steady clock's epoch).
    static double toSession(long long steadyNs)
    {
        return double(steadyNs - s_epochNs.load(std::memory_order_relaxed)) * 1e-9;
    }
    /// Restarts the timeline at 0 now, unless a recording holds it (then false, nothing changes).
    static bool restart()
    {
        using namespace std::chrono;
        if (s_holds.load() > 0)
            return false;
        s_epochNs.store(steadyNs());
        s_wallStartMs.store(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
        s_generation.fetch_add(1);
        return true;
    }
    /// Wall-clock time (ms since the Unix epoch) of the last restart, for file headers.
    static long long wallClockStartMs() { return s_wallStartMs.load(); }
    /// Wall-clock time (ms since the Unix epoch) of session time `t`.
    static long long wallClockMsAt(double t) { return wallClockStartMs() + (long long)(t * 1000.0 + (t >= 0 ? 0.5 : -0.5)); }
    /// Counts restarts: a driver that keeps times across calls compares it to notice a restart.
    static unsigned long long generation() { return s_generation.load(); }
    /// The steady_clock epoch (ns) of the timeline: what toSession() subtracts.
    static long long epochNs() { return s_epochNs.load(std::memory_order_relaxed); }
    /// While held (a recording runs), restart() is refused. Balanced by release().
    static void hold() { s_holds.fetch_add(1); }
    static void release() { s_holds.fetch_sub(1); }
    static bool isHeld() { return s_holds.load() > 0; }
    static long long steadyNs()
    {
        using namespace std::chrono;
        return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
    }

private:
    static inline std::atomic<long long> s_epochNs{
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count()};
    static inline std::atomic<long long> s_wallStartMs{
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count()};
    static inline std::atomic<unsigned long long> s_generation{0};
    static inline std::atomic<int> s_holds{0};
};

} // namespace bs
