// SPDX-License-Identifier: GPL-3.0-or-later
// API operations: signal generator (built-in, arbitrary, properties-only updates, software trigger).
#include <cmath>

#include "PicoSimModel.h"
#include "PicoSimOps.h"

namespace picosim::ops {

namespace {

// Applies a new configuration from now on (the timeline keeps what earlier captures saw).
void apply(Unit &u, const SigGenConfig &cfg) {
  std::lock_guard lk(u.mutex);
  u.siggen = SigGenTimeline::configure(u.siggen, u.deviceTime(), cfg);
}

bool currentConfig(Unit &u, SigGenConfig &cfg) {
  std::lock_guard lk(u.mutex);
  if (!u.siggen || !u.siggen->current()) return false;
  cfg = *u.siggen->current();
  return true;
}

}  // namespace

Status setSigGenBuiltIn(int16_t handle, int32_t offsetUv, uint32_t pkToPkUv, int waveType, double start,
                        double stop, double increment, double dwell, int sweepType, int operation,
                        uint32_t shots, uint32_t sweeps, int trigType, int trigSource, int16_t extThreshold) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  const BuiltInRequest r{offsetUv, pkToPkUv, waveType, start, stop, increment, dwell, sweepType, operation,
                         shots, sweeps, trigType, trigSource, extThreshold};
  SigGenConfig cfg;
  if (Status st = buildBuiltIn(u->model, r, cfg); st != PICO_OK) return st;
  apply(*u, cfg);
  return PICO_OK;
}

Status setSigGenArbitrary(int16_t handle, int32_t offsetUv, uint32_t pkToPkUv, uint32_t startDp, uint32_t stopDp,
                          uint32_t incDp, uint32_t dwellCount, const int16_t *waveform, int32_t size,
                          int sweepType, int operation, int indexMode, uint32_t shots, uint32_t sweeps,
                          int trigType, int trigSource, int16_t extThreshold) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  const ArbitraryRequest r{offsetUv, pkToPkUv, startDp, stopDp, incDp, dwellCount, waveform, size, sweepType,
                           operation, indexMode, shots, sweeps, trigType, trigSource, extThreshold};
  SigGenConfig cfg;
  if (Status st = buildArbitrary(u->model, r, cfg); st != PICO_OK) return st;
  apply(*u, cfg);
  return PICO_OK;
}

Status setSigGenPropertiesBuiltIn(int16_t handle, double start, double stop, double increment, double dwell,
                                  int sweepType, uint32_t shots, uint32_t sweeps, int trigType, int trigSource,
                                  int16_t extThreshold) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  SigGenConfig cfg;
  if (!currentConfig(*u, cfg)) return PICO_SIGGEN_WAVEFORM_SETUP_FAILED;
  if (Status st = applyProperties(u->model, cfg, start, stop, increment, dwell, sweepType, shots, sweeps, trigType,
                                  trigSource, extThreshold);
      st != PICO_OK)
    return st;
  apply(*u, cfg);
  return PICO_OK;
}

Status setSigGenPropertiesArbitrary(int16_t handle, uint32_t startDp, uint32_t stopDp, uint32_t incDp,
                                    uint32_t dwellCount, int sweepType, uint32_t shots, uint32_t sweeps,
                                    int trigType, int trigSource, int16_t extThreshold) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  SigGenConfig cfg;
  if (!currentConfig(*u, cfg)) return PICO_SIGGEN_WAVEFORM_SETUP_FAILED;
  if (Status st = applyArbitraryProperties(u->model, cfg, startDp, stopDp, incDp, dwellCount, sweepType, shots,
                                           sweeps, trigType, trigSource, extThreshold);
      st != PICO_OK)
    return st;
  apply(*u, cfg);
  return PICO_OK;
}

Status sigGenFrequencyToPhase(int16_t handle, double frequency, int indexMode, uint32_t bufferLength,
                              uint32_t *phase) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!phase) return PICO_NULL_PARAMETER;
  if (indexMode < IndexSingle || indexMode > IndexQuad) return PICO_SIG_GEN_PARAM;
  if (bufferLength < 1 || bufferLength > u->model.awgMaxSize) return PICO_SIG_GEN_PARAM;
  if (!std::isfinite(frequency) || frequency < 0) return PICO_SIG_GEN_PARAM;
  const double p = std::round(frequencyToPhase(u->model, frequency, indexMode, bufferLength));
  if (p > 4294967295.0) return PICO_SIG_GEN_PARAM;
  *phase = uint32_t(p);
  return PICO_OK;
}

Status sigGenArbitraryMinMaxValues(int16_t handle, int16_t *minValue, int16_t *maxValue, uint32_t *minSize,
                                   uint32_t *maxSize) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!minValue && !maxValue && !minSize && !maxSize) return PICO_NULL_PARAMETER;
  if (minValue) *minValue = -32768;
  if (maxValue) *maxValue = 32767;
  if (minSize) *minSize = 1;
  if (maxSize) *maxSize = u->model.awgMaxSize;
  return PICO_OK;
}

Status sigGenSoftwareControl(int16_t handle, int16_t state) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  std::lock_guard lk(u->mutex);
  const SigGenConfig *c = u->siggen ? u->siggen->current() : nullptr;
  if (!c || !c->on || c->trigSource != SgSoftTrig) return PICO_SIGGEN_TRIGGER_SOURCE;
  u->siggen = SigGenTimeline::event(u->siggen, u->deviceTime(), SgSoftTrig, state != 0);
  return PICO_OK;
}

}  // namespace picosim::ops
