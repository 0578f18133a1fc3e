// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace bs {

/// Adds every built-in driver to DriverRegistry::instance(). Idempotent.
void registerBuiltinDrivers();

} // namespace bs
