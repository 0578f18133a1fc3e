// SPDX-License-Identifier: GPL-3.0-or-later
// Channel inputs as deterministic functions of device time, and the ADC front end (range, analogue
// offset, quantisation to the resolution's bit count, clipping). Hot loops work on chunks of
// samples with no per-sample calls so that the compiler can vectorise them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "PicoSimSettings.h"
#include "PicoSimTypes.h"

namespace picosim {

class SigGenTimeline;

// Everything needed to produce one channel's input voltage.
struct SourceContext {
  SignalSpec spec;
  std::shared_ptr<const SigGenTimeline> siggen;  // for SignalSpec::SigGen (may be null = 0 V)
  uint64_t seed = 1;
  int channel = 0;
  bool acCoupled = false;
};

// Largest chunk the generators work on at once (callers split longer requests).
constexpr size_t kChunk = 4096;

// Fills out[k] with the input voltage at time (firstIndex + k) * dt, k < n (n <= kChunk).
// firstIndex counts sample periods since the device was opened.
void generateVolts(const SourceContext &ctx, int64_t firstIndex, Ps dt, size_t n, float *out);

// Conservative bounds of a source's voltage (used to skip trigger searches that cannot succeed).
void sourceBounds(const SourceContext &ctx, double &lo, double &hi);

// ADC front end of one channel at one range/offset/resolution.
struct FrontEnd {
  double rangeVolts = 1;
  double offsetVolts = 0;
  int16_t maxAdc = 32512;
  int step = 256;  // 2^(16 - bits)

  static FrontEnd make(int range, float analogOffset, int resolution);
  static FrontEnd ext();  // external trigger input: +-5 V <-> +-32767
  // Counts for a voltage (unquantised, unclipped), for bounds checks.
  double counts(double volts) const { return (volts + offsetVolts) / rangeVolts * maxAdc; }
};

// Converts n volts to ADC counts; returns true if any sample clipped (overflow).
bool quantise(const FrontEnd &fe, const float *volts, size_t n, int16_t *out);

// Gaussian-ish noise (Irwin-Hall of 4 bytes of a hash), unit rms, bounded by +-3.47.
void addNoise(uint32_t key, uint64_t firstIndex, size_t n, float rms, float *out);
uint32_t noiseKey(uint64_t seed, int channel, uint64_t firstIndex);

// Phase is a 64-bit fixed-point fraction of a cycle (2^64 = one cycle). Generators take the phase
// of their first sample and the step per sample; sample k has phase0 + k * step (mod 2^64), so the
// output of a sample depends only on its absolute index, never on how requests are chunked.
uint64_t phaseStep(double cyclesPerSample);
uint64_t phaseOf(double cycles);
// amp * shape(phase) + offset for k < n: sine, square (high in the first half cycle), triangle (in
// phase with the sine).
void sineChunk(uint64_t phase0, uint64_t step, float amp, float offset, size_t n, float *out);
void squareChunk(uint64_t phase0, uint64_t step, float amp, float offset, size_t n, float *out);
void triangleChunk(uint64_t phase0, uint64_t step, float amp, float offset, size_t n, float *out);

}  // namespace picosim
