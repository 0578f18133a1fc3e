// SPDX-License-Identifier: GPL-3.0-or-later
// The signal generator: settings validation (vendor status codes), and its output as a function of
// device time. Every change (new settings, software trigger, gate, scope trigger) appends an entry
// to an immutable timeline, so captures taken earlier keep generating the signal they saw.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "PicoSimTypes.h"

namespace picosim {

struct Model;

struct SigGenConfig {
  bool on = false;               // off (0 V) until first configured
  int wave = WaveSine;           // WaveType, WaveArbitrary or WavePrbs
  double offset = 0;             // V
  double amplitude = 0;          // V, half of pk-to-pk
  double startFreq = 1000;       // Hz (of one whole waveform)
  double stopFreq = 1000;
  double increment = 0;          // Hz per dwell step
  double dwell = 0;              // s per step
  int sweepType = SweepUp;
  uint32_t shots = 0, sweeps = 0;
  int trigType = SgRising;
  int trigSource = SgNone;
  int16_t extThreshold = 0;
  std::shared_ptr<const std::vector<float>> table;  // arbitrary: samples / 32767, index mode applied
  // Arbitrary raw parameters kept for SetSigGenPropertiesArbitrary.
  int indexMode = IndexSingle;
  uint32_t arbLength = 0;

  bool sweeping() const { return dwell > 0 && increment > 0 && stopFreq != startFreq; }
};

// Builds a validated configuration. Units as in the API: µV, Hz, s.
struct BuiltInRequest {
  int32_t offsetUv;
  uint32_t pkToPkUv;
  int waveType;
  double startFreq, stopFreq, increment, dwell;
  int sweepType, operation;
  uint32_t shots, sweeps;
  int trigType, trigSource;
  int16_t extThreshold;
};
struct ArbitraryRequest {
  int32_t offsetUv;
  uint32_t pkToPkUv;
  uint32_t startDeltaPhase, stopDeltaPhase, deltaPhaseIncrement, dwellCount;
  const int16_t *waveform;
  int32_t size;
  int sweepType, operation, indexMode;
  uint32_t shots, sweeps;
  int trigType, trigSource;
  int16_t extThreshold;
};
Status buildBuiltIn(const Model &m, const BuiltInRequest &r, SigGenConfig &out);
Status buildArbitrary(const Model &m, const ArbitraryRequest &r, SigGenConfig &out);
// Properties-only updates of an existing configuration.
Status applyProperties(const Model &m, SigGenConfig &cfg, double start, double stop, double inc,
                       double dwell, int sweepType, uint32_t shots, uint32_t sweeps, int trigType,
                       int trigSource, int16_t extThreshold);
Status applyArbitraryProperties(const Model &m, SigGenConfig &cfg, uint32_t startDp, uint32_t stopDp,
                                uint32_t incDp, uint32_t dwellCount, int sweepType, uint32_t shots,
                                uint32_t sweeps, int trigType, int trigSource, int16_t extThreshold);
// delta phase for a frequency (§12): f * bufferLength * passes * 2^32 / DDS clock.
double frequencyToPhase(const Model &m, double freq, int indexMode, uint32_t bufferLength);

class SigGenTimeline {
 public:
  struct Entry {
    Ps start = 0;
    SigGenConfig cfg;
    Ps triggeredAt = -1;  // edge-triggered generators: time of the trigger, -1 = waiting
    bool gateHigh = false;
  };

  // A new timeline = old + entry at time t (configuration change).
  static std::shared_ptr<const SigGenTimeline> configure(const std::shared_ptr<const SigGenTimeline> &old,
                                                         Ps t, const SigGenConfig &cfg);
  // Trigger event (software trigger, gate change, scope trigger) of the given source at time t.
  // Returns the old timeline if the generator does not react to it.
  static std::shared_ptr<const SigGenTimeline> event(const std::shared_ptr<const SigGenTimeline> &old,
                                                     Ps t, int source, bool level);

  void generate(int64_t firstIndex, Ps dt, size_t n, bool acCoupled, float *out) const;
  void bounds(bool acCoupled, double &lo, double &hi) const;
  const SigGenConfig *current() const { return entries_.empty() ? nullptr : &entries_.back().cfg; }

 private:
  std::vector<Entry> entries_;  // sorted by start
};

}  // namespace picosim
