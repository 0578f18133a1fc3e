// SPDX-License-Identifier: GPL-3.0-or-later
// Signal generator output as a function of device time: timeline of settings and trigger events,
// sweeps (closed-form phase), shots/sweeps counting, gating, built-in and arbitrary waveforms.
#include <algorithm>
#include <cmath>
#include <limits>

#include "PicoSimSigGen.h"
#include "PicoSimSignal.h"

namespace picosim {

namespace {

constexpr Ps kNever = std::numeric_limits<Ps>::max();
constexpr int kTableBits = 13;
constexpr size_t kTableSize = size_t(1) << kTableBits;

// One period of the built-in shapes that have no closed-form chunk generator, in [-1, 1].
const std::vector<float> &shapeTable(int wave) {
  static const auto tables = [] {
    std::vector<std::vector<float>> t(WaveCount);
    const double pi = 3.14159265358979323846;
    for (int w : {WaveRampUp, WaveRampDown, WaveSinc, WaveGaussian, WaveHalfSine}) {
      std::vector<double> v(kTableSize);
      for (size_t i = 0; i < kTableSize; ++i) {
        const double x = double(i) / kTableSize;
        switch (w) {
          case WaveRampUp: v[i] = 2 * x - 1; break;
          case WaveRampDown: v[i] = 1 - 2 * x; break;
          case WaveSinc: {
            const double u = (x - 0.5) * 16 * pi;
            v[i] = u == 0 ? 1 : std::sin(u) / u;
            break;
          }
          case WaveGaussian: v[i] = std::exp(-0.5 * std::pow((x - 0.5) * 8, 2)); break;
          default: v[i] = std::sin(pi * x); break;  // half sine: one positive hump per period
        }
      }
      if (w != WaveRampUp && w != WaveRampDown) {  // stretch to [-1, 1] so pk-to-pk holds
        const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
        const double lo = *mn, hi = *mx;
        for (double &d : v) d = 2 * (d - lo) / (hi - lo) - 1;
      }
      t[size_t(w)].assign(v.begin(), v.end());
    }
    return t;
  }();
  return tables[size_t(wave)];
}

inline uint32_t hashBits(uint64_t x) {
  x = (x ^ (x >> 31)) * 0x7fb5d329728ea185ULL;
  x = (x ^ (x >> 27)) * 0x81dadef4bc2dd44dULL;
  return uint32_t(x >> 32);
}

// Sweep: frequency steps f(j), j = 0 .. period-1, each lasting `dwell` seconds.
struct Sweep {
  double f0, inc, dwellPs;
  int64_t n;       // steps from the lower to the upper frequency
  int64_t period;  // steps in one sweep
  int type;

