// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChannelHistogram.h"
#include "LatestRequest.h"
#include "TraceTypes.h"

#include <QObject>

#include <memory>

namespace bs {

class TraceSource;

/// The histogram of one channel of the TraceStore over a time window, computed off the GUI thread:
/// the statistics dock posts what the scope shows (or the range between the time cursors) with
/// request(); the object, living on a worker thread, reads the samples through
/// TraceStore::readSamples() twice (range, then bins: ChannelHistogram) and emits the result. A
/// request not yet started is replaced by a newer one: no queue of stale jobs.
class HistogramWorker : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        ChannelKey key;
        double from = 0.0, to = 0.0; ///< inclusive, seconds on the session timeline
        int bins = 100;
        quint64 serial = 0; ///< echoed in the result
    };
    struct Result
    {
        quint64 serial = 0;
        ChannelKey key;
        double from = 0.0, to = 0.0; ///< what was read (`to` clamped to the newest sample held)
        HistogramResult histogram;
    };
    using ResultPtr = std::shared_ptr<const Result>;

    explicit HistogramWorker(const TraceSource &store, QObject *parent = nullptr);

    /// Any thread.
    void request(const Request &request);
    /// Bins now, on the calling thread (the worker uses it; so do tests). The window is clamped to
    /// the data held when it began, so both passes see the same samples while new ones arrive.
    static Result compute(const TraceSource &store, const Request &request);

Q_SIGNALS:
    /// Emitted from the worker thread; connect queued.
    void computed(bs::HistogramWorker::ResultPtr result);

private:
    void runPending();

    const TraceSource &m_store;
    LatestRequest<Request> m_requests;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::HistogramWorker::ResultPtr)
