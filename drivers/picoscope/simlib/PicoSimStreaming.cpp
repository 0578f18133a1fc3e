// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming engine: samples appear on the device's real-time clock; GetStreamingLatestValues
// generates what accumulated since the last call, writes it into the registered buffers used as a
// ring, and calls StreamingReady synchronously (spec §10.3, §15 U1-U5).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"

namespace picosim {

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr double kUnitPs[UnitCount] = {1e-3, 1, 1e3, 1e6, 1e9, 1e12};

std::vector<uint32_t> modesOf(uint32_t mode) {
  if (mode == RatioNone) return {RatioNone};
  std::vector<uint32_t> out;
  for (uint32_t m : {RatioAggregate, RatioDecimate, RatioAverage})
    if (mode & m) out.push_back(m);
  return out;
}

// Raw position (from the start) after which auto-stop happens, or kNever.
int64_t stopTarget(const StreamState &s) {
  if (!s.autoStop) return kNever;
  if (s.trigger.enabled()) return s.triggered ? s.triggerRaw + int64_t(s.maxPost) : kNever;
  return int64_t(s.maxPre) + int64_t(s.maxPost);
}

// Raw samples the device has taken since RunStreaming (on its own clock).
int64_t producedNow(const Unit &u, const StreamState &st) {
  return std::max<int64_t>(0, u.deviceTime() / st.dt - st.startIndex);
}

}  // namespace

Status runStreaming(Unit &u, uint32_t *interval, int units, uint32_t maxPre, uint32_t maxPost, bool autoStop,
                    uint32_t ratio, uint32_t mode, uint32_t overviewBufferSize) {
  if (!interval) return PICO_NULL_PARAMETER;
  if (Status p = u.powerBlock(); p != PICO_OK) return p;
  if (units < 0 || units >= UnitCount) return PICO_INVALID_PARAMETER;
  if (Status st = validateRatio(ratio, mode); st != PICO_OK) return st;
  const int n = u.enabledCount();
  if (n > maxChannelsForResolution(u.resolution)) return PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION;
  if (n == 0) return PICO_INVALID_CHANNEL;
  if (*interval == 0) return PICO_INVALID_SAMPLE_INTERVAL;
  const Settings s = currentSettings();
  // Nearest legal sample interval, then expressed exactly in the caller's units.
  const double unitPs = kUnitPs[units];
  // U5: any interval not shorter than the fastest block-mode interval for the enabled channels
  // and resolution is used as asked (to the picosecond), so 100 ns gives exactly 10 MS/s.
  Ps dt = Ps(std::llround(double(*interval) * unitPs));
  Ps fastest = 0;
  timebaseInterval(u.resolution, minimumTimebase(u.resolution, n), n, &fastest);
  double back = std::max(1.0, std::round(double(dt) / unitPs));
  if (back * unitPs < double(fastest)) back = std::ceil(double(fastest) / unitPs);
  if (back > double(UINT32_MAX)) return PICO_INVALID_SAMPLE_INTERVAL;
  dt = Ps(std::llround(back * unitPs));
  if (dt < 1) return PICO_INVALID_SAMPLE_INTERVAL;
  if (1e12 / double(dt) * n > s.streamingMaxRate * (1 + 1e-9)) return PICO_INVALID_SAMPLE_INTERVAL;
  if (overviewBufferSize == 0) return PICO_INVALID_PARAMETER;
  // As GetValues does, an enabled channel without a buffer is simply not delivered (Pico's own
  // streaming examples register A and B only while C and D are still enabled from power-on); a
  // registered buffer must hold the overview buffer, and at least one must be registered.
  bool anyBuffer = false;
  for (int ch = 0; ch < kAnalogChannels; ++ch) {
    if (!u.channels[size_t(ch)].enabled) continue;
    for (uint32_t m : modesOf(mode)) {
      auto it = u.buffers.find({ch, 0u, m});
      if (it == u.buffers.end() || (!it->second.max && !it->second.min)) continue;
      if (it->second.length < int32_t(std::min<uint32_t>(overviewBufferSize, INT32_MAX))) return PICO_INVALID_BUFFER;
      anyBuffer = true;
    }
  }
  if (!anyBuffer) return PICO_INVALID_BUFFER;
  stopAcquisition(u);
  StreamState &st = u.stream;
  st = StreamState{};
  st.active = true;
  st.dt = dt;
  st.ratio = mode == RatioNone ? 1 : ratio;
  st.mode = mode;
  st.ringSize = overviewBufferSize;
  st.maxPre = maxPre;
  st.maxPost = maxPost;
  st.autoStop = autoStop;
  st.memoryPerChannel = std::max<uint64_t>(u.memory / uint64_t(n), 1);
  st.backlogCapacity = st.memoryPerChannel + uint64_t(overviewBufferSize) * st.ratio;
  st.enabledMask = u.enabledMask();
  st.frontEnds = u.frontEndSnapshot();
  st.trigger = u.trigger;
  {
    std::lock_guard lk(u.mutex);
    if (st.trigger.enabled())
      st.scanner = std::make_unique<TriggerScanner>(st.trigger, u.sourceSnapshot(s), st.frontEnds, dt);
    st.startIndex = (u.deviceTime() + dt - 1) / dt;
    st.scanPos = int64_t(maxPre); // the trigger arms once the pre-trigger samples exist (§5)
    u.segments[0].valid = false;
    u.streamCounts = StreamCounts{true, false, 0, 0};
    u.state = AcqState::Streaming;
  }
  *interval = uint32_t(back);
  return PICO_OK;
}

