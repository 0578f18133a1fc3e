// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry.h"

#include "DriverRegistry.h"
#include "m81/M81Driver.h"
#include "moku/MokuDriver.h"
#include "nv200/Nv200Driver.h"
#include "panda/PandaDriver.h"
#include "picoscope/PicoDriver.h"

namespace bs {

void registerBuiltinDrivers()
{
    auto &r = DriverRegistry::instance();
    r.add(panda::PandaDriver::info());
    r.add(nv200::Nv200Driver::info());
    r.add(picoscope::PicoDriver::info());
    r.add(m81::M81Driver::info());
    r.add(moku::MokuDriver::info());
}

} // namespace bs
