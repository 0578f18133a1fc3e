// SPDX-License-Identifier: GPL-3.0-or-later
// GetValues family: regenerates the samples of a segment record and downsamples them into the
// buffers registered per (channel, segment, ratio mode).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "PicoSimEngine.h"

namespace picosim {

Downsampler::Downsampler(uint32_t ratio, uint32_t mode, int16_t *outMax, int16_t *outMin, size_t capacity)
    : ratio_(mode == RatioNone ? 1 : std::max<uint32_t>(ratio, 1)), mode_(mode), max_(outMax), min_(outMin),
      capacity_(capacity) {}

void Downsampler::feed(const int16_t *raw, size_t n) {
  if (mode_ == RatioNone) {
    const size_t m = std::min(n, capacity_ - out_);
    if (max_) std::memcpy(max_ + out_, raw, m * sizeof(int16_t));
    if (min_) std::memcpy(min_ + out_, raw, m * sizeof(int16_t));
    out_ += m;
    return;
  }
  for (size_t k = 0; k < n && out_ < capacity_; ++k) {
    const int16_t v = raw[k];
    if (fill_ == 0) {
      hi_ = lo_ = first_ = v;
      sum_ = 0;
    }
    hi_ = std::max(hi_, v);
    lo_ = std::min(lo_, v);
    sum_ += v;
    if (++fill_ < ratio_) continue;
    fill_ = 0;
    switch (mode_) {
      case RatioAggregate:
        if (max_) max_[out_] = hi_;
        if (min_) min_[out_] = lo_;
        break;
      case RatioDecimate:
        if (max_) max_[out_] = first_;
        break;
      default:  // average
        if (max_) max_[out_] = int16_t(std::lround(double(sum_) / ratio_));
        break;
    }
    ++out_;
  }
}

Status validateRatio(uint32_t ratio, uint32_t mode, bool allowDistribution) {
  if (mode & ~uint32_t(RatioAggregate | RatioDecimate | RatioAverage | RatioDistribution))
    return PICO_RATIO_MODE_NOT_SUPPORTED;
  if ((mode & RatioDistribution) && !allowDistribution) return PICO_RATIO_MODE_NOT_SUPPORTED;
  if (mode != RatioNone && ratio == 0) return PICO_INVALID_SAMPLERATIO;
  return PICO_OK;
}

namespace {

std::vector<uint32_t> singleModes(uint32_t mode) {
  if (mode == RatioNone) return {RatioNone};
  std::vector<uint32_t> out;
  for (uint32_t m : {RatioAggregate, RatioDecimate, RatioAverage})
    if (mode & m) out.push_back(m);
  return out;
}

}  // namespace

Status readSegment(const BufferMap &buffers, const CaptureRecord &rec, uint32_t segment, uint32_t start,
                   uint32_t &count, uint32_t ratio, uint32_t mode, int16_t &overflow) {
  overflow = 0;
  if (start >= rec.samples) return PICO_STARTINDEX_INVALID;
  const uint32_t eff = mode == RatioNone ? 1 : ratio;
  uint64_t values = std::min<uint64_t>(count, rec.samples - start) / eff;
  // Buffers to fill: per enabled channel, per requested mode.
  struct Target {
    int channel;
    uint32_t mode;
    BufferReg reg;
  };
  std::vector<Target> targets;
  for (int ch = 0; ch < kAnalogChannels; ++ch) {
    if (!(rec.enabledMask & (1u << ch))) continue;
    for (uint32_t m : singleModes(mode)) {
      auto it = buffers.find({ch, segment, m});
      if (it == buffers.end() || (!it->second.max && !it->second.min)) continue;
      targets.push_back({ch, m, it->second});
      values = std::min<uint64_t>(values, uint64_t(std::max(0, it->second.length)));
    }
  }
  if (targets.empty()) return PICO_BUFFERS_NOT_SET;
  const uint64_t raw = values * eff;
  std::vector<float> volts(kChunk);
  std::vector<int16_t> digital(kChunk);
  for (int ch = 0; ch < kAnalogChannels; ++ch) {
    std::vector<Downsampler> outs;
    for (const Target &t : targets)
      if (t.channel == ch) outs.emplace_back(ratio, t.mode, t.reg.max, t.reg.min, size_t(values));
    if (outs.empty()) continue;
    bool clipped = false;
    for (uint64_t done = 0; done < raw;) {
      const size_t n = size_t(std::min<uint64_t>(kChunk, raw - done));
      generateVolts(rec.sources[size_t(ch)], rec.firstIndex + int64_t(start + done), rec.dt, n, volts.data());
      clipped |= quantise(rec.frontEnds[size_t(ch)], volts.data(), n, digital.data());
      for (Downsampler &d : outs) d.feed(digital.data(), n);
      done += n;
    }
    if (clipped) overflow = int16_t(overflow | (1 << ch));
  }
  count = uint32_t(values);
  return PICO_OK;
}

Status getValues(Unit &u, uint32_t start, uint32_t *count, uint32_t ratio, uint32_t mode, uint32_t segment,
                 int16_t *overflow) {
  if (!count) return PICO_NULL_PARAMETER;
  if (Status p = u.powerBlock(); p != PICO_OK) return p;
  if (Status st = validateRatio(ratio, mode); st != PICO_OK) return st;
  if (segment >= u.nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  CaptureRecord rec;
  {
    std::lock_guard lk(u.mutex);
    if (u.state == AcqState::BlockRunning) return PICO_BUSY;
    if (u.state == AcqState::Streaming) return PICO_DEVICE_SAMPLING;
    rec = u.segments[segment];
  }
  if (!rec.valid) return PICO_NO_SAMPLES_AVAILABLE;
  int16_t of = 0;
  const Status st = readSegment(u.buffers, rec, segment, start, *count, ratio, mode, of);
  if (st == PICO_OK && overflow) *overflow = of;
  return st;
}

Status getValuesBulk(Unit &u, uint32_t *count, uint32_t from, uint32_t to, uint32_t ratio, uint32_t mode,
                     int16_t *overflow) {
  if (!count) return PICO_NULL_PARAMETER;
  if (Status p = u.powerBlock(); p != PICO_OK) return p;
  if (Status st = validateRatio(ratio, mode); st != PICO_OK) return st;
  if (from >= u.nSegments || to >= u.nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  const uint32_t segs = (to + u.nSegments - from) % u.nSegments + 1;  // wraps when from > to
  std::vector<CaptureRecord> recs(segs);
  {
    std::lock_guard lk(u.mutex);
    if (u.state == AcqState::BlockRunning) return PICO_BUSY;
    if (u.state == AcqState::Streaming) return PICO_DEVICE_SAMPLING;
    for (uint32_t i = 0; i < segs; ++i) recs[i] = u.segments[(from + i) % u.nSegments];
  }
  for (const CaptureRecord &r : recs)
    if (!r.valid) return PICO_NO_SAMPLES_AVAILABLE;
  uint32_t delivered = *count;
  for (uint32_t i = 0; i < segs; ++i) {
    uint32_t n = *count;
    int16_t of = 0;
    const Status st = readSegment(u.buffers, recs[i], (from + i) % u.nSegments, 0, n, ratio, mode, of);
    if (st != PICO_OK) return st;
    delivered = std::min(delivered, n);
    if (overflow) overflow[i] = of;
  }
  *count = delivered;
  return PICO_OK;
}

}  // namespace picosim
