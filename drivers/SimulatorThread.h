// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace bs {

/// Runs a simulator QObject on a thread of its own, so that the simulated device never competes
/// with the GUI or a driver for an event loop.
/// Construct the simulator without a parent; it is moved to the thread, runs there and is
/// deleted there. Use call() to start it (e.g. listen) on its own thread.
class SimulatorThread
{
public:
    SimulatorThread(const QString &name, std::function<QObject *()> factory);
    ~SimulatorThread();
    SimulatorThread(const SimulatorThread &) = delete;
    SimulatorThread &operator=(const SimulatorThread &) = delete;

    QObject *object() const { return m_object; }
    /// Runs `fn(object)` on the simulator's thread and waits for it.
    void call(const std::function<void(QObject *)> &fn);

private:
    QThread m_thread;
    QObject *m_object = nullptr;
};

} // namespace bs