Status getStreamingLatestValues(Unit &u, StreamingReadyFn ready, void *parameter) {
  if (!ready) return PICO_NULL_PARAMETER;
  StreamState &st = u.stream;
  if (!st.active) return PICO_INVALID_CALL;
  if (Status p = u.powerBlock(); p != PICO_OK) return p;
  if (st.ringPos >= st.ringSize) st.ringPos = 0;
  if (st.autoStopped) {  // "can be ready and have no data, if autoStop has fired"
    CallbackScope scope;
    ready(u.handle, 0, st.ringPos, 0, 0, 0, 1, parameter);
    return PICO_OK;
  }
  const Settings s = currentSettings();
  std::array<SourceContext, kSources> sources;
  {
    std::lock_guard lk(u.mutex);
    sources = u.sourceSnapshot(s);
  }
  const int64_t now = producedNow(u, st);  // raw samples produced so far
  int64_t avail = std::max<int64_t>(0, now - st.delivered);
  // Host too slow: the samples are taken on the device's clock whether or not the host fetches
  // them; once the device memory and the driver's buffer are full the oldest are overwritten.
  if (uint64_t(avail) > st.backlogCapacity) {
    int64_t lost = avail - int64_t(st.backlogCapacity);
    lost = (lost + st.ratio - 1) / st.ratio * st.ratio;
    const int64_t target = stopTarget(st);
    if (target != kNever) lost = std::min(lost, std::max<int64_t>(0, target - st.delivered));
    st.delivered += lost;
    avail -= lost;
    st.lostPending = s.overrunFlag;
    {
      std::lock_guard lk(u.mutex);
      u.streamCounts.lost += lost;
    }
    if (st.scanner) {
      st.scanner->reset();
      st.scanPos = std::max(st.scanPos, st.delivered);
    }
  }
  int64_t chunk = std::min<int64_t>(avail, int64_t(st.ringSize - st.ringPos) * st.ratio);
  // Trigger search over the new samples, and auto-trigger after its timeout.
  if (st.trigger.enabled() && !st.triggered && st.scanner) {
    int64_t hit = 0;
    double offsetPs = 0;
    const int64_t end = st.delivered + chunk;
    if (st.scanPos < end && !st.scanner->impossible() && st.scanner->scan(st.startIndex + st.scanPos, st.startIndex + end, st.startIndex, hit, offsetPs)) {
      st.triggered = true;
      st.triggerRaw = hit - st.startIndex;
    }
    st.scanPos = std::max(st.scanPos, end);
    if (!st.triggered && st.trigger.autoTriggerUs) {
      const int64_t deadline =
          int64_t(st.maxPre) + int64_t(std::ceil(double(st.trigger.autoTriggerUs) * 1e6 / double(st.dt)));
      if (deadline < end) {
        st.triggered = true;
        st.triggerRaw = std::max(deadline, st.delivered);
      }
    }
  }
  const int64_t target = stopTarget(st);
  if (target != kNever) chunk = std::max<int64_t>(0, std::min(chunk, target - st.delivered));
  chunk = chunk / st.ratio * st.ratio;
  const bool reachesStop = target != kNever && st.delivered + chunk >= target;
  if (chunk == 0 && !reachesStop) return PICO_OK;  // nothing new: no callback (U3)
  // Generate into the ring at ringPos.
  const uint32_t values = uint32_t(chunk / st.ratio);
  int16_t overflow = 0;
  std::vector<float> volts(kChunk);
  std::vector<int16_t> digital(kChunk);
  for (int ch = 0; ch < kAnalogChannels && chunk > 0; ++ch) {
    if (!(st.enabledMask & (1u << ch))) continue;
    std::vector<Downsampler> outs;
    for (uint32_t m : modesOf(st.mode)) {
      auto it = u.buffers.find({ch, 0u, m});
      if (it == u.buffers.end()) continue;
      const BufferReg &b = it->second;
      if (uint32_t(std::max(0, b.length)) < st.ringPos + values) continue;  // buffer shrank: skip
      outs.emplace_back(st.ratio, m, b.max ? b.max + st.ringPos : nullptr, b.min ? b.min + st.ringPos : nullptr,
                        values);
    }
    bool clipped = false;
    for (int64_t done = 0; done < chunk;) {
      const size_t n = size_t(std::min<int64_t>(int64_t(kChunk), chunk - done));
      generateVolts(sources[size_t(ch)], st.startIndex + st.delivered + done, st.dt, n, volts.data());
      clipped |= quantise(st.frontEnds[size_t(ch)], volts.data(), n, digital.data());
      for (Downsampler &d : outs) d.feed(digital.data(), n);
      done += int64_t(n);
    }
    if (clipped) overflow = int16_t(overflow | (1 << ch));
  }
  uint32_t triggerAt = 0;
  int16_t triggered = 0;
  if (st.triggered && !st.triggerReported && st.triggerRaw >= st.delivered && st.triggerRaw < st.delivered + chunk) {
    triggerAt = uint32_t((st.triggerRaw - st.delivered) / st.ratio);
    triggered = 1;
    st.triggerReported = true;
  }
  if (st.lostPending) overflow = int16_t(-1);  // 0xFFFF: samples were lost (U4)
  st.lostPending = false;
  st.delivered += chunk;
  const uint32_t startIndex = s.badStartIndex ? st.ringSize : st.ringPos;  // fault: a broken library
  st.ringPos += values;
  st.autoStopped = reachesStop;
  {
    CallbackScope scope;
    ready(u.handle, int32_t(values), startIndex, overflow, triggerAt, triggered, int16_t(reachesStop ? 1 : 0),
          parameter);
  }
  return PICO_OK;
}

