// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: instrument, recording and export commands started from menus and the toolbar.
#include "MainWindow.h"

#include "AnalysisDocks.h"

#include "ui_MainWindow.h"

#include "AddInstrumentDialog.h"
#include "InstrumentPanel.h"
#include "LastRecordingDialog.h"
#include "RecordController.h"
#include "RecordingSettingsDialog.h"
#include "ScopeView.h"

#include <RecordingNames.h>
#include <Workspace.h>

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QStatusBar>
#include <QPushButton>
#include <QTimer>
#include <QUrl>

namespace bs {

void MainWindow::onAddInstrument()
{
    AddInstrumentDialog dialog(m_workspace, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    InstrumentHost *host = m_workspace->addInstrument(dialog.entry(), &error);
    if (!host) {
        QMessageBox::warning(this, tr("Add Instrument"), error);
        return;
    }
    statusBar()->showMessage(tr("Added %1 — press Connect in its panel, or Run").arg(host->name()), 8000);
}

void MainWindow::onRemoveInstrument()
{
    const QVector<InstrumentHost *> hosts = m_workspace->instruments();
    if (hosts.isEmpty())
        return;
    QStringList names;
    for (const InstrumentHost *h : hosts)
        names.append(h->name() == h->id() ? h->id() : QStringLiteral("%1 (%2)").arg(h->name(), h->id()));
    bool ok = false;
    const QString chosen = QInputDialog::getItem(this, tr("Remove Instrument"),
        tr("Disconnect and remove this instrument from the session:"), names, 0, false, &ok);
    if (!ok)
        return;
    const qsizetype i = names.indexOf(chosen);
    if (i >= 0)
        m_workspace->removeInstrument(hosts[i]->id());
}

void MainWindow::onRecordTriggered(bool on)
{
    if (!on) {
        m_record->stop();
        updateRecordAction();
        statusBar()->showMessage(tr("Finishing the recording…"));
        return;
    }
    if (m_workspace->instruments().isEmpty()) {
        updateRecordAction();
        QMessageBox::information(this, tr("Record"), tr("Add an instrument before recording."));
        return;
    }
    QString error;
    if (!m_record->start(currentSession().toBytes(), &error)) {
        updateRecordAction();
        QMessageBox::warning(this, tr("Cannot Start Recording"), error);
        return;
    }
    const SessionRecording rec = m_record->settings();
    statusBar()->showMessage(rec.splitMinutes > 0 || rec.splitGB > 0
            ? tr("Recording to %1, then _002, …")
                  .arg(QDir::toNativeSeparators(recordingPartPath(m_record->currentPath(), 1)))
            : tr("Recording to %1").arg(QDir::toNativeSeparators(m_record->currentPath())),
        8000);
    if (!m_running)
        setRunning(true); // recording an idle bench would write nothing
}

void MainWindow::onRecordingSettings()
{
    RecordingSettingsDialog dialog(m_record->settings(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_record->setSettings(dialog.settings());
    setModified();
}

void MainWindow::onExportImage()
{
    const QString path = exportViewImageInteractively(this, currentScope(), m_record->directory());
    if (!path.isEmpty())
        statusBar()->showMessage(tr("Saved the view as %1").arg(QDir::toNativeSeparators(path)), 8000);
}

void MainWindow::onExportCsv()
{
    const QString h5 = QFileDialog::getOpenFileName(this, tr("Export CSV — Choose a Recording"),
        m_record->directory(), tr("HDF5 recordings (*.h5 *.hdf5);;All files (*)"));
    if (h5.isEmpty())
        return;
    const QFileInfo info(h5);
    const QString parentDir = QFileDialog::getExistingDirectory(
        this, tr("Export CSV — Where to Put the Folder of CSV Files"), info.absolutePath());
    if (parentDir.isEmpty())
        return;
    // The files are named by instrument and stream: a folder named after the recording keeps the
    // exports of different recordings apart; an earlier export of the same one is replaced only
    // when the user says so.
    const QString outDir = QDir(parentDir).filePath(info.completeBaseName());
    const QFileInfo out(outDir);
    if (out.exists() && !out.isDir()) {
        QMessageBox::warning(this, tr("Export CSV"),
            tr("Cannot export into %1: a file of that name is in the way.").arg(QDir::toNativeSeparators(outDir)));
        return;
    }
    const QStringList existing = QDir(outDir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    if (!existing.isEmpty()) {
        QStringList shown = existing.mid(0, 6);
        if (existing.size() > shown.size())
            shown << QStringLiteral("…");
        QMessageBox ask(QMessageBox::Question, tr("Export CSV"),
            tr("The folder %1 already holds %n file(s): %2\n\nReplace the files of the same name?", nullptr,
                int(existing.size()))
                .arg(QDir::toNativeSeparators(outDir), shown.join(QStringLiteral(", "))),
            QMessageBox::Yes | QMessageBox::Cancel, this);
        ask.button(QMessageBox::Yes)->setText(tr("&Replace"));
        ask.setDefaultButton(QMessageBox::Cancel);
        if (ask.exec() != QMessageBox::Yes)
            return;
    }

    // The export reads and writes files: RecordController runs it on a helper thread.
    if (!m_record->exportCsv(h5, outDir)) {
        QMessageBox::information(this, tr("Export CSV"), tr("An export is already running."));
        return;
    }
    // Shown only while the export runs for more than 300 ms, and deleted before the result box
    // opens: not deleteLater(), which the result box's own event loop would not carry out, leaving
    // the box and its show timer (QProgressDialog shows itself after 4 s unless its value moves,
    // which a busy indicator's never does) alive over the result.
    QPointer<QProgressDialog> progress
        = new QProgressDialog(tr("Exporting %1 …").arg(info.fileName()), QString(), 0, 0, this);
    progress->setWindowTitle(tr("Export CSV"));
    progress->setWindowModality(Qt::WindowModal);
    QTimer::singleShot(300, progress, &QWidget::show);
    connect(
        m_record, &RecordController::exportFinished, this,
        [this, progress, outDir](bool ok, const QStringList &files, const QString &error) {
            delete progress.data();
            if (!ok) {
                QMessageBox::warning(this, tr("Export CSV"), tr("The export failed: %1").arg(error));
                return;
            }
            QMessageBox done(QMessageBox::Information, tr("Export CSV"),
                tr("Wrote %n CSV file(s) to %1.", nullptr, int(files.size())).arg(QDir::toNativeSeparators(outDir)),
                QMessageBox::Ok, this);
            QPushButton *open = done.addButton(tr("&Open Folder"), QMessageBox::ActionRole);
            done.exec();
            if (done.clickedButton() == open)
                QDesktopServices::openUrl(QUrl::fromLocalFile(outDir));
        },
        Qt::SingleShotConnection);
}

void MainWindow::onLastRecording()
{
    if (!m_record->lastRecording().isValid())
        return;
    LastRecordingDialog dialog(m_record->lastRecording(), this);
    dialog.exec();
}

} // namespace bs
