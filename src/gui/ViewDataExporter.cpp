// SPDX-License-Identifier: GPL-3.0-or-later
#include "ViewDataExporter.h"

#include "ScopeView.h"
#include "ViewDataExportJob.h"

#include <EngineeringFormat.h>

#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <climits>
#include <cmath>

namespace bs {

namespace {
QString timeText(double t)
{
    return EngineeringFormat::formatSignificant(t, QStringLiteral("s"), 6);
}
} // namespace

ViewDataExporter::ViewDataExporter(QMainWindow *window, ContextFn context)
    : QObject(window)
    , m_window(window)
    , m_context(std::move(context))
{
}

ViewDataExportJob *ViewDataExporter::start(const QString &path, bool betweenCursors, QString *error)
{
    if (m_job) {
        *error = tr("An export of the view data is already running.");
        return nullptr;
    }
    const Context context = m_context();
    ScopeView *const scope = context.view;
    ViewDataRequest request;
    for (const ScopeView::ShownChannel &c : scope->shownChannels())
        request.channels << c.key;
    if (request.channels.isEmpty()) {
        *error = tr("The scope shows no channel: there is nothing to export.");
        return nullptr;
    }
    auto [from, to] = scope->visibleTimeRange();
    if (betweenCursors) {
        if (!scope->cursorsVisible()) {
            *error = tr("The time cursors are off: turn them on (C) to export the range between them.");
            return nullptr;
        }
        std::tie(from, to) = scope->timeCursors();
        if (from > to)
            std::swap(from, to);
    }
    request.from = from;
    request.to = to;
    request.path = path;
    request.instruments = context.instruments;
    request.session = context.session;
    request.sessionStartWallMs = context.sessionStartWallMs;

    m_job = new ViewDataExportJob(context.source, request, this);
    ViewDataExportJob *job = m_job;
    // A progress box with Cancel, only when the export takes longer than a moment; polled, so
    // the worker never floods the GUI thread with signals.
    QPointer<QProgressDialog> progress = new QProgressDialog(
        tr("Writing the view data to %1 …").arg(QDir::toNativeSeparators(path)), tr("Cancel"), 0, 1000, m_window);
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
        m_job = nullptr;
        job->deleteLater();
        if (r.ok)
            m_window->statusBar()->showMessage(tr("Exported %n row(s) of view data to %1", nullptr, int(std::min<quint64>(r.rows, INT_MAX)))
                                         .arg(QDir::toNativeSeparators(r.files.size() == 1 ? r.files.front() : QFileInfo(r.files.front()).absolutePath())),
                8000);
        else
            m_window->statusBar()->showMessage(r.canceled ? tr("Export of the view data cancelled; no file kept") : r.error, 8000);
    });
    job->start();
    return job;
}

void ViewDataExporter::exportInteractively()
{
    const Context context = m_context();
    ScopeView *const scope = context.view;
    QWidget *const window = m_window;
    const QVector<ScopeView::ShownChannel> shown = scope->shownChannels();
    if (shown.isEmpty()) {
        QMessageBox::information(window, tr("Export View Data"), tr("The scope shows no channel: there is nothing to export."));
        return;
    }
    QVector<ChannelKey> keys;
    for (const ScopeView::ShownChannel &c : shown)
        keys << c.key;
    const int streams = int(ViewDataExport::byStream(keys).size());
    const bool cursors = scope->cursorsVisible();
    bool between = cursors;

    // What is written, and (with the cursors on) which range: said before the file is chosen.
    if (cursors || streams > 1) {
        QDialog ask(window);
        ask.setWindowTitle(tr("Export View Data"));
        auto *layout = new QVBoxLayout(&ask);
        const auto [w0, w1] = scope->visibleTimeRange();
        auto [c0, c1] = scope->timeCursors();
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
        path = QFileDialog::getSaveFileName(window, tr("Export View Data — Name of the Folder of CSV Files"),
            QDir(context.directory).filePath(QStringLiteral("scope-data")), tr("Folder (*)"), nullptr,
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
                QMessageBox::Yes | QMessageBox::Cancel, window);
            replace.button(QMessageBox::Yes)->setText(tr("&Replace"));
            replace.setDefaultButton(QMessageBox::Cancel);
            if (replace.exec() != QMessageBox::Yes)
                return;
        }
    } else {
        path = QFileDialog::getSaveFileName(window, tr("Export View Data"),
            QDir(context.directory).filePath(QStringLiteral("scope-data.csv")), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".csv");
    }

    QString error;
    ViewDataExportJob *job = start(path, between, &error);
    if (!job) {
        QMessageBox::warning(window, tr("Export View Data"), error);
        return;
    }
    connect(job, &ViewDataExportJob::finished, this, [window](ViewDataResult r) {
        if (r.canceled)
            return;
        if (!r.ok) {
            QMessageBox::warning(window, tr("Export View Data"), tr("The export failed: %1").arg(r.error));
            return;
        }
        const QString folder = QFileInfo(r.files.front()).absolutePath();
        QMessageBox done(QMessageBox::Information, tr("Export View Data"),
            tr("Wrote %n file(s):", nullptr, int(r.files.size())) + QLatin1Char('\n')
                + QDir::toNativeSeparators(r.files.join(QLatin1Char('\n')))
                + (r.gaps ? QLatin1Char('\n') + tr("%n gap(s) in the data are marked in the file(s).", nullptr, int(std::min<quint64>(r.gaps, INT_MAX))) : QString()),
            QMessageBox::Ok, window);
        QPushButton *open = done.addButton(tr("&Open Folder"), QMessageBox::ActionRole);
        done.exec();
        if (done.clickedButton() == open)
            QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    });
}

} // namespace bs
