// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "ChannelStyles.h"
#include "Icons.h"
#include "InstrumentPanel.h"
#include "RecentFiles.h"
#include "RecordController.h"
#include "ScopeView.h"
#include "TriggerBar.h"
#include "StatusMonitor.h"

#include <SessionClock.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QApplication>
#include <QCloseEvent>
#include <QKeyEvent>
#include <QDir>
#include <QMessageBox>
#include <QSettings>
#include <QToolBar>

#include <cmath>

namespace bs {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
} // namespace

MainWindow::MainWindow(Workspace *workspace, TraceStore *store, Recorder *recorder, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_workspace(workspace)
    , m_store(store)
    , m_recorder(recorder)
{
    m_ui->setupUi(this);
    setWindowIcon(Icons::application());
    setDockOptions(
        QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    setTabPosition(Qt::RightDockWidgetArea, QTabWidget::North);

    m_scope = new ScopeView(store, m_ui->centralwidget);
    m_ui->centralLayout->addWidget(m_scope);
    m_record = new RecordController(recorder, workspace, this);
    m_status = new StatusMonitor(workspace, recorder, statusBar(), this);
    m_recent = new RecentFiles(QStringLiteral("recentSessions"), this);
    m_recent->attach(m_ui->menuRecent);
    connect(m_recent, &RecentFiles::fileChosen, this, &MainWindow::openRecent);

    setupActions();
    setupAnalysisDocks();
    setupRecordingActions();
    setupViewMenu();
    setupScopeViewActions();
    setupFirstScreen();

    connect(workspace, &Workspace::instrumentAdded, this, &MainWindow::onInstrumentAdded);
    // A panel's own Run or Stop may begin or end the acquisition.
    connect(workspace, &Workspace::runningChanged, this, &MainWindow::showRunning);
    connect(workspace, &Workspace::instrumentRemoved, this, &MainWindow::onInstrumentRemoved);
    for (InstrumentHost *h : workspace->instruments())
        onInstrumentAdded(h);

    connect(m_record, &RecordController::recordingChanged, this, &MainWindow::updateRecordAction);
    connect(m_record, &RecordController::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Recording error: %1").arg(message), 15000);
        QMessageBox::warning(this, tr("Recording"), message);
    });
    connect(m_record, &RecordController::finished, this, [this](const QString &path) {
        const QString reason = m_record->lastRecording().stats.stopReason;
        statusBar()->showMessage(reason.isEmpty()
                ? tr("Recording saved: %1").arg(QDir::toNativeSeparators(path))
                : tr("Recording %1: %2").arg(reason, QDir::toNativeSeparators(path)),
            15000);
    });
    connect(m_status, &StatusMonitor::lastRecordingRequested, this, &MainWindow::onLastRecording);

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    updateRunAction();
    updateRecordAction();
    updateTitle();
    m_scope->setFocus();
    statusBar()->showMessage(tr("Ready"), 3000);
}

MainWindow::~MainWindow()
{
    stopRecordingOpening();
    // Deleting the docks may move the focus: no current-view bookkeeping on half-deleted children.
    disconnect(qApp, &QApplication::focusChanged, this, nullptr);
}

void MainWindow::setupActions()
{
    auto &ui = *m_ui;
    ui.actionNewSession->setIcon(Icons::get(QStringLiteral("document-new")));
    ui.actionOpen->setIcon(Icons::get(QStringLiteral("document-open")));
    ui.actionSave->setIcon(Icons::get(QStringLiteral("document-save")));
    ui.actionExportCsv->setIcon(Icons::get(QStringLiteral("export-csv")));
    ui.actionAddInstrument->setIcon(Icons::get(QStringLiteral("add-instrument")));
    ui.actionRemoveInstrument->setIcon(Icons::get(QStringLiteral("remove-instrument")));
    ui.actionRecordingSettings->setIcon(Icons::get(QStringLiteral("settings")));
    // Run's shortcut is F5 (anywhere in the window). Space is Run/Stop only where no control wants
    // it (keyPressEvent): a focused checkbox, button or field keeps its Space.
    ui.actionRun->setShortcutContext(Qt::WindowShortcut);

    m_clearAction = new QAction(Icons::get(QStringLiteral("clear")), tr("C&lear Display"), this);
    m_clearAction->setObjectName(QStringLiteral("actionClearDisplay"));
    m_clearAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    m_clearAction->setToolTip(tr("Empty the plot and start the time axis again at 0 s (Ctrl+L)"));
    connect(m_clearAction, &QAction::triggered, this, &MainWindow::clearDisplay);
    {
        // On the toolbar right after Run and Record.
        const QList<QAction *> bar = ui.mainToolBar->actions();
        const auto at = bar.indexOf(ui.actionRecord);
        ui.mainToolBar->insertAction(at >= 0 && at + 1 < bar.size() ? bar.at(at + 1) : nullptr, m_clearAction);
    }

    connect(ui.actionNewSession, &QAction::triggered, this, &MainWindow::onNew);
    connect(ui.actionOpen, &QAction::triggered, this, &MainWindow::onOpen);
    connect(ui.actionSave, &QAction::triggered, this, &MainWindow::onSave);
    connect(ui.actionSaveAs, &QAction::triggered, this, &MainWindow::onSaveAs);
    connect(ui.actionExportCsv, &QAction::triggered, this, &MainWindow::onExportCsv);
    // File ▸ Export View Image: the scope as it is shown, as PNG, SVG or PDF.
    auto *exportImage = new QAction(tr("Export View &Image…"), this);
    exportImage->setObjectName(QStringLiteral("actionExportImage"));
    exportImage->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    exportImage->setToolTip(tr("Save the scope view as a picture: PNG, SVG or PDF (Ctrl+Shift+E)"));
    ui.menuFile->insertAction(ui.actionExportCsv, exportImage);
    connect(exportImage, &QAction::triggered, this, &MainWindow::onExportImage);
    // File ▸ Export View Data: every sample of the shown channels in the window (or between
    // the cursors) as the CSV a recording writes.
    auto *exportData = new QAction(tr("Export View &Data (CSV)…"), this);
    exportData->setObjectName(QStringLiteral("actionExportViewData"));
    exportData->setToolTip(tr("Save every sample of the channels shown, in the window shown or between the time cursors, as CSV"));
    ui.menuFile->insertAction(ui.actionExportCsv, exportData);
    connect(exportData, &QAction::triggered, this, &MainWindow::onExportViewData);
    connect(ui.actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(ui.actionAddInstrument, &QAction::triggered, this, &MainWindow::onAddInstrument);
    connect(ui.actionRemoveInstrument, &QAction::triggered, this, &MainWindow::onRemoveInstrument);
    connect(ui.actionConnectAll, &QAction::triggered, m_workspace, &Workspace::openAll);
    connect(ui.actionDisconnectAll, &QAction::triggered, this, [this] {
        setRunning(false);
        m_workspace->closeAll();
    });
    // Reconnect All: every instrument not connected (or in a lost connection's countdown)
    // connects again now and rejoins the running acquisition (each panel has its own button).
    auto *reconnectAll = new QAction(tr("&Reconnect All"), this);
    reconnectAll->setObjectName(QStringLiteral("actionReconnectAll"));
    reconnectAll->setToolTip(tr("Connect every instrument that is not connected again, rejoining the run"));
    ui.menuInstruments->insertAction(ui.actionDisconnectAll, reconnectAll);
    connect(reconnectAll, &QAction::triggered, m_workspace, &Workspace::reconnectAll);
    connect(ui.actionRun, &QAction::triggered, this, &MainWindow::setRunning);
    connect(ui.actionRecord, &QAction::triggered, this, &MainWindow::onRecordTriggered);
    connect(ui.actionRecordingSettings, &QAction::triggered, this, &MainWindow::onRecordingSettings);
    connect(ui.actionLastRecording, &QAction::triggered, this, &MainWindow::onLastRecording);
    connect(ui.actionAbout, &QAction::triggered, this, &MainWindow::onAbout);
    connect(ui.actionAboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    ui.actionRecord->setEnabled(m_record->isAvailable());
    ui.actionExportCsv->setEnabled(m_record->isAvailable());
}

void MainWindow::setupViewMenu()
{
    QMenu *view = m_ui->menuView;
    connect(m_ui->actionScopeOptions, &QAction::toggled, this, [this](bool on) {
        for (ScopeView *v : scopeViews()) {
            v->controls()->setVisible(on);
            v->triggerBar()->setVisible(on && v->triggered());
        }
    });
    // The current view's Follow, Freeze, Show All, Autoscale and Zoom Back go before Clear
    // Display (updateCurrentScopeUi()).
    view->addAction(m_clearAction);
    view->addSeparator();
    view->addAction(m_measurementsDock->toggleViewAction());
    view->addAction(m_spectrumDock->toggleViewAction());
    view->addAction(m_statisticsDock->toggleViewAction());
    view->addSeparator();
    view->addAction(m_ui->mainToolBar->toggleViewAction());
    m_ui->menuPanels->setEnabled(false);
}

void MainWindow::onInstrumentAdded(InstrumentHost *host)
{
    // Its channel list shows and sets the current view's channels (it follows the current view).
    auto *panel = new InstrumentPanel(host, currentScope()->channelStyles(), this);
    const bool first = m_panels.isEmpty();
    InstrumentPanel *anchor = first ? nullptr : m_panels.constBegin().value();
    m_panels.insert(host->id(), panel);
    addDockWidget(Qt::RightDockWidgetArea, panel);
    if (anchor) // instruments share the right-hand side as tabs: the plot keeps its width
        tabifyDockWidget(anchor, panel);
    panel->show();
    panel->raise();
    m_ui->menuPanels->addAction(panel->toggleViewAction());
    m_ui->menuPanels->setEnabled(true);
    m_states.insert(host->id(), host->state());

    const QString id = host->id();
    for (ScopeView *v : scopeViews())
        v->setInstrumentName(id, host->name());
    connect(host, &InstrumentHost::nameChanged, this, [this, id](const QString &name) {
        for (ScopeView *v : scopeViews())
            v->setInstrumentName(id, name);
    });
    connect(panel, &InstrumentPanel::statusMessage, this,
        [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(panel, &InstrumentPanel::userEdited, this, [this] { setModified(); });
    connect(panel, &InstrumentPanel::runRequested, this, [this, id](bool run) {
        if (run)
            m_workspace->runInstrument(id);
        else
            m_workspace->stopInstrument(id);
    });
    connect(host, &InstrumentHost::stateChanged, this,
        [this, id](Instrument::State s, const QString &) { onHostState(id, s); });
    connect(host, &InstrumentHost::eventOccurred, this, [this](const InstrumentEvent &e) {
        if (e.kind == InstrumentEvent::Kind::RunStarted || e.kind == InstrumentEvent::Kind::RunStopped)
            for (ScopeView *v : scopeViews())
                v->addRunMarker(
                    std::isfinite(e.time) ? e.time : SessionClock::now(), e.kind == InstrumentEvent::Kind::RunStarted);
    });
    m_ui->actionRemoveInstrument->setEnabled(true);
    // The tab in front is the selected instrument (saved with the session).
    m_selectedPanel = id;
    connect(panel, &QDockWidget::visibilityChanged, this, [this, id](bool visible) {
        if (visible)
            m_selectedPanel = id;
    });
    updateFirstScreen();
    keepTabTitlesWhole();
    if (!m_restoring)
        setModified();
}

void MainWindow::onInstrumentRemoved(const QString &id)
{
    if (InstrumentPanel *panel = m_panels.take(id)) {
        m_ui->menuPanels->removeAction(panel->toggleViewAction());
        removeDockWidget(panel);
        panel->deleteLater();
    }
    m_states.remove(id);
    if (m_store)
        m_store->removeInstrument(id);
    if (m_selectedPanel == id)
        m_selectedPanel = m_panels.isEmpty() ? QString() : m_panels.constBegin().key();
    updateFirstScreen();
    m_ui->actionRemoveInstrument->setEnabled(!m_panels.isEmpty());
    m_ui->menuPanels->setEnabled(!m_panels.isEmpty());
    if (m_panels.isEmpty() && m_running) {
        m_running = false;
        updateRunAction();
    }
    if (!m_restoring)
        setModified();
}

void MainWindow::onHostState(const QString &id, Instrument::State state)
{
    const Instrument::State previous = m_states.value(id, Instrument::State::Disconnected);
    m_states.insert(id, state);
    if (state == Instrument::State::Running) {
        if (!m_running) // started elsewhere (e.g. main.cpp --run, a panel's Run): reflect it
            showRunning(true);
        return;
    }
    if (previous != Instrument::State::Running && state != Instrument::State::Error)
        return;
    for (const Instrument::State s : std::as_const(m_states))
        if (s == Instrument::State::Running || s == Instrument::State::Connecting)
            return;
    for (const InstrumentHost *h : m_workspace->instruments())
        if (h->reconnectStatus().outage) // lost, not stopped: the run goes on while it comes back
            return;
    if (m_running) // the last running instrument stopped or failed
        showRunning(false);
}

void MainWindow::setRunning(bool running)
{
    if (running && m_workspace->instruments().isEmpty()) {
        statusBar()->showMessage(tr("Add an instrument first (Instruments ▸ Add Instrument…)"), 5000);
        running = false;
    } else if (running) {
        // Earlier runs stay on the display (one session timeline); View ▸ Clear Display empties it.
        m_workspace->runAll();
    } else if (m_running) {
        m_workspace->stopAll();
    }
    showRunning(running);
}

void MainWindow::showRunning(bool running)
{
    if (running != m_running) {
        m_running = running;
        if (running)
            m_status->resetCounters();
        const double now = SessionClock::now();
        for (ScopeView *v : scopeViews())
            v->addRunMarker(now, running);
    }
    updateRunAction();
}

void MainWindow::clearDisplay()
{
    if (m_record->isRecording()) {
        statusBar()->showMessage(tr("Clear Display is not possible while recording: the recording's time must keep "
                                    "increasing. Stop the recording first."),
            10000);
        return;
    }
    const bool wasRunning = m_running;
    if (wasRunning) // the drivers keep their own time origin while running: restart them on the new one
        m_workspace->stopAll();
    if (m_store)
        m_store->clear();
    for (ScopeView *v : scopeViews())
        v->clearRunMarkers();
    m_workspace->resetTimeline(); // nothing is recording: the session timeline starts again at 0
    if (wasRunning)
        m_workspace->runAll(); // showRunning(): counters reset, the run marked
    statusBar()->showMessage(wasRunning ? tr("Display cleared: the acquisition restarted at 0 s")
                                        : tr("Display cleared: the next Run starts at 0 s"),
        5000);
}

void MainWindow::keyPressEvent(QKeyEvent *event)
{
    // Reaches the window only when the focused widget did not use the key (the plot, a label, no
    // focus at all): a checkbox, button or field takes its Space itself.
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier) {
        if (!event->isAutoRepeat())
            setRunning(!m_running);
        event->accept();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void MainWindow::updateRunAction()
{
    QAction *a = m_ui->actionRun;
    a->setChecked(m_running);
    a->setIcon(Icons::get(m_running ? QStringLiteral("stop") : QStringLiteral("run")));
    a->setText(m_running ? tr("&Stop") : tr("&Run"));
    a->setToolTip(m_running ? tr("Stop all instruments (F5, or Space on the plot)")
                            : tr("Start all instruments (F5, or Space on the plot)"));
    for (ScopeView *v : scopeViews())
        v->setAcquisitionRunning(m_running);
}

void MainWindow::updateRecordAction()
{
    QAction *a = m_ui->actionRecord;
    const bool on = m_record->isRecording();
    a->setChecked(on);
    m_clearAction->setEnabled(!on); // Clear restarts the timeline: not under a running recording
    m_clearAction->setToolTip(on ? tr("Not while recording: the recording's time must keep increasing")
                                 : tr("Empty the plot and start the time axis again at 0 s (Ctrl+L)"));
    a->setEnabled(m_record->isAvailable() && !m_record->isStopping());
    a->setIcon(Icons::get(on ? QStringLiteral("record-stop") : QStringLiteral("record")));
    a->setText(on ? tr("Stop &Recording") : tr("&Record"));
    a->setToolTip(on
            ? tr("Stop recording: %1 (Ctrl+R)").arg(QDir::toNativeSeparators(m_record->currentPath()))
            : tr("Record every stream to disk (Ctrl+R)"));
    m_ui->actionRecordingSettings->setEnabled(!on);
    m_ui->actionLastRecording->setEnabled(m_record->lastRecording().isValid());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_record->isRecording()) {
        const auto answer = QMessageBox::question(this, tr("Quit BenchScope"),
            tr("A recording is running. Stop it and quit?"), QMessageBox::Yes | QMessageBox::Cancel,
            QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_record->stop();
    }
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    event->accept();
}

void MainWindow::onAbout()
{
    QMessageBox::about(this, tr("About BenchScope"),
        tr("<h3>BenchScope %1</h3>"
           "<p>Oscilloscope and data recorder for lab instruments: see every signal live, record hours of "
           "data to HDF5 or CSV without losing a sample, and keep the whole bench setup in a session "
           "file.</p>"
           "<p>Licensed under the GNU General Public License, version 3 or later.</p>")
            .arg(QApplication::applicationVersion().toHtmlEscaped()));
}

} // namespace bs
