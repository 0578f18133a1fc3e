// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrumWindow.h"

#include <QCoreApplication>

#include <cmath>
#include <complex>
#include <numbers>

namespace bs {

namespace {
struct Coefficients
{
    double a[5];
    int terms;
};

Coefficients coefficients(SpectrumWindow window)
{
    switch (window) {
    case SpectrumWindow::Rectangular:
        return { { 1.0 }, 1 };
    case SpectrumWindow::Hann:
        return { { 0.5, 0.5 }, 2 };
    case SpectrumWindow::BlackmanHarris:
        return { { 0.35875, 0.48829, 0.14128, 0.01168 }, 4 };
    case SpectrumWindow::FlatTop:
        return { { 1.0, 1.9383379, 1.3045202, 0.4028270, 0.0350665 }, 5 };
    }
    return { { 1.0 }, 1 };
}

/// Σₙ e^{−j2πxn/N}, n = 0 … N−1 (the transform of N ones at x bins).
std::complex<double> dirichlet(double x, double n)
{
    using std::numbers::pi;
    const double den = std::sin(pi * x / n);
    const double mag = std::abs(den) < 1e-300 ? n : std::sin(pi * x) / den;
    return std::polar(mag, -pi * x * (n - 1) / n);
}
} // namespace

QString spectrumWindowName(SpectrumWindow window)
{
    switch (window) {
    case SpectrumWindow::Rectangular:
        return QCoreApplication::translate("bs::Spectrum", "Rectangular");
    case SpectrumWindow::Hann:
        return QCoreApplication::translate("bs::Spectrum", "Hann");
    case SpectrumWindow::BlackmanHarris:
        return QCoreApplication::translate("bs::Spectrum", "Blackman-Harris");
    case SpectrumWindow::FlatTop:
        return QCoreApplication::translate("bs::Spectrum", "Flat-top");
    }
    return {};
}

QString spectrumWindowKey(SpectrumWindow window)
{
    switch (window) {
    case SpectrumWindow::Rectangular:
        return QStringLiteral("rectangular");
    case SpectrumWindow::Hann:
        return QStringLiteral("hann");
    case SpectrumWindow::BlackmanHarris:
        return QStringLiteral("blackman-harris");
    case SpectrumWindow::FlatTop:
        return QStringLiteral("flat-top");
    }
    return {};
}

bool spectrumWindowFromKey(const QString &key, SpectrumWindow *out)
{
    for (SpectrumWindow w : kSpectrumWindows) {
        if (spectrumWindowKey(w) == key) {
            *out = w;
            return true;
        }
    }
    return false;
}

WindowTable WindowTable::make(SpectrumWindow window, std::size_t n)
{
    WindowTable t;
    t.window = window;
    t.w.resize(n);
    const Coefficients c = coefficients(window);
    double peak = 0; // the value at the centre, n/2: scaled to 1 (the flat-top's numbers sum to 4.68)
    for (int k = 0; k < c.terms; ++k)
        peak += c.a[k];
    const double step = 2.0 * std::numbers::pi / double(n);
    for (std::size_t i = 0; i < n; ++i) {
        double v = c.a[0];
        for (int k = 1; k < c.terms; ++k)
            v += ((k & 1) ? -c.a[k] : c.a[k]) * std::cos(step * double(k) * double(i));
        v /= peak;
        t.w[i] = v;
        t.sum += v;
        t.sumSquares += v * v;
    }
    return t;
}

double WindowTable::relativeResponse(double delta) const
{
    if (w.empty() || sum <= 0)
        return 0.0;
    // A cosine-sum window's transform is a sum of shifted Dirichlet kernels: closed form, O(terms).
    const Coefficients c = coefficients(window);
    const double n = double(w.size());
    std::complex<double> total = c.a[0] * dirichlet(delta, n);
    for (int k = 1; k < c.terms; ++k) {
        const double ck = ((k & 1) ? -c.a[k] : c.a[k]) / 2.0;
        total += ck * (dirichlet(delta - k, n) + dirichlet(delta + k, n));
    }
    return std::abs(total) / (c.a[0] * n);
}

} // namespace bs
