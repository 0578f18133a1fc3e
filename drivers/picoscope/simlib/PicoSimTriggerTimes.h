// SPDX-License-Identifier: GPL-3.0-or-later
// The trigger-time-offset functions in the vendor's forms, for both ABI layers: one time or one per
// segment, as int64 or split into upper/lower 32 bits, with the units in the family's own enum
// (PS5000A_TIME_UNITS, PS2000A_TIME_UNITS: 4-byte enums with the same numbering).
#pragma once

#include <cstdint>
#include <vector>

#include "PicoSimOps.h"

namespace picosim::ops {

template <typename Unit>
Status triggerTimeOffset64(int16_t handle, int64_t *time, Unit *unit, uint32_t segment) {
  if (!unit) return PICO_NULL_PARAMETER;
  int u = 0;
  const Status st = getTriggerTimeOffset(handle, time, &u, segment);
  if (st == PICO_OK) *unit = Unit(u);
  return st;
}

template <typename Unit>
Status triggerTimeOffset32(int16_t handle, uint32_t *upper, uint32_t *lower, Unit *unit, uint32_t segment) {
  if (!upper || !lower || !unit) return PICO_NULL_PARAMETER;
  int64_t t = 0;
  const Status st = triggerTimeOffset64(handle, &t, unit, segment);
  if (st != PICO_OK) return st;
  *upper = uint32_t(uint64_t(t) >> 32);
  *lower = uint32_t(uint64_t(t));
  return st;
}

template <typename Unit>
Status triggerTimeOffsetBulk64(int16_t handle, int64_t *times, Unit *units, uint32_t from, uint32_t to) {
  if (!times || !units) return PICO_NULL_PARAMETER;
  if (to < from) return PICO_INVALID_PARAMETER;
  std::vector<int> u(size_t(to - from) + 1);
  const Status st = getTriggerTimeOffsetBulk(handle, times, u.data(), from, to);
  for (size_t i = 0; st == PICO_OK && i < u.size(); ++i) units[i] = Unit(u[i]);
  return st;
}

template <typename Unit>
Status triggerTimeOffsetBulk32(int16_t handle, uint32_t *upper, uint32_t *lower, Unit *units, uint32_t from,
                               uint32_t to) {
  if (!upper || !lower || !units) return PICO_NULL_PARAMETER;
  if (to < from) return PICO_INVALID_PARAMETER;
  std::vector<int64_t> t(size_t(to - from) + 1);
  const Status st = triggerTimeOffsetBulk64(handle, t.data(), units, from, to);
  for (size_t i = 0; st == PICO_OK && i < t.size(); ++i) {
    upper[i] = uint32_t(uint64_t(t[i]) >> 32);
    lower[i] = uint32_t(uint64_t(t[i]));
  }
  return st;
}

}  // namespace picosim::ops
