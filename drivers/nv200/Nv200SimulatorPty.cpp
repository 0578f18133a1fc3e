// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200SimulatorPty.h"

namespace bs::nv200 {

Nv200SimulatorPty::Nv200SimulatorPty(
    const Nv200SimFraming &framing, Executor exec, std::atomic<unsigned> &faults, QObject *parent)
    : Nv200SimulatorLink(framing, std::move(exec), faults, parent)
    , m_pty(new SimulatorPty(tr("NV200 simulator"), 115200, kMaxPending,
          [this](QByteArrayView bytes) { receive(bytes); }, this))
{
}

} // namespace bs::nv200
