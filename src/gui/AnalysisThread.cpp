// SPDX-License-Identifier: GPL-3.0-or-later
// startAnalysisThread(): worker threads of the analysis docks at a lower scheduling weight.
#include "AnalysisThread.h"

#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace bs {

void startAnalysisThread(QThread *thread)
{
#ifdef Q_OS_LINUX
    // QThread's priorities map to nothing under Linux's normal scheduling policy (only IdlePriority
    // does, and that one may never run on a busy machine); a thread's own nice value does. Set from
    // the new thread itself as it starts.
    QObject::connect(
        thread, &QThread::started, thread,
        [] { setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10); }, Qt::DirectConnection);
#endif
    thread->start();
}

} // namespace bs
