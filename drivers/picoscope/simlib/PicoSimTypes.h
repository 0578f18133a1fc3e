// SPDX-License-Identifier: GPL-3.0-or-later
// Internal vocabulary of the simulated PicoScope core: numeric values identical to the vendor enums
// (ps5000a and ps2000a share them), so the ABI layers pass their enum arguments straight through.
#pragma once

#include <cstdint>

#include "libps5000a/PicoStatus.h"

namespace picosim {

using Status = PICO_STATUS;

constexpr int kAnalogChannels = 4;  // A..D
constexpr int kSources = 5;         // A..D + EXT (signal inputs)
enum Source : int { SrcA = 0, SrcB = 1, SrcC = 2, SrcD = 3, SrcExt = 4, SrcAux = 5, SrcPwq = 0x10000000 };

enum Coupling : int { CouplingAC = 0, CouplingDC = 1 };
constexpr int kRangeCount = 12;  // 10 mV .. 50 V
constexpr double kRangeVolts[kRangeCount] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50};
constexpr double kExtRangeVolts = 5.0;  // external trigger input: +-32767 counts <-> +-5 V

enum RatioMode : uint32_t {
  RatioNone = 0, RatioAggregate = 1, RatioDecimate = 2, RatioAverage = 4, RatioDistribution = 8
};
enum TimeUnit : int { UnitFs = 0, UnitPs, UnitNs, UnitUs, UnitMs, UnitS, UnitCount };

enum Direction : int {
  DirAbove = 0, DirBelow = 1, DirRising = 2, DirFalling = 3, DirRisingOrFalling = 4,
  DirAboveLower = 5, DirBelowLower = 6, DirRisingLower = 7, DirFallingLower = 8,
  DirPositiveRunt = 9, DirNegativeRunt = 10, DirCount = 11
};
enum ThresholdMode : int { ModeLevel = 0, ModeWindow = 1 };
enum TriggerState : int { StateDontCare = 0, StateTrue = 1, StateFalse = 2, StateMax = 3 };
enum PulseWidthType : int { PwNone = 0, PwLessThan, PwGreaterThan, PwInRange, PwOutOfRange, PwCount };

enum WaveType : int {
  WaveSine = 0, WaveSquare, WaveTriangle, WaveRampUp, WaveRampDown, WaveSinc, WaveGaussian,
  WaveHalfSine, WaveDc, WaveWhiteNoise, WaveCount, WaveArbitrary = 100, WavePrbs = 101
};
enum SweepType : int { SweepUp = 0, SweepDown, SweepUpDown, SweepDownUp, SweepCount };
enum ExtraOp : int { OpOff = 0, OpWhiteNoise = 1, OpPrbs = 2 };
enum SigGenTrigType : int { SgRising = 0, SgFalling, SgGateHigh, SgGateLow };
enum SigGenTrigSource : int { SgNone = 0, SgScopeTrig, SgAuxIn, SgExtIn, SgSoftTrig };
enum IndexMode : int { IndexSingle = 0, IndexDual, IndexQuad };

constexpr uint32_t kContinuousRun = 0xFFFFFFFFu;
constexpr uint32_t kMaxSweepsShots = (1u << 30) - 1;

// Device time is counted in picoseconds since the unit was opened (int64: ~106 days).
using Ps = int64_t;
constexpr Ps kPsPerNs = 1000;
constexpr Ps kPsPerS = 1000000000000LL;

}  // namespace picosim
