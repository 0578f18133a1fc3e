// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the Measurements, Spectrum and Statistics docks beside the scope, and their place in the session.
#include "MainWindow.h"

#include "AnalysisDocks.h"

#include "MeasurementsPanel.h"
#include "ScopeView.h"
#include "SpectrumPanel.h"
#include "StatisticsPanel.h"

#include <QAction>
#include <QDockWidget>
#include <QJsonObject>
#include <TraceStore.h>

namespace bs {

void MainWindow::setupAnalysisDocks()
{
    m_measurements = new MeasurementsPanel(m_store, m_scope, this);
    m_measurementsDock = addAnalysisDock(this, tr("Measurements"), QStringLiteral("measurementsDock"), m_measurements,
        QKeySequence(QStringLiteral("Ctrl+M")),
        tr("Min, max, mean, RMS, frequency, rise time … of every channel shown (Ctrl+M)"));
    m_spectrum = new SpectrumPanel(m_store, m_scope, this);
    m_spectrumDock = addAnalysisDock(this, tr("Spectrum"), QStringLiteral("spectrumDock"), m_spectrum,
        QKeySequence(QStringLiteral("Ctrl+Shift+F")), tr("The spectrum (FFT) of a channel shown (Ctrl+Shift+F)"));
    m_statistics = new StatisticsPanel(m_store, m_scope, this);
    m_statisticsDock = addAnalysisDock(this, tr("Statistics"), QStringLiteral("statisticsDock"), m_statistics,
        QKeySequence(QStringLiteral("Ctrl+Shift+H")),
        tr("The histogram of a channel shown and the trend of a measurement over time (Ctrl+Shift+H)"));
    // Side by side under the scope when open; the user may tab, move or float them.
    splitDockWidget(m_measurementsDock, m_spectrumDock, Qt::Horizontal);
    splitDockWidget(m_spectrumDock, m_statisticsDock, Qt::Horizontal);
    connect(m_measurements, &MeasurementsPanel::changed, this, [this] { setModified(); });
    connect(m_spectrum, &SpectrumPanel::changed, this, [this] { setModified(); });
    connect(m_statistics, &StatisticsPanel::changed, this, [this] { setModified(); });
    for (QDockWidget *d : { m_measurementsDock, m_spectrumDock, m_statisticsDock })
        connect(d->toggleViewAction(), &QAction::triggered, this, [this] { setModified(); });
}

} // namespace bs
