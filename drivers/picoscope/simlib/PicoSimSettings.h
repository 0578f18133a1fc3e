// SPDX-License-Identifier: GPL-3.0-or-later
// The PICOSIM settings (grammar in include/picosim/picosim.h): parsed into a Settings value that the
// rest of the core reads through snapshots; injected statuses live in their own queue.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "PicoSimTypes.h"

namespace picosim {

struct Model;

// One channel input (volts at the BNC).
struct SignalSpec {
  enum Kind : int { Off, SigGen, Dc, Sine, Square, Triangle, Noise };
  Kind kind = Off;
  double level = 0;   // dc: level
  double freq = 0;    // periodic: Hz
  double amp = 0;     // periodic: peak amplitude; noise: rms
  double offset = 0;  // periodic: DC offset
  double phaseDeg = 0;
  double noise = 0;   // added gaussian noise, V rms
};

enum class PowerSetting : int { Dc, Usb, Usb2 };

struct Settings {
  int units = 1;
  std::string variant;  // empty = the model's default
  PowerSetting power = PowerSetting::Dc;
  std::array<SignalSpec, kSources> signal = defaultSignals();
  uint64_t seed = 1;
  uint64_t memory = 0;  // 0 = the model's default
  bool overrunFlag = true;
  bool badStartIndex = false;  // fault: StreamingReady reports startIndex outside the buffer
  double streamingMaxRate = 125e6;
  int latencyMs = 0;

  static std::array<SignalSpec, kSources> defaultSignals();
};

struct Injection {
  Status status;
  uint32_t remaining;
};

// Parses `text` on top of `base` (a "reset" key restarts from defaults). Injections are appended to
// `injections` (keyed by the canonical function name). Returns false and sets `error` on a bad key
// or value; then nothing must be applied by the caller.
bool parseSettings(std::string_view text, const Model &model, Settings &base,
                   std::map<std::string, std::deque<Injection>> &injections, bool &resetInjections,
                   std::string &error);

// Parses one channel specification ("sine,freq=50,amp=2"); used by the parser and the tests.
bool parseSignalSpec(std::string_view text, SignalSpec &spec, std::string &error);

// Process-wide settings of this library.
Settings currentSettings();
// picosimConfigure: 0 / -1.
int32_t configure(const char *text);
const char *lastError();
// The status to return instead of running `function` (consumes one injection), or PICO_OK if none.
bool takeInjection(std::string_view function, Status &status);

// Registers the library's model and applies the PICOSIM environment variable (once).
void initLibrary(const Model &model);
const Model &model();

}  // namespace picosim
