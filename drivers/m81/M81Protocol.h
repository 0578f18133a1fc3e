// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Everything of the Lake Shore M81-SSM protocol code (pure, no I/O).
#include "M81ProtocolElements.h"
#include "M81ProtocolLine.h"
#include "M81ProtocolReply.h"
#include "M81ProtocolRows.h"
