// SPDX-License-Identifier: GPL-3.0-or-later
// Signal generator settings: validation against the model's limits and conversion to SigGenConfig.
#include "PicoSimSigGen.h"

#include <algorithm>
#include <cmath>

#include "PicoSimModel.h"

namespace picosim {

namespace {

constexpr double kMinFrequency = 0.03;

Status checkLevels(const Model &m, int32_t offsetUv, uint32_t pkToPkUv, bool dc) {
  const double limitUv = m.awgOutputLimit * 1e6;
  if (std::fabs(double(offsetUv)) > limitUv) return PICO_SIGGEN_OFFSET_VOLTAGE;
  if (dc) return PICO_OK;
  if (double(pkToPkUv) > 2 * limitUv) return PICO_SIGGEN_PK_TO_PK;
  if (std::fabs(double(offsetUv)) + double(pkToPkUv) / 2 > limitUv) return PICO_SIGGEN_OUTPUT_OVER_VOLTAGE;
  return PICO_OK;
}

Status checkTrigger(int trigType, int trigSource, uint32_t shots, uint32_t sweeps) {
  if (trigSource < SgNone || trigSource > SgSoftTrig) return PICO_SIGGEN_TRIGGER_SOURCE;
  if (trigType < SgRising || trigType > SgGateLow) return PICO_SIG_GEN_PARAM;
  auto countOk = [](uint32_t v) { return v <= kMaxSweepsShots || v == kContinuousRun; };
  if (!countOk(shots) || !countOk(sweeps)) return PICO_SHOTS_SWEEPS_WARNING;
  if (trigSource != SgNone && (shots != 0) == (sweeps != 0)) return PICO_SHOTS_SWEEPS_WARNING;
  return PICO_OK;
}

// Frequencies of a sweep (or a fixed frequency when start == stop).
Status checkSweep(double start, double stop, double inc, double dwell, int sweepType, double maxFreq) {
  if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(inc) || !std::isfinite(dwell))
    return PICO_SIG_GEN_PARAM;
  if (sweepType < SweepUp || sweepType >= SweepCount) return PICO_SIG_GEN_PARAM;
  if (start < kMinFrequency || start > maxFreq || stop < kMinFrequency || stop > maxFreq)
    return PICO_SIG_GEN_PARAM;
  if (start != stop && (inc <= 0 || dwell <= 0)) return PICO_SIG_GEN_PARAM;
  return PICO_OK;
}

void setSweep(SigGenConfig &c, double start, double stop, double inc, double dwell, int sweepType) {
  // The model sweeps from the lower to the higher frequency; the direction comes from sweepType.
  c.startFreq = std::min(start, stop);
  c.stopFreq = std::max(start, stop);
  c.increment = start == stop ? 0 : inc;
  c.dwell = start == stop ? 0 : dwell;
  c.sweepType = sweepType;
}

}  // namespace

Status buildBuiltIn(const Model &m, const BuiltInRequest &r, SigGenConfig &out) {
  const int waveCount = m.hasWhiteNoiseWave ? WaveCount : WaveWhiteNoise;
  if (r.waveType < 0 || r.waveType >= waveCount) return PICO_SIG_GEN_PARAM;
  if (r.operation < OpOff || r.operation > OpPrbs) return PICO_SIG_GEN_PARAM;
  const bool dc = r.waveType == WaveDc && r.operation == OpOff;
  if (Status st = checkLevels(m, r.offsetUv, r.pkToPkUv, dc); st != PICO_OK) return st;
  if (Status st = checkTrigger(r.trigType, r.trigSource, r.shots, r.sweeps); st != PICO_OK) return st;
  const bool noise = r.waveType == WaveWhiteNoise || r.operation == OpWhiteNoise;
  if (!dc && !noise) {
    if (Status st = checkSweep(r.startFreq, r.stopFreq, r.increment, r.dwell, r.sweepType,
                               m.builtinMaxFrequency);
        st != PICO_OK)
      return st;
  }
  SigGenConfig c;
  c.on = true;
  c.wave = noise ? WaveWhiteNoise : r.operation == OpPrbs ? WavePrbs : r.waveType;
  c.offset = r.offsetUv * 1e-6;
  c.amplitude = dc ? 0 : r.pkToPkUv * 0.5e-6;
  if (!dc && !noise) setSweep(c, r.startFreq, r.stopFreq, r.increment, r.dwell, r.sweepType);
  c.shots = r.shots;
  c.sweeps = r.sweeps;
  c.trigType = r.trigType;
  c.trigSource = r.trigSource;
  c.extThreshold = r.extThreshold;
  out = c;
  return PICO_OK;
}

double frequencyToPhase(const Model &m, double freq, int indexMode, uint32_t bufferLength) {
  const double passes = indexMode == IndexQuad ? 4 : indexMode == IndexDual ? 2 : 1;
  return freq * double(bufferLength) * passes * 4294967296.0 / m.ddsFrequency;
}

