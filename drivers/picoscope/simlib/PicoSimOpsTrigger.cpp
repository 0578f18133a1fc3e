// SPDX-License-Identifier: GPL-3.0-or-later
// API operations: trigger settings (simple, struct-based, V2, pulse-width qualifier) and the
// trigger time/position queries. Struct arguments are read byte-wise from the packed layouts of §3.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"
#include "PicoSimOps.h"

namespace picosim::ops {

namespace {

template <class T>
T field(const void *base, size_t offset) {
  T v;
  std::memcpy(&v, static_cast<const char *>(base) + offset, sizeof v);
  return v;
}

constexpr uint32_t kMaxDelay = 8388607;

bool inputValid(int32_t s) { return s >= SrcA && s <= SrcAux; }
// A trigger input the unit has: its analogue channels, EXT and AUX.
bool inputExists(const Unit &u, int32_t s) { return inputValid(s) && (s > SrcD || u.hasChannel(s)); }
bool directionValid(int32_t d) { return d >= 0 && d < DirCount; }

// One record of the old conditions / PWQ-conditions structs: `fields` 4-byte states.
Status groupFromStates(const void *record, int fields, ConditionGroup &g) {
  for (int f = 0; f < fields; ++f) {
    const int32_t st = field<int32_t>(record, size_t(4 * f));
    if (st < StateDontCare || st >= StateMax) return PICO_CONDITIONS;
    if (st == StateDontCare) continue;
    if (f == 7) return PICO_CONDITIONS;  // digital condition on a scope without digital inputs
    g.push_back({f == 6 ? kPwqInput : f, st});
  }
  return PICO_OK;
}

Status withUnit(int16_t handle, auto &&body) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return body(*u);
}

// The record of a segment, or a status explaining why there is none.
Status segmentRecord(Unit &u, uint32_t segment, CaptureRecord &rec) {
  if (segment >= u.nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  std::lock_guard lk(u.mutex);
  if (u.state == AcqState::BlockRunning) return PICO_BUSY;
  rec = u.segments[segment];
  return rec.valid ? PICO_OK : PICO_NO_SAMPLES_AVAILABLE;
}

}  // namespace

Status setSimpleTrigger(int16_t handle, int16_t enable, int channel, int16_t threshold, int direction,
                        uint32_t delay, int16_t autoTriggerMs) {
  return withUnit(handle, [&](Unit &u) -> Status {
    TriggerSetup t;
    t.withinPreTrigger = u.trigger.withinPreTrigger;
    if (enable) {
      if (channel < SrcA || channel > SrcExt || !inputExists(u, channel)) return PICO_INVALID_TRIGGER_CHANNEL;
      if (direction < DirAbove || direction > DirRisingOrFalling) return PICO_INVALID_PARAMETER;
      if (autoTriggerMs < 0) return PICO_INVALID_PARAMETER;
      if (delay > kMaxDelay) return PICO_DELAY;
      t.groups.push_back({{channel, StateTrue}});
      t.direction[size_t(channel)] = direction;
      t.mode[size_t(channel)] = ModeLevel;
      t.props[size_t(channel)] = {threshold, kSimpleTriggerHysteresis, threshold, kSimpleTriggerHysteresis};
      t.delay = delay;
      t.autoTriggerUs = uint64_t(autoTriggerMs) * 1000;
    }
    u.trigger = t;  // also cancels any pulse-width qualifier
    return PICO_OK;
  });
}

Status setTriggerConditionsOld(int16_t handle, const void *conditions, int16_t n, int fields) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (n < 0) return PICO_INVALID_PARAMETER;
    std::vector<ConditionGroup> groups;
    for (int16_t i = 0; conditions && i < n; ++i) {
      ConditionGroup g;
      const void *record = static_cast<const char *>(conditions) + 4 * fields * i;
      if (Status st = groupFromStates(record, fields, g); st != PICO_OK) return st;
      if (!g.empty()) groups.push_back(g);
    }
    u.trigger.groups = groups;
    return PICO_OK;
  });
}

Status setTriggerDirectionsOld(int16_t handle, const int directions[6]) {
  return withUnit(handle, [&](Unit &u) -> Status {
    for (int i = 0; i < 6; ++i)
      if (!directionValid(directions[i])) return PICO_INVALID_PARAMETER;
    for (int i = 0; i < 6; ++i) u.trigger.direction[size_t(i)] = directions[i];
    return PICO_OK;
  });
}

Status setTriggerPropertiesOld(int16_t handle, const void *props, int16_t n, int32_t autoTriggerMs) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (n < 0 || autoTriggerMs < 0) return PICO_INVALID_PARAMETER;
    if (!props || n == 0) {  // switches triggering off
      u.trigger.groups.clear();
      return PICO_OK;
    }
    TriggerSetup t = u.trigger;
    for (int16_t i = 0; i < n; ++i) {
      const void *p = static_cast<const char *>(props) + 16 * i;
      const int32_t ch = field<int32_t>(p, 8), mode = field<int32_t>(p, 12);
      if (!inputExists(u, ch)) return PICO_INVALID_TRIGGER_CHANNEL;
      if (mode != ModeLevel && mode != ModeWindow) return PICO_INVALID_TRIGGER_PROPERTY;
      t.props[size_t(ch)] = {field<int16_t>(p, 0), field<uint16_t>(p, 2), field<int16_t>(p, 4), field<uint16_t>(p, 6)};
      t.mode[size_t(ch)] = mode;
    }
    t.autoTriggerUs = uint64_t(autoTriggerMs) * 1000;
    u.trigger = t;
    return PICO_OK;
  });
}