  explicit Sweep(const SigGenConfig &c) : f0(c.startFreq), inc(c.increment), dwellPs(c.dwell * 1e12), type(c.sweepType) {
    n = c.sweeping() ? int64_t(std::floor((c.stopFreq - c.startFreq) / c.increment + 1e-9)) + 1 : 1;
    n = std::max<int64_t>(n, 1);
    period = (type == SweepUpDown || type == SweepDownUp) && n > 1 ? 2 * n - 2 : n;
    if (!c.sweeping()) dwellPs = 0;
  }
  double up(int64_t i) const { return f0 + double(i) * inc; }
  double freq(int64_t j) const {
    switch (type) {
      case SweepDown: return up(n - 1 - j);
      case SweepUpDown: return j < n ? up(j) : up(2 * n - 2 - j);
      case SweepDownUp: return j < n ? up(n - 1 - j) : up(j - n + 1);
      default: return up(j);
    }
  }
  // sum_{i<m} up(i)  and  sum_{i<m} up(top - i)
  double upSum(int64_t m) const { return double(m) * f0 + inc * double(m) * double(m - 1) / 2; }
  double downSum(int64_t m, int64_t top) const {
    return double(m) * f0 + inc * (double(m) * double(top) - double(m) * double(m - 1) / 2);
  }
  // Cycles completed during the first j steps of a sweep (j <= period).
  double cyclesThrough(int64_t j) const {
    const double d = dwellPs * 1e-12;
    switch (type) {
      case SweepDown: return d * downSum(j, n - 1);
      case SweepUpDown: return d * (j <= n ? upSum(j) : upSum(n) + downSum(j - n, n - 2));
      case SweepDownUp: return d * (j <= n ? downSum(j, n - 1) : downSum(n, n - 1) + (upSum(j - n + 1) - upSum(1)));
      default: return d * upSum(j);
    }
  }
  double periodPs() const { return dwellPs * double(period); }
  // Whole cycles since the start of the sweep after tau ps.
  double cycles(double tau) const {
    if (dwellPs <= 0) return f0 * tau * 1e-12;
    const double sweeps = std::floor(tau / periodPs());
    const double inPeriod = tau - sweeps * periodPs();
    const int64_t j = std::min<int64_t>(int64_t(inPeriod / dwellPs), period - 1);
    return sweeps * cyclesThrough(period) + cyclesThrough(j) + freq(j) * (inPeriod - double(j) * dwellPs) * 1e-12;
  }
};

// End of the active window of an edge-triggered generator that started at `start`.
Ps activeEnd(const SigGenConfig &c, const Sweep &sw, Ps start) {
  const uint32_t count = c.shots ? c.shots : c.sweeps;
  if (count == kContinuousRun || count == 0) return kNever;
  double durationPs;
  if (c.sweeps) {
    durationPs = sw.dwellPs > 0 ? sw.periodPs() * count : double(count) / c.startFreq * 1e12;
  } else {  // shots: cycles reach `count` (monotonic in time: bisection)
    double lo = 0, hi = double(count) / std::max(c.startFreq, 1e-3) * 1e12;
    while (sw.cycles(hi) < count && hi < 1e20) hi *= 2;
    for (int i = 0; i < 80; ++i) {
      const double mid = (lo + hi) / 2;
      (sw.cycles(mid) < count ? lo : hi) = mid;
    }
    durationPs = hi;
  }
  return durationPs > 1e18 ? kNever : start + Ps(std::ceil(durationPs));
}

// Active-window waveform of one constant-frequency stretch: phase of the first sample and step per
// sample (64-bit fractions of a cycle); PRBS bits come from the time since the start (tau0 + k dt).
void waveChunk(const SigGenConfig &c, uint64_t phase0, uint64_t step, double freq, Ps tau0, Ps dt, size_t n,
               float *out) {
  const float amp = float(c.amplitude), off = 0.0f;
  switch (c.wave) {
    case WaveSine: sineChunk(phase0, step, amp, off, n, out); return;
    case WaveSquare: squareChunk(phase0, step, amp, off, n, out); return;
    case WaveTriangle: triangleChunk(phase0, step, amp, off, n, out); return;
    case WavePrbs:
      for (size_t k = 0; k < n; ++k) {
        const uint64_t bit = uint64_t(std::max(0.0, freq * double(tau0 + Ps(k) * dt) * 1e-12));
        out[k] = (hashBits(bit ^ 0x5bd1e995ULL) & 1) ? amp : -amp;
      }
      return;
    default: break;
  }
  const std::vector<float> &table = c.wave == WaveArbitrary ? *c.table : shapeTable(c.wave);
  const uint64_t len = table.size();
  uint64_t ph = phase0;
  for (size_t k = 0; k < n; ++k, ph += step) out[k] = amp * table[size_t(((ph >> 32) * len) >> 32)];
}

// Samples k in [0, n) of one timeline entry, times (firstIndex + k) * dt, all inside the entry.
void entryChunk(const SigGenTimeline::Entry &e, int64_t firstIndex, Ps dt, size_t n, bool ac, float *out) {
  const SigGenConfig &c = e.cfg;
  const float idle = ac ? 0.0f : float(c.offset);
  std::fill(out, out + n, idle);
  if (!c.on || c.wave == WaveDc) return;
  const Sweep sw(c);
  Ps aStart = e.start, aEnd = kNever;
  const bool gate = c.trigSource == SgSoftTrig && (c.trigType == SgGateHigh || c.trigType == SgGateLow);
  if (gate) {
    if (e.gateHigh != (c.trigType == SgGateHigh)) return;
  } else if (c.trigSource != SgNone) {
    if (e.triggeredAt < 0) return;
    aStart = e.triggeredAt;
    aEnd = activeEnd(c, sw, aStart);
  }
  // Sample range inside [aStart, aEnd).
  auto firstAtOrAfter = [&](Ps t) { return t <= 0 ? int64_t(0) : (t + dt - 1) / dt; };
  const int64_t kA = std::clamp<int64_t>(firstAtOrAfter(aStart) - firstIndex, 0, int64_t(n));
  const int64_t kB = aEnd == kNever ? int64_t(n)
                                    : std::clamp<int64_t>(firstAtOrAfter(aEnd) - firstIndex, 0, int64_t(n));
  if (c.wave == WaveWhiteNoise) {
    const float amp = float(c.amplitude);
    for (int64_t k = kA; k < kB; ++k)
      out[k] = idle + amp * (float(hashBits(uint64_t(firstIndex + k) * 0x9E3779B1u) >> 8) * (2.0f / 16777216.0f) - 1.0f);
    return;
  }
  // Constant-frequency stretches (dwell steps of a sweep). Each stretch's phase is anchored at its
  // own first sample, so a sample's value does not depend on how the request was chunked.
  int64_t k = kA;
  while (k < kB) {
    const int64_t index = firstIndex + k;
    const Ps tau = index * dt - aStart;  // >= 0
    int64_t len = kB - k;
    double f = c.startFreq;
    int64_t anchor = firstAtOrAfter(aStart);
    double anchorCycles = f * double(anchor * dt - aStart) * 1e-12;
    if (sw.dwellPs > 0) {
      const double sweepNo = std::floor(double(tau) / sw.periodPs());
      const double inPeriod = double(tau) - sweepNo * sw.periodPs();
      const int64_t j = std::min<int64_t>(int64_t(inPeriod / sw.dwellPs), sw.period - 1);
      f = sw.freq(j);
      const double stepStart = double(aStart) + sweepNo * sw.periodPs() + double(j) * sw.dwellPs;
      anchor = std::min<int64_t>(index, int64_t(std::ceil(stepStart / double(dt))));
      const int64_t stepEnd = int64_t(std::ceil((stepStart + sw.dwellPs) / double(dt)));
      len = std::min(len, std::max<int64_t>(1, stepEnd - index));
      anchorCycles = sw.cycles(double(anchor * dt - aStart));
    }
    const uint64_t step = phaseStep(f * double(dt) * 1e-12);
    const uint64_t phase = phaseOf(anchorCycles) + uint64_t(index - anchor) * step;
    waveChunk(c, phase, step, f, tau, dt, size_t(len), out + k);
    for (int64_t i = k; i < k + len; ++i) out[i] += idle;
    k += len;
  }
}

}  // namespace

std::shared_ptr<const SigGenTimeline> SigGenTimeline::configure(const std::shared_ptr<const SigGenTimeline> &old,
                                                                Ps t, const SigGenConfig &cfg) {
  auto next = std::make_shared<SigGenTimeline>();
  if (old) next->entries_ = old->entries_;
  Entry e;
  e.start = t;
  e.cfg = cfg;
  while (!next->entries_.empty() && next->entries_.back().start >= t) next->entries_.pop_back();
  next->entries_.push_back(e);
  if (next->entries_.size() > 64) next->entries_.erase(next->entries_.begin());
  return next;
}

std::shared_ptr<const SigGenTimeline> SigGenTimeline::event(const std::shared_ptr<const SigGenTimeline> &old,
                                                            Ps t, int source, bool level) {
  if (!old || old->entries_.empty()) return old;
  // The entry active at t.
  auto it = std::upper_bound(old->entries_.begin(), old->entries_.end(), t,
                             [](Ps v, const Entry &e) { return v < e.start; });
  if (it == old->entries_.begin()) return old;
  const Entry &active = *(it - 1);
  const SigGenConfig &c = active.cfg;
  if (!c.on || c.trigSource != source) return old;
  Entry e = active;
  e.start = t;
  const bool gate = source == SgSoftTrig && (c.trigType == SgGateHigh || c.trigType == SgGateLow);
  if (gate) {
    if (active.gateHigh == level) return old;
    e.gateHigh = level;
  } else {
    if (active.triggeredAt >= 0) {
      const Sweep sw(c);
      if (activeEnd(c, sw, active.triggeredAt) > t) return old;  // still running: ignore
    }
    e.triggeredAt = t;
  }
  auto next = std::make_shared<SigGenTimeline>(*old);
  next->entries_.insert(next->entries_.begin() + (it - old->entries_.begin()), e);
  return next;
}

void SigGenTimeline::generate(int64_t firstIndex, Ps dt, size_t n, bool ac, float *out) const {
  size_t done = 0;
  while (done < n) {
    const Ps t = (firstIndex + int64_t(done)) * dt;
    auto it = std::upper_bound(entries_.begin(), entries_.end(), t,
                               [](Ps v, const Entry &e) { return v < e.start; });
    size_t len = n - done;
    if (it != entries_.end()) {  // stop at the next entry
      const int64_t nextIndex = (it->start + dt - 1) / dt;
      len = size_t(std::clamp<int64_t>(nextIndex - (firstIndex + int64_t(done)), 1, int64_t(len)));
    }
    if (it == entries_.begin()) std::fill(out + done, out + done + len, 0.0f);  // before any settings
    else entryChunk(*(it - 1), firstIndex + int64_t(done), dt, len, ac, out + done);
    done += len;
  }
}

void SigGenTimeline::bounds(bool ac, double &lo, double &hi) const {
  lo = hi = 0;
  for (const Entry &e : entries_) {
    double mn = 1, mx = -1;
    if (e.cfg.wave == WaveArbitrary && e.cfg.table) {
      const auto [a, b] = std::minmax_element(e.cfg.table->begin(), e.cfg.table->end());
      mn = *a;
      mx = *b;
    }
    const double off = ac ? 0 : e.cfg.offset;
    lo = std::min({lo, off + e.cfg.amplitude * std::min(mn, -1.0)});
    hi = std::max({hi, off + e.cfg.amplitude * std::max(mx, 1.0)});
  }
}

}  // namespace picosim
