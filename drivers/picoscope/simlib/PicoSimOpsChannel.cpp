// SPDX-License-Identifier: GPL-3.0-or-later
// API operations: channels, ADC limits, timebases (stateful and stateless), memory segments.
#include <algorithm>
#include <cmath>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"
#include "PicoSimOps.h"

namespace picosim::ops {

namespace {

// Analogue offset limit (V) for a range index (spec §2).
double offsetLimit(int range) {
  if (range <= 4) return 0.25;  // 10 mV .. 200 mV
  if (range <= 7) return 2.5;   // 500 mV .. 2 V
  return 20.0;                  // 5 V .. 20 V
}

bool rangeValid(int range) { return range >= model().minRange && range <= model().maxRange; }

int channelsInFlags(uint32_t flags) {
  int n = 0;
  for (int i = 0; i < kAnalogChannels; ++i) n += (flags >> i) & 1u;
  return n;
}

// Flag bits of the unit's analogue channels.
uint32_t channelFlags(const Unit &u) { return (1u << u.channelCount) - 1u; }

Status statelessChannels(const Unit &u, uint32_t flags, int resolution, int &n) {
  if (!resolutionValid(resolution)) return PICO_INVALID_DEVICE_RESOLUTION;
  if (flags & ~channelFlags(u)) return PICO_INVALID_CHANNEL;  // a channel the model lacks, or a digital port
  n = channelsInFlags(flags);
  if (n == 0) return PICO_INVALID_CHANNEL;
  if (n > maxChannelsForResolution(resolution)) return PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION;
  return PICO_OK;
}

}  // namespace

Status setChannel(int16_t handle, int channel, int16_t enabled, int coupling, int range, float offset) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!u->hasChannel(channel)) return PICO_INVALID_CHANNEL;  // also C and D of a 2-channel model
  ChannelSettings next = u->channels[size_t(channel)];
  next.enabled = enabled != 0;
  if (next.enabled) {
    if (coupling != CouplingAC && coupling != CouplingDC) return PICO_INVALID_COUPLING;
    if (!rangeValid(range)) return PICO_INVALID_VOLTAGE_RANGE;
    if (!std::isfinite(offset) || std::fabs(offset) > offsetLimit(range) + 1e-6) return PICO_INVALID_ANALOGUE_OFFSET;
    if (channel >= SrcC && u->power == PowerSetting::Usb) return PICO_CHANNEL_DISABLED_DUE_TO_USB_POWERED;
    const int others = u->enabledCount() - (u->channels[size_t(channel)].enabled ? 1 : 0);
    if (others + 1 > maxChannelsForResolution(u->resolution)) return PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION;
  }
  // A disabled channel keeps whatever valid settings it is given.
  if (coupling == CouplingAC || coupling == CouplingDC) next.coupling = coupling;
  if (rangeValid(range)) next.range = range;
  if (std::isfinite(offset) && std::fabs(offset) <= offsetLimit(next.range) + 1e-6) next.offset = offset;
  u->channels[size_t(channel)] = next;
  return PICO_OK;
}

Status setBandwidthFilter(int16_t handle, int channel, int bandwidth) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!u->hasChannel(channel)) return PICO_INVALID_CHANNEL;
  if (bandwidth != 0 && bandwidth != 1) return PICO_INVALID_PARAMETER;
  u->channels[size_t(channel)].bandwidth = bandwidth;  // accepted; the simulated inputs are band-limited anyway
  return PICO_OK;
}

Status setDigitalPort(int16_t handle, int port, int16_t enabled, int16_t) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (port < 0x80 || port > 0x83) return PICO_INVALID_CHANNEL;
  return enabled ? PICO_NOT_SUPPORTED_BY_THIS_DEVICE : PICO_OK;  // not an MSO
}

Status getAnalogueOffset(int16_t handle, int range, int coupling, float *maxV, float *minV) {
  if (!findUnit(handle)) return PICO_INVALID_HANDLE;
  if (!maxV && !minV) return PICO_NULL_PARAMETER;
  if (!rangeValid(range)) return PICO_INVALID_VOLTAGE_RANGE;
  if (coupling != CouplingAC && coupling != CouplingDC) return PICO_INVALID_COUPLING;
  if (maxV) *maxV = float(offsetLimit(range));
  if (minV) *minV = float(-offsetLimit(range));
  return PICO_OK;
}

Status getChannelInformation(int16_t handle, int info, int32_t, int32_t *ranges, int32_t *length, int32_t channels) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (info != 0) return PICO_INVALID_INFO;
  if (!length) return PICO_NULL_PARAMETER;
  if (!u->hasChannel(channels)) return PICO_INVALID_CHANNEL;
  const int32_t n = model().maxRange - model().minRange + 1;
  if (ranges) {
    if (*length < n) {
      *length = n;
      return PICO_STRING_BUFFER_TO_SMALL;
    }
    for (int32_t i = 0; i < n; ++i) ranges[i] = model().minRange + i;
  }
  *length = n;
  return PICO_OK;
}

Status maximumValue(int16_t handle, int16_t *value) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!value) return PICO_NULL_PARAMETER;
  *value = maxAdcCount(u->resolution);
  return PICO_OK;
}

