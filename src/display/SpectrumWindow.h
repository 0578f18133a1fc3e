// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstddef>
#include <vector>

namespace bs {

/// The weighting applied to a frame before its FFT (the "window" of a scope's FFT menu).
enum class SpectrumWindow {
    Rectangular, ///< no weighting: narrowest peak, but a tone between bins reads up to 3.9 dB low and leaks far
    Hann, ///< the general choice: −31 dB side lobes, up to 1.4 dB low between bins
    BlackmanHarris, ///< 4-term, −92 dB side lobes: small tones beside large ones (dynamic range)
    FlatTop, ///< HFT95: amplitude within 0.005 dB wherever the tone falls, at the cost of a wide peak
};

/// Every window, in the order of the enum (for menus and loops).
constexpr SpectrumWindow kSpectrumWindows[] = { SpectrumWindow::Rectangular, SpectrumWindow::Hann,
    SpectrumWindow::BlackmanHarris, SpectrumWindow::FlatTop };

/// The name shown to the user ("Flat-top").
QString spectrumWindowName(SpectrumWindow window);
/// The stable key used in sessions ("rectangular", "hann", "blackman-harris", "flat-top").
QString spectrumWindowKey(SpectrumWindow window);
/// The window of a key, or false when the key is unknown (`out` unchanged).
bool spectrumWindowFromKey(const QString &key, SpectrumWindow *out);

/// The coefficients of a window of N points and the figures derived from them.
///
/// All four are sums of cosines, used in their periodic ("DFT-even") form
/// w[n] = Σₖ (−1)ᵏ aₖ cos(2πkn/N), n = 0 … N−1, which is what a spectrum of N bins needs
/// (the symmetric form of filter design would put the zeros of the window's transform off the bins):
///
/// - Rectangular: a₀ = 1.
/// - Hann: a₀ = a₁ = 0.5.
/// - Blackman-Harris, 4 terms, −92 dB: 0.35875, 0.48829, 0.14128, 0.01168 (F. J. Harris, "On the use
///   of windows for harmonic analysis with the discrete Fourier transform", Proc. IEEE 66, 1978).
/// - Flat-top: HFT95 from G. Heinzel, A. Rüdiger, R. Schilling, "Spectrum and spectral density
///   estimation by the Discrete Fourier transform (DFT)", Max-Planck-Institut für
///   Gravitationsphysik, 2002: 1, 1.9383379, 1.3045202, 0.4028270, 0.0350665 (five terms). Its
///   amplitude error for a tone anywhere between two bins is below 0.0044 dB and its side lobes are
///   at −95 dB, as low as Blackman-Harris', so switching to it buries no small tone. The flat-tops
///   of analyser makers (Stanford Research's SR785, HP, the one in MATLAB) are five-term windows
///   of the same kind with slightly different numbers (−77 … −93 dB side lobes, 0.01–0.02 dB error).
///
/// The coherent gain (Σw / N) is what a tone's bin is divided by to read its amplitude; the
/// equivalent noise bandwidth (N Σw² / (Σw)², in bins) is how much wider than one bin the window
/// sees noise.
struct WindowTable
{
    SpectrumWindow window = SpectrumWindow::Rectangular;
    std::vector<double> w;
    double sum = 0; ///< Σw
    double sumSquares = 0; ///< Σw²

    static WindowTable make(SpectrumWindow window, std::size_t n);
    double coherentGain() const { return w.empty() ? 0.0 : sum / double(w.size()); }
    double enbwBins() const { return sum > 0 ? double(w.size()) * sumSquares / (sum * sum) : 0.0; }
    /// |W(δ)| / W(0): the window's response to a tone δ bins (any real number) away from a bin
    /// centre, 1 at δ = 0. What a peak is divided by to read the tone's amplitude.
    double relativeResponse(double delta) const;
};

} // namespace bs
