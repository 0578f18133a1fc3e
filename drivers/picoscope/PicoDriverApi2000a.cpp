// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoDriverApiLoader.h"

namespace bs::picoscope {

std::shared_ptr<PicoApi> makePs2000aApi(PicoLibraryFile &file)
{
    file.missing << QStringLiteral("(ps2000a support is not built yet)");
    return nullptr;
}

} // namespace bs::picoscope
