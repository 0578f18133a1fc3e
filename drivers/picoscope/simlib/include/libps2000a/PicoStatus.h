/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vendor ships one copy of PicoStatus.h per driver directory; ours all share one file. */
#include "../libps5000a/PicoStatus.h"
