// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the Measurements and Spectrum docks beside the scope, and their place in the session.
#include "MainWindow.h"

#include "AnalysisDocks.h"

#include "MeasurementsPanel.h"
#include "ScopeView.h"
#include "SpectrumPanel.h"

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
    // Side by side under the scope when both are open; the user may tab, move or float them.
    splitDockWidget(m_measurementsDock, m_spectrumDock, Qt::Horizontal);
    connect(m_measurements, &MeasurementsPanel::changed, this, [this] { setModified(); });
    connect(m_spectrum, &SpectrumPanel::changed, this, [this] { setModified(); });
    for (QDockWidget *d : { m_measurementsDock, m_spectrumDock })
        connect(d->toggleViewAction(), &QAction::triggered, this, [this] { setModified(); });
}

} // namespace bs
