// SPDX-License-Identifier: GPL-3.0-or-later
#include "WindowMeasurer.h"

#include "TraceSource.h"

#include <algorithm>

namespace bs {

WindowMeasurer::WindowMeasurer(const TraceSource &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    qRegisterMetaType<ResultPtr>();
}

void WindowMeasurer::request(const Request &request)
{
    if (m_requests.post(request))
        QMetaObject::invokeMethod(this, &WindowMeasurer::runPending, Qt::QueuedConnection);
}

void WindowMeasurer::runPending()
{
    if (const std::optional<Request> next = m_requests.take())
        Q_EMIT measured(std::make_shared<const Result>(measure(m_store, *next)));
}

WindowMeasurer::Result WindowMeasurer::measure(const TraceSource &store, const Request &request)
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
