// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <InstrumentHost.h>
#include <Session.h>

#include <QHash>
#include <QJsonArray>
#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>

class QDockWidget;

namespace Ui {
class MainWindow;
}

namespace bs {

class InstrumentPanel;
class MeasurementsPanel;
class RecentFiles;
class RecordController;
class Recorder;
class RecordingWindow;
class ScopeView;
class ScopeViewDock;
class SpectrumPanel;
class StatisticsPanel;
class StatusMonitor;
class TraceStore;
class ViewDataExportJob;
class ViewDataExporter;
class WelcomeWidget;
class Workspace;

/// The BenchScope main window (layout in ui/MainWindow.ui): the scope view in the centre (more
/// scope views in docks, View ▸ New Scope View), a dock per instrument, menus File / Instruments / Acquisition / Record / View / Help, a toolbar
/// (Open, Save, Run/Stop, Record, Add Instrument) and a status bar with states, rates and losses.
///
/// It only commands and displays: the Workspace, TraceStore and Recorder are created and wired
/// by the composition root (app/main.cpp); the GUI thread never parses, decimates or writes
/// sample data. Session files carry the instruments (Workspace), the views (`views[0]` is the
/// scope, see ScopeSettings) and the recording settings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_MOC_INCLUDE("RecordingWindow.h")
public:
    /// `recorder` may be null (recording then disabled).
    MainWindow(Workspace *workspace, TraceStore *store, Recorder *recorder, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Loads and applies a session file. A bad file is refused with a message naming the key and
    /// the current session stays as it was. (The File menu shows the message in a QMessageBox.)
    bool openSessionFile(const QString &path, QString *error);
    bool saveSessionFile(const QString &path, QString *error);
    /// Replaces instruments, views and recording settings (all or nothing for the instruments).
    bool applySession(const Session &session, QString *error, const SessionLimits &limits = SessionLimits());
    /// The workspace's instruments and parameters plus the views and the recording settings.
    Session currentSession() const;
    /// Removes every instrument and resets views and recording settings (no questions asked).
    void newSession();
    QString sessionPath() const { return m_sessionPath; }

    /// The central scope view (always there, cannot be closed).
    ScopeView *scopeView() const { return m_scope; }

    // Several scope views (MainWindowViews.cpp).
    /// View ▸ New Scope View (Ctrl+T): another view of the same data in a dock ("Scope 2", …)
    /// beside the central one, with its own channels, lanes, span, mode, cursors and Freeze; it
    /// becomes the current view. An empty title picks the next free "Scope N".
    ScopeView *addScopeView(const QString &title = QString());
    /// Every scope view: the central one first, then the docks in the order they were added.
    QList<ScopeView *> scopeViews() const;
    /// The dock of a view other than the central one (null for the central view).
    ScopeViewDock *scopeDock(const ScopeView *view) const;
    /// "Scope 1" (the central view, renamable through View ▸ Rename Scope View…), "Scope 2", …
    QString scopeTitle(const ScopeView *view) const;
    /// The view last focused or clicked: the Measurements and Spectrum docks, File ▸ Export View
    /// Image, the View menu's Follow/Freeze/… and the instrument panels' channel lists act on it.
    ScopeView *currentScope() const;
    void setCurrentScope(ScopeView *view);
    MeasurementsPanel *measurementsPanel() const { return m_measurements; }
    SpectrumPanel *spectrumPanel() const { return m_spectrum; }
    StatisticsPanel *statisticsPanel() const { return m_statistics; }
    QDockWidget *statisticsDock() const { return m_statisticsDock; }
    InstrumentPanel *panel(const QString &instrumentId) const { return m_panels.value(instrumentId); }
    QList<InstrumentPanel *> panels() const { return m_panels.values(); }
    StatusMonitor *statusMonitor() const { return m_status; }
    RecordController *recordController() const { return m_record; }

    // First screen, user guide, selected panel (MainWindowFirstScreen.cpp).
    /// What the first screen's "Start the Demo" does (starts the simulators and applies their
    /// session; false and a message when it cannot). None: the button is hidden.
    void setDemoStarter(std::function<bool(QString *error)> starter);
    /// The first screen, shown instead of the scope while the session has no instruments.
    WelcomeWidget *welcomeWidget() const { return m_welcome; }
    /// Help ▸ User Guide (F1): the guide compiled into the program.
    void showUserGuide();
    /// The instrument whose panel tab is in front (saved in the session, restored leniently).
    QString selectedPanelId() const { return m_selectedPanel; }

    /// Run all or Stop all. Run keeps the display history: earlier runs stay on the session
    /// timeline, each run's start and stop marked in the plot.
    void setRunning(bool running);
    bool isRunning() const { return m_running; }
    /// View ▸ Clear Display (Ctrl+L): empties the plot and restarts the session timeline at 0
    /// (a running acquisition is restarted). Refused, with a status message, while recording: a
    /// recording's time must only increase.
    void clearDisplay();

    /// File ▸ Open Recording (MainWindowRecordings.cpp): opens an HDF5 recording, a CSV file or a
    /// folder of CSV files in a RecordingWindow of its own. The file is read off the GUI thread
    /// behind a progress dialog (Cancel stops it); a failure is shown (non-modal) naming the file
    /// and the cause. One opening at a time: false if one is under way.
    bool openRecording(const QString &path);
    QList<RecordingWindow *> recordingWindows() const;

    /// File ▸ Export View Data without its dialogs: the scope's shown channels, over the window
    /// shown or (`betweenCursors`, with the time cursors on) between the time cursors, every
    /// sample the display holds, written as CSV to `path` (a `.csv` file for one stream, else a
    /// folder of one file per stream; see ViewDataExport) on a worker thread, with a progress
    /// box and Cancel when it takes longer than a moment. Returns the running job (its
    /// finished() reports the result; the window also says it in the status bar), or null with
    /// `error` when nothing can be exported or an export is already running.
    ViewDataExportJob *exportViewData(const QString &path, bool betweenCursors, QString *error);

Q_SIGNALS:
    /// openRecording() ended: the window shown, or null and the message (empty: cancelled).
    void recordingOpened(bs::RecordingWindow *window, const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;
    /// Space that no focused control used (the plot, or no input widget focused): Run/Stop.
    void keyPressEvent(QKeyEvent *event) override;

private:
    void setupActions();
    void setupViewMenu();
    /// The Measurements, Spectrum and Statistics docks (MainWindowAnalysis.cpp).
    void setupAnalysisDocks();
    void setupRecordingActions();
    /// Cancels an opening under way and waits for its thread (closing the window).
    void stopRecordingOpening();
    void onInstrumentAdded(InstrumentHost *host);
    void onInstrumentRemoved(const QString &id);
    void onHostState(const QString &id, Instrument::State state);
    void updateRunAction();
    /// The acquisition runs or not (Run/Stop here, a panel's own Run/Stop, every instrument
    /// ended): the Run action, the run marker and the status counters follow.
    void showRunning(bool running);
    void updateRecordAction();
    void updateTitle();
    void setModified(bool modified = true);
    void restoreViews(const QJsonArray &views);
    /// The session's scope entries (with "title" and, for the docks, their placement) in order.
    QJsonArray saveScopeViews() const;
    /// Replaces the docked views by those of `entries` (entries[0] is the central view).
    void restoreScopeViews(const QList<QJsonObject> &entries);
    void removeScopeDocks();
    ScopeViewDock *createScopeDock(const QString &title);
    /// Wires a view to the window: session modified, status messages, names, run marks.
    void adoptScopeView(ScopeView *view);
    void setupScopeViewActions();
    void updateCurrentScopeUi();
    void setupFirstScreen();
    void updateFirstScreen();
    void startDemo();
    /// The session's `{"type":"panels","selected":"<id>"}` view.
    QJsonObject panelsView() const;
    void restorePanelsView(const QJsonObject &view);
    /// The instrument tabs show their whole names (scroll buttons when they do not fit).
    void keepTabTitlesWhole();

    // Interactive commands (may show dialogs).
    void onNew();
    void onOpen();
    void openRecent(const QString &path);
    bool onSave();
    bool onSaveAs();
    bool maybeSave();
    void onAddInstrument();
    void onRemoveInstrument();
    void onRecordTriggered(bool on);
    void onRecordingSettings();
    void onExportCsv();
    void onExportImage();
    /// File ▸ Export View Data (CSV): range and destination dialogs, then exportViewData().
    void onExportViewData();
    ViewDataExporter *viewExporter();
    void onLastRecording();
    void onAbout();
    QString documentsDir() const;

    std::unique_ptr<Ui::MainWindow> m_ui;
    Workspace *m_workspace = nullptr;
    TraceStore *m_store = nullptr;
    Recorder *m_recorder = nullptr;
    ScopeView *m_scope = nullptr;
    QList<QPointer<ScopeViewDock>> m_scopeDocks;
    QPointer<ScopeView> m_currentScope;
    QString m_centralTitle;
    QList<QAction *> m_currentViewActions; ///< the current view's actions shown in the View menu
    QAction *m_newViewAction = nullptr;
    QAction *m_renameViewAction = nullptr;
    MeasurementsPanel *m_measurements = nullptr;
    SpectrumPanel *m_spectrum = nullptr;
    QDockWidget *m_measurementsDock = nullptr;
    QDockWidget *m_spectrumDock = nullptr;
    StatisticsPanel *m_statistics = nullptr;
    QDockWidget *m_statisticsDock = nullptr;
    StatusMonitor *m_status = nullptr;
    RecordController *m_record = nullptr;
    RecentFiles *m_recent = nullptr;
    QAction *m_clearAction = nullptr;
    ViewDataExporter *m_viewExporter = nullptr; ///< File ▸ Export View Data (made on first use)
    QHash<QString, InstrumentPanel *> m_panels;
    QHash<QString, Instrument::State> m_states;
    QJsonArray m_otherViews; ///< views of types this window does not show, kept for saving
    WelcomeWidget *m_welcome = nullptr;
    std::function<bool(QString *error)> m_demoStarter;
    QString m_selectedPanel;
    QString m_sessionPath;
    bool m_running = false;
    bool m_restoring = false;
    struct RecordingOpening;
    std::shared_ptr<RecordingOpening> m_opening;
};

} // namespace bs