Status minimumValue(int16_t handle, int16_t *value) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!value) return PICO_NULL_PARAMETER;
  *value = int16_t(-maxAdcCount(u->resolution));
  return PICO_OK;
}

Status getTimebase(int16_t handle, uint32_t timebase, int32_t samples, double *intervalNs, int32_t *maxSamples,
                   uint32_t segment) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  Ps dt = 0;
  if (Status st = unitTimebase(*u, timebase, dt); st != PICO_OK) return st;
  if (segment >= u->nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  const uint64_t max = maxSamplesPerChannel(*u);
  if (samples < 0 || uint64_t(samples) > max) return PICO_TOO_MANY_SAMPLES;
  if (intervalNs) *intervalNs = double(dt) / double(kPsPerNs);
  if (maxSamples) *maxSamples = int32_t(std::min<uint64_t>(max, INT32_MAX));
  return PICO_OK;
}

Status nearestSampleIntervalStateless(int16_t handle, uint32_t flags, double seconds, int resolution, uint16_t useEts,
                                      uint32_t *timebase, double *available) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!timebase || !available) return PICO_NULL_PARAMETER;
  if (useEts) return PICO_ETS_NOT_SUPPORTED;
  if (!std::isfinite(seconds) || seconds <= 0) return PICO_INVALID_PARAMETER;
  int n = 0;
  if (Status st = statelessChannels(*u, flags, resolution, n); st != PICO_OK) return st;
  *timebase = timebaseForInterval(resolution, n, seconds);
  Ps dt = 0;
  timebaseInterval(resolution, *timebase, n, &dt);
  *available = double(dt) / double(kPsPerS);
  return PICO_OK;
}

Status minimumTimebaseStateless(int16_t handle, uint32_t flags, uint32_t *timebase, double *seconds, int resolution) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!timebase || !seconds) return PICO_NULL_PARAMETER;
  int n = 0;
  if (Status st = statelessChannels(*u, flags, resolution, n); st != PICO_OK) return st;
  *timebase = minimumTimebase(resolution, n);
  Ps dt = 0;
  timebaseInterval(resolution, *timebase, n, &dt);
  *seconds = double(dt) / double(kPsPerS);
  return PICO_OK;
}

Status channelCombinationsStateless(int16_t handle, uint32_t *combinations, uint32_t *count, int resolution,
                                    uint32_t timebase, int16_t dcPower) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!count) return PICO_NULL_PARAMETER;
  if (!resolutionValid(resolution)) return PICO_INVALID_DEVICE_RESOLUTION;
  uint32_t found = 0;
  const uint32_t capacity = *count;
  for (uint32_t flags = 1; flags <= channelFlags(*u); ++flags) {
    const int n = channelsInFlags(flags);
    Ps dt = 0;
    if (n > maxChannelsForResolution(resolution)) continue;
    if (!dcPower && (flags & 0xC)) continue;  // C and D need the external supply
    if (timebaseInterval(resolution, timebase, n, &dt) != PICO_OK) continue;
    if (combinations && found < capacity) combinations[found] = flags;
    ++found;
  }
  *count = found;
  return combinations && found > capacity ? PICO_STRING_BUFFER_TO_SMALL : PICO_OK;
}

Status memorySegments(int16_t handle, uint32_t segments, int32_t *maxSamples) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (segments == 0) return PICO_INVALID_PARAMETER;
  if (segments > model().maxSegments || segments > u->memory) return PICO_TOO_MANY_SEGMENTS;
  stopAcquisition(*u);
  {
    std::lock_guard lk(u->mutex);
    u->nSegments = segments;
    u->segments.assign(segments, CaptureRecord{});
    u->capturesDone = 0;
    u->state = AcqState::Idle;
  }
  if (maxSamples) *maxSamples = int32_t(std::min<uint64_t>(u->memoryPerSegment(), INT32_MAX));
  return PICO_OK;
}

Status getMaxSegments(int16_t handle, uint32_t *maxSegments) {
  if (!findUnit(handle)) return PICO_INVALID_HANDLE;
  if (!maxSegments) return PICO_NULL_PARAMETER;
  *maxSegments = model().maxSegments;
  return PICO_OK;
}

Status setNoOfCaptures(int16_t handle, uint32_t captures) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (captures == 0 || captures > model().maxSegments) return PICO_INVALID_PARAMETER;
  u->nCaptures = captures;  // more captures than segments is refused by RunBlock
  return PICO_OK;
}

Status getNoOfCaptures(int16_t handle, uint32_t *captures) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!captures) return PICO_NULL_PARAMETER;
  std::lock_guard lk(u->mutex);
  // After a rapid run (complete or stopped): the captures taken; otherwise the configured number.
  const bool ran = u->state == AcqState::BlockDone || u->state == AcqState::BlockCancelled ||
                   u->state == AcqState::BlockRunning;
  *captures = ran ? u->capturesDone : u->nCaptures;
  return PICO_OK;
}

Status getNoOfProcessedCaptures(int16_t handle, uint32_t *captures) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!captures) return PICO_NULL_PARAMETER;
  std::lock_guard lk(u->mutex);
  *captures = u->capturesDone;
  return PICO_OK;
}

}  // namespace picosim::ops
