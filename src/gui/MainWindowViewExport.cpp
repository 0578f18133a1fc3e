// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: File ▸ Export View Data (CSV) — the samples of the scope's shown channels in the
// window shown or between the time cursors, written by a ViewDataExportJob on a worker thread.
#include "MainWindow.h"

#include "RecordController.h"
#include "ScopeView.h"
#include "ViewDataExportJob.h"

#include <EngineeringFormat.h>
#include <SessionClock.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace bs {

namespace {
QString timeText(double t)
{
    return EngineeringFormat::formatSignificant(t, QStringLiteral("s"), 6);
}
} // namespace

ViewDataExportJob *MainWindow::exportViewData(const QString &path, bool betweenCursors, QString *error)
{
    if (m_viewExport) {
        *error = tr("An export of the view data is already running.");
        return nullptr;
    }
    ViewDataRequest request;
    for (const ScopeView::ShownChannel &c : m_scope->shownChannels())
        request.channels << c.key;
    if (request.channels.isEmpty()) {
        *error = tr("The scope shows no channel: there is nothing to export.");
        return nullptr;
    }
    auto [from, to] = m_scope->visibleTimeRange();
    if (betweenCursors) {
        if (!m_scope->cursorsVisible()) {
            *error = tr("The time cursors are off: turn them on (C) to export the range between them.");
            return nullptr;
        }
        std::tie(from, to) = m_scope->timeCursors();
        if (from > to)
            std::swap(from, to);
    }
    request.from = from;
    request.to = to;
    request.path = path;
    for (const InstrumentHost *h : m_workspace->instruments())
        request.instruments.insert(h->id(), ViewExportInstrument { h->name(), h->type(), h->address(), h->streams() });
    request.session = currentSession().toBytes();
    request.sessionStartWallMs = SessionClock::wallClockStartMs();

    m_viewExport = new ViewDataExportJob(m_store, request, this);
    ViewDataExportJob *job = m_viewExport;
    // A progress box with Cancel, only when the export takes longer than a moment; polled, so
    // the worker never floods the GUI thread with signals.
    QPointer<QProgressDialog> progress = new QProgressDialog(
        tr("Writing the view data to %1 …").arg(QDir::toNativeSeparators(path)), tr("Cancel"), 0, 1000, this);
    progress->setWindowTitle(tr("Export View Data"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(500);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, job, &ViewDataExportJob::cancel);
    auto *poll = new QTimer(progress);
    connect(poll, &QTimer::timeout, progress, [progress, job] { progress->setValue(int(job->progress() * 1000)); });
    poll->start(100);
    connect(job, &ViewDataExportJob::finished, this, [this, job, progress](const ViewDataResult &r) {
        delete progress.data();
        m_viewExport = nullptr;
        job->deleteLater();
        if (r.ok)
            statusBar()->showMessage(tr("Exported %n row(s) of view data to %1", nullptr, int(std::min<quint64>(r.rows, INT_MAX)))
                                         .arg(QDir::toNativeSeparators(r.files.size() == 1 ? r.files.front() : QFileInfo(r.files.front()).absolutePath())),
                8000);
        else
            statusBar()->showMessage(r.canceled ? tr("Export of the view data cancelled; no file kept") : r.error, 8000);
    });
    job->start();
    return job;
}

void MainWindow::onExportViewData()
{
    const QVector<ScopeView::ShownChannel> shown = m_scope->shownChannels();
    if (shown.isEmpty()) {
        QMessageBox::information(this, tr("Export View Data"), tr("The scope shows no channel: there is nothing to export."));
        return;
    }
    QVector<ChannelKey> keys;
    for (const ScopeView::ShownChannel &c : shown)
        keys << c.key;
    const int streams = int(ViewDataExport::byStream(keys).size());
    const bool cursors = m_scope->cursorsVisible();
    bool between = cursors;

    // What is written, and (with the cursors on) which range: said before the file is chosen.
    if (cursors || streams > 1) {
        QDialog ask(this);
        ask.setWindowTitle(tr("Export View Data"));
        auto *layout = new QVBoxLayout(&ask);
        const auto [w0, w1] = m_scope->visibleTimeRange();
        auto [c0, c1] = m_scope->timeCursors();
        if (c0 > c1)
            std::swap(c0, c1);
        QRadioButton *betweenButton = nullptr;
        if (cursors) {
            layout->addWidget(new QLabel(tr("Every sample the display holds of the %n channel(s) shown:", nullptr, int(shown.size()))));
            betweenButton = new QRadioButton(tr("&Between the time cursors (%1 … %2)").arg(timeText(c0), timeText(c1)));
            betweenButton->setObjectName(QStringLiteral("betweenCursors"));
            auto *window = new QRadioButton(tr("The &window shown (%1 … %2)").arg(timeText(w0), timeText(w1)));
            betweenButton->setChecked(true);
            layout->addWidget(betweenButton);
            layout->addWidget(window);
        }
        auto *where = new QLabel(streams > 1
                ? tr("The channels come from %1 streams: a folder is written, with one CSV file per stream "
                     "(<instrument>_<stream>.csv). Choose the folder's name next.")
                      .arg(streams)
                : tr("The channels come from one stream: one CSV file is written."));
        where->setWordWrap(true);
        where->setTextFormat(Qt::PlainText);
        layout->addWidget(where);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        buttons->button(QDialogButtonBox::Ok)->setText(tr("Choose &File…"));
        connect(buttons, &QDialogButtonBox::accepted, &ask, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, &ask, &QDialog::reject);
        layout->addWidget(buttons);
        if (ask.exec() != QDialog::Accepted)
            return;
        between = betweenButton && betweenButton->isChecked();
    }

    QString path;
    if (streams > 1) {
        path = QFileDialog::getSaveFileName(this, tr("Export View Data — Name of the Folder of CSV Files"),
            QDir(m_record->directory()).filePath(QStringLiteral("scope-data")), tr("Folder (*)"), nullptr,
            QFileDialog::DontConfirmOverwrite);
        if (path.isEmpty())
            return;
        ViewDataRequest probe;
        probe.channels = keys;
        probe.path = path;
        QStringList existing;
        for (const QString &f : ViewDataExport::plannedFiles(probe))
            if (QFileInfo::exists(f))
                existing << QFileInfo(f).fileName();
        if (!existing.isEmpty()) {
            QMessageBox replace(QMessageBox::Question, tr("Export View Data"),
                tr("%1 already holds %2.\n\nReplace?").arg(QDir::toNativeSeparators(path), existing.join(QStringLiteral(", "))),
                QMessageBox::Yes | QMessageBox::Cancel, this);
            replace.button(QMessageBox::Yes)->setText(tr("&Replace"));
            replace.setDefaultButton(QMessageBox::Cancel);
            if (replace.exec() != QMessageBox::Yes)
                return;
        }
    } else {
        path = QFileDialog::getSaveFileName(this, tr("Export View Data"),
            QDir(m_record->directory()).filePath(QStringLiteral("scope-data.csv")), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".csv");
    }

    QString error;
    ViewDataExportJob *job = exportViewData(path, between, &error);
    if (!job) {
        QMessageBox::warning(this, tr("Export View Data"), error);
        return;
    }
    connect(job, &ViewDataExportJob::finished, this, [this](ViewDataResult r) {
        if (r.canceled)
            return;
        if (!r.ok) {
            QMessageBox::warning(this, tr("Export View Data"), tr("The export failed: %1").arg(r.error));
            return;
        }
        const QString folder = QFileInfo(r.files.front()).absolutePath();
        QMessageBox done(QMessageBox::Information, tr("Export View Data"),
            tr("Wrote %n file(s):", nullptr, int(r.files.size())) + QLatin1Char('\n')
                + QDir::toNativeSeparators(r.files.join(QLatin1Char('\n')))
                + (r.gaps ? QLatin1Char('\n') + tr("%n gap(s) in the data are marked in the file(s).", nullptr, int(std::min<quint64>(r.gaps, INT_MAX))) : QString()),
            QMessageBox::Ok, this);
        QPushButton *open = done.addButton(tr("&Open Folder"), QMessageBox::ActionRole);
        done.exec();
        if (done.clickedButton() == open)
            QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    });
}

} // namespace bs
