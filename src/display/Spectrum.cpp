// SPDX-License-Identifier: GPL-3.0-or-later
#include "Spectrum.h"

#include <EngineeringFormat.h>

#include <QCoreApplication>

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <list>
#include <mutex>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::Spectrum", text);
}

/// FFTW's planner (and fftw_destroy_plan) may run on one thread at a time; so is the cache.
std::mutex &plannerMutex()
{
    static std::mutex m;
    return m;
}

constexpr std::size_t kAlignment = 64; // ≥ every SIMD alignment FFTW uses; the same for plan and runs

double *alignedDoubles(std::size_t count)
{
    const std::size_t bytes = (count * sizeof(double) + kAlignment - 1) / kAlignment * kAlignment;
    return static_cast<double *>(std::aligned_alloc(kAlignment, std::max(bytes, kAlignment)));
}

constexpr std::size_t kCachedPlans = 8; // lengths kept (a view rarely switches between more)
constexpr std::size_t kCachedWindows = 16; // (length, window) tables kept
} // namespace

/// A plan for real-to-complex transforms of one length, shared by every Spectrum of that length.
struct SpectrumFftPlan
{
    std::size_t n = 0;
    fftw_plan plan = nullptr;
    ~SpectrumFftPlan()
    {
        const std::lock_guard lock(plannerMutex());
        fftw_destroy_plan(plan);
    }
};

namespace {
struct Cache
{
    std::list<std::shared_ptr<const SpectrumFftPlan>> plans; // newest use first
    std::list<std::shared_ptr<const WindowTable>> windows;
};

Cache &cache()
{
    static Cache c;
    return c;
}
} // namespace

double SpectrumResult::decibels(double rms)
{
    return rms > 0 ? std::max(-400.0, 20.0 * std::log10(rms)) : -400.0;
}

SpacingCheck checkEvenSpacing(const double *times, std::size_t n, double tolerance)
{
    SpacingCheck c;
    if (n < 2) {
        c.reason = tr("There are fewer than two samples: no sample interval.");
        return c;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(times[i])) {
            c.reason = tr("The time of sample %1 is not a number.").arg(i);
            return c;
        }
    }
    c.dt = (times[n - 1] - times[0]) / double(n - 1);
    if (!(c.dt > 0)) {
        c.dt = 0;
        c.reason = tr("The sample times do not increase.");
        return c;
    }
    // Each interval against the median one (a single gap does not move it, unlike the mean).
    std::vector<double> steps(n - 1);
    for (std::size_t i = 1; i < n; ++i)
        steps[i - 1] = times[i] - times[i - 1];
    std::vector<double> sorted = steps;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2), sorted.end());
    const double typical = sorted[sorted.size() / 2];
    const QString s = QStringLiteral("s");
    for (std::size_t i = 1; i < n; ++i) {
        if (!(std::abs(steps[i - 1] - typical) <= tolerance * typical)) {
            c.reason = tr("Samples %1 and %2 are %3 apart where the others are %4 apart (a gap, or times "
                          "that are not evenly spaced): a spectrum needs evenly spaced samples.")
                           .arg(i - 1)
                           .arg(i)
                           .arg(EngineeringFormat::format(steps[i - 1], s, 4),
                               EngineeringFormat::format(typical, s, 4));
            return c;
        }
    }
    c.even = true;
    return c;
}

Spectrum::Spectrum(const SpectrumSettings &settings)
    : m_settings(settings)
{
    m_settings.averages = std::clamp(m_settings.averages, 1, SpectrumSettings::kMaxAverages);
    m_settings.maxSamples = std::max(m_settings.maxSamples, kMinSamples);
}

Spectrum::~Spectrum() = default;

void Spectrum::setSettings(const SpectrumSettings &settings)
{
    SpectrumSettings s = settings;
    s.averages = std::clamp(s.averages, 1, SpectrumSettings::kMaxAverages);
    s.maxSamples = std::max(s.maxSamples, kMinSamples);
    if (s.window != m_settings.window || s.averaging != m_settings.averaging || s.averages != m_settings.averages)
        reset();
    m_settings = s;
}

void Spectrum::reset()
{
    m_frames = 0;
    m_avg.clear();
    m_ring.clear();
    m_ringNext = 0;
    m_avgN = 0;
    m_avgDt = 0;
}

