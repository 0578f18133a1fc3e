// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoSimTrigger.h"

#include <algorithm>
#include <cmath>

namespace picosim {

unsigned TriggerSetup::usedInputs() const {
  unsigned mask = 0;
  for (const auto *list : {&groups, &pwqGroups})
    for (const ConditionGroup &g : *list)
      for (const ConditionTerm &t : g)
        if (t.input >= 0 && t.input < kTriggerInputs) mask |= 1u << t.input;
  return mask;
}

TriggerScanner::TriggerScanner(const TriggerSetup &setup, const std::array<SourceContext, kSources> &sources,
                               const std::array<FrontEnd, kSources> &frontEnds, Ps dt)
    : setup_(setup), sources_(sources), frontEnds_(frontEnds), dt_(dt) {
  const unsigned used = setup_.usedInputs();
  for (int i = 0; i < kTriggerInputs; ++i) state_[size_t(i)].used = (used >> i) & 1u;
  // Can any group fire at all, given the bounds of the signals?
  bool anyPossible = setup_.groups.empty();
  for (const ConditionGroup &g : setup_.groups) {
    bool possible = true;
    for (const ConditionTerm &t : g) {
      if (t.state != StateTrue || t.input >= kSources || setup_.mode[size_t(t.input)] != ModeLevel) continue;
      const FrontEnd &fe = frontEnds_[size_t(t.input)];
      double vlo = 0, vhi = 0;
      sourceBounds(sources_[size_t(t.input)], vlo, vhi);
      const double lo = std::max(fe.counts(vlo), -double(fe.maxAdc));
      const double hi = std::min(fe.counts(vhi), double(fe.maxAdc));
      const ChannelProps &p = setup_.props[size_t(t.input)];
      const int d = setup_.direction[size_t(t.input)];
      const bool lowerThr = d == DirAboveLower || d == DirBelowLower || d == DirRisingLower || d == DirFallingLower;
      const double thr = lowerThr ? p.lower : p.upper;
      const double hyst = lowerThr ? p.lowerHyst : p.upperHyst;
      const bool rise = hi >= thr && lo < thr - hyst;
      const bool fall = lo <= thr && hi > thr + hyst;
      switch (d) {
        case DirAbove: case DirAboveLower: possible &= hi >= thr; break;
        case DirBelow: case DirBelowLower: possible &= lo <= thr; break;
        case DirRising: case DirRisingLower: possible &= rise; break;
        case DirFalling: case DirFallingLower: possible &= fall; break;
        case DirRisingOrFalling:
          possible &= rise || (lo <= p.lower && hi > p.lower + p.lowerHyst);
          break;
        default: break;
      }
    }
    anyPossible |= possible;
  }
  impossible_ = !anyPossible;
}

void TriggerScanner::reset() {
  for (InputState &s : state_) {
    const bool used = s.used;
    s = InputState{};
    s.used = used;
  }
  pwqActive_ = false;
  pwqRunStart_ = -1;
  primed_ = false;
}

bool TriggerScanner::inputCondition(int input, float v, InputState &s, float &crossLevel) {
  const ChannelProps &p = setup_.props[size_t(input)];
  const float U = p.upper, L = p.lower, Uh = p.upperHyst, Lh = p.lowerHyst;
  const int d = setup_.direction[size_t(input)];
  auto rising = [&](float T, float H, bool &armed) {
    const bool fire = armed && v >= T;
    if (fire) armed = false;
    if (v < T - H) armed = true;
    crossLevel = T;
    return fire;
  };
  auto falling = [&](float T, float H, bool &armed) {
    const bool fire = armed && v <= T;
    if (fire) armed = false;
    if (v > T + H) armed = true;
    crossLevel = T;
    return fire;
  };
  auto above = [&](float T, float H) {
    if (!primed_) s.level = v >= T;
    else if (v >= T) s.level = true;
    else if (v < T - H) s.level = false;
    return s.level;
  };
  auto below = [&](float T, float H) {
    if (!primed_) s.level = v <= T;
    else if (v <= T) s.level = true;
    else if (v > T + H) s.level = false;
    return s.level;
  };
  if (setup_.mode[size_t(input)] == ModeWindow && d <= DirRisingOrFalling) {
    const float lo = std::min(L, U), hi = std::max(L, U);
    const bool was = s.level;
    if (!primed_) s.level = v >= lo && v <= hi;
    else if (s.level && (v > hi + Uh || v < lo - Lh)) s.level = false;
    else if (!s.level && v <= hi && v >= lo) s.level = true;
    const bool enter = primed_ && !was && s.level, exit = primed_ && was && !s.level;
    crossLevel = (v > hi || (enter && s.prevCounts > hi)) ? hi : lo;
    switch (d) {
      case DirAbove: return s.level;         // INSIDE
      case DirBelow: return !s.level;        // OUTSIDE
      case DirRising: return enter;          // ENTER
      case DirFalling: return exit;          // EXIT
      default: return enter || exit;         // ENTER_OR_EXIT
    }
  }
  switch (d) {
    case DirAbove: return above(U, Uh);
    case DirBelow: return below(U, Uh);
    case DirRising: return rising(U, Uh, s.armed);
    case DirFalling: return falling(U, Uh, s.armed);
    case DirRisingOrFalling: {
      const bool r = rising(U, Uh, s.armed);
      const float cr = crossLevel;
      const bool f = falling(L, Lh, s.armedLow);
      if (r) crossLevel = cr;
      return r || f;
    }
    case DirAboveLower: return above(L, Lh);
    case DirBelowLower: return below(L, Lh);
    case DirRisingLower: return rising(L, Lh, s.armed);
    case DirFallingLower: return falling(L, Lh, s.armed);
    case DirPositiveRunt: {  // rises above lower, falls back without reaching upper
      bool fire = false;
      if (!s.inPulse && s.armed && v >= L) { s.inPulse = true; s.exceeded = false; }
      if (v < L - Lh) { fire = s.inPulse && !s.exceeded; s.inPulse = false; s.armed = true; }
      if (s.inPulse && v >= U) s.exceeded = true;
      crossLevel = L;
      return fire;
    }
    case DirNegativeRunt: {  // falls below upper, rises back without reaching lower
      bool fire = false;
      if (!s.inPulse && s.armed && v <= U) { s.inPulse = true; s.exceeded = false; }
      if (v > U + Uh) { fire = s.inPulse && !s.exceeded; s.inPulse = false; s.armed = true; }
      if (s.inPulse && v <= L) s.exceeded = true;
      crossLevel = U;
      return fire;
    }
    default: return false;
  }
}

bool TriggerScanner::scan(int64_t from, int64_t to, int64_t earliest, int64_t &hit, double &offsetPs) {
  if (setup_.groups.empty()) {
    hit = std::max(from, earliest);
    offsetPs = 0;
    return hit < to;
  }
  std::array<std::vector<float>, kTriggerInputs> counts;    // unquantised ADC counts
  std::array<std::vector<int16_t>, kTriggerInputs> digital;  // what the comparator sees
  std::vector<float> volts(kChunk);
  for (int64_t base = from; base < to; base += int64_t(kChunk)) {
    const size_t n = size_t(std::min<int64_t>(int64_t(kChunk), to - base));
    for (int i = 0; i < kTriggerInputs; ++i) {
      if (!state_[size_t(i)].used) continue;
      counts[size_t(i)].assign(n, 0.0f);
      digital[size_t(i)].assign(n, 0);
      if (i >= kSources) continue;  // AUX: no signal
      generateVolts(sources_[size_t(i)], base, dt_, n, volts.data());
      const FrontEnd &fe = frontEnds_[size_t(i)];
      quantise(fe, volts.data(), n, digital[size_t(i)].data());
      const float g = float(fe.maxAdc / fe.rangeVolts), b = float(fe.offsetVolts) * g;
      for (size_t k = 0; k < n; ++k) counts[size_t(i)][k] = volts[k] * g + b;
    }
    for (size_t k = 0; k < n; ++k) {
      const int64_t index = base + int64_t(k);
      std::array<bool, kTriggerInputs + 1> cond{};
      std::array<float, kTriggerInputs> cross{};
      for (int i = 0; i < kTriggerInputs; ++i) {
        InputState &s = state_[size_t(i)];
        if (!s.used) continue;
        const float v = float(digital[size_t(i)][k]);
        cond[size_t(i)] = inputCondition(i, v, s, cross[size_t(i)]);
        // Level used by the pulse-width qualifier: above the upper threshold, with hysteresis.
        const ChannelProps &p = setup_.props[size_t(i)];
        if (v >= p.upper) s.pwqLevel = true;
        else if (v < float(p.upper) - float(p.upperHyst)) s.pwqLevel = false;
        // ... and, for a window qualifier, inside [lower, upper] (left beyond the hysteresis).
        const float lo = std::min<float>(p.lower, p.upper), hi = std::max<float>(p.lower, p.upper);
        if (v >= lo && v <= hi) s.pwqInside = true;
        else if (v > hi + float(p.upperHyst) || v < lo - float(p.lowerHyst)) s.pwqInside = false;
      }
      if (setup_.pwqEnabled()) {
        bool active = false;
        for (const ConditionGroup &g : setup_.pwqGroups) {
          bool all = !g.empty();
          for (const ConditionTerm &t : g) {
            if (t.input >= kTriggerInputs) continue;
            const int dir = setup_.pwqDirection[size_t(t.input)];
            // ABOVE/RISING (window: INSIDE/ENTER) qualify the time spent above the threshold (inside
            // the window); BELOW/FALLING (OUTSIDE/EXIT) the time below it (outside).
            const bool positive = dir == DirAbove || dir == DirRising || dir == DirAboveLower || dir == DirRisingLower;
            const InputState &st = state_[size_t(t.input)];
            const bool level = setup_.pwqMode[size_t(t.input)] == ModeWindow ? st.pwqInside : st.pwqLevel;
            const bool lvl = level == positive;
            all &= t.state == StateFalse ? !lvl : lvl;
          }
          active |= all;
        }
        bool event = false;
        if (active && !pwqActive_) pwqRunStart_ = index;
        if (!active && pwqActive_ && pwqRunStart_ >= 0) {
          const uint64_t w = uint64_t(index - pwqRunStart_);
          switch (setup_.pwType) {
            case PwLessThan: event = w < setup_.pwLower; break;
            case PwGreaterThan: event = w > setup_.pwLower; break;
            case PwInRange: event = w >= setup_.pwLower && w <= setup_.pwUpper; break;
            case PwOutOfRange: event = w < setup_.pwLower || w > setup_.pwUpper; break;
            default: break;
          }
        }
        pwqActive_ = active;
        cond[kPwqInput] = event;
      } else {
        cond[kPwqInput] = true;  // no qualifier configured: the term does not restrict
      }
      primed_ = true;
      const ConditionGroup *fired = nullptr;
      if (index >= earliest) {
        for (const ConditionGroup &g : setup_.groups) {
          bool all = true;
          for (const ConditionTerm &t : g) {
            const bool c = cond[size_t(std::min(t.input, kPwqInput))];
            all &= t.state == StateFalse ? !c : c;
          }
          if (all) { fired = &g; break; }
        }
      }
      float prev[kTriggerInputs];
      for (int i = 0; i < kTriggerInputs; ++i) {
        prev[i] = state_[size_t(i)].prevCounts;
        if (state_[size_t(i)].used) state_[size_t(i)].prevCounts = counts[size_t(i)][k];
      }
      if (fired) {
        hit = index;
        offsetPs = 0;
        for (const ConditionTerm &t : *fired) {
          if (t.input >= kSources || t.state != StateTrue) continue;
          const int d = setup_.direction[size_t(t.input)];
          const bool edge = d >= DirRising && d != DirAboveLower && d != DirBelowLower;
          if (!edge && setup_.mode[size_t(t.input)] != ModeWindow) continue;
          const float a = prev[t.input], b = counts[size_t(t.input)][k];
          if (a != b) {
            const double frac = std::clamp(double(cross[size_t(t.input)] - a) / double(b - a), 0.0, 1.0);
            offsetPs = (frac - 1.0) * double(dt_);
          }
          break;
        }
        return true;
      }
    }
  }
  return false;
}

}  // namespace picosim
