// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ViewDataExport.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QMainWindow;

namespace bs {

class ScopeView;
class TraceSource;
class ViewDataExportJob;

/// File ▸ Export View Data (CSV) of a window with a scope view (the main window, a recording's
/// window): the samples of the view's shown channels in the window shown or between the time
/// cursors, written by a ViewDataExportJob on a worker thread with a progress box and Cancel, the
/// outcome in the window's status bar. One export at a time per window.
class ViewDataExporter : public QObject
{
    Q_OBJECT
public:
    /// What an export reads and writes into the headers, asked when it starts.
    struct Context
    {
        TraceSource *source = nullptr;
        ScopeView *view = nullptr; ///< the view whose shown channels and times are exported
        QString directory; ///< where the file dialog starts
        QHash<QString, ViewExportInstrument> instruments; ///< by instrument id
        QByteArray session; ///< the session JSON for the headers (may be empty)
        qint64 sessionStartWallMs = 0; ///< wall clock of time 0 (ms since the Unix epoch)
    };
    using ContextFn = std::function<Context()>;

    ViewDataExporter(QMainWindow *window, ContextFn context);

    /// Without dialogs: exports to `path` (a `.csv` file for one stream, else a folder of one file
    /// per stream). The running job, or null with `error` (nothing shown, nothing running, an
    /// export already running, cursors off with `betweenCursors`).
    ViewDataExportJob *start(const QString &path, bool betweenCursors, QString *error);
    /// The menu action: asks the range (with the cursors on) and the destination, then start();
    /// says the result in a box with Open Folder.
    void exportInteractively();
    bool running() const { return !m_job.isNull(); }

private:
    QMainWindow *m_window;
    ContextFn m_context;
    QPointer<ViewDataExportJob> m_job;
};

} // namespace bs