bool Spectrum::prepare(std::size_t n)
{
    const SpectrumWindow window = m_settings.window;
    if (n == m_n && m_plan && m_table && m_table->window == window)
        return true;
    if (n != m_n || !m_in || !m_out) {
        m_plan.reset();
        m_table.reset();
        m_in.reset(alignedDoubles(n));
        m_out.reset(alignedDoubles(2 * (n / 2 + 1)));
        m_n = m_in && m_out ? n : 0;
        if (m_n == 0)
            return false;
    }
    auto findTable = [n, window](Cache &c) -> std::shared_ptr<const WindowTable> {
        auto it = std::find_if(c.windows.begin(), c.windows.end(),
            [n, window](const auto &t) { return t->w.size() == n && t->window == window; });
        if (it == c.windows.end())
            return nullptr;
        c.windows.splice(c.windows.begin(), c.windows, it);
        return *it;
    };
    {
        std::shared_ptr<const SpectrumFftPlan> evicted; // destroyed after the lock is let go (its destructor takes it)
        const std::lock_guard lock(plannerMutex());
        Cache &c = cache();
        if (!m_plan) {
            auto it = std::find_if(c.plans.begin(), c.plans.end(), [n](const auto &p) { return p->n == n; });
            if (it != c.plans.end()) {
                m_plan = *it;
                c.plans.splice(c.plans.begin(), c.plans, it);
            } else {
                auto plan = std::make_shared<SpectrumFftPlan>();
                plan->n = n;
                // Planned on this object's arrays (FFTW_ESTIMATE does not touch them); every array
                // executed later has the same alignment (kAlignment), as fftw_execute_dft_r2c requires.
                plan->plan = fftw_plan_dft_r2c_1d(int(n), m_in.get(), reinterpret_cast<fftw_complex *>(m_out.get()),
                    FFTW_ESTIMATE);
                if (!plan->plan)
                    return false;
                m_plan = plan;
                c.plans.push_front(m_plan);
                if (c.plans.size() > kCachedPlans) { // destroyed when its last user lets go
                    evicted = std::move(c.plans.back());
                    c.plans.pop_back();
                }
            }
        }
        m_table = findTable(c);
    }
    if (!m_table) {
        // Built without the lock (0.1 s for a million points): other threads plan meanwhile. Two
        // threads building the same table at once both succeed; the cache keeps one.
        auto table = std::make_shared<const WindowTable>(WindowTable::make(window, n));
        const std::lock_guard lock(plannerMutex());
        Cache &c = cache();
        m_table = findTable(c);
        if (!m_table) {
            m_table = std::move(table);
            c.windows.push_front(m_table);
            if (c.windows.size() > kCachedWindows)
                c.windows.pop_back();
        }
    }
    return true;
}

SpectrumResult Spectrum::compute(const double *values, std::size_t count, double dt)
{
    SpectrumResult r;
    r.window = m_settings.window;
    r.averaging = m_settings.averaging;
    if (count < kMinSamples) {
        r.error = tr("A spectrum needs at least %1 samples; there are %2.").arg(kMinSamples).arg(count);
        return r;
    }
    if (!std::isfinite(dt) || dt <= 0) {
        r.error = tr("The sample interval is %1: a spectrum needs evenly spaced samples a positive time apart.")
                      .arg(EngineeringFormat::format(dt, QStringLiteral("s"), 4));
        return r;
    }
    const std::size_t n = std::min(count, m_settings.maxSamples);
    const double *x = values + (count - n);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i)
        bad += std::isfinite(x[i]) ? 0 : 1;
    if (bad > 0) {
        r.error = tr("%1 of the %2 samples are not numbers (a gap or an over-range reading): a spectrum needs "
                     "a run of valid samples.")
                      .arg(bad)
                      .arg(n);
        return r;
    }
    if (n > std::size_t(std::numeric_limits<int>::max())) {
        r.error = tr("Too many samples for one spectrum.");
        return r;
    }

    if (!prepare(n)) {
        r.error = tr("Not enough memory for a spectrum of %1 samples.").arg(n);
        return r;
    }
    const WindowTable &t = *m_table;
    double *in = m_in.get();
    for (std::size_t i = 0; i < n; ++i)
        in[i] = x[i] * t.w[i];
    auto *out = reinterpret_cast<fftw_complex *>(m_out.get());
    fftw_execute_dft_r2c(m_plan->plan, in, out);

    // |X[k]| / Σw is half the peak amplitude of a tone at bin k (the other half is at −k): its
    // RMS is √2 · |X[k]| / Σw, power 2 |X[k]|² / (Σw)². DC and Nyquist have no mirror: |X| / Σw.
    const std::size_t bins = n / 2 + 1;
    m_power.resize(bins);
    const double inv = 1.0 / (t.sum * t.sum);
    for (std::size_t k = 0; k < bins; ++k) {
        const double p = (out[k][0] * out[k][0] + out[k][1] * out[k][1]) * inv;
        const bool single = k == 0 || (n % 2 == 0 && k == n / 2);
        m_power[k] = single ? p : 2.0 * p;
    }

    r.samples = n;
    r.skippedSamples = count - n;
    r.binWidth = 1.0 / (double(n) * dt);
    r.coherentGain = t.coherentGain();
    r.enbwBins = t.enbwBins();
    accumulate(r);
    r.peak = findPeak(r);
    return r;
}

