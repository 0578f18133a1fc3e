// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: session files (new, open, save, recent) and applying a session to the window.
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "RecentFiles.h"
#include "RecordController.h"
#include "ScopeSettings.h"
#include "MeasurementsPanel.h"
#include "ScopeView.h"
#include "SpectrumPanel.h"
#include "StatisticsPanel.h"

#include <Workspace.h>

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QScopedValueRollback>
#include <QStandardPaths>

namespace bs {

Session MainWindow::currentSession() const
{
    Session s = m_workspace->toSession();
    s.views = saveScopeViews(); // the central view first, then the docked ones
    QJsonObject measurements = m_measurements->saveState();
    measurements.insert(QStringLiteral("visible"), !m_measurementsDock->isHidden());
    s.views.append(measurements);
    QJsonObject spectrum = m_spectrum->saveState();
    spectrum.insert(QStringLiteral("visible"), !m_spectrumDock->isHidden());
    s.views.append(spectrum);
    QJsonObject statistics = m_statistics->saveState();
    statistics.insert(QStringLiteral("visible"), !m_statisticsDock->isHidden());
    s.views.append(statistics);
    if (!m_selectedPanel.isEmpty())
        s.views.append(panelsView());
    for (const QJsonValue &v : m_otherViews)
        s.views.append(v);
    s.recording = m_record->settings();
    return s;
}

bool MainWindow::applySession(const Session &session, QString *error, const SessionLimits &limits)
{
    {
        const QScopedValueRollback restoring(m_restoring, true);
        if (!m_workspace->applySession(session, error, limits))
            return false;
    }
    m_running = false;
    m_workspace->resetTimeline(); // a new session: a new timeline, its first Run at 0 s
    updateRunAction();
    restoreViews(session.views);
    m_record->setSettings(session.recording);
    setModified(false);
    return true;
}

void MainWindow::restoreViews(const QJsonArray &views)
{
    m_otherViews = QJsonArray();
    QList<QJsonObject> scopes;
    bool measurementsRestored = false, spectrumRestored = false, statisticsRestored = false;
    for (const QJsonValue &v : views) {
        const QJsonObject o = v.toObject();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("panels")) {
            restorePanelsView(o); // written again from the window's state when saving
        } else if (!measurementsRestored && type == QLatin1String("measurements")) {
            m_measurements->restoreState(o);
            m_measurementsDock->setVisible(o.value(QStringLiteral("visible")).toBool(false));
            measurementsRestored = true;
        } else if (!spectrumRestored && type == QLatin1String("spectrum")) {
            m_spectrum->restoreState(o);
            m_spectrumDock->setVisible(o.value(QStringLiteral("visible")).toBool(false));
            spectrumRestored = true;
        } else if (!statisticsRestored && type == QLatin1String("statistics")) {
            m_statistics->restoreState(o);
            m_statisticsDock->setVisible(o.value(QStringLiteral("visible")).toBool(false));
            statisticsRestored = true;
        } else if (type == ScopeSettings::kType) {
            scopes.append(o); // the first is the central view, the others docks
        } else {
            m_otherViews.append(v); // a view type of a newer BenchScope: keep it, do not show it
        }
    }
    {
        const QScopedValueRollback restoring(m_restoring, true);
        restoreScopeViews(scopes);
    }
    if (!measurementsRestored) {
        m_measurements->restoreState(QJsonObject());
        m_measurementsDock->hide();
    }
    if (!spectrumRestored) {
        m_spectrum->restoreState(QJsonObject());
        m_spectrumDock->hide();
    }
    if (!statisticsRestored) {
        m_statistics->restoreState(QJsonObject());
        m_statisticsDock->hide();
    }
}

void MainWindow::newSession()
{
    {
        const QScopedValueRollback restoring(m_restoring, true);
        m_workspace->clear();
    }
    m_running = false;
    m_workspace->resetTimeline();
    updateRunAction();
    restoreViews({});
    m_record->setSettings(SessionRecording());
    m_sessionPath.clear();
    setModified(false);
}

bool MainWindow::openSessionFile(const QString &path, QString *error)
{
    const auto session = Session::load(path, error);
    if (!session)
        return false;
    if (!applySession(*session, error))
        return false;
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    m_recent->add(path);
    setModified(false);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::saveSessionFile(const QString &path, QString *error)
{
    if (!currentSession().save(path, error))
        return false;
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    m_recent->add(path);
    setModified(false);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::setModified(bool modified)
{
    setWindowModified(modified);
    updateTitle();
}

void MainWindow::updateTitle()
{
    const QString name
        = m_sessionPath.isEmpty() ? tr("Untitled session") : QFileInfo(m_sessionPath).fileName();
    setWindowTitle(tr("%1[*] — BenchScope").arg(name));
}

QString MainWindow::documentsDir() const
{
    if (!m_sessionPath.isEmpty())
        return QFileInfo(m_sessionPath).absolutePath();
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return docs.isEmpty() ? QDir::homePath() : docs;
}

bool MainWindow::maybeSave()
{
    if (!isWindowModified() || m_workspace->instruments().isEmpty())
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved Session"),
        tr("The session has unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return onSave();
    return answer == QMessageBox::Discard;
}

void MainWindow::onNew()
{
    if (!maybeSave())
        return;
    setRunning(false);
    newSession();
}

void MainWindow::onOpen()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), documentsDir(),
        tr("BenchScope sessions (*%1);;JSON files (*.json);;All files (*)").arg(Session::kSuffix));
    if (path.isEmpty())
        return;
    openRecent(path);
}

void MainWindow::openRecent(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        QMessageBox::warning(this, tr("Open Session"),
            tr("%1 no longer exists; it was removed from the list.").arg(QDir::toNativeSeparators(path)));
        m_recent->remove(path);
        return;
    }
    QString error;
    if (!openSessionFile(path, &error))
        QMessageBox::warning(this, tr("Cannot Open Session"),
            tr("The session was not opened; the current one is unchanged.\n\n%1").arg(error));
}

bool MainWindow::onSave()
{
    if (m_sessionPath.isEmpty())
        return onSaveAs();
    QString error;
    if (!saveSessionFile(m_sessionPath, &error)) {
        QMessageBox::warning(this, tr("Cannot Save Session"), error);
        return false;
    }
    return true;
}

bool MainWindow::onSaveAs()
{
    const QString suggested = m_sessionPath.isEmpty()
        ? QDir(documentsDir()).filePath(QStringLiteral("bench") + Session::kSuffix)
        : m_sessionPath;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Session As"), suggested, tr("BenchScope sessions (*%1)").arg(Session::kSuffix));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QStringLiteral(".json")))
        path += Session::kSuffix;
    QString error;
    if (!saveSessionFile(path, &error)) {
        QMessageBox::warning(this, tr("Cannot Save Session"), error);
        return false;
    }
    return true;
}

} // namespace bs
