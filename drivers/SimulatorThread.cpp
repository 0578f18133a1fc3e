// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimulatorThread.h"

namespace bs {

SimulatorThread::SimulatorThread(const QString &name, std::function<QObject *()> factory)
{
    m_thread.setObjectName(name);
    m_object = factory();
    m_object->moveToThread(&m_thread);
    m_thread.start();
}

SimulatorThread::~SimulatorThread()
{
    if (m_object) {
        // deleteLater on the simulator's own thread: it runs there, at the latest when the thread finishes.
        QMetaObject::invokeMethod(m_object, [o = m_object] { o->deleteLater(); }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

void SimulatorThread::call(const std::function<void(QObject *)> &fn)
{
    QMetaObject::invokeMethod(m_object, [this, &fn] { fn(m_object); }, Qt::BlockingQueuedConnection);
}

} // namespace bs