void finishStreaming(Unit &u) {
  StreamState &st = u.stream;
  if (!st.active) return;
  st.active = false;
  // The device sampled until now (or until auto-stop), whether or not the host fetched it all.
  int64_t total = std::max(producedNow(u, st), st.delivered);
  if (const int64_t target = stopTarget(st); target != kNever) total = std::min(total, std::max(target, st.delivered));
  // Stored samples: the trigger window when triggered, else the most recent ones, bounded by the
  // device memory and by maxPre + maxPost when given.
  uint64_t keep = st.memoryPerChannel;
  if (uint64_t(st.maxPre) + st.maxPost > 0) keep = std::min<uint64_t>(keep, uint64_t(st.maxPre) + st.maxPost);
  int64_t first = std::max<int64_t>(0, total - int64_t(keep));
  int64_t end = total;
  if (st.triggered && uint64_t(st.maxPre) + st.maxPost > 0) {
    first = std::max<int64_t>(0, st.triggerRaw - int64_t(st.maxPre));
    end = std::min<int64_t>(total, st.triggerRaw + int64_t(st.maxPost));
  }
  end = std::min<int64_t>(end, first + int64_t(UINT32_MAX));
  const Settings s = currentSettings();
  std::lock_guard lk(u.mutex);
  CaptureRecord rec;
  rec.valid = end > first;
  rec.firstIndex = st.startIndex + first;
  rec.dt = st.dt;
  rec.samples = uint32_t(std::max<int64_t>(0, end - first));
  rec.triggerIndex = st.startIndex + (st.triggered ? st.triggerRaw : first);
  rec.autoTriggered = !st.triggered;
  rec.enabledMask = st.enabledMask;
  rec.sources = u.sourceSnapshot(s);
  rec.frontEnds = st.frontEnds;
  u.segments[0] = rec;
  u.state = AcqState::StreamingStopped;
  u.streamCounts.produced = total;
  u.streamCounts.stopped = true;
}

Status noOfStreamingValues(Unit &u, uint32_t *count) {
  if (!count) return PICO_NULL_PARAMETER;
  std::lock_guard lk(u.mutex);
  if (u.state == AcqState::Streaming) return PICO_BUSY;
  if (u.state != AcqState::StreamingStopped) return PICO_NOT_USED_IN_THIS_CAPTURE_MODE;
  *count = u.segments[0].valid ? u.segments[0].samples : 0;
  return PICO_OK;
}

}  // namespace picosim
