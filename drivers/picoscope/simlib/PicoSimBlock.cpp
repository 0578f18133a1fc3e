// SPDX-License-Identifier: GPL-3.0-or-later
// Block and rapid-block engine: RunBlock queues a job for the unit's worker thread, which waits in
// real time for the simulated capture, finds the trigger in the generated signal, stores segment
// records and calls BlockReady (never holding the API lock or the unit mutex while doing so).
#include <algorithm>
#include <cmath>
#include <limits>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"

namespace picosim {

namespace {

thread_local bool tlInCallback = false;
constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();
constexpr int64_t kScanSlice = 1 << 16;  // samples scanned between cancellation checks

// Waits until the device time reaches `t` ps; false if cancelled.
bool waitDeviceTime(Unit &u, BlockJob &job, Ps t) {
  std::unique_lock lk(u.mutex);
  for (;;) {
    if (job.cancel) return false;
    const Ps now = u.deviceTime();
    if (now >= t) return true;
    const auto wait = std::chrono::nanoseconds(std::min<Ps>((t - now) / kPsPerNs + 1, 50'000'000));
    u.cv.wait_for(lk, wait, [&] { return job.cancel.load(); });
  }
}

// Finds the trigger of one capture armed at `arm`. False if cancelled.
bool findTrigger(Unit &u, BlockJob &job, TriggerScanner &scanner, int64_t arm, int64_t &hit, double &offsetPs,
                 bool &autoTriggered) {
  const TriggerSetup &t = job.trigger;
  const int64_t earliest = t.withinPreTrigger ? arm : arm + job.pre;
  offsetPs = 0;
  autoTriggered = false;
  if (!t.enabled()) {
    hit = earliest;
    return true;
  }
  int64_t deadline = kNoDeadline;
  if (t.autoTriggerUs) {
    const double samples = std::ceil(double(t.autoTriggerUs) * 1e6 / double(job.dt));
    deadline = std::max(earliest, arm + int64_t(std::min(samples, 9e18 / 2)));
  }
  scanner.reset();
  int64_t pos = arm;
  for (;;) {
    if (job.cancel) return false;
    const int64_t limit = std::min(u.deviceTime() / job.dt, deadline);
    if (scanner.impossible()) pos = std::max(pos, limit);
    while (pos < limit) {
      const int64_t end = std::min(limit, pos + kScanSlice);
      if (scanner.scan(pos, end, earliest, hit, offsetPs)) return true;
      pos = end;
      if (job.cancel) return false;
    }
    if (pos >= deadline) {
      hit = deadline;
      autoTriggered = true;
      return true;
    }
    std::unique_lock lk(u.mutex);
    u.cv.wait_for(lk, std::chrono::milliseconds(1), [&] { return job.cancel.load(); });
  }
}

void runCapture(Unit &u, BlockJob &job) {
  TriggerScanner scanner(job.trigger, job.sources, job.frontEnds, job.dt);
  int64_t arm = job.armIndex;
  bool cancelled = false;
  for (uint32_t cap = 0; cap < job.nCaptures && !cancelled; ++cap) {
    int64_t hit = 0;
    double offsetPs = 0;
    bool autoTriggered = false;
    if (!findTrigger(u, job, scanner, arm, hit, offsetPs, autoTriggered)) {
      cancelled = true;
      break;
    }
    const int64_t first = hit + int64_t(job.trigger.delay) - job.pre;
    const int64_t end = first + job.pre + job.post;
    if (!waitDeviceTime(u, job, end * job.dt)) {
      cancelled = true;
      break;
    }
    std::lock_guard lk(u.mutex);
    if (!autoTriggered) {  // a scope-triggered signal generator starts now
      auto next = SigGenTimeline::event(u.siggen, hit * job.dt, SgScopeTrig, true);
      if (next != u.siggen) {
        u.siggen = next;
        for (SourceContext &s : job.sources) s.siggen = next;
      }
    }
    CaptureRecord rec;
    rec.valid = true;
    rec.firstIndex = first;
    rec.dt = job.dt;
    rec.samples = uint32_t(job.pre + job.post);
    rec.triggerIndex = hit;
    rec.autoTriggered = autoTriggered;
    rec.triggerOffsetPs = offsetPs;
    rec.timeStampReset = cap == 0;
    rec.enabledMask = job.enabledMask;
    rec.sources = job.sources;
    rec.frontEnds = job.frontEnds;
    const uint32_t seg = (job.firstSegment + cap) % job.nSegments;
    if (seg < u.segments.size()) u.segments[seg] = rec;
    ++u.capturesDone;
    arm = end;  // re-armed at once
  }
  // Minimum time to completion and the configured extra latency.
  if (!cancelled) {
    const auto due = job.started + std::chrono::milliseconds(1 + job.latencyMs);
    std::unique_lock lk(u.mutex);
    u.cv.wait_until(lk, due, [&] { return job.cancel.load(); });
    cancelled = job.cancel;
  }
  std::unique_lock lk(u.mutex);
  job.finished = true;
  if (u.job.get() == &job) u.state = cancelled ? AcqState::BlockCancelled : AcqState::BlockDone;
  if (!cancelled) {
    for (OverlappedRead &r : job.overlapped) {
      const uint32_t segs = r.bulk ? (r.toSegment + job.nSegments - r.fromSegment) % job.nSegments + 1 : 1;
      for (uint32_t i = 0; i < segs; ++i) {
        const uint32_t seg = (r.fromSegment + i) % job.nSegments;
        uint32_t n = r.requested;
        int16_t of = 0;
        if (seg < u.segments.size() && u.segments[seg].valid)
          readSegment(job.buffers, u.segments[seg], seg, r.start, n, r.ratio, r.mode, of);
        else
          n = 0;
        if (r.count) *r.count = n;
        if (r.overflow) r.overflow[r.bulk ? i : 0] = of;
      }
    }
  }
  u.cv.notify_all();
  if (!job.ready || u.quit) return;
  u.inCallback = true;
  lk.unlock();
  {
    CallbackScope scope;
    job.ready(u.handle, cancelled ? PICO_CANCELLED : PICO_OK, job.parameter);
  }
  lk.lock();
  u.inCallback = false;
  u.cv.notify_all();
}

void runAsyncRead(Unit &u, BlockJob &job) {
  CaptureRecord rec;
  {
    std::lock_guard lk(u.mutex);
    if (job.asyncSegment < u.segments.size()) rec = u.segments[job.asyncSegment];
  }
  uint32_t n = job.asyncCount;
  int16_t overflow = 0;
  Status st = rec.valid ? readSegment(job.buffers, rec, job.asyncSegment, job.asyncStart, n, job.asyncRatio,
                                      job.asyncMode, overflow)
                        : PICO_NO_SAMPLES_AVAILABLE;
  if (st != PICO_OK) n = 0;
  std::unique_lock lk(u.mutex);
  job.finished = true;
  if (!job.dataReady || u.quit) return;
  u.inCallback = true;
  lk.unlock();
  {
    CallbackScope scope;
    job.dataReady(u.handle, st, n, overflow, job.parameter);
  }
  lk.lock();
  u.inCallback = false;
  u.cv.notify_all();
}

}  // namespace

bool inUserCallback() { return tlInCallback; }
CallbackScope::CallbackScope() { tlInCallback = true; }
CallbackScope::~CallbackScope() { tlInCallback = false; }

Status unitTimebase(const Unit &u, uint32_t timebase, Ps &dt) {
  const int n = u.enabledCount();
  if (n > maxChannelsForResolution(u.resolution)) return PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION;
  if (n == 0) return PICO_INVALID_CHANNEL;
  return timebaseInterval(u.resolution, timebase, n, &dt);
}

uint64_t maxSamplesPerChannel(const Unit &u) {
  return u.memoryPerSegment() / uint64_t(std::max(1, u.enabledCount()));
}

Status runBlock(const std::shared_ptr<Unit> &u, int32_t pre, int32_t post, uint32_t timebase,
                int32_t *timeIndisposedMs, uint32_t segment, BlockReadyFn ready, void *parameter) {
  if (Status p = u->powerBlock(); p != PICO_OK) return p;
  if (pre < 0 || post < 0 || int64_t(pre) + post == 0) return PICO_INVALID_PARAMETER;
  Ps dt = 0;
  if (Status st = unitTimebase(*u, timebase, dt); st != PICO_OK) return st;
  if (segment >= u->nSegments) return PICO_SEGMENT_OUT_OF_RANGE;
  if (u->nCaptures > u->nSegments) return PICO_NOT_ENOUGH_SEGMENTS;
  if (uint64_t(pre) + uint64_t(post) > maxSamplesPerChannel(*u)) return PICO_TOO_MANY_SAMPLES;
  stopAcquisition(*u);
  const Settings s = currentSettings();
  auto job = std::make_shared<BlockJob>();
  job->pre = pre;
  job->post = post;
  job->dt = dt;
  job->firstSegment = segment;
  job->nCaptures = u->nCaptures;
  job->nSegments = u->nSegments;
  job->started = std::chrono::steady_clock::now();
  job->latencyMs = s.latencyMs;
  job->trigger = u->trigger;
  job->frontEnds = u->frontEndSnapshot();
  job->enabledMask = u->enabledMask();
  job->ready = ready;
  job->parameter = parameter;
  job->buffers = u->buffers;
  job->overlapped.swap(u->overlapped);
  {
    std::lock_guard lk(u->mutex);
    job->sources = u->sourceSnapshot(s);
    job->armIndex = (u->deviceTime() + dt - 1) / dt;
    for (uint32_t i = 0; i < job->nCaptures; ++i) u->segments[(segment + i) % u->nSegments].valid = false;
    u->capturesDone = 0;
    u->rapidRun = job->nCaptures > 1;
    u->state = AcqState::BlockRunning;
    u->job = job;
    u->queue.push_back(job);
  }
  u->cv.notify_all();
  if (timeIndisposedMs) {
    const double ms = double(pre + int64_t(post)) * double(dt) * job->nCaptures / 1e9;
    *timeIndisposedMs = int32_t(std::min(ms, 2147483647.0));
  }
  return PICO_OK;
}

Status isReady(Unit &u, int16_t *ready) {
  std::lock_guard lk(u.mutex);
  *ready = 0;
  switch (u.state) {
    case AcqState::BlockRunning: return PICO_OK;
    case AcqState::BlockDone: *ready = 1; return PICO_OK;
    case AcqState::BlockCancelled: return PICO_CANCELLED;
    case AcqState::Streaming: return PICO_OK;
    case AcqState::StreamingStopped: *ready = 1; return PICO_OK;
    default: return PICO_NO_SAMPLES_AVAILABLE;
  }
}

Status stopAcquisition(Unit &u) {
  if (u.stream.active) finishStreaming(u);
  std::unique_lock lk(u.mutex);
  for (auto &queued : u.queue) queued->cancel = true;
  if (u.job && !u.job->finished) {
    u.job->cancel = true;
    u.cv.notify_all();
    auto job = u.job;
    u.cv.wait(lk, [&] { return job->finished || u.quit; });
  }
  if (u.state == AcqState::Streaming) u.state = AcqState::StreamingStopped;
  return PICO_OK;
}

void workerLoop(std::shared_ptr<Unit> u) {
  std::unique_lock lk(u->mutex);
  for (;;) {
    u->cv.wait(lk, [&] { return u->quit || !u->queue.empty(); });
    if (u->quit) break;
    auto job = u->queue.front();
    u->queue.erase(u->queue.begin());
    lk.unlock();
    if (job->kind == BlockJob::Capture) runCapture(*u, *job);
    else runAsyncRead(*u, *job);
    lk.lock();
  }
}

void shutdownWorker(Unit &u) {
  {
    std::unique_lock lk(u.mutex);
    u.quit = true;
    for (auto &queued : u.queue) queued->cancel = true;
    if (u.job) u.job->cancel = true;
    u.cv.notify_all();
    // A user callback running on the worker may take a moment to return.
    u.cv.wait_for(lk, std::chrono::seconds(2), [&] { return !u.inCallback; });
  }
  if (!u.worker.joinable()) return;
  bool busy;
  {
    std::lock_guard lk(u.mutex);
    busy = u.inCallback;
  }
  if (busy || u.worker.get_id() == std::this_thread::get_id()) u.worker.detach();
  else u.worker.join();
}

Status queueAsyncRead(const std::shared_ptr<Unit> &u, uint32_t start, uint32_t count, uint32_t ratio,
                      uint32_t mode, uint32_t segment, DataReadyFn ready, void *parameter) {
  auto job = std::make_shared<BlockJob>();
  job->kind = BlockJob::AsyncRead;
  job->buffers = u->buffers;
  job->asyncStart = start;
  job->asyncCount = count;
  job->asyncRatio = ratio;
  job->asyncMode = mode;
  job->asyncSegment = segment;
  job->dataReady = ready;
  job->parameter = parameter;
  {
    std::lock_guard lk(u->mutex);
    u->queue.push_back(job);
  }
  u->cv.notify_all();
  return PICO_OK;
}

Status queueOverlapped(Unit &u, const OverlappedRead &read) {
  if (read.bulk ? (read.fromSegment >= u.nSegments || read.toSegment >= u.nSegments) : read.fromSegment >= u.nSegments)
    return PICO_SEGMENT_OUT_OF_RANGE;
  u.overlapped.push_back(read);
  return PICO_OK;
}

}  // namespace picosim
