// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoSimSignal.h"

#include <algorithm>
#include <cmath>

#include "PicoSimModel.h"
#include "PicoSimSigGen.h"

namespace picosim {

namespace {

inline uint32_t hash32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

inline uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t phaseOf(double cycles) {
  const double frac = cycles - std::floor(cycles);
  const double scaled = std::ldexp(frac, 64);
  return scaled >= 18446744073709551615.0 ? 0 : uint64_t(scaled);
}

uint64_t phaseStep(double cyclesPerSample) { return phaseOf(cyclesPerSample); }

uint32_t noiseKey(uint64_t seed, int channel, uint64_t firstIndex) {
  return uint32_t(mix64(seed * 0x100000001b3ULL + uint64_t(channel) * 0x9e37ULL + (firstIndex >> 32)));
}

void addNoise(uint32_t key, uint64_t firstIndex, size_t n, float rms, float *out) {
  // Sum of four uniform bytes: mean 510, sd sqrt(4 * (256^2 - 1) / 12) = 147.8.
  const float scale = rms / 147.80166f;
  const uint32_t base = uint32_t(firstIndex);
  for (size_t k = 0; k < n; ++k) {
    const uint32_t h = hash32((base + uint32_t(k)) ^ key);
    const uint32_t pairs = (h & 0x00FF00FFu) + ((h >> 8) & 0x00FF00FFu);
    const int sum = int((pairs & 0xFFFFu) + (pairs >> 16)) - 510;
    out[k] += float(sum) * scale;
  }
}

void sineChunk(uint64_t phase0, uint64_t step, float amp, float offset, size_t n, float *out) {
  // angle = pi * x with x = int32(top 32 phase bits) / 2^31 in [-1, 1).
  constexpr float c1 = 3.14159265f, c3 = -5.16771278f, c5 = 2.55016404f, c7 = -0.59926453f,
                  c9 = 0.08214589f, c11 = -0.00737043f;
  uint64_t ph = phase0;
  for (size_t k = 0; k < n; ++k, ph += step) {
    float x = float(int32_t(uint32_t(ph >> 32))) * (1.0f / 2147483648.0f);
    // sin(pi x) = sin(pi (1 - x)): fold into [-0.5, 0.5].
    x = x > 0.5f ? 1.0f - x : x;
    x = x < -0.5f ? -1.0f - x : x;
    const float x2 = x * x;
    const float s = x * (c1 + x2 * (c3 + x2 * (c5 + x2 * (c7 + x2 * (c9 + x2 * c11)))));
    out[k] = offset + amp * s;
  }
}

void squareChunk(uint64_t phase0, uint64_t step, float amp, float offset, size_t n, float *out) {
  uint64_t ph = phase0;
  for (size_t k = 0; k < n; ++k, ph += step) out[k] = offset + ((ph >> 63) ? -amp : amp);
}

void triangleChunk(uint64_t phase0, uint64_t step, float amp, float offset, size_t n, float *out) {
  uint64_t ph = phase0;
  for (size_t k = 0; k < n; ++k, ph += step) {
    float x = float(int32_t(uint32_t(ph >> 32))) * (1.0f / 2147483648.0f);
    x = x > 0.5f ? 1.0f - x : x;
    x = x < -0.5f ? -1.0f - x : x;
    out[k] = offset + amp * 2.0f * x;
  }
}

void generateVolts(const SourceContext &ctx, int64_t firstIndex, Ps dt, size_t n, float *out) {
  const SignalSpec &s = ctx.spec;
  const bool ac = ctx.acCoupled;
  const float offset = ac ? 0.0f : float(s.offset);
  // Exact integer phase of absolute sample `firstIndex`: phase(i) = phase0 + i * step (mod 2^64).
  const uint64_t step = phaseStep(s.freq * double(dt) * 1e-12);
  const uint64_t phase = phaseOf(s.phaseDeg / 360.0) + uint64_t(firstIndex) * step;
  switch (s.kind) {
    case SignalSpec::Off:
    case SignalSpec::Noise:
      std::fill(out, out + n, 0.0f);
      break;
    case SignalSpec::Dc:
      std::fill(out, out + n, ac ? 0.0f : float(s.level));
      break;
    case SignalSpec::Sine:
      sineChunk(phase, step, float(s.amp), offset, n, out);
      break;
    case SignalSpec::Square:
      squareChunk(phase, step, float(s.amp), offset, n, out);
      break;
    case SignalSpec::Triangle:
      triangleChunk(phase, step, float(s.amp), offset, n, out);
      break;
    case SignalSpec::SigGen:
      if (ctx.siggen) ctx.siggen->generate(firstIndex, dt, n, ac, out);
      else std::fill(out, out + n, 0.0f);
      break;
  }
  double rms = s.noise;
  if (s.kind == SignalSpec::Noise) rms = std::sqrt(s.amp * s.amp + s.noise * s.noise);
  if (rms > 0) {
    // The key changes every 2^32 samples; split a chunk that crosses such a boundary.
    const uint64_t first = uint64_t(firstIndex);
    const uint64_t toBoundary = (uint64_t(1) << 32) - (first & 0xFFFFFFFFu);
    const size_t n1 = size_t(std::min<uint64_t>(n, toBoundary));
    addNoise(noiseKey(ctx.seed, ctx.channel, first), first, n1, float(rms), out);
    if (n1 < n) addNoise(noiseKey(ctx.seed, ctx.channel, first + n1), first + n1, n - n1, float(rms), out + n1);
  }
}

void sourceBounds(const SourceContext &ctx, double &lo, double &hi) {
  const SignalSpec &s = ctx.spec;
  const bool ac = ctx.acCoupled;
  switch (s.kind) {
    case SignalSpec::Off:
    case SignalSpec::Noise: lo = hi = 0; break;
    case SignalSpec::Dc: lo = hi = ac ? 0 : s.level; break;
    case SignalSpec::Sine:
    case SignalSpec::Square:
    case SignalSpec::Triangle:
      lo = (ac ? 0 : s.offset) - s.amp;
      hi = (ac ? 0 : s.offset) + s.amp;
      break;
    case SignalSpec::SigGen:
      if (ctx.siggen) ctx.siggen->bounds(ac, lo, hi);
      else lo = hi = 0;
      break;
  }
  double rms = s.noise;
  if (s.kind == SignalSpec::Noise) rms = std::sqrt(s.amp * s.amp + s.noise * s.noise);
  lo -= 3.5 * rms;
  hi += 3.5 * rms;
}

FrontEnd FrontEnd::make(int range, float analogOffset, int resolution) {
  FrontEnd fe;
  fe.rangeVolts = kRangeVolts[std::clamp(range, 0, kRangeCount - 1)];
  fe.offsetVolts = analogOffset;
  fe.maxAdc = maxAdcCount(resolution);
  fe.step = 1 << (16 - resolutionBits(resolution));
  return fe;
}

FrontEnd FrontEnd::ext() {
  FrontEnd fe;
  fe.rangeVolts = kExtRangeVolts;
  fe.maxAdc = 32767;
  fe.step = 1;
  return fe;
}

bool quantise(const FrontEnd &fe, const float *volts, size_t n, int16_t *out) {
  // counts = (v + offset) / range * maxAdc, rounded to a multiple of step, clipped at +-maxAdc.
  const float gain = float(double(fe.maxAdc) / (fe.rangeVolts * fe.step));
  const float bias = float(fe.offsetVolts) * gain;
  const float limit = float(fe.maxAdc) / float(fe.step);
  const int step = fe.step;
  const int maxAdc = fe.maxAdc;
  int clipped = 0;
  for (size_t k = 0; k < n; ++k) {
    float c = volts[k] * gain + bias;
    clipped |= int(c > limit) | int(c < -limit);
    c = std::min(std::max(c, -limit - 1.0f), limit + 1.0f);
    const int q = int(c + (c >= 0 ? 0.5f : -0.5f)) * step;
    out[k] = int16_t(std::min(std::max(q, -maxAdc), maxAdc));
  }
  return clipped != 0;
}

}  // namespace picosim
