// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SpectrumWindow.h"

#include <QString>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

namespace bs {

/// How successive spectra are combined. Both average power (the square of the RMS reading), never
/// decibels, so noise settles at its true mean level and a steady tone keeps its amplitude.
enum class SpectrumAveraging {
    Off, ///< every frame on its own
    Linear, ///< the mean power of the last N frames (a moving average, equal weights)
    Exponential, ///< each new frame weighs 1/N (1/k for the first k < N frames after a reset)
};

struct SpectrumSettings
{
    SpectrumWindow window = SpectrumWindow::Hann;
    SpectrumAveraging averaging = SpectrumAveraging::Off;
    int averages = 8; ///< N of the averaging, 1 … kMaxAverages
    bool peakExcludesDc = true; ///< the peak marker skips bin 0 (an offset is rarely what is looked for)
    std::size_t maxSamples = std::size_t(1) << 20; ///< longer inputs: only the newest this many are used

    static constexpr int kMaxAverages = 1000;
};

/// The largest bin of a spectrum, refined to where the tone really is.
struct SpectrumPeak
{
    std::size_t bin = 0;
    double offsetBins = 0; ///< the tone's distance from the bin's centre, −0.5 … 0.5
    double frequency = 0; ///< Hz: (bin + offsetBins) · binWidth
    double binRms = 0; ///< what the bin itself reads, channel unit RMS
    double rms = 0; ///< the tone's RMS amplitude: binRms corrected for the window's response at offsetBins
};

/// A one-sided amplitude spectrum in RMS of the channel's unit.
///
/// "Amplitude" is the RMS value of the sine each bin stands for, as scope FFTs show it: a sine of
/// peak amplitude A on a bin reads A/√2 (1 V peak: 0.707 V RMS, −3.01 dBV), a DC level reads its
/// value (its magnitude), and a tone exactly at the Nyquist frequency reads the RMS of the
/// alternating samples it leaves. The window's coherent gain is divided out, so every window reads
/// a bin-centred tone alike; between bins the Hann, Blackman-Harris and rectangular windows read
/// lower (scalloping), the flat-top does not, and the peak marker corrects for it. Broadband noise
/// reads higher with wider windows (by their noise bandwidth): compare noise levels only with the
/// same window and length.
struct SpectrumResult
{
    QString error; ///< why there is no spectrum (in a technician's words); empty when there is one
    QString channel, unit; ///< what was transformed (filled by SpectrumWorker from its input)
    std::vector<double> rms; ///< bins 0 … N/2, channel unit RMS
    double binWidth = 0; ///< Hz between bins: 1 / (N · dt)
    std::size_t samples = 0; ///< N, the samples transformed (the newest ones of the input)
    std::size_t skippedSamples = 0; ///< older input samples left out (beyond maxSamples)
    SpectrumWindow window = SpectrumWindow::Hann;
    double coherentGain = 0;
    double enbwBins = 0; ///< equivalent noise bandwidth in bins
    SpectrumAveraging averaging = SpectrumAveraging::Off;
    int averages = 1; ///< N in effect (lowered when N frames would not fit in kMaxAverageBytes)
    int frames = 0; ///< frames in this result's average (1 without averaging)
    std::optional<SpectrumPeak> peak;

    bool ok() const { return error.isEmpty(); }
    double frequency(std::size_t bin) const { return double(bin) * binWidth; }
    /// dB relative to 1 unit RMS (dBV for volts): 20·log10(rms / 1), floored at −400 dB for 0.
    static double decibels(double rms);
};

/// Whether sample times are evenly spaced, and the interval.
struct SpacingCheck
{
    bool even = false;
    double dt = 0; ///< the mean interval (last − first) / (n − 1) when the times increase
    QString reason; ///< why not, naming the samples and the intervals
};

/// Checks that every interval of `times` is within `tolerance` (relative) of the median interval:
/// what a spectrum needs. The default 0.1 % allows the rounding of session times (and clock
/// jitter), not a missing sample.
SpacingCheck checkEvenSpacing(const double *times, std::size_t n, double tolerance = 1e-3);

struct SpectrumFftPlan; // a cached FFTW plan (Spectrum.cpp)

/// Computes spectra of one channel through FFTW, frame after frame, with averaging.
///
/// Not thread-safe itself: one object per worker. Many objects on many threads are fine: FFTW
/// plans are shared through a process-wide cache (per length), created and destroyed under one
/// mutex (FFTW's planner is not thread-safe), and executed on each object's own arrays
/// (fftw_execute_dft_r2c). Plans are made with FFTW_ESTIMATE (no measuring run: a new length costs
/// microseconds, not seconds). Inputs of any length work (FFTW handles every size, primes
/// included); the newest `maxSamples` are used.
///
/// Averaging restarts by itself when anything that changes the bins changes: the length, the
/// sample interval, the window, the averaging mode or N; reset() restarts it on demand (after a
/// change of the signal, a new trigger, …).
class Spectrum
{
public:
    static constexpr std::size_t kMinSamples = 16;
    /// The linear average keeps the last N power spectra; N is lowered so they fit in this.
    static constexpr std::size_t kMaxAverageBytes = std::size_t(256) << 20;

    explicit Spectrum(const SpectrumSettings &settings = {});
    ~Spectrum();
    Spectrum(const Spectrum &) = delete;
    Spectrum &operator=(const Spectrum &) = delete;

    const SpectrumSettings &settings() const { return m_settings; }
    void setSettings(const SpectrumSettings &settings);
    void reset();

    /// One frame: `n` samples of one channel, `dt` seconds apart. Refused (result.error) with
    /// fewer than kMinSamples samples, dt not > 0, or a sample that is not a number.
    SpectrumResult compute(const double *values, std::size_t n, double dt);

private:
    struct AlignedFree
    {
        void operator()(void *p) const { std::free(p); }
    };
    /// Arrays, plan and window table for `n` points; false when memory or FFTW fails.
    bool prepare(std::size_t n);
    void accumulate(SpectrumResult &r);
    std::optional<SpectrumPeak> findPeak(const SpectrumResult &r) const;

    SpectrumSettings m_settings;
    std::shared_ptr<const SpectrumFftPlan> m_plan;
    std::shared_ptr<const WindowTable> m_table;
    std::unique_ptr<double, AlignedFree> m_in;
    std::unique_ptr<double, AlignedFree> m_out; ///< N/2 + 1 complex values (re, im pairs)
    std::size_t m_n = 0;
    std::vector<double> m_power; ///< this frame's power per bin

    // averaging state
    double m_avgDt = 0;
    std::size_t m_avgN = 0;
    int m_frames = 0; ///< frames since the last reset
    std::vector<double> m_avg; ///< exponential: the average; linear: the sum of the ring
    std::vector<std::vector<double>> m_ring; ///< linear: the last frames' power
    std::size_t m_ringNext = 0;
};

} // namespace bs
