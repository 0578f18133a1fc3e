// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The NV200 command protocol (docs/protocols/nv200.md), pure encode/parse without I/O:
// framing (XOFF … XON), replies and error codes, status bits, recorder timing and read-out,
// waveform generator tables.
#include "Nv200ProtocolFrame.h"
#include "Nv200ProtocolRecorder.h"
#include "Nv200ProtocolReply.h"
#include "Nv200ProtocolWaveform.h"
