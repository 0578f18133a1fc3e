// SPDX-License-Identifier: GPL-3.0-or-later
// Spectrum: time of one spectrum (window, FFT, amplitude, peak) for 1 Ki … 1 Mi points with each
// window, the spectra per second it allows on one core, against the bare FFTW transform of the same
// length measured in the same run. Prints figures only; not a unit test.
//
// Then the GUI thread's share: SpectrumView showing a result (min/max per pixel column of the
// bins, labels, replot) at 1000 pixel columns, offscreen.
//
//   bench_spectrum [--seconds S]   (S: time spent on each case, default 0.3)
#include <Spectrum.h>
#include <SpectrumView.h>

#include <QApplication>
#include <QStringList>
#include <qcustomplot.h>

#include <fftw3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace bs;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::vector<double> signal(std::size_t n)
{
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0.0, 1e-3);
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = std::sin(2 * M_PI * 1000.3 * double(i) * 1e-6) + g(rng);
    return v;
}

/// Median seconds per call of `fn`, calling it for about `budget` seconds (at least 3 times).
template<typename F>
double medianTime(double budget, F &&fn)
{
    std::vector<double> times;
    const auto start = Clock::now();
    while (times.size() < 3 || (secondsSince(start) < budget && times.size() < 100000)) {
        const auto t0 = Clock::now();
        fn();
        times.push_back(secondsSince(t0));
    }
    std::nth_element(times.begin(), times.begin() + std::ptrdiff_t(times.size() / 2), times.end());
    return times[times.size() / 2];
}

/// The bare transform: FFTW_ESTIMATE plan (as Spectrum makes), fftw_execute only.
double bareFft(std::size_t n, double budget)
{
    double *in = fftw_alloc_real(n);
    fftw_complex *out = fftw_alloc_complex(n / 2 + 1);
    const fftw_plan plan = fftw_plan_dft_r2c_1d(int(n), in, out, FFTW_ESTIMATE);
    const auto v = signal(n);
    std::copy(v.begin(), v.end(), in);
    const double t = medianTime(budget, [&] { fftw_execute(plan); });
    fftw_destroy_plan(plan);
    fftw_free(in);
    fftw_free(out);
    return t;
}

QString sizeName(std::size_t n)
{
    if (n % (std::size_t(1) << 20) == 0)
        return QStringLiteral("%1 Mi").arg(n >> 20);
    if (n % 1024 == 0)
        return QStringLiteral("%1 Ki").arg(n >> 10);
    return QString::number(n);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    double budget = 0.3;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args[i] == QLatin1String("--seconds"))
            budget = std::clamp(args[i + 1].toDouble(), 0.01, 60.0);

    std::printf("Spectrum of one channel, one thread; median of repeated runs (%.2f s per case)\n", budget);
    std::printf("%-8s %-16s %12s %12s %14s %12s %10s\n", "points", "window", "first (ms)", "each (ms)", "spectra/s",
        "MS/s", "x bare FFT");
    const std::vector<std::size_t> sizes { 1024, 4096, 16384, 65536, 262144, 1048576, 1000000 };
    for (std::size_t n : sizes) {
        const auto v = signal(n);
        const double bare = bareFft(n, budget);
        std::printf("%-8s %-16s %12s %12.4f %14.1f %12.1f %10s\n", qPrintable(sizeName(n)), "(bare FFTW)", "",
            bare * 1e3, 1.0 / bare, double(n) / bare / 1e6, "1.00");
        for (SpectrumWindow w : kSpectrumWindows) {
            SpectrumSettings s;
            s.window = w;
            Spectrum sp(s);
            const auto t0 = Clock::now();
            const auto first = sp.compute(v.data(), n, 1e-6); // plan (or cache hit) and window table
            const double firstTime = secondsSince(t0);
            if (!first.ok()) {
                std::printf("refused: %s\n", qPrintable(first.error));
                return 1;
            }
            const double each = medianTime(budget, [&] { (void)sp.compute(v.data(), n, 1e-6); });
            std::printf("%-8s %-16s %12.3f %12.4f %14.1f %12.1f %10.2f\n", qPrintable(sizeName(n)),
                qPrintable(spectrumWindowName(w)), firstTime * 1e3, each * 1e3, 1.0 / each, double(n) / each / 1e6,
                each / bare);
        }
    }
    // Averaging adds one pass over the bins (linear: a ring of N spectra).
    const std::size_t n = std::size_t(1) << 20;
    const auto v = signal(n);
    for (SpectrumAveraging a : { SpectrumAveraging::Linear, SpectrumAveraging::Exponential }) {
        SpectrumSettings s;
        s.averaging = a;
        s.averages = 8;
        Spectrum sp(s);
        const double each = medianTime(budget, [&] { (void)sp.compute(v.data(), n, 1e-6); });
        std::printf("%-8s %-16s %12s %12.4f %14.1f %12.1f\n", "1 Mi",
            a == SpectrumAveraging::Linear ? "Hann, linear 8" : "Hann, exp. 8", "", each * 1e3, 1.0 / each,
            double(n) / each / 1e6);
    }
    std::printf("MS/s: samples per second one core could turn into back-to-back spectra (no overlap).\n\n");

    // The GUI thread: a result handed to the view (decimation to the pixel columns, peak label,
    // axes) and the replot that draws it.
    std::printf("SpectrumView on the GUI thread (plot area %s px wide, offscreen)\n", "~1000");
    std::printf("%-8s %14s %14s %12s %12s\n", "points", "setResult (ms)", "replot (ms)", "columns", "points drawn");
    SpectrumView view;
    view.resize(1100, 500);
    view.show();
    QApplication::processEvents();
    for (std::size_t len : { std::size_t(4096), std::size_t(65536), std::size_t(1) << 20 }) {
        Spectrum sp;
        const auto x = signal(len);
        auto r = std::make_shared<SpectrumResult>(sp.compute(x.data(), len, 1e-6));
        r->unit = QStringLiteral("V");
        view.setResult(r);
        view.plot()->replot();
        const double set = medianTime(budget, [&] { view.setResult(r); });
        const double draw = medianTime(budget, [&] { view.plot()->replot(); });
        std::printf("%-8s %14.3f %14.3f %12d %12d\n", qPrintable(sizeName(len)), set * 1e3, draw * 1e3, view.columns(),
            view.pointsDrawn());
    }
    return 0;
}
