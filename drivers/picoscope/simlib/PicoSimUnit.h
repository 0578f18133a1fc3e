// SPDX-License-Identifier: GPL-3.0-or-later
// One simulated scope: settings, capture memory (segment records generated on demand from the
// deterministic signals), acquisition state, the per-unit worker thread, and the unit registry.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "PicoSimModel.h"
#include "PicoSimSettings.h"
#include "PicoSimSigGen.h"
#include "PicoSimSignal.h"
#include "PicoSimTrigger.h"
#include "PicoSimTypes.h"

namespace picosim {

struct ChannelSettings {
  bool enabled = true;
  int coupling = CouplingDC;
  int range = 8;  // 5 V
  float offset = 0;
  int bandwidth = 0;
};

struct BufferReg {
  int16_t *max = nullptr;
  int16_t *min = nullptr;
  int32_t length = 0;
};
using BufferKey = std::tuple<int, uint32_t, uint32_t>;  // channel, segment, ratio mode
using BufferMap = std::map<BufferKey, BufferReg>;

// A finished capture: enough to regenerate every sample of every channel.
struct CaptureRecord {
  bool valid = false;
  int64_t firstIndex = 0;  // absolute sample index of sample 0
  Ps dt = 1000;
  uint32_t samples = 0;
  int64_t triggerIndex = 0;  // absolute index of the trigger event
  bool autoTriggered = false;
  double triggerOffsetPs = 0;
  bool timeStampReset = false;
  unsigned enabledMask = 0;  // bit per analogue channel
  std::array<SourceContext, kSources> sources;
  std::array<FrontEnd, kSources> frontEnds;
};

// Deferred GetValues (GetValuesOverlapped*) executed when a block capture completes.
struct OverlappedRead {
  bool bulk = false;
  uint32_t start = 0;
  uint32_t *count = nullptr;
  uint32_t requested = 0;
  uint32_t ratio = 1, mode = RatioNone;
  uint32_t fromSegment = 0, toSegment = 0;
  int16_t *overflow = nullptr;
};

using BlockReadyFn = void (*)(int16_t, Status, void *);
using StreamingReadyFn = void (*)(int16_t, int32_t, uint32_t, int16_t, uint32_t, int16_t, int16_t, void *);
using DataReadyFn = void (*)(int16_t, Status, uint32_t, int16_t, void *);

struct BlockJob {
  enum Kind { Capture, AsyncRead } kind = Capture;
  int32_t pre = 0, post = 0;
  Ps dt = 1000;
  uint32_t firstSegment = 0, nCaptures = 1, nSegments = 1;
  int64_t armIndex = 0;
  std::chrono::steady_clock::time_point started;
  int latencyMs = 0;
  TriggerSetup trigger;
  std::array<SourceContext, kSources> sources;
  std::array<FrontEnd, kSources> frontEnds;
  unsigned enabledMask = 0;
  BlockReadyFn ready = nullptr;
  DataReadyFn dataReady = nullptr;
  void *parameter = nullptr;
  BufferMap buffers;  // snapshot for overlapped/async reads
  std::vector<OverlappedRead> overlapped;
  uint32_t asyncStart = 0, asyncCount = 0, asyncRatio = 1, asyncMode = 0, asyncSegment = 0;
  std::atomic<bool> cancel{false};  // set by Stop/Close
  bool finished = false;            // capture phase left (under Unit::mutex)
};

struct StreamState {
  bool active = false;       // RunStreaming until Stop
  bool autoStopped = false;
  Ps dt = 1000;
  int64_t startIndex = 0;    // absolute index of the first sample
  uint32_t ratio = 1, mode = RatioNone;
  uint32_t ringSize = 0, ringPos = 0;
  uint32_t maxPre = 0, maxPost = 0;
  bool autoStop = false;
  int64_t delivered = 0;     // raw samples handed out (or lost) since start
  bool triggered = false;
  int64_t triggerRaw = -1;   // raw position (from start) of the trigger
  bool triggerReported = false;
  bool lostPending = false;
  uint64_t memoryPerChannel = 0;
  // Raw samples the unit holds for the host before the oldest are overwritten: the device memory
  // used as a FIFO plus the driver's overview buffer (overviewBufferSize values).
  uint64_t backlogCapacity = 0;
  unsigned enabledMask = 0;
  std::array<FrontEnd, kSources> frontEnds;
  TriggerSetup trigger;
  std::unique_ptr<TriggerScanner> scanner;
  int64_t scanPos = 0;       // raw position scanned up to
};

// What the last (or running) streaming run of a unit produced and lost, for picosimStreamingStats.
struct StreamCounts {
  bool valid = false;        // a streaming run has been started on the unit
  bool stopped = false;      // produced is final
  int64_t produced = 0;      // raw samples the device took (until Stop or auto-stop)
  int64_t lost = 0;          // raw samples overwritten before the host fetched them
};

enum class AcqState { Idle, BlockRunning, BlockDone, BlockCancelled, Streaming, StreamingStopped };

struct Unit {
  int16_t handle = 0;
  int slot = 0;
  std::string serial, variant;
  int channelCount = kAnalogChannels;  // of the variant: channels beyond it do not exist
  Model model;                         // the family's description with the variant's values
  std::chrono::steady_clock::time_point opened;
  uint64_t memory = 0;
  int resolution = 0;
  std::array<ChannelSettings, kAnalogChannels> channels;
  PowerSetting power = PowerSetting::Dc;  // reality
  bool powerAccepted = true;              // host acknowledged `power` with ChangePowerSource
  uint32_t nSegments = 1, nCaptures = 1;
  TriggerSetup trigger;
  std::shared_ptr<const SigGenTimeline> siggen;
  BufferMap buffers;
  int ledFlashes = 0;  // <0 for ever
  std::chrono::steady_clock::time_point ledUntil;
  bool outputEdgeDetect = true;
  StreamState stream;
  std::vector<OverlappedRead> overlapped;  // executed by the next RunBlock

