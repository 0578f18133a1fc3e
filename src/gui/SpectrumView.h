// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <SpectrumWorker.h>

#include <QJsonObject>
#include <QVector>
#include <QWidget>

class QCPGraph;
class QCPItemText;
class QCPItemTracer;
class QCPRange;
class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QSpinBox;
class QToolBar;
class QToolButton;

namespace bs {

/// The spectrum of one channel (issue 14): amplitude against frequency from the results of a
/// SpectrumWorker, which computes on its own thread (the view never runs an FFT).
///
/// Controls: window (Rectangular, Hann, Blackman-Harris, Flat-top), vertical scale (dB relative to
/// 1 unit RMS — dBV for volts — or linear RMS in the channel's unit), frequency axis (linear or
/// logarithmic), averaging (Off, Last N — linear — or Exponential over N frames, Restart), the peak marker.
/// The peak label reads "f = 1.000 kHz, −3.01 dBV": the refined frequency and the RMS amplitude of
/// the largest tone (DC left out). A status line says how many points, the bin width, the window
/// and how many frames are averaged, or why there is no spectrum.
///
/// At most 2 points per pixel column are drawn (the smallest and largest bin of each column), so
/// a million-point spectrum draws as fast as a small one and no peak is lost. Wheel zooms the
/// frequency axis, dragging pans it, a double-click shows the whole spectrum again.
class SpectrumView : public QWidget
{
    Q_OBJECT
public:
    enum class Scale { Decibels, Linear };

    explicit SpectrumView(QWidget *parent = nullptr);
    ~SpectrumView() override;

    /// Connects this view to a worker (on any thread): settings and Restart go to it, its results
    /// come here (queued when it lives on another thread).
    void attach(SpectrumWorker *worker);

    SpectrumSettings settings() const { return m_settings; }
    void setSettings(const SpectrumSettings &settings);
    Scale scale() const { return m_scale; }
    void setScale(Scale scale);
    bool logFrequency() const { return m_logFrequency; }
    void setLogFrequency(bool on);
    bool peakShown() const { return m_peakShown; }
    void setPeakShown(bool on);

    /// The view's choices for the session's `views` array: `{"type":"spectrum","window":"hann",
    /// "scale":"db"|"linear","frequency_axis":"linear"|"log","averaging":"off"|"linear"|"exponential",
    /// "averages":8,"peak":true}` (the host adds which channel it shows).
    QJsonObject saveState() const;
    /// Restores saved choices; missing or unknown members keep their current values (lenient, like
    /// the scope's). Emits settingsChanged.
    void restoreState(const QJsonObject &state);

    /// Shows a result (the worker's resultReady).
    void setResult(bs::SpectrumResultPtr result);
    SpectrumResultPtr result() const { return m_result; }

    /// The peak label's text ("f = 1.000 kHz, −3.01 dBV"), empty without a peak.
    QString peakText() const;
    /// The status line's text.
    QString statusText() const;
    /// The vertical unit shown: "dBV", "dB re 1 µm", "V RMS", …
    QString valueUnit() const;
    /// Shows the whole frequency range again.
    void showAll();

    QCustomPlot *plot() const { return m_plot; }
    QToolBar *controls() const { return m_controls; }
    QCPGraph *graph() const { return m_graph; }
    /// The circle on the peak (at the refined frequency and amplitude).
    QCPItemTracer *peakMarker() const { return m_tracer; }
    /// Pixel columns of the plot area at the last redraw and the points drawn then.
    int columns() const { return m_columns; }
    int pointsDrawn() const { return m_points; }

    /// The value of a bin's RMS reading on the current scale.
    double displayValue(double rms) const;

Q_SIGNALS:
    void settingsChanged(const bs::SpectrumSettings &settings);
    void restartRequested();

private:
    void buildControls();
    void setupPlot();
    void syncControls();
    void applyControls();
    void redraw();
    void rebuildData();
    void autoscaleValues();
    void updatePeak();
    void onXRangeChanged(const QCPRange &range);

    SpectrumSettings m_settings;
    Scale m_scale = Scale::Decibels;
    bool m_logFrequency = false;
    bool m_peakShown = true;
    bool m_userZoomed = false;
    bool m_programmatic = false;
    SpectrumResultPtr m_result;

    QToolBar *m_controls = nullptr;
    QComboBox *m_windowBox = nullptr;
    QComboBox *m_scaleBox = nullptr;
    QComboBox *m_axisBox = nullptr;
    QComboBox *m_averagingBox = nullptr;
    QSpinBox *m_averagesBox = nullptr;
    QToolButton *m_restartButton = nullptr;
    QCheckBox *m_peakBox = nullptr;
    QLabel *m_status = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPGraph *m_graph = nullptr;
    QCPItemTracer *m_tracer = nullptr;
    QCPItemText *m_peakLabel = nullptr;
    QCPItemText *m_emptyItem = nullptr;
    int m_columns = 0;
    int m_points = 0;
};

} // namespace bs