Status setTriggerConditionsV2(int16_t handle, const void *conditions, int16_t n, uint32_t info, bool pwq) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (info == 0 || (info & ~3u) || n < 0) return PICO_INVALID_PARAMETER;
    if ((info & 2u) && n > 0 && !conditions) return PICO_NULL_PARAMETER;
    ConditionGroup g;
    unsigned seen = 0;
    for (int16_t i = 0; (info & 2u) && i < n; ++i) {
      const void *c = static_cast<const char *>(conditions) + 8 * i;
      const int32_t src = field<int32_t>(c, 0), state = field<int32_t>(c, 4);
      int input;
      if (inputExists(u, src)) input = src;
      else if (src == SrcPwq && !pwq) input = kPwqInput;
      else return PICO_INVALID_CONDITION_CHANNEL;
      if (state < StateDontCare || state >= StateMax) return PICO_CONDITIONS;
      if (seen & (1u << input)) return PICO_CONDITIONS;  // duplicate source in one group
      seen |= 1u << input;
      if (state != StateDontCare) g.push_back({input, state});
    }
    auto &groups = pwq ? u.trigger.pwqGroups : u.trigger.groups;
    if (info & 1u) groups.clear();
    if (!g.empty()) groups.push_back(g);
    return PICO_OK;
  });
}

Status setTriggerDirectionsV2(int16_t handle, const void *directions, int32_t n, bool pwq) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (n < 0) return PICO_INVALID_PARAMETER;
    if (n > 0 && !directions) return PICO_NULL_PARAMETER;
    TriggerSetup t = u.trigger;
    // The qualifier's own entry (source PULSE_WIDTH_SOURCE, as in Pico's window-pulse-width
    // example) gives the direction of the qualifier as a whole, like the single direction of the
    // older SetPulseWidthQualifier; entries for single inputs refine it for that input.
    for (int pass = 0; pass < (pwq ? 2 : 1); ++pass) {
      for (int32_t i = 0; i < n; ++i) {
        const void *d = static_cast<const char *>(directions) + 12 * i;
        const int32_t src = field<int32_t>(d, 0), dir = field<int32_t>(d, 4), mode = field<int32_t>(d, 8);
        const bool whole = pwq && src == SrcPwq;
        if (!inputExists(u, src) && !whole) return PICO_INVALID_TRIGGER_CHANNEL;
        if (!directionValid(dir) || (mode != ModeLevel && mode != ModeWindow)) return PICO_INVALID_PARAMETER;
        if (pwq && whole != (pass == 0)) continue;
        if (whole) {
          t.pwqDirection.fill(dir);
          t.pwqMode.fill(mode);
        } else if (pwq) {
          t.pwqDirection[size_t(src)] = dir;
          t.pwqMode[size_t(src)] = mode;
        } else {
          t.direction[size_t(src)] = dir;
          t.mode[size_t(src)] = mode;
        }
      }
    }
    u.trigger = t;
    return PICO_OK;
  });
}

Status setTriggerPropertiesV2(int16_t handle, const void *props, int16_t n) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (n < 0) return PICO_INVALID_PARAMETER;
    if (n > 0 && !props) return PICO_NULL_PARAMETER;
    TriggerSetup t = u.trigger;
    for (int16_t i = 0; i < n; ++i) {
      const void *p = static_cast<const char *>(props) + 12 * i;
      const int32_t ch = field<int32_t>(p, 8);
      if (!inputExists(u, ch)) return PICO_INVALID_TRIGGER_CHANNEL;
      t.props[size_t(ch)] = {field<int16_t>(p, 0), field<uint16_t>(p, 2), field<int16_t>(p, 4), field<uint16_t>(p, 6)};
    }
    u.trigger = t;
    return PICO_OK;
  });
}

Status setAutoTriggerMicroSeconds(int16_t handle, uint64_t us) {
  return withUnit(handle, [&](Unit &u) { u.trigger.autoTriggerUs = us; return PICO_OK; });
}

Status setTriggerDelay(int16_t handle, uint32_t delay) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (delay > kMaxDelay) return PICO_DELAY;
    u.trigger.delay = delay;
    return PICO_OK;
  });
}

Status setDigitalDirections(int16_t handle, const void *, int16_t n) {
  return withUnit(handle, [&](Unit &) { return n == 0 ? PICO_OK : PICO_NOT_SUPPORTED_BY_THIS_DEVICE; });
}

