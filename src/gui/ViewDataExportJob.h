// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ViewDataExport.h"

#include <QObject>

#include <atomic>

class QThread;

namespace bs {

/// Runs one ViewDataExport on a thread of its own (the GUI thread never writes the files):
/// progress() and cancel() from the GUI thread, finished() on the thread that owns the job.
/// Destroying a running job cancels it and waits for its thread (the export then removes what it
/// wrote).
class ViewDataExportJob : public QObject
{
    Q_OBJECT
public:
    ViewDataExportJob(const TraceSource *store, ViewDataRequest request, QObject *parent = nullptr);
    ~ViewDataExportJob() override;

    const ViewDataRequest &request() const { return m_request; }
    void start();
    void cancel() { m_cancel.store(true); }
    bool isRunning() const { return m_running; }
    /// 0 … 1, as far as the export has come.
    double progress() const { return m_progress.load(); }
    /// Valid once finished() was emitted.
    const ViewDataResult &result() const { return m_result; }

Q_SIGNALS:
    void finished(const bs::ViewDataResult &result);

private:
    const TraceSource *m_store = nullptr;
    ViewDataRequest m_request;
    ViewDataResult m_result;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_cancel { false };
    std::atomic<double> m_progress { 0.0 };
    bool m_running = false;
};

} // namespace bs
