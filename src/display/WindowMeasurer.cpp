// SPDX-License-Identifier: GPL-3.0-or-later
#include "WindowMeasurer.h"

#include "TraceStore.h"

#include <algorithm>

namespace bs {

WindowMeasurer::WindowMeasurer(const TraceStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    qRegisterMetaType<ResultPtr>();
}

void WindowMeasurer::request(const Request &request)
{
    std::lock_guard lock(m_mutex);
    m_pending = request;
    if (m_scheduled)
        return; // the queued run takes the newest request
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &WindowMeasurer::runPending, Qt::QueuedConnection);
}

void WindowMeasurer::runPending()
{
    Request next;
    {
        std::lock_guard lock(m_mutex);
        m_scheduled = false;
        if (!m_pending)
            return;
        next = *m_pending;
        m_pending.reset();
    }
    Q_EMIT measured(std::make_shared<const Result>(measure(m_store, next)));
}

WindowMeasurer::Result WindowMeasurer::measure(const TraceStore &store, const Request &request)
{
    Result result;
    result.serial = request.serial;
    result.from = request.from;
    result.to = request.to;
    for (const ChannelKey &key : request.keys) {
        Channel c;
        c.key = key;
        const TimeRange held = store.timeRange(key);
        if (held.valid && request.from <= request.to) {
            const double to = std::min(request.to, held.last); // what both passes will see
            ChannelMeasurer m;
            store.readSamples(key, request.from, to,
                [&m](const double *, const double *values, std::size_t n) { m.addStatistics(values, n); });
            m.beginEdges();
            store.readSamples(
                key, request.from, to,
                [&m](const double *times, const double *values, std::size_t n) { m.addEdges(times, values, n); },
                [&m, &c] {
                    m.gap();
                    ++c.gaps;
                });
            c.result = m.result();
        }
        result.channels.append(c);
    }
    return result;
}

} // namespace bs
