// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Measurements.h"
#include "LatestRequest.h"
#include "TraceTypes.h"

#include <QObject>
#include <QVector>

#include <memory>
#include <optional>

namespace bs {

class TraceSource;

/// The automatic measurements of channels of the TraceStore over a time window, computed off the
/// GUI thread: the measurements panel posts what the view shows (or the range between the time
/// cursors) with request(); the object, living on a worker thread, reads the samples through
/// TraceStore::readSamples() in two passes (ChannelMeasurer) and emits the result. A request not
/// yet started is replaced by a newer one, so a slow measurement of a huge window never queues up.
class WindowMeasurer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QVector<ChannelKey> keys;
        double from = 0.0, to = 0.0; ///< inclusive, seconds on the session timeline
        quint64 serial = 0; ///< echoed in the result
    };
    struct Channel
    {
        ChannelKey key;
        MeasurementResult result;
        quint64 gaps = 0; ///< breaks in the data inside the window (nothing bridged across them)
    };
    struct Result
    {
        quint64 serial = 0;
        double from = 0.0, to = 0.0;
        QVector<Channel> channels;
    };
    using ResultPtr = std::shared_ptr<const Result>;

    explicit WindowMeasurer(const TraceSource &store, QObject *parent = nullptr);

    /// Any thread. The window is clamped to the data each channel held when its measurement began,
    /// so both passes see the same samples while new ones arrive.
    void request(const Request &request);
    /// Measures now, on the calling thread (the worker uses it; so do tests).
    static Result measure(const TraceSource &store, const Request &request);

Q_SIGNALS:
    /// Emitted from the worker thread; connect queued.
    void measured(bs::WindowMeasurer::ResultPtr result);

private:
    void runPending();

    const TraceSource &m_store;
    LatestRequest<Request> m_requests;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::WindowMeasurer::ResultPtr)
