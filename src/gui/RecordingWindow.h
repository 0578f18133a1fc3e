// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

#include <memory>

class QDockWidget;
class QLabel;

namespace bs {

class MeasurementsPanel;
class RecordingTraceSource;
class ScopeView;
class SpectrumPanel;
class StatisticsPanel;
class ViewDataExporter;

/// A recording opened with File ▸ Open Recording: the same scope (lanes, zoom down to single
/// samples, cursors, gaps as breaks), Measurements and Spectrum docks and image export as the
/// live window (Measurements, Spectrum, Statistics), on the file (RecordingTraceSource: only what is on screen is read). A window of
/// its own, beside the live one; closing it closes the file.
class RecordingWindow : public QMainWindow
{
    Q_OBJECT
public:
    RecordingWindow(std::unique_ptr<RecordingTraceSource> source, QWidget *parent = nullptr);
    ~RecordingWindow() override;

    ScopeView *scopeView() const { return m_scope; }
    MeasurementsPanel *measurements() const { return m_measurements; }
    SpectrumPanel *spectrum() const { return m_spectrum; }
    QDockWidget *measurementsDock() const { return m_measurementsDock; }
    QDockWidget *spectrumDock() const { return m_spectrumDock; }
    StatisticsPanel *statistics() const { return m_statistics; }
    QDockWidget *statisticsDock() const { return m_statisticsDock; }
    const RecordingTraceSource &source() const { return *m_source; }
    /// File ▸ Export View Data of this window.
    ViewDataExporter *viewDataExporter() const { return m_exporter; }
    /// What the status bar says of the file: format, streams, time span, gaps.
    QString summary() const;

private:
    void buildMenus();
    void showReadError();

    std::unique_ptr<RecordingTraceSource> m_source;
    ScopeView *m_scope = nullptr;
    MeasurementsPanel *m_measurements = nullptr;
    SpectrumPanel *m_spectrum = nullptr;
    QDockWidget *m_measurementsDock = nullptr;
    QDockWidget *m_spectrumDock = nullptr;
    StatisticsPanel *m_statistics = nullptr;
    QDockWidget *m_statisticsDock = nullptr;
    QLabel *m_errorLabel = nullptr;
    ViewDataExporter *m_exporter = nullptr;
};

} // namespace bs
