// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorPty.h"

namespace bs::m81 {

M81SimulatorPty::M81SimulatorPty(Executor exec, Overrun overrun, std::atomic<unsigned> &faults, QObject *parent)
    : M81SimulatorLink(std::move(exec), std::move(overrun), faults, parent)
    , m_pty(new SimulatorPty(tr("M81 simulator"), 921600, kMaxPending,
          [this](QByteArrayView bytes) { receive(bytes); }, this))
{
}

} // namespace bs::m81