namespace {

double phaseToFrequency(const Model &m, uint32_t deltaPhase, int indexMode, uint32_t length) {
  return frequencyToPhase(m, 1.0, indexMode, length) > 0
             ? double(deltaPhase) / frequencyToPhase(m, 1.0, indexMode, length)
             : 0;
}

Status arbitrarySweep(const Model &m, SigGenConfig &c, uint32_t startDp, uint32_t stopDp, uint32_t incDp,
                      uint32_t dwellCount, int sweepType) {
  if (sweepType < SweepUp || sweepType >= SweepCount) return PICO_SIG_GEN_PARAM;
  if (startDp == 0 || stopDp == 0) return PICO_SIG_GEN_PARAM;
  if (startDp != stopDp && (incDp == 0 || dwellCount < 3)) return PICO_SIG_GEN_PARAM;
  const double f0 = phaseToFrequency(m, startDp, c.indexMode, c.arbLength);
  const double f1 = phaseToFrequency(m, stopDp, c.indexMode, c.arbLength);
  const double inc = phaseToFrequency(m, incDp, c.indexMode, c.arbLength);
  setSweep(c, f0, f1, inc, double(dwellCount) / m.ddsFrequency, sweepType);
  return PICO_OK;
}

}  // namespace

Status buildArbitrary(const Model &m, const ArbitraryRequest &r, SigGenConfig &out) {
  if (!r.waveform) return PICO_NULL_PARAMETER;
  if (r.size < 1 || uint32_t(r.size) > m.awgMaxSize) return PICO_SIG_GEN_PARAM;
  if (r.indexMode < IndexSingle || r.indexMode > IndexQuad) return PICO_SIG_GEN_PARAM;
  if (r.operation < OpOff || r.operation > OpPrbs) return PICO_SIG_GEN_PARAM;
  if (Status st = checkLevels(m, r.offsetUv, r.pkToPkUv, false); st != PICO_OK) return st;
  if (Status st = checkTrigger(r.trigType, r.trigSource, r.shots, r.sweeps); st != PICO_OK) return st;
  SigGenConfig c;
  c.on = true;
  c.wave = r.operation == OpWhiteNoise ? WaveWhiteNoise : r.operation == OpPrbs ? WavePrbs : WaveArbitrary;
  c.offset = r.offsetUv * 1e-6;
  c.amplitude = r.pkToPkUv * 0.5e-6;
  c.indexMode = r.indexMode;
  c.arbLength = uint32_t(r.size);
  // Expand DUAL (forward, backward) and QUAD (+ the same inverted) into one period.
  auto table = std::make_shared<std::vector<float>>();
  const size_t n = size_t(r.size);
  const int passes = r.indexMode == IndexQuad ? 4 : r.indexMode == IndexDual ? 2 : 1;
  table->reserve(n * size_t(passes));
  for (int p = 0; p < passes; ++p)
    for (size_t i = 0; i < n; ++i) {
      const size_t src = (p % 2) ? n - 1 - i : i;
      const float v = float(r.waveform[src]) / 32767.0f;
      table->push_back(p >= 2 ? -v : v);
    }
  c.table = std::move(table);
  if (Status st = arbitrarySweep(m, c, r.startDeltaPhase, r.stopDeltaPhase, r.deltaPhaseIncrement,
                                 r.dwellCount, r.sweepType);
      st != PICO_OK)
    return st;
  c.shots = r.shots;
  c.sweeps = r.sweeps;
  c.trigType = r.trigType;
  c.trigSource = r.trigSource;
  c.extThreshold = r.extThreshold;
  out = c;
  return PICO_OK;
}

Status applyProperties(const Model &m, SigGenConfig &cfg, double start, double stop, double inc,
                       double dwell, int sweepType, uint32_t shots, uint32_t sweeps, int trigType,
                       int trigSource, int16_t extThreshold) {
  if (!cfg.on || cfg.wave == WaveArbitrary) return PICO_SIGGEN_WAVEFORM_SETUP_FAILED;
  if (Status st = checkTrigger(trigType, trigSource, shots, sweeps); st != PICO_OK) return st;
  if (cfg.wave != WaveDc && cfg.wave != WaveWhiteNoise) {
    if (Status st = checkSweep(start, stop, inc, dwell, sweepType, m.builtinMaxFrequency); st != PICO_OK)
      return st;
    setSweep(cfg, start, stop, inc, dwell, sweepType);
  }
  cfg.shots = shots;
  cfg.sweeps = sweeps;
  cfg.trigType = trigType;
  cfg.trigSource = trigSource;
  cfg.extThreshold = extThreshold;
  return PICO_OK;
}

Status applyArbitraryProperties(const Model &m, SigGenConfig &cfg, uint32_t startDp, uint32_t stopDp,
                                uint32_t incDp, uint32_t dwellCount, int sweepType, uint32_t shots,
                                uint32_t sweeps, int trigType, int trigSource, int16_t extThreshold) {
  if (!cfg.on || cfg.wave != WaveArbitrary) return PICO_SIGGEN_WAVEFORM_SETUP_FAILED;
  if (Status st = checkTrigger(trigType, trigSource, shots, sweeps); st != PICO_OK) return st;
  SigGenConfig next = cfg;
  if (Status st = arbitrarySweep(m, next, startDp, stopDp, incDp, dwellCount, sweepType); st != PICO_OK)
    return st;
  next.shots = shots;
  next.sweeps = sweeps;
  next.trigType = trigType;
  next.trigSource = trigSource;
  next.extThreshold = extThreshold;
  cfg = next;
  return PICO_OK;
}

}  // namespace picosim