Status setPulseWidthQualifierOld(int16_t handle, const void *conditions, int16_t n, int fields, int direction,
                                 uint32_t lower, uint32_t upper, int type) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (n < 0 || !directionValid(direction)) return PICO_INVALID_PARAMETER;
    if (type < PwNone || type >= PwCount) return PICO_PULSE_WIDTH_QUALIFIER;
    std::vector<ConditionGroup> groups;
    for (int16_t i = 0; conditions && i < n; ++i) {
      ConditionGroup g;
      const void *record = static_cast<const char *>(conditions) + 4 * fields * i;
      if (Status st = groupFromStates(record, std::min(fields, 6), g); st != PICO_OK) return st;
      if (!g.empty()) groups.push_back(g);
    }
    u.trigger.pwqGroups = groups;
    u.trigger.pwqDirection.fill(direction);
    u.trigger.pwqMode.fill(ModeLevel);
    u.trigger.pwLower = lower;
    u.trigger.pwUpper = upper;
    u.trigger.pwType = groups.empty() ? PwNone : type;
    return PICO_OK;
  });
}

Status setPulseWidthQualifierProperties(int16_t handle, uint32_t lower, uint32_t upper, int type) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (type < PwNone || type >= PwCount) return PICO_PULSE_WIDTH_QUALIFIER;
    if ((type == PwInRange || type == PwOutOfRange) && lower > upper) return PICO_PULSE_WIDTH_QUALIFIER;
    u.trigger.pwLower = lower;
    u.trigger.pwUpper = upper;
    u.trigger.pwType = type;
    return PICO_OK;
  });
}

Status isTriggerOrPwqEnabled(int16_t handle, int16_t *trigger, int16_t *pwq) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (!trigger || !pwq) return PICO_NULL_PARAMETER;
    *trigger = u.trigger.enabled();
    *pwq = u.trigger.pwqEnabled();
    return PICO_OK;
  });
}

Status triggerWithinPreTriggerSamples(int16_t handle, int state) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (state != 0 && state != 1) return PICO_INVALID_PARAMETER;
    u.trigger.withinPreTrigger = state == 1;
    return PICO_OK;
  });
}

Status getTriggerTimeOffset(int16_t handle, int64_t *time, int *units, uint32_t segment) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (!time || !units) return PICO_NULL_PARAMETER;
    CaptureRecord rec;
    if (Status st = segmentRecord(u, segment, rec); st != PICO_OK) return st;
    *time = std::llround(rec.triggerOffsetPs);
    *units = UnitPs;
    return PICO_OK;
  });
}

Status getTriggerTimeOffsetBulk(int16_t handle, int64_t *times, int *units, uint32_t from, uint32_t to) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (!times || !units) return PICO_NULL_PARAMETER;
    if (from >= u.nSegments || to >= u.nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
    const uint32_t n = (to + u.nSegments - from) % u.nSegments + 1;
    for (uint32_t i = 0; i < n; ++i) {
      CaptureRecord rec;
      if (Status st = segmentRecord(u, (from + i) % u.nSegments, rec); st != PICO_OK) return st;
      times[i] = std::llround(rec.triggerOffsetPs);
      units[i] = UnitPs;  // one entry per segment (U8)
    }
    return PICO_OK;
  });
}

Status getTriggerInfoBulk(int16_t handle, void *info, uint32_t from, uint32_t to) {
  return withUnit(handle, [&](Unit &u) -> Status {
    if (!info) return PICO_NULL_PARAMETER;
    if (from >= u.nSegments || to >= u.nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
    const uint32_t n = (to + u.nSegments - from) % u.nSegments + 1;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t seg = (from + i) % u.nSegments;
      CaptureRecord rec;
      Status st = segmentRecord(u, seg, rec);
      if (st == PICO_BUSY) return st;
      // Layout (32 bytes): status, segmentIndex, triggerIndex, int64 triggerTime, int16 timeUnits,
      // int16 reserved, uint64 timeStampCounter.
      char *p = static_cast<char *>(info) + 32 * i;
      std::memset(p, 0, 32);
      uint32_t status = st == PICO_OK ? PICO_OK : PICO_SEGMENT_NOT_USED;
      if (st == PICO_OK && rec.timeStampReset) status |= PICO_DEVICE_TIME_STAMP_RESET;
      const uint32_t triggerIndex = st == PICO_OK ? uint32_t(std::clamp<int64_t>(rec.triggerIndex - rec.firstIndex, 0,
                                                                                   int64_t(rec.samples)))
                                                  : 0;
      const int64_t triggerTime = st == PICO_OK ? std::llround(rec.triggerOffsetPs) : 0;
      const int16_t unitsPs = UnitPs;
      const uint64_t counter = st == PICO_OK ? uint64_t(rec.triggerIndex) : 0;  // sample ticks since open
      std::memcpy(p, &status, 4);
      std::memcpy(p + 4, &seg, 4);
      std::memcpy(p + 8, &triggerIndex, 4);
      std::memcpy(p + 12, &triggerTime, 8);
      std::memcpy(p + 20, &unitsPs, 2);
      std::memcpy(p + 24, &counter, 8);
    }
    return PICO_OK;
  });
}

}  // namespace picosim::ops
