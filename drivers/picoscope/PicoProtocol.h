// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The pure (no I/O) PicoScope helpers: tables, status texts, timebases, scaling.
#include "PicoProtocolScaling.h"
#include "PicoProtocolStatus.h"
#include "PicoProtocolTables.h"
#include "PicoProtocolTiming.h"