  // Shared with the worker thread: guarded by mutex.
  std::mutex mutex;
  std::condition_variable cv;
  AcqState state = AcqState::Idle;
  std::vector<CaptureRecord> segments;
  StreamCounts streamCounts;
  uint32_t capturesDone = 0;
  bool rapidRun = false;
  std::shared_ptr<BlockJob> job;      // current or queued job
  std::vector<std::shared_ptr<BlockJob>> queue;
  bool inCallback = false;
  bool quit = false;
  std::thread worker;

  Ps deviceTime() const;  // ps since open
  int enabledCount() const;
  bool hasChannel(int channel) const { return channel >= 0 && channel < channelCount; }
  unsigned enabledMask() const;
  uint64_t memoryPerSegment() const { return memory / nSegments; }
  Status powerBlock() const;  // pending power status for acquisition calls, or PICO_OK
  std::array<SourceContext, kSources> sourceSnapshot(const Settings &s) const;
  std::array<FrontEnd, kSources> frontEndSnapshot() const;
};

// Registry of open units (handles) of this library.
std::shared_ptr<Unit> findUnit(int16_t handle);
std::shared_ptr<Unit> findUnitBySerial(const char *serial);
// picosimStreamingStats: 0 (final), 1 (still streaming), -1 (no such open unit, or it never streamed).
int32_t streamingStats(const char *serial, uint64_t *produced, uint64_t *lost);
// Opens the first free simulated unit (or the one with `serial`). Returns PICO_NOT_FOUND when none.
Status openUnit(const char *serial, int resolution, std::shared_ptr<Unit> &unit);
Status closeUnit(int16_t handle);
// Serials of all simulated units (comma list).
std::string unitSerials(int units);
// Joins every worker (library unload).
void closeAllUnits();

}  // namespace picosim
