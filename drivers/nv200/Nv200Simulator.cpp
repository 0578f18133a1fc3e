// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder: the NV200 simulator is written in a parallel change.
#include "Nv200Simulator.h"
