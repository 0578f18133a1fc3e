// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PicoDriverApi.h"

#include <QLibrary>
#include <QMutex>

namespace bs::picoscope {

/// One loaded vendor library file, shared by every PicoApi made from it and never unloaded (a
/// vendor library may still run its own threads after the last CloseUnit).
struct PicoLibraryFile
{
    QLibrary library;
    QMutex mutex;       ///< held during every call into the library
    QStringList missing;

    /// Resolves `symbol`; records it in `missing` when absent.
    QFunctionPointer resolve(const char *symbol);
};

std::shared_ptr<PicoApi> makePs5000aApi(PicoLibraryFile &file);
std::shared_ptr<PicoApi> makePs2000aApi(PicoLibraryFile &file);

} // namespace bs::picoscope
