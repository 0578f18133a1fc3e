// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "ChannelStyles.h"
#include "Icons.h"
#include "InstrumentPanel.h"
#include "RecentFiles.h"
#include "RecordController.h"
#include "ScopeView.h"
#include "StatusMonitor.h"

#include <TraceStore.h>
#include <Workspace.h>

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QMessageBox>
#include <QSettings>
#include <QToolBar>

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
    setupViewMenu();
    setupFirstScreen();

    connect(workspace, &Workspace::instrumentAdded, this, &MainWindow::onInstrumentAdded);
    connect(workspace, &Workspace::instrumentRemoved, this, &MainWindow::onInstrumentRemoved);
    for (InstrumentHost *h : workspace->instruments())
        onInstrumentAdded(h);

    connect(m_scope->channelStyles(), &ChannelStyles::styleChanged, this, [this] { setModified(); });
    connect(m_scope, &ScopeView::spanChanged, this, [this] { setModified(); });
    connect(m_scope, &ScopeView::yAutoChanged, this, [this] { setModified(); });
    connect(m_record, &RecordController::recordingChanged, this, &MainWindow::updateRecordAction);
    connect(m_record, &RecordController::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Recording error: %1").arg(message), 15000);
        QMessageBox::warning(this, tr("Recording"), message);
    });
    connect(m_record, &RecordController::finished, this, [this](const QString &path) {
        statusBar()->showMessage(tr("Recording saved: %1").arg(QDir::toNativeSeparators(path)), 15000);
    });

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    updateRunAction();
    updateRecordAction();
    updateTitle();
    m_scope->setFocus();
    statusBar()->showMessage(tr("Ready"), 3000);
}

MainWindow::~MainWindow() = default;

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
    ui.actionRun->setShortcutContext(Qt::WindowShortcut);

    connect(ui.actionNewSession, &QAction::triggered, this, &MainWindow::onNew);
    connect(ui.actionOpen, &QAction::triggered, this, &MainWindow::onOpen);
    connect(ui.actionSave, &QAction::triggered, this, &MainWindow::onSave);
    connect(ui.actionSaveAs, &QAction::triggered, this, &MainWindow::onSaveAs);
    connect(ui.actionExportCsv, &QAction::triggered, this, &MainWindow::onExportCsv);
    connect(ui.actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(ui.actionAddInstrument, &QAction::triggered, this, &MainWindow::onAddInstrument);
    connect(ui.actionRemoveInstrument, &QAction::triggered, this, &MainWindow::onRemoveInstrument);
    connect(ui.actionConnectAll, &QAction::triggered, m_workspace, &Workspace::openAll);
    connect(ui.actionDisconnectAll, &QAction::triggered, this, [this] {
        setRunning(false);
        m_workspace->closeAll();
    });
    connect(ui.actionRun, &QAction::triggered, this, &MainWindow::setRunning);
    connect(ui.actionRecord, &QAction::triggered, this, &MainWindow::onRecordTriggered);
    connect(ui.actionRecordingSettings, &QAction::triggered, this, &MainWindow::onRecordingSettings);
    connect(ui.actionAbout, &QAction::triggered, this, &MainWindow::onAbout);
    connect(ui.actionAboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    ui.actionRecord->setEnabled(m_record->isAvailable());
    ui.actionExportCsv->setEnabled(m_record->isAvailable());
}

void MainWindow::setupViewMenu()
{
    QMenu *view = m_ui->menuView;
    connect(m_ui->actionScopeOptions, &QAction::toggled, m_scope->controls(), &QWidget::setVisible);
    view->addAction(m_scope->followAction());
    view->addAction(m_scope->showAllAction());
    view->addAction(m_scope->autoScaleAction());
    view->addSeparator();
    view->addAction(m_ui->mainToolBar->toggleViewAction());
    m_ui->menuPanels->setEnabled(false);
}

void MainWindow::onInstrumentAdded(InstrumentHost *host)
{
    auto *panel = new InstrumentPanel(host, m_scope->channelStyles(), this);
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
    m_scope->setInstrumentName(id, host->name());
    connect(host, &InstrumentHost::nameChanged, this,
        [this, id](const QString &name) { m_scope->setInstrumentName(id, name); });
    connect(panel, &InstrumentPanel::statusMessage, this,
        [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(panel, &InstrumentPanel::userEdited, this, [this] { setModified(); });
    connect(host, &InstrumentHost::stateChanged, this,
        [this, id](Instrument::State s, const QString &) { onHostState(id, s); });
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
        if (!m_running) { // started elsewhere (e.g. main.cpp --run): reflect it
            m_running = true;
            updateRunAction();
        }
        return;
    }
    if (previous != Instrument::State::Running && state != Instrument::State::Error)
        return;
    for (const Instrument::State s : std::as_const(m_states))
        if (s == Instrument::State::Running || s == Instrument::State::Connecting)
            return;
    if (m_running) { // the last running instrument stopped or failed
        m_running = false;
        updateRunAction();
    }
}

void MainWindow::setRunning(bool running)
{
    if (running && m_workspace->instruments().isEmpty()) {
        statusBar()->showMessage(tr("Add an instrument first (Instruments ▸ Add Instrument…)"), 5000);
        running = false;
    } else if (running) {
        if (m_store)
            m_store->clear(); // a new acquisition: the time axis restarts at 0
        m_status->resetCounters();
        m_workspace->runAll();
    } else if (m_running) {
        m_workspace->stopAll();
    }
    m_running = running;
    updateRunAction();
}

void MainWindow::updateRunAction()
{
    QAction *a = m_ui->actionRun;
    a->setChecked(m_running);
    a->setIcon(Icons::get(m_running ? QStringLiteral("stop") : QStringLiteral("run")));
    a->setText(m_running ? tr("&Stop") : tr("&Run"));
    a->setToolTip(m_running ? tr("Stop all instruments (Space)") : tr("Start all instruments (Space)"));
    m_scope->setAcquisitionRunning(m_running);
}

void MainWindow::updateRecordAction()
{
    QAction *a = m_ui->actionRecord;
    const bool on = m_record->isRecording();
    a->setChecked(on);
    a->setEnabled(m_record->isAvailable() && !m_record->isStopping());
    a->setIcon(Icons::get(on ? QStringLiteral("record-stop") : QStringLiteral("record")));
    a->setText(on ? tr("Stop &Recording") : tr("&Record"));
    a->setToolTip(on
            ? tr("Stop recording: %1 (Ctrl+R)").arg(QDir::toNativeSeparators(m_record->currentPath()))
            : tr("Record every stream to disk (Ctrl+R)"));
    m_ui->actionRecordingSettings->setEnabled(!on);
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
