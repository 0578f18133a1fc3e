// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <mutex>
#include <optional>

namespace bs {

/// The newest of a stream of requests, handed from any thread to a worker: post() keeps only the
/// newest request not yet taken and says whether the worker must be woken (nothing was waiting);
/// the worker take()s it. So a slow job (a measurement or spectrum of a huge window) never builds a
/// queue: what it works on next is always the newest wish.
template<typename Request>
class LatestRequest
{
public:
    /// Any thread. True when the caller must schedule the worker's run (none is scheduled yet).
    bool post(const Request &request)
    {
        std::lock_guard lock(m_mutex);
        m_pending = request;
        const bool wake = !m_scheduled;
        m_scheduled = true;
        return wake;
    }
    /// The worker: the newest request, if any, and the next post() schedules a run again.
    std::optional<Request> take()
    {
        std::lock_guard lock(m_mutex);
        m_scheduled = false;
        std::optional<Request> r = std::move(m_pending);
        m_pending.reset();
        return r;
    }

private:
    std::mutex m_mutex;
    std::optional<Request> m_pending;
    bool m_scheduled = false;
};

} // namespace bs
