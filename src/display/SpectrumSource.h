// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SpectrumWorker.h"
#include "LatestRequest.h"
#include "TraceTypes.h"

#include <QObject>

#include <optional>

namespace bs {

class TraceSource;

/// Feeds a SpectrumWorker from the TraceStore, on the worker's thread (so the GUI thread never
/// copies samples): request() names a channel and a time window (what the scope shows); the
/// newest samples of that window without a gap among them (at most `maxSamples`) are read, checked
/// to be evenly spaced and submitted. A window with nothing to transform gives a result with the
/// reason instead (`refused`). Requests not yet started are replaced by newer ones.
class SpectrumSource : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        ChannelKey key;
        QString label, unit;
        double from = 0.0, to = 0.0;
    };
    static constexpr std::size_t DefaultMaxSamples = std::size_t(1) << 20;

    /// `worker` must live on the same thread as this object.
    SpectrumSource(const TraceSource &store, SpectrumWorker *worker, QObject *parent = nullptr);

    /// Any thread.
    void request(const Request &request);
    /// Reads and submits now (worker thread; tests).
    void run(const Request &request);

Q_SIGNALS:
    /// Nothing could be transformed (no samples, uneven times): the reason, for the view.
    void refused(bs::SpectrumResultPtr result);

private:
    void runPending();

    const TraceSource &m_store;
    SpectrumWorker *m_worker;
    LatestRequest<Request> m_requests;
};

} // namespace bs
