// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrumSource.h"

#include "TraceSource.h"

namespace bs {

SpectrumSource::SpectrumSource(const TraceSource &store, SpectrumWorker *worker, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_worker(worker)
{
}

void SpectrumSource::request(const Request &request)
{
    if (m_requests.post(request))
        QMetaObject::invokeMethod(this, &SpectrumSource::runPending, Qt::QueuedConnection);
}

void SpectrumSource::runPending()
{
    if (const std::optional<Request> next = m_requests.take())
        run(*next);
}

void SpectrumSource::run(const Request &request)
{
    // The newest run of samples without a gap, at most DefaultMaxSamples of them: a spectrum
    // across missing samples would be wrong.
    std::vector<double> times, values;
    const TimeRange held = m_store.timeRange(request.key);
    const double to = held.valid ? std::min(request.to, held.last) : request.to;
    m_store.readSamples(
        request.key, request.from, to,
        [&](const double *t, const double *v, std::size_t n) {
            times.insert(times.end(), t, t + n);
            values.insert(values.end(), v, v + n);
            if (times.size() > 2 * DefaultMaxSamples) { // keep the newest, bounded
                const std::size_t drop = times.size() - DefaultMaxSamples;
                times.erase(times.begin(), times.begin() + std::ptrdiff_t(drop));
                values.erase(values.begin(), values.begin() + std::ptrdiff_t(drop));
            }
        },
        [&] {
            times.clear();
            values.clear();
        });
    if (times.size() > DefaultMaxSamples) {
        const std::size_t drop = times.size() - DefaultMaxSamples;
        times.erase(times.begin(), times.begin() + std::ptrdiff_t(drop));
        values.erase(values.begin(), values.begin() + std::ptrdiff_t(drop));
    }
    auto refuse = [&](const QString &why) {
        auto r = std::make_shared<SpectrumResult>();
        r->error = why;
        r->channel = request.label;
        r->unit = request.unit;
        Q_EMIT refused(r);
    };
    if (times.size() < 16) {
        refuse(times.empty() ? tr("%1: no samples in the time window shown").arg(request.label)
                             : tr("%1: only %n sample(s) in the window shown; a spectrum needs at least 16 "
                                  "(show a longer time span)", nullptr, int(times.size()))
                                   .arg(request.label));
        return;
    }
    const SpacingCheck spacing = checkEvenSpacing(times.data(), times.size());
    if (!spacing.even) {
        refuse(tr("%1 is not sampled evenly, so it has no spectrum: %2").arg(request.label, spacing.reason));
        return;
    }
    auto input = std::make_shared<SpectrumInput>();
    input->values = std::move(values);
    input->dt = spacing.dt;
    input->channel = request.label;
    input->unit = request.unit;
    m_worker->submit(input);
}

} // namespace bs
