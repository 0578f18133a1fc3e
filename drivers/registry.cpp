// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry.h"

#include "DriverRegistry.h"
#include "panda/PandaDriver.h"

namespace bs {

void registerBuiltinDrivers()
{
    auto &r = DriverRegistry::instance();
    r.add(panda::PandaDriver::info());
}

} // namespace bs
