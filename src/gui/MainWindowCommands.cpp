// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: instrument, recording and export commands started from menus and the toolbar.
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "AddInstrumentDialog.h"
#include "InstrumentPanel.h"
#include "RecordController.h"
#include "RecordingSettingsDialog.h"

#include <Workspace.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QProgressDialog>

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
    statusBar()->showMessage(
        tr("Recording to %1").arg(QDir::toNativeSeparators(m_record->currentPath())), 8000);
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

void MainWindow::onExportCsv()
{
    const QString h5 = QFileDialog::getOpenFileName(this, tr("Export CSV — Choose a Recording"),
        m_record->directory(), tr("HDF5 recordings (*.h5 *.hdf5);;All files (*)"));
    if (h5.isEmpty())
        return;
    const QFileInfo info(h5);
    const QString outDir = QFileDialog::getExistingDirectory(
        this, tr("Export CSV — Folder for the CSV Files"), info.absolutePath());
    if (outDir.isEmpty())
        return;

    // The export reads and writes files: RecordController runs it on a helper thread.
    if (!m_record->exportCsv(h5, outDir)) {
        QMessageBox::information(this, tr("Export CSV"), tr("An export is already running."));
        return;
    }
    auto *progress = new QProgressDialog(tr("Exporting %1 …").arg(info.fileName()), QString(), 0, 0, this);
    progress->setWindowTitle(tr("Export CSV"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    connect(m_record, &RecordController::exportFinished, progress,
        [this, progress, outDir](bool ok, const QStringList &files, const QString &error) {
            progress->deleteLater();
            if (ok)
                QMessageBox::information(this, tr("Export CSV"),
                    tr("Wrote %n CSV file(s) to %1.", nullptr, int(files.size()))
                        .arg(QDir::toNativeSeparators(outDir)));
            else
                QMessageBox::warning(this, tr("Export CSV"), tr("The export failed: %1").arg(error));
        });
}
} // namespace bs
