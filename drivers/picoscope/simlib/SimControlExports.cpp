// SPDX-License-Identifier: GPL-3.0-or-later
// The picosim* control interface (include/picosim/picosim.h), compiled into each simulated vendor
// library so that every library exports it for its own simulator state.
#include "picosim/picosim.h"

#include "PicoSimGuard.h"
#include "PicoSimSettings.h"
#include "PicoSimUnit.h"

int32_t picosimConfigure(const char *settings) { return picosim::configure(settings); }
const char *picosimLastError(void) { return picosim::lastError(); }
uint64_t picosimConcurrencyViolations(void) { return picosim::concurrencyViolations(); }
int32_t picosimStreamingStats(const char *serial, uint64_t *produced, uint64_t *lost) {
  return picosim::streamingStats(serial, produced, lost);
}
