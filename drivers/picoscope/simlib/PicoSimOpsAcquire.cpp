// SPDX-License-Identifier: GPL-3.0-or-later
// API operations: data buffers, ETS (off only), block/streaming runs, GetValues family, Stop.
#include <algorithm>
#include <cstring>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"
#include "PicoSimOps.h"

namespace picosim::ops {

namespace {

bool singleMode(uint32_t mode) {
  return mode == RatioNone || mode == RatioAggregate || mode == RatioDecimate || mode == RatioAverage;
}

}  // namespace

Status setDataBuffers(int16_t handle, int channel, int16_t *bufMax, int16_t *bufMin, int32_t length,
                      uint32_t segment, uint32_t mode) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!u->hasChannel(channel)) return PICO_INVALID_CHANNEL;
  if (segment >= u->nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  if (mode == RatioDistribution) return PICO_RATIO_MODE_NOT_SUPPORTED;
  if (!singleMode(mode) || length < 0) return PICO_INVALID_PARAMETER;
  if ((!bufMax && !bufMin) || length == 0) {
    // Unregister: forget this channel's buffers of every mode for the segment, so that no stale
    // pointer survives an unregistration made with a different mode.
    for (uint32_t m : {RatioNone, RatioAggregate, RatioDecimate, RatioAverage})
      u->buffers.erase({channel, segment, m});
    return PICO_OK;
  }
  u->buffers[{channel, segment, mode}] = BufferReg{bufMax, bufMin, length};
  return PICO_OK;
}

Status setEts(int16_t handle, int mode, int16_t, int16_t, int32_t *sampleTimePs) {
  if (!findUnit(handle)) return PICO_INVALID_HANDLE;
  if (mode < 0 || mode > 2) return PICO_INVALID_PARAMETER;
  if (mode != 0) return PICO_ETS_NOT_SUPPORTED;
  if (sampleTimePs) *sampleTimePs = 0;
  return PICO_OK;
}

Status setEtsTimeBuffer(int16_t handle, const void *buffer, int32_t length) {
  if (!findUnit(handle)) return PICO_INVALID_HANDLE;
  return !buffer || length == 0 ? PICO_OK : PICO_ETS_NOT_SUPPORTED;
}

Status runBlock(int16_t handle, int32_t pre, int32_t post, uint32_t timebase, int32_t *indisposedMs,
                uint32_t segment, BlockReadyFn ready, void *parameter) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return picosim::runBlock(u, pre, post, timebase, indisposedMs, segment, ready, parameter);
}

Status isReady(int16_t handle, int16_t *ready) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!ready) return PICO_NULL_PARAMETER;
  return picosim::isReady(*u, ready);
}

Status runStreaming(int16_t handle, uint32_t *interval, int units, uint32_t maxPre, uint32_t maxPost,
                    int16_t autoStop, uint32_t ratio, uint32_t mode, uint32_t overview) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return picosim::runStreaming(*u, interval, units, maxPre, maxPost, autoStop != 0, ratio, mode, overview);
}

Status getStreamingLatestValues(int16_t handle, StreamingReadyFn ready, void *parameter) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return picosim::getStreamingLatestValues(*u, ready, parameter);
}

Status noOfStreamingValues(int16_t handle, uint32_t *count) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return picosim::noOfStreamingValues(*u, count);
}

Status getMaxDownSampleRatio(int16_t handle, uint32_t raw, uint32_t *maxRatio, uint32_t mode, uint32_t segment) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!maxRatio) return PICO_NULL_PARAMETER;
  if (Status st = validateRatio(1, mode); st != PICO_OK) return st;
  if (segment >= u->nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  uint32_t samples = raw;
  {
    std::lock_guard lk(u->mutex);
    if (u->segments[segment].valid) samples = std::min(raw, u->segments[segment].samples);
    else return PICO_NO_SAMPLES_AVAILABLE;
  }
  *maxRatio = mode == RatioNone ? 1 : std::max<uint32_t>(1, samples);
  return PICO_OK;
}

Status getValues(int16_t handle, uint32_t start, uint32_t *count, uint32_t ratio, uint32_t mode, uint32_t segment,
                 int16_t *overflow) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return picosim::getValues(*u, start, count, ratio, mode, segment, overflow);
}

Status getValuesAsync(int16_t handle, uint32_t start, uint32_t count, uint32_t ratio, uint32_t mode,
                      uint32_t segment, void *ready, void *parameter) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!ready) return PICO_NULL_PARAMETER;
  if (Status p = u->powerBlock(); p != PICO_OK) return p;
  if (Status st = validateRatio(ratio, mode); st != PICO_OK) return st;
  if (segment >= u->nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  {
    std::lock_guard lk(u->mutex);
    if (u->state == AcqState::BlockRunning) return PICO_BUSY;
    if (u->state == AcqState::Streaming) return PICO_DEVICE_SAMPLING;
    if (!u->segments[segment].valid) return PICO_NO_SAMPLES_AVAILABLE;
  }
  DataReadyFn fn;
  static_assert(sizeof fn == sizeof ready);
  std::memcpy(&fn, &ready, sizeof fn);  // the API passes the callback as void *
  return queueAsyncRead(u, start, count, ratio, mode, segment, fn, parameter);
}

Status getValuesBulk(int16_t handle, uint32_t *count, uint32_t from, uint32_t to, uint32_t ratio, uint32_t mode,
                     int16_t *overflow) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return picosim::getValuesBulk(*u, count, from, to, ratio, mode, overflow);
}

Status getValuesOverlapped(int16_t handle, uint32_t start, uint32_t *count, uint32_t ratio, uint32_t mode,
                           uint32_t from, uint32_t to, int16_t *overflow, bool bulk) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!count) return PICO_NULL_PARAMETER;
  if (Status p = u->powerBlock(); p != PICO_OK) return p;
  if (Status st = validateRatio(ratio, mode); st != PICO_OK) return st;
  OverlappedRead r;
  r.bulk = bulk;
  r.start = start;
  r.count = count;
  r.requested = *count;
  r.ratio = ratio;
  r.mode = mode;
  r.fromSegment = from;
  r.toSegment = bulk ? to : from;
  r.overflow = overflow;
  return queueOverlapped(*u, r);
}

Status stop(int16_t handle) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return stopAcquisition(*u);
}

}  // namespace picosim::ops
