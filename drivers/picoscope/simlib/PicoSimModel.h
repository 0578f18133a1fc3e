// SPDX-License-Identifier: GPL-3.0-or-later
// Description of one simulated product family (ps5000a 5444D, ps2000a 2406B): what differs between
// the two libraries built on the same core. Each ABI layer defines one Model and registers it with
// picosim::initLibrary() when the library is loaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "PicoSimTypes.h"

namespace picosim {

// One product of a family, chosen with PICOSIM `variant=`: what the specification says differs
// between the models of a family (§2 AWG sizes and DDS clocks, §7 channel count = the variant's
// second digit, §9 which units report power-source states).
struct Variant {
  const char *name;       // VARIANT_INFO, e.g. "5444D"
  int channels;           // analogue channels A.. (2 or 4)
  uint32_t awgMaxSize;    // arbitrary waveform buffer limit (samples)
  double ddsFrequency;    // AWG phase accumulator clock (Hz)
  bool dcSupplyInput;     // 4-channel 5000 units: PICO_POWER_SUPPLY_NOT_CONNECTED on USB power only
  bool usb3;              // 5000D: PICO_USB3_0_DEVICE_NON_USB3_0_PORT on a USB 2 port
};

struct Model {
  const char *prefix;          // "ps5000a": function-name prefix (inject=, messages)
  const char *defaultVariant;  // VARIANT_INFO unless variant= says otherwise
  const char *const *functions;  // exported function names without the prefix
  int functionCount;
  bool hasResolution;          // FlexRes (ps5000a): 8..16 bit; otherwise always 8 bit
  bool hasPowerStates;         // 4-channel 5000 series: PICO_POWER_SUPPLY_* handling
  bool hasWhiteNoiseWave;      // waveType 9 exists
  int minRange;                // lowest range index accepted by SetChannel
  int maxRange;                // highest range index accepted (50 V is never accepted)
  uint64_t defaultMemory;      // samples
  uint32_t maxSegments;
  double ddsFrequency;         // AWG phase accumulator clock (Hz)
  uint32_t awgMaxSize;         // arbitrary waveform buffer limit (samples)
  double builtinMaxFrequency;  // Hz, built-in waveforms
  double awgOutputLimit;       // V, |offset| + pk/2 must not exceed it
  const char *driverVersion;
  const char *hardwareVersion;
  const char *firmware1, *firmware2, *firmware3;
  const Variant *variants;     // the models of the family that can be simulated
  int variantCount;

  bool knowsFunction(std::string_view name) const;
  // The variant called `name` (case-insensitive), or nullptr.
  const Variant *findVariant(std::string_view name) const;
  // "5242A, 5242B, ..." for messages.
  std::string variantNames() const;
  // This model as a unit of `variant` is: the family's description with the variant's values.
  Model forVariant(const Variant &variant) const;
};

// Resolution enum value → ADC bits (8 for an unknown value).
int resolutionBits(int resolution);
// MaximumValue for a resolution: 32512 at 8 bit, 32767 above.
int16_t maxAdcCount(int resolution);
// Largest number of analogue channels that may be enabled at a resolution.
int maxChannelsForResolution(int resolution);
bool resolutionValid(int resolution);

// Sample interval of a timebase (§8.1) in ps, or PICO_INVALID_TIMEBASE when the timebase does not
// exist at this resolution or is too fast for nChannels enabled channels (1 GS/s with one channel,
// 500 MS/s with two, 250 MS/s with up to four at 8 bit; 12 bit one step slower).
Status timebaseInterval(int resolution, uint32_t timebase, int nChannels, Ps *dt);
// Fastest timebase legal for nChannels at a resolution.
uint32_t minimumTimebase(int resolution, int nChannels);
// Timebase whose interval is nearest to (and not shorter than) the requested one.
uint32_t timebaseForInterval(int resolution, int nChannels, double seconds);

}  // namespace picosim
