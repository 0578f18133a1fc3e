// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Spectrum.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>
#include <mutex>
#include <vector>

namespace bs {

/// One frame to transform: evenly spaced samples of one channel.
struct SpectrumInput
{
    std::vector<double> values; ///< in the channel's unit, oldest first
    double dt = 0; ///< seconds between samples
    QString channel, unit;
};
using SpectrumInputPtr = std::shared_ptr<const SpectrumInput>;
using SpectrumResultPtr = std::shared_ptr<const SpectrumResult>;

/// Computes spectra on the thread it lives on (moved to a worker QThread by whoever hosts it), so
/// the GUI thread never runs an FFT.
///
/// submit() may be called from any thread (the GUI's timer hands over the newest samples by shared
/// pointer, no copy). Only the newest input waits: one that arrives while another is still waiting
/// replaces it (counted in droppedInputs()), so a slow transform (a million points) never builds a
/// queue and the picture shows the newest data. Settings and reset() are thread-safe too and apply
/// from the next input on. Every input gives exactly one resultReady(), a refused one with its
/// error (fewer than 16 samples, dt ≤ 0, a sample that is not a number).
class SpectrumWorker : public QObject
{
    Q_OBJECT
public:
    explicit SpectrumWorker(QObject *parent = nullptr);

    void submit(SpectrumInputPtr input);
    void setSettings(const SpectrumSettings &settings);
    SpectrumSettings settings() const;
    /// Restarts the averaging with the next input.
    void reset();
    /// Inputs replaced by a newer one before the worker got to them.
    quint64 droppedInputs() const;
    quint64 computedInputs() const;

Q_SIGNALS:
    void resultReady(bs::SpectrumResultPtr result);

private:
    void process();

    mutable std::mutex m_mutex; // guards everything below but m_spectrum (worker thread only)
    SpectrumInputPtr m_pending;
    bool m_posted = false;
    SpectrumSettings m_settings;
    bool m_settingsChanged = false;
    bool m_reset = false;
    quint64 m_dropped = 0;
    quint64 m_computed = 0;
    Spectrum m_spectrum;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::SpectrumResultPtr)
