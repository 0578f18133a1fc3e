// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Session.h"
#include "SimulatorThread.h"

#include <memory>
#include <vector>

namespace bs {

/// Every built-in simulator running in-process on loopback with ephemeral ports, and a session
/// wired to them: what `benchscope --demo` and `benchscope-rec --demo` open.
class DemoBench
{
public:
    DemoBench();
    ~DemoBench();

    /// Starts the simulators; false with a message if one cannot listen.
    bool start(QString *error);
    const Session &session() const { return m_session; }

private:
    /// Starts a simulator of type `Sim` on its own thread; nullptr (and `error`) if it cannot listen.
    template<typename Sim>
    Sim *launch(const QString &name, const typename Sim::Config &cfg, QString *error);

    std::vector<std::unique_ptr<SimulatorThread>> m_sims;
    Session m_session;
};

} // namespace bs
