// SPDX-License-Identifier: GPL-3.0-or-later
#include "ViewDataExportJob.h"

#include <QThread>

namespace bs {

ViewDataExportJob::ViewDataExportJob(const TraceSource *store, ViewDataRequest request, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_request(std::move(request))
{
}

ViewDataExportJob::~ViewDataExportJob()
{
    if (m_thread) {
        m_cancel.store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void ViewDataExportJob::start()
{
    if (m_thread)
        return;
    m_running = true;
    m_thread = QThread::create([this] {
        m_result = ViewDataExport(m_store).run(m_request, [this](double f) {
            m_progress.store(f);
            return !m_cancel.load();
        });
    });
    m_thread->setObjectName(QStringLiteral("view-data-export"));
    // QThread::finished is emitted on the thread itself; this context delivers it here.
    connect(m_thread, &QThread::finished, this, [this] {
        m_running = false;
        Q_EMIT finished(m_result);
    });
    m_thread->start(QThread::LowPriority);
}

} // namespace bs
