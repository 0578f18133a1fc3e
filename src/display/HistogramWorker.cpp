// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistogramWorker.h"

#include "TraceSource.h"

#include <algorithm>

namespace bs {

HistogramWorker::HistogramWorker(const TraceSource &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    qRegisterMetaType<ResultPtr>();
}

void HistogramWorker::request(const Request &request)
{
    if (m_requests.post(request))
        QMetaObject::invokeMethod(this, &HistogramWorker::runPending, Qt::QueuedConnection);
}

void HistogramWorker::runPending()
{
    if (const std::optional<Request> next = m_requests.take())
        Q_EMIT computed(std::make_shared<const Result>(compute(m_store, *next)));
}

HistogramWorker::Result HistogramWorker::compute(const TraceSource &store, const Request &request)
{
    Result result;
    result.serial = request.serial;
    result.key = request.key;
    result.from = request.from;
    result.to = request.to;
    ChannelHistogram h(request.bins);
    const TimeRange held = store.timeRange(request.key);
    if (held.valid && request.from <= request.to) {
        result.to = std::min(request.to, held.last); // what both passes will see
        store.readSamples(request.key, request.from, result.to,
            [&h](const double *, const double *values, std::size_t n) { h.addRange(values, n); });
        h.beginBins();
        store.readSamples(request.key, request.from, result.to,
            [&h](const double *, const double *values, std::size_t n) { h.addBins(values, n); });
    }
    result.histogram = h.result();
    return result;
}

} // namespace bs
