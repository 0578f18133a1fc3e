// SPDX-License-Identifier: GPL-3.0-or-later
// Trigger settings (simple, struct-based and V2 APIs map onto one TriggerSetup) and the scanner that
// finds the trigger point in generated sample chunks, keeping hysteresis state across chunks.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "PicoSimSignal.h"
#include "PicoSimTypes.h"

namespace picosim {

constexpr int kTriggerInputs = 6;  // A..D, EXT, AUX (index = Source)
constexpr int kPwqInput = 6;       // pseudo input: the pulse-width qualifier

struct ChannelProps {
  int16_t upper = 0;
  uint16_t upperHyst = 0;
  int16_t lower = 0;
  uint16_t lowerHyst = 0;
};

struct ConditionTerm {
  int input;  // 0..5 = source, kPwqInput = pulse-width qualifier
  int state;  // StateTrue / StateFalse
};
using ConditionGroup = std::vector<ConditionTerm>;  // AND

struct TriggerSetup {
  std::vector<ConditionGroup> groups;  // OR; empty = no trigger (free running)
  std::array<int, kTriggerInputs> direction{};  // Direction, default ABOVE (0)
  std::array<int, kTriggerInputs> mode{};       // ThresholdMode
  std::array<ChannelProps, kTriggerInputs> props{};
  uint64_t autoTriggerUs = 0;  // 0 = wait for ever
  uint32_t delay = 0;          // samples after the trigger event
  bool withinPreTrigger = false;
  // Pulse-width qualifier
  std::vector<ConditionGroup> pwqGroups;
  std::array<int, kTriggerInputs> pwqDirection{};  // per input; PULSE_WIDTH_SOURCE sets all of them
  std::array<int, kTriggerInputs> pwqMode{};       // LEVEL: above/below upper; WINDOW: inside/outside
  uint32_t pwLower = 0, pwUpper = 0;
  int pwType = PwNone;

  bool enabled() const { return !groups.empty(); }
  bool pwqEnabled() const { return !pwqGroups.empty() && pwType != PwNone; }
  // Inputs referenced by trigger or qualifier conditions (bit i = source i).
  unsigned usedInputs() const;
};

// Searches for trigger events in consecutive ranges of absolute sample indices.
class TriggerScanner {
 public:
  TriggerScanner(const TriggerSetup &setup, const std::array<SourceContext, kSources> &sources,
                 const std::array<FrontEnd, kSources> &frontEnds, Ps dt);

  // True when the signal bounds show that no group can ever fire.
  bool impossible() const { return impossible_; }
  // Restarts the hysteresis state (rapid block re-arm).
  void reset();
  // Scans samples [from, to). A trigger is accepted only at index >= earliest. On success sets
  // `hit` (absolute index of the first sample satisfying the trigger) and `offsetPs` (time of the
  // interpolated threshold crossing relative to that sample, <= 0) and returns true; the scan state
  // then stands just after `hit`.
  bool scan(int64_t from, int64_t to, int64_t earliest, int64_t &hit, double &offsetPs);

 private:
  struct InputState {
    bool used = false;
    bool level = false;  // level/window state with hysteresis
    bool armed = false, armedLow = false;
    bool inPulse = false, exceeded = false;
    bool pwqLevel = false;   // above the upper threshold (with hysteresis)
    bool pwqInside = false;  // inside the window [lower, upper] (with hysteresis outwards)
    int64_t pwqStart = 0;
    bool pwqPrev = false;
    float prevCounts = 0;
  };
  bool inputCondition(int input, float v, InputState &s, float &crossLevel);

  TriggerSetup setup_;
  std::array<SourceContext, kSources> sources_;
  std::array<FrontEnd, kSources> frontEnds_;
  Ps dt_;
  std::array<InputState, kTriggerInputs> state_{};
  bool pwqActive_ = false;
  int64_t pwqRunStart_ = -1;
  bool primed_ = false;
  bool impossible_ = false;
};

// Default hysteresis of SetSimpleTrigger (ADC counts).
constexpr uint16_t kSimpleTriggerHysteresis = 256;

}  // namespace picosim
