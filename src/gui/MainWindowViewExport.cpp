// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: File ▸ Export View Data (CSV) of the current scope view, through ViewDataExporter.
#include "MainWindow.h"

#include "RecordController.h"
#include "ScopeView.h"
#include "ViewDataExporter.h"

#include <SessionClock.h>
#include <TraceStore.h>
#include <Workspace.h>

namespace bs {

ViewDataExporter *MainWindow::viewExporter()
{
    if (!m_viewExporter) {
        m_viewExporter = new ViewDataExporter(this, [this] {
            ViewDataExporter::Context c;
            c.source = m_store;
            c.view = currentScope();
            c.directory = m_record->directory();
            for (const InstrumentHost *h : m_workspace->instruments())
                c.instruments.insert(h->id(), ViewExportInstrument { h->name(), h->type(), h->address(), h->streams() });
            c.session = currentSession().toBytes();
            c.sessionStartWallMs = SessionClock::wallClockStartMs();
            return c;
        });
    }
    return m_viewExporter;
}

ViewDataExportJob *MainWindow::exportViewData(const QString &path, bool betweenCursors, QString *error)
{
    return viewExporter()->start(path, betweenCursors, error);
}

void MainWindow::onExportViewData()
{
    viewExporter()->exportInteractively();
}

} // namespace bs
