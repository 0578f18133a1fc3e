// SPDX-License-Identifier: GPL-3.0-or-later
// Acquisition engines: block / rapid block (worker thread), streaming (synchronous, real-time clock)
// and readout (GetValues family, downsampling) on top of the Unit model.
#pragma once

#include <cstdint>
#include <memory>

#include "PicoSimUnit.h"

namespace picosim {

// Thread-local "inside a Ready callback" marker (calls from there get PICO_USER_CALLBACK).
bool inUserCallback();
class CallbackScope {
 public:
  CallbackScope();
  ~CallbackScope();
  CallbackScope(const CallbackScope &) = delete;
  CallbackScope &operator=(const CallbackScope &) = delete;
};

// ---- timebase / memory helpers shared by the API operations ----
// Interval of `timebase` with the unit's current channels and resolution (all the GetTimebase
// errors: channel count for the resolution, no channel, invalid timebase).
Status unitTimebase(const Unit &u, uint32_t timebase, Ps &dt);
uint64_t maxSamplesPerChannel(const Unit &u);

// ---- block and rapid block ----
Status runBlock(const std::shared_ptr<Unit> &u, int32_t pre, int32_t post, uint32_t timebase,
                int32_t *timeIndisposedMs, uint32_t segment, BlockReadyFn ready, void *parameter);
Status isReady(Unit &u, int16_t *ready);
// Stops block, rapid block or streaming. A running block capture completes with PICO_CANCELLED.
Status stopAcquisition(Unit &u);
void workerLoop(std::shared_ptr<Unit> u);
void shutdownWorker(Unit &u);
Status queueAsyncRead(const std::shared_ptr<Unit> &u, uint32_t start, uint32_t count, uint32_t ratio,
                      uint32_t mode, uint32_t segment, DataReadyFn ready, void *parameter);
Status queueOverlapped(Unit &u, const OverlappedRead &read);

// ---- readout ----
// Reads one segment into the buffers registered for it. `count` in = raw samples wanted from
// `start`, out = values written per channel (raw / ratio for the downsampling modes).
Status readSegment(const BufferMap &buffers, const CaptureRecord &rec, uint32_t segment, uint32_t start,
                   uint32_t &count, uint32_t ratio, uint32_t mode, int16_t &overflow);
Status getValues(Unit &u, uint32_t start, uint32_t *count, uint32_t ratio, uint32_t mode, uint32_t segment,
                 int16_t *overflow);
Status getValuesBulk(Unit &u, uint32_t *count, uint32_t from, uint32_t to, uint32_t ratio, uint32_t mode,
                     int16_t *overflow);
Status validateRatio(uint32_t ratio, uint32_t mode, bool allowDistribution = false);
// Downsampling of one channel in one mode, fed with raw samples in pieces of any size (blocks of
// `ratio` samples may span pieces). NONE copies; AGGREGATE writes max and min; DECIMATE the first
// sample of each block; AVERAGE the rounded mean. outMin may be null.
class Downsampler {
 public:
  Downsampler(uint32_t ratio, uint32_t mode, int16_t *outMax, int16_t *outMin, size_t capacity);
  void feed(const int16_t *raw, size_t n);
  size_t produced() const { return out_; }

 private:
  uint32_t ratio_, mode_;
  int16_t *max_, *min_;
  size_t capacity_, out_ = 0;
  uint32_t fill_ = 0;
  int16_t hi_ = 0, lo_ = 0, first_ = 0;
  int64_t sum_ = 0;
};

// ---- streaming ----
Status runStreaming(Unit &u, uint32_t *interval, int units, uint32_t maxPre, uint32_t maxPost, bool autoStop,
                    uint32_t ratio, uint32_t mode, uint32_t overviewBufferSize);
Status getStreamingLatestValues(Unit &u, StreamingReadyFn ready, void *parameter);
Status noOfStreamingValues(Unit &u, uint32_t *count);
// Ends a streaming run: keeps the stored window in segment 0 (called by stopAcquisition).
void finishStreaming(Unit &u);

}  // namespace picosim