void Spectrum::accumulate(SpectrumResult &r)
{
    const std::size_t bins = m_power.size();
    const std::size_t n = r.samples;
    const double dt = 1.0 / (r.binWidth * double(n));
    if (m_frames > 0 && (n != m_avgN || std::abs(dt - m_avgDt) > 1e-9 * m_avgDt))
        reset();
    m_avgN = n;
    m_avgDt = dt;
    r.rms.resize(bins);

    int target = m_settings.averages;
    if (m_settings.averaging == SpectrumAveraging::Linear)
        target = int(std::clamp<std::size_t>(kMaxAverageBytes / (bins * sizeof(double)), 1, std::size_t(target)));
    r.averages = m_settings.averaging == SpectrumAveraging::Off ? 1 : target;

    switch (m_settings.averaging) {
    case SpectrumAveraging::Off:
        m_frames = 1;
        for (std::size_t k = 0; k < bins; ++k)
            r.rms[k] = std::sqrt(m_power[k]);
        break;
    case SpectrumAveraging::Exponential: {
        ++m_frames;
        if (m_frames == 1) {
            m_avg = m_power;
        } else {
            const double a = 1.0 / double(std::min(m_frames, target));
            for (std::size_t k = 0; k < bins; ++k)
                m_avg[k] += a * (m_power[k] - m_avg[k]);
        }
        for (std::size_t k = 0; k < bins; ++k)
            r.rms[k] = std::sqrt(std::max(0.0, m_avg[k]));
        break;
    }
    case SpectrumAveraging::Linear: {
        const auto ringSize = std::size_t(target);
        if (m_ring.size() > ringSize) // N lowered: start again
            reset();
        if (m_avg.size() != bins)
            m_avg.assign(bins, 0.0);
        if (m_ring.size() < ringSize) {
            m_ring.push_back(m_power);
            for (std::size_t k = 0; k < bins; ++k)
                m_avg[k] += m_power[k];
            m_ringNext = m_ring.size() % ringSize;
        } else {
            std::vector<double> &old = m_ring[m_ringNext];
            for (std::size_t k = 0; k < bins; ++k)
                m_avg[k] += m_power[k] - old[k];
            old = m_power;
            m_ringNext = (m_ringNext + 1) % ringSize;
            if (m_ringNext == 0) { // once per turn: the sum afresh, so rounding cannot build up
                std::fill(m_avg.begin(), m_avg.end(), 0.0);
                for (const auto &frame : m_ring)
                    for (std::size_t k = 0; k < bins; ++k)
                        m_avg[k] += frame[k];
            }
        }
        m_frames = int(m_ring.size());
        const double inv = 1.0 / double(m_ring.size());
        for (std::size_t k = 0; k < bins; ++k)
            r.rms[k] = std::sqrt(std::max(0.0, m_avg[k] * inv));
        break;
    }
    }
    r.frames = m_frames;
}

std::optional<SpectrumPeak> Spectrum::findPeak(const SpectrumResult &r) const
{
    const std::size_t bins = r.rms.size();
    const std::size_t first = m_settings.peakExcludesDc ? 1 : 0;
    if (bins <= first)
        return std::nullopt;
    const auto it = std::max_element(r.rms.begin() + std::ptrdiff_t(first), r.rms.end());
    SpectrumPeak p;
    p.bin = std::size_t(it - r.rms.begin());
    p.binRms = *it;
    p.rms = p.binRms;
    p.frequency = r.frequency(p.bin);
    if (p.binRms <= 0)
        return p;
    // Where between the bins the tone is: the larger neighbour's share, matched against the window's
    // own response (|W(δ−1)| / |W(δ)| grows monotonically from δ = 0 to 0.5 for all four windows,
    // whose main lobes are at least 2 bins wide). Exact for a lone tone; the peak at DC or at the
    // last bin keeps its bin's centre.
    if (p.bin > 0 && p.bin + 1 < bins) {
        const double left = r.rms[p.bin - 1], right = r.rms[p.bin + 1];
        const int side = right >= left ? 1 : -1;
        const double ratio = std::min(1.0, std::max(left, right) / p.binRms);
        const WindowTable &t = *m_table;
        auto share = [&t](double d) { return t.relativeResponse(d - 1.0) / std::max(t.relativeResponse(d), 1e-300); };
        double lo = 0, hi = 0.5;
        if (ratio <= share(0.0)) {
            hi = 0;
        } else {
            for (int i = 0; i < 26; ++i) { // to 0.5 / 2^26 = 7.5e-9 bins
                const double mid = 0.5 * (lo + hi);
                (share(mid) < ratio ? lo : hi) = mid;
            }
        }
        p.offsetBins = side * 0.5 * (lo + hi);
        const double response = t.relativeResponse(p.offsetBins);
        if (response > 0)
            p.rms = p.binRms / response;
        p.frequency = (double(p.bin) + p.offsetBins) * r.binWidth;
    }
    return p;
}

} // namespace bs
