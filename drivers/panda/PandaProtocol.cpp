// SPDX-License-Identifier: GPL-3.0-or-later
// Compiles the umbrella header on its own so that it stays self-contained.
#include "PandaProtocol.h"
