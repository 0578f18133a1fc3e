// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingWindow.h"

#include "AnalysisDocks.h"
#include "MeasurementsPanel.h"
#include "RecordingTraceSource.h"
#include "ScopeView.h"
#include "SpectrumPanel.h"
#include "StatisticsPanel.h"
#include "ViewDataExporter.h"

#include <EngineeringFormat.h>

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QSet>
#include <QStatusBar>
#include <QTimer>

namespace bs {

RecordingWindow::RecordingWindow(std::unique_ptr<RecordingTraceSource> source, QWidget *parent)
    : QMainWindow(parent, Qt::Window)
    , m_source(std::move(source))
{
    setObjectName(QStringLiteral("recordingWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("%1 — BenchScope recording").arg(QFileInfo(m_source->path()).fileName()));
    resize(1200, 760);

    m_scope = new ScopeView(m_source.get(), this);
    for (const RecordingStreamInfo &st : m_source->streams()) {
        if (!st.header.instrumentName.isEmpty())
            m_scope->setInstrumentName(st.header.instrumentId, st.header.instrumentName);
    }
    setCentralWidget(m_scope);
    m_measurements = new MeasurementsPanel(m_source.get(), m_scope, this);
    m_measurementsDock = addAnalysisDock(this, tr("Measurements"), QStringLiteral("measurementsDock"), m_measurements,
        QKeySequence(QStringLiteral("Ctrl+M")), tr("Min, max, mean, RMS, frequency, rise time … of every channel "
                                                   "shown, over the window or between the cursors (Ctrl+M)"));
    m_spectrum = new SpectrumPanel(m_source.get(), m_scope, this);
    m_spectrumDock = addAnalysisDock(this, tr("Spectrum"), QStringLiteral("spectrumDock"), m_spectrum,
        QKeySequence(QStringLiteral("Ctrl+Shift+F")), tr("The spectrum (FFT) of a channel shown (Ctrl+Shift+F)"));
    m_statistics = new StatisticsPanel(m_source.get(), m_scope, this);
    m_statisticsDock = addAnalysisDock(this, tr("Statistics"), QStringLiteral("statisticsDock"), m_statistics,
        QKeySequence(QStringLiteral("Ctrl+Shift+H")), tr("The histogram of a channel and the trend of a measurement "
                                                         "(Ctrl+Shift+H)"));
    splitDockWidget(m_measurementsDock, m_spectrumDock, Qt::Horizontal);
    splitDockWidget(m_spectrumDock, m_statisticsDock, Qt::Horizontal);
    buildMenus();

    auto *info = new QLabel(summary(), this);
    info->setObjectName(QStringLiteral("recordingSummary"));
    info->setToolTip(m_source->notes().join(QLatin1Char('\n')));
    statusBar()->addWidget(info, 1);
    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("readError"));
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    statusBar()->addPermanentWidget(m_errorLabel);
    for (const QString &note : m_source->notes())
        statusBar()->showMessage(note, 15000);
    connect(m_scope, &ScopeView::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 5000); });

    // A read that fails later (the file changed or was cut short since it was opened) is said
    // in the status bar; the picture keeps what it could read.
    auto *poll = new QTimer(this);
    poll->setInterval(500);
    connect(poll, &QTimer::timeout, this, &RecordingWindow::showReadError);
    poll->start();

    // The whole recording at first; the scope fits the values.
    m_scope->refresh();
    m_scope->showAll();
}

RecordingWindow::~RecordingWindow()
{
    // The views, their worker threads and an export running read the source: they go before it.
    delete m_exporter; // cancels a running export and waits for it
    delete m_measurements;
    delete m_spectrum;
    delete m_statistics;
    delete m_scope;
}

void RecordingWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *exportImage = file->addAction(tr("Export View &Image…"));
    exportImage->setObjectName(QStringLiteral("actionExportImage"));
    exportImage->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    connect(exportImage, &QAction::triggered, this, [this] {
        const QString path
            = exportViewImageInteractively(this, m_scope, QFileInfo(m_source->path()).absolutePath());
        if (!path.isEmpty())
            statusBar()->showMessage(tr("Saved the view as %1").arg(QDir::toNativeSeparators(path)), 8000);
    });
    auto *exporter = new ViewDataExporter(this, [this] {
        // The headers of the exported files say what the recording's headers said.
        ViewDataExporter::Context c;
        c.source = m_source.get();
        c.view = m_scope;
        c.directory = QFileInfo(m_source->path()).absolutePath();
        for (const RecordingStreamInfo &st : m_source->streams()) {
            ViewExportInstrument &inst = c.instruments[st.header.instrumentId];
            inst.name = st.header.instrumentName;
            inst.type = st.header.instrumentType;
            inst.address = st.header.instrumentAddress;
            StreamInfo info;
            info.id = st.streamKey();
            info.name = st.header.streamName;
            info.regular = st.regular;
            inst.streams.append(info);
            if (c.session.isEmpty())
                c.session = st.header.session;
            if (!c.sessionStartWallMs && !st.header.startTime.isEmpty()) {
                const QDateTime start = QDateTime::fromString(st.header.startTime, Qt::ISODateWithMs);
                c.sessionStartWallMs = start.isValid() ? start.toMSecsSinceEpoch() : 0;
            }
        }
        return c;
    });
    QAction *exportData = file->addAction(tr("Export View &Data (CSV)…"));
    exportData->setObjectName(QStringLiteral("actionExportViewData"));
    exportData->setToolTip(tr("Every sample of the channels shown, in the window or between the cursors, as CSV"));
    connect(exportData, &QAction::triggered, exporter, &ViewDataExporter::exportInteractively);
    m_exporter = exporter;
    file->addSeparator();
    QAction *close = file->addAction(tr("&Close Recording"));
    close->setObjectName(QStringLiteral("actionCloseRecording"));
    close->setShortcut(QKeySequence::Close);
    connect(close, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_scope->showAllAction());
    view->addAction(m_scope->zoomBackAction());
    view->addAction(m_scope->autoScaleAction());
    view->addAction(m_scope->cursorsAction());
    view->addSeparator();
    view->addAction(m_measurementsDock->toggleViewAction());
    view->addAction(m_spectrumDock->toggleViewAction());
    view->addAction(m_statisticsDock->toggleViewAction());
}

QString RecordingWindow::summary() const
{
    const QList<RecordingStreamInfo> &streams = m_source->streams();
    quint64 gaps = 0;
    QSet<QString> instruments;
    for (const RecordingStreamInfo &st : streams) {
        instruments.insert(st.header.instrumentId);
        for (const RecordingGap &g : st.gaps)
            gaps += (g.row > 0 && g.row < st.rows) ? 1 : 0; // breaks between two rows
    }
    const TimeRange range = m_source->timeRange();
    const QString span = range.isValid()
        ? tr("%1 … %2").arg(EngineeringFormat::format(range.first, QStringLiteral("s"), 6),
              EngineeringFormat::format(range.last, QStringLiteral("s"), 6))
        : tr("no samples");
    auto count = [](qsizetype n, const QString &one, const QString &many) { return n == 1 ? one : many.arg(n); };
    return QStringList { QDir::toNativeSeparators(m_source->path()),
        m_source->format() == QLatin1String("csv") ? tr("CSV") : tr("HDF5"),
        count(instruments.size(), tr("1 instrument"), tr("%1 instruments")) + QStringLiteral(", ")
            + count(streams.size(), tr("1 stream"), tr("%1 streams")),
        span, count(qsizetype(gaps), tr("1 gap"), tr("%1 gaps")) }
        .join(QStringLiteral(" · "));
}

void RecordingWindow::showReadError()
{
    const QString error = m_source->lastError();
    if (error.isEmpty()) {
        m_errorLabel->clear();
        return;
    }
    m_errorLabel->setText(tr("⚠ Cannot read all of the file"));
    m_errorLabel->setToolTip(error);
}

} // namespace bs
