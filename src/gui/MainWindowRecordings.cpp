// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: File ▸ Open Recording, read off the GUI thread into a RecordingWindow of its own.
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "RecordController.h"
#include "RecordingTraceSource.h"
#include "RecordingWindow.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QThread>
#include <QTimer>

#include <atomic>

namespace bs {

/// What the opening thread and the window share.
struct MainWindow::RecordingOpening
{
    QString path;
    std::atomic<bool> cancel { false };
    std::atomic<int> permille { 0 };
    std::unique_ptr<RecordingTraceSource> source; ///< written by the thread, read after it finished
    QString error;
    QThread *thread = nullptr;
};

void MainWindow::setupRecordingActions()
{
    auto *open = new QAction(tr("Open &Recording…"), this);
    open->setObjectName(QStringLiteral("actionOpenRecording"));
    open->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    open->setToolTip(tr("Browse a recording made by BenchScope: an HDF5 file or a CSV file (Ctrl+Shift+O)"));
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Recording"), m_record->directory(),
            tr("Recordings (*.h5 *.hdf5 *.csv);;HDF5 recordings (*.h5 *.hdf5);;CSV recordings (*.csv);;All files (*)"));
        if (!path.isEmpty())
            openRecording(path);
    });
    auto *openFolder = new QAction(tr("Open CSV Recording &Folder…"), this);
    openFolder->setObjectName(QStringLiteral("actionOpenCsvFolder"));
    openFolder->setToolTip(tr("Browse a CSV recording: the folder holding its files, one per stream"));
    connect(openFolder, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getExistingDirectory(this, tr("Open CSV Recording Folder"), m_record->directory());
        if (!path.isEmpty())
            openRecording(path);
    });
    // After Open and Open Recent, before the separator that follows them.
    QMenu *file = m_ui->menuFile;
    const QList<QAction *> actions = file->actions();
    const auto recent = actions.indexOf(m_ui->menuRecent->menuAction());
    QAction *before = recent >= 0 && recent + 1 < actions.size() ? actions.at(recent + 1) : nullptr;
    file->insertAction(before, open);
    file->insertAction(before, openFolder);
}

bool MainWindow::openRecording(const QString &path)
{
    if (m_opening)
        return false;
    auto opening = std::make_shared<RecordingOpening>();
    opening->path = path;
    m_opening = opening;

    auto *progress = new QProgressDialog(tr("Opening %1 …").arg(QDir::toNativeSeparators(path)), tr("Cancel"), 0, 1000, this);
    progress->setWindowTitle(tr("Open Recording"));
    progress->setMinimumDuration(400);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, this, [opening] { opening->cancel = true; });
    auto *tick = new QTimer(progress);
    tick->setInterval(100);
    connect(tick, &QTimer::timeout, progress, [progress, opening] { progress->setValue(opening->permille.load()); });
    tick->start();

    opening->thread = QThread::create([opening] {
        opening->source = RecordingTraceSource::open(
            opening->path,
            [opening](double fraction) {
                opening->permille = int(fraction * 1000.0);
                return !opening->cancel.load();
            },
            &opening->error);
    });
    opening->thread->setObjectName(QStringLiteral("openRecording"));
    connect(opening->thread, &QThread::finished, this, [this, opening, progress] {
        opening->thread->deleteLater();
        opening->thread = nullptr;
        progress->deleteLater();
        m_opening.reset();
        if (!opening->source) {
            const QString error = opening->cancel ? QString() : opening->error;
            if (!error.isEmpty()) {
                auto *box = new QMessageBox(QMessageBox::Warning, tr("Open Recording"), error, QMessageBox::Ok, this);
                box->setObjectName(QStringLiteral("openRecordingError"));
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            }
            Q_EMIT recordingOpened(nullptr, error);
            return;
        }
        auto *window = new RecordingWindow(std::move(opening->source), this);
        window->show();
        statusBar()->showMessage(tr("Opened the recording %1").arg(QDir::toNativeSeparators(opening->path)), 5000);
        Q_EMIT recordingOpened(window, QString());
    });
    opening->thread->start();
    return true;
}

QList<RecordingWindow *> MainWindow::recordingWindows() const
{
    return findChildren<RecordingWindow *>(QString(), Qt::FindDirectChildrenOnly);
}

void MainWindow::stopRecordingOpening()
{
    if (!m_opening || !m_opening->thread)
        return;
    m_opening->cancel = true;
    m_opening->thread->wait();
}

} // namespace bs
