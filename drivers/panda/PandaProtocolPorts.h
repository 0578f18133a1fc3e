// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace bs::panda {

/// TCP port of the PandABox's control server.
constexpr quint16 kDefaultControlPort = 8888;

/// The data port when none is set: the control port + 1 — 8889 beside the PandABox's 8888, and
/// N+1 beside a simulator started with `benchscope-sim panda --port N`. One rule for the driver,
/// the simulator and the panel. 0 when there is no port above `controlPort` (65535).
constexpr quint16 defaultDataPort(quint16 controlPort)
{
    return controlPort < 65535 ? quint16(controlPort + 1) : quint16(0);
}

} // namespace bs::panda
