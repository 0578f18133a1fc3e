// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the simulated PicoScope library (drivers/picoscope/simlib): the core directly
// (quantisation, timebases, trigger scanner, settings parser, generation speed) and the exported
// ps5000a API (units, power, block/rapid/streaming, triggers, signal generator, guard, inject),
// plus a few ps2000a calls through dlopen.
#include <QtTest>

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "libps5000a/ps5000aApi.h"
#define DYNLINK  // ps2000a is loaded with dlopen: function-pointer typedefs
#include "libps2000a/ps2000aApi.h"
#undef DYNLINK
#include "picosim/picosim.h"

#include "PicoSimModel.h"
#include "PicoSimSettings.h"
#include "PicoSimSignal.h"
#include "PicoSimTrigger.h"

using namespace std::chrono_literals;

namespace {

struct Unit {
  int16_t h = 0;
  Unit() = default;
  Unit(const Unit &) = delete;
  ~Unit() {
    if (h > 0) ps5000aCloseUnit(h);
  }
};

struct BlockWaiter {
  std::atomic<int> done{0};
  std::atomic<PICO_STATUS> status{0xFFFFFFFF};
  std::atomic<PICO_STATUS> callFromCallback{0xFFFFFFFF};
  std::thread::id thread;
};

void PREF4 onBlockReady(int16_t handle, PICO_STATUS status, void *p) {
  auto *w = static_cast<BlockWaiter *>(p);
  w->thread = std::this_thread::get_id();
  w->callFromCallback = ps5000aPingUnit(handle);  // must be refused: PICO_USER_CALLBACK
  w->status = status;
  w->done = 1;
}

bool waitFlag(const std::atomic<int> &flag, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!flag && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  return flag != 0;
}

struct StreamChunk {
  int32_t n;
  uint32_t start;
  int16_t overflow;
  uint32_t triggerAt;
  int16_t triggered, autoStop;
};
struct StreamSink {
  std::vector<StreamChunk> chunks;
  std::vector<int16_t> *ring = nullptr;
  std::vector<int16_t> data;  // copied out of the ring in the callback
  PICO_STATUS callFromCallback = 0xFFFFFFFF;
  int16_t handle = 0;
};

void PREF4 onStreaming(int16_t handle, int32_t n, uint32_t start, int16_t overflow, uint32_t triggerAt,
                       int16_t triggered, int16_t autoStop, void *p) {
  auto *s = static_cast<StreamSink *>(p);
  s->chunks.push_back({n, start, overflow, triggerAt, triggered, autoStop});
  if (s->ring) s->data.insert(s->data.end(), s->ring->begin() + start, s->ring->begin() + start + n);
  s->callFromCallback = ps5000aStop(handle);
}

void configure(const char *settings) { QCOMPARE(picosimConfigure(settings), 0); }

const picosim::Model &testModel() {
  static const char *const names[] = {"RunBlock", "GetValues", "PingUnit"};
  static const picosim::Variant variants[] = {{"5444D", 4, 49152, 200e6, true, true}, {"5242D", 2, 32768, 100e6, false, true}};
  static const picosim::Model m{"ps5000a", "5444D", names, 3, true, true, true, 0, 10, 536870912ull, 310000,
                                200e6, 49152, 20e6, 2.0, "x", "1", "1", "1", "1", variants, 2};
  return m;
}

}  // namespace

class TestPicoSimCore : public QObject {
  Q_OBJECT

 private slots:
  void init() { configure("reset"); }

  // ---- core ----
  void quantisationPerResolution();
  void timebaseTable();
  void triggerScannerRisingAndHysteresis();
  void triggerScannerWindowAndFalling();
  void settingsParser();

  // ---- exported ps5000a API ----
  void exportedSymbolsAndInvalidHandle();
  void openEnumerateAndInfo();
  void resolutionsChannelsAndRanges();
  void apiQuantisationOffsetAcAndClipping();
  void apiTimebases();
  void blockCaptureWithTrigger();
  void blockCancelAutoTriggerAndReadiness();
  void downsamplingModes();
  void rapidBlock();
  void streamingRingAutoStop();
  void streamingTriggerAndOverrun();
  void concurrencyGuard();
  void powerStates();
  void injectStatuses();
  void signalGenerator();

  // ---- ps2000a ----
  void ps2000aBasics();
};

// ---------------------------------------------------------------- core

void TestPicoSimCore::quantisationPerResolution() {
  using picosim::FrontEnd;
  struct Case {
    int resolution, step;
    int16_t max;
  } cases[] = {{0, 256, 32512}, {1, 16, 32767}, {2, 4, 32767}, {3, 2, 32767}, {4, 1, 32767}};
  for (const Case &c : cases) {
    const FrontEnd fe = FrontEnd::make(6, 0, c.resolution);  // +-1 V
    QCOMPARE(fe.maxAdc, c.max);
    QCOMPARE(fe.step, c.step);
    std::vector<float> v(2001);
    for (size_t i = 0; i < v.size(); ++i) v[i] = float(-1.0 + double(i) / 1000.0);
    std::vector<int16_t> q(v.size());
    QVERIFY(!picosim::quantise(fe, v.data(), v.size(), q.data()));
    for (size_t i = 0; i < v.size(); ++i) {
      QVERIFY2(q[i] % c.step == 0 || std::abs(q[i]) == c.max, "not a multiple of the resolution step");
      QVERIFY(std::abs(q[i] - v[i] * c.max) <= c.step / 2.0 + 1);
    }
    QCOMPARE(q.front(), int16_t(-c.max));
    QCOMPARE(q.back(), c.max);
    const float over[2] = {1.5f, -3.0f};
    int16_t out[2];
    QVERIFY(picosim::quantise(fe, over, 2, out));  // clipping = overflow
    QCOMPARE(out[0], c.max);
    QCOMPARE(out[1], int16_t(-c.max));
  }
  // 8 bit: 0.3 V on the 1 V range -> round(0.3 * 127) * 256
  const FrontEnd fe8 = FrontEnd::make(6, 0, 0);
  const float v = 0.3f;
  int16_t q = 0;
  picosim::quantise(fe8, &v, 1, &q);
  QCOMPARE(int(q), 38 * 256);
}

void TestPicoSimCore::timebaseTable() {
  using picosim::timebaseInterval;
  picosim::Ps dt = 0;
  QCOMPARE(timebaseInterval(0, 0, 1, &dt), PICO_OK); QCOMPARE(dt, 1000);
  QCOMPARE(timebaseInterval(0, 0, 2, &dt), PICO_INVALID_TIMEBASE);
  QCOMPARE(timebaseInterval(0, 1, 2, &dt), PICO_OK); QCOMPARE(dt, 2000);
  QCOMPARE(timebaseInterval(0, 1, 3, &dt), PICO_INVALID_TIMEBASE);
  QCOMPARE(timebaseInterval(0, 2, 4, &dt), PICO_OK); QCOMPARE(dt, 4000);
  QCOMPARE(timebaseInterval(0, 3, 4, &dt), PICO_OK); QCOMPARE(dt, 8000);
  QCOMPARE(timebaseInterval(0, 4, 4, &dt), PICO_OK); QCOMPARE(dt, 16000);
  QCOMPARE(timebaseInterval(0, 127, 4, &dt), PICO_OK); QCOMPARE(dt, 1000000);  // 1 MS/s at 8 bit
  QCOMPARE(timebaseInterval(1, 0, 1, &dt), PICO_INVALID_TIMEBASE);
  QCOMPARE(timebaseInterval(1, 1, 1, &dt), PICO_OK); QCOMPARE(dt, 2000);
  QCOMPARE(timebaseInterval(1, 3, 4, &dt), PICO_OK); QCOMPARE(dt, 8000);
  QCOMPARE(timebaseInterval(1, 4, 4, &dt), PICO_OK); QCOMPARE(dt, 16000);
  QCOMPARE(timebaseInterval(1, 127, 1, &dt), PICO_OK); QCOMPARE(dt, 1984000);  // ~504 kS/s at 12 bit
  QCOMPARE(timebaseInterval(2, 2, 1, &dt), PICO_INVALID_TIMEBASE);
  QCOMPARE(timebaseInterval(3, 3, 2, &dt), PICO_OK); QCOMPARE(dt, 8000);
  QCOMPARE(timebaseInterval(4, 3, 1, &dt), PICO_INVALID_TIMEBASE);
  QCOMPARE(timebaseInterval(4, 4, 1, &dt), PICO_OK); QCOMPARE(dt, 16000);
  QCOMPARE(picosim::minimumTimebase(0, 3), 2u);
  QCOMPARE(picosim::timebaseForInterval(0, 1, 1e-6), 127u);
  QCOMPARE(picosim::maxChannelsForResolution(3), 2);
  QCOMPARE(picosim::maxChannelsForResolution(4), 1);
}

namespace {

// Scans a noise-free sine (amp volts, 1 kHz, 1 µs samples, +-1 V range, 8 bit) from index 0.
bool scanSine(const picosim::TriggerSetup &t, double amp, int64_t &hit, double &offsetPs, int64_t earliest = 0) {
  std::array<picosim::SourceContext, picosim::kSources> src;
  std::array<picosim::FrontEnd, picosim::kSources> fe;
  for (int i = 0; i < picosim::kSources; ++i) {
    src[size_t(i)].spec.kind = picosim::SignalSpec::Sine;
    src[size_t(i)].spec.freq = 1000;
    src[size_t(i)].spec.amp = amp;
    src[size_t(i)].channel = i;
    fe[size_t(i)] = picosim::FrontEnd::make(6, 0, 0);
  }
  picosim::TriggerScanner scanner(t, src, fe, 1000000);
  if (scanner.impossible()) return false;
  return scanner.scan(0, 5000, earliest, hit, offsetPs);
}

}  // namespace

void TestPicoSimCore::triggerScannerRisingAndHysteresis() {
  picosim::TriggerSetup t;
  t.groups.push_back({{0, picosim::StateTrue}});
  t.direction[0] = picosim::DirRising;
  t.props[0] = {16256, 256, 16256, 256};  // 0.5 V on the 1 V range
  int64_t hit = -1;
  double offset = 1;
  // Rising through 0.5 at phase 30° of a 1 kHz, 1 V sine: t = 83.3 µs; armed at once (starts at 0).
  QVERIFY(scanSine(t, 1.0, hit, offset));
  QCOMPARE(hit, int64_t(84));
  QVERIFY(offset <= 0 && offset > -1e6);
  // Accepted only after `earliest`: the next rising edge one period later.
  QVERIFY(scanSine(t, 1.0, hit, offset, 200));
  QCOMPARE(hit, int64_t(1084));
  // Hysteresis: re-arming needs the signal below threshold - hysteresis. A 0.55 V sine never goes
  // below 0.5 V - 1.07 V, so it never arms; with 0.1 V of hysteresis it does.
  t.props[0] = {16256, uint16_t(35000), 16256, 0};
  QVERIFY(!scanSine(t, 0.55, hit, offset));
  t.props[0] = {16256, uint16_t(3251), 16256, 0};
  QVERIFY(scanSine(t, 0.55, hit, offset));
  QCOMPARE(hit, int64_t(1000 * std::asin(0.5 / 0.55) / (2 * M_PI) + 1));
  // Bounds: a threshold above the signal is recognised as impossible without scanning.
  t.props[0] = {32000, 256, 32000, 256};
  std::array<picosim::SourceContext, picosim::kSources> src;
  std::array<picosim::FrontEnd, picosim::kSources> fe;
  src[0].spec.kind = picosim::SignalSpec::Sine;
  src[0].spec.freq = 1000;
  src[0].spec.amp = 0.5;
  fe.fill(picosim::FrontEnd::make(6, 0, 0));
  QVERIFY(picosim::TriggerScanner(t, src, fe, 1000000).impossible());
}

void TestPicoSimCore::triggerScannerWindowAndFalling() {
  picosim::TriggerSetup t;
  t.groups.push_back({{1, picosim::StateTrue}});
  t.direction[1] = picosim::DirFalling;
  t.props[1] = {0, 256, 0, 256};
  int64_t hit = -1;
  double offset = 0;
  QVERIFY(scanSine(t, 1.0, hit, offset));
  QCOMPARE(hit, int64_t(500));  // falling zero crossing of the sine
  // Window EXIT (|v| > 0.5 V): leaving the window [-0.5, 0.5] at the 30° point.
  t.direction[1] = picosim::DirFalling;  // EXIT in window mode
  t.mode[1] = picosim::ModeWindow;
  t.props[1] = {16256, 0, -16256, 0};
  QVERIFY(scanSine(t, 1.0, hit, offset));
  QVERIFY(hit >= 83 && hit <= 85);
  // AND of two conditions in a group (A rising AND B above): B = A here, so the same point.
  picosim::TriggerSetup both;
  both.groups.push_back({{0, picosim::StateTrue}, {1, picosim::StateTrue}});
  both.direction[0] = picosim::DirRising;
  both.props[0] = {0, 256, 0, 256};
  both.direction[1] = picosim::DirAbove;
  both.props[1] = {16256, 256, 16256, 256};
  // At A's rising zero crossings B is at 0 V, never above 0.5 V: the AND never holds.
  QVERIFY(!scanSine(both, 1.0, hit, offset));
  both.direction[1] = picosim::DirBelow;  // B below 0.5 V: fires at A's first armed rising crossing
  QVERIFY(scanSine(both, 1.0, hit, offset));
  QCOMPARE(hit, int64_t(1000));
  // OR across groups: a second group that fires earlier wins.
  both.groups.push_back({{1, picosim::StateTrue}});
  QVERIFY(scanSine(both, 1.0, hit, offset));
  QCOMPARE(hit, int64_t(0));  // B below 0.5 V holds at once
}

void TestPicoSimCore::settingsParser() {
  picosim::Settings s;
  std::map<std::string, std::deque<picosim::Injection>> inj;
  bool reset = false;
  std::string err;
  QVERIFY(picosim::parseSettings(" units = 3 ; power=usb2;signal.B=sine,freq=1e3,amp=0.2,noise=0.01 ;seed=7;;",
                                 testModel(), s, inj, reset, err));
  QCOMPARE(s.units, 3);
  QVERIFY(s.power == picosim::PowerSetting::Usb2);
  QCOMPARE(s.signal[1].kind, picosim::SignalSpec::Sine);
  QCOMPARE(s.signal[1].freq, 1000.0);
  QCOMPARE(s.signal[1].noise, 0.01);
  QCOMPARE(s.seed, uint64_t(7));
  QVERIFY(picosim::parseSettings("inject=ps5000aRunBlock:0x11A:2;inject=GetValues:7", testModel(), s, inj, reset, err));
  QCOMPARE(inj["RunBlock"].front().status, PICO_POWER_SUPPLY_NOT_CONNECTED);
  QCOMPARE(inj["RunBlock"].front().remaining, 2u);
  QCOMPARE(inj["GetValues"].front().status, 7u);
  const char *bad[] = {"bogus=1", "units=9", "units=-1", "power=battery", "signal.Q=dc", "signal.A=sine,freq=0",
                       "signal.A=dc,freq=5", "signal.A=wobble", "inject=NoSuch:1", "inject=RunBlock", "inject=RunBlock:x",
                       "overrun_flag=2", "streaming_max_rate=-5", "memory=10", "reset=1", "units"};
  for (const char *b : bad) {
    picosim::Settings t;
    err.clear();
    QVERIFY2(!picosim::parseSettings(b, testModel(), t, inj, reset, err), b);
    QVERIFY(!err.empty());
  }
  // Through the exported control interface: errors change nothing.
  QCOMPARE(picosimConfigure("units=2;bogus"), -1);
  QVERIFY(std::strlen(picosimLastError()) > 0);
  int16_t count = 0;
  QCOMPARE(ps5000aEnumerateUnits(&count, nullptr, nullptr), PICO_OK);
  QCOMPARE(count, int16_t(1));
  QCOMPARE(picosimConfigure(nullptr), -1);
  configure("units=2");
  QCOMPARE(picosimLastError(), "");
  QCOMPARE(ps5000aEnumerateUnits(&count, nullptr, nullptr), PICO_OK);
  QCOMPARE(count, int16_t(2));
}

// ---------------------------------------------------------------- exported ps5000a API

void TestPicoSimCore::exportedSymbolsAndInvalidHandle() {
  const char *names[] = {
      "OpenUnit", "OpenUnitAsync", "OpenUnitProgress", "EnumerateUnits", "GetUnitInfo", "FlashLed", "IsLedFlashing",
      "CloseUnit", "PingUnit", "SetDeviceResolution", "GetDeviceResolution", "ChangePowerSource",
      "CurrentPowerSource", "CheckForUpdate", "StartFirmwareUpdate", "SetChannel", "SetBandwidthFilter",
      "SetDigitalPort", "GetAnalogueOffset", "GetChannelInformation", "MaximumValue", "MinimumValue",
      "GetScalingValues", "GetTimebase", "GetTimebase2", "NearestSampleIntervalStateless",
      "GetMinimumTimebaseStateless", "ChannelCombinationsStateless", "MemorySegments", "GetMaxSegments",
      "SetNoOfCaptures", "GetNoOfCaptures", "GetNoOfProcessedCaptures", "SetSimpleTrigger",
      "SetTriggerChannelConditions", "SetTriggerChannelDirections", "SetTriggerChannelProperties",
      "SetTriggerChannelConditionsV2", "SetTriggerChannelDirectionsV2", "SetTriggerChannelPropertiesV2",
      "SetAutoTriggerMicroSeconds", "SetTriggerDelay", "SetTriggerDigitalPortProperties", "SetPulseWidthQualifier",
      "SetPulseWidthQualifierProperties", "SetPulseWidthQualifierConditions", "SetPulseWidthQualifierDirections",
      "SetPulseWidthDigitalPortProperties", "IsTriggerOrPulseWidthQualifierEnabled",
      "TriggerWithinPreTriggerSamples", "GetTriggerTimeOffset", "GetTriggerTimeOffset64",
      "GetValuesTriggerTimeOffsetBulk", "GetValuesTriggerTimeOffsetBulk64", "GetTriggerInfoBulk",
      "QueryOutputEdgeDetect", "SetOutputEdgeDetect", "SetDataBuffers", "SetDataBuffer", "SetUnscaledDataBuffers",
      "SetEts", "SetEtsTimeBuffer", "SetEtsTimeBuffers", "RunBlock", "IsReady", "RunStreaming",
      "GetStreamingLatestValues", "NoOfStreamingValues", "GetMaxDownSampleRatio", "GetValues", "GetValuesAsync",
      "GetValuesBulk", "GetValuesOverlapped", "GetValuesOverlappedBulk", "Stop", "SetSigGenBuiltIn",
      "SetSigGenBuiltInV2", "SetSigGenArbitrary", "SetSigGenPropertiesBuiltIn", "SetSigGenPropertiesArbitrary",
      "SigGenFrequencyToPhase", "SigGenArbitraryMinMaxValues", "SigGenSoftwareControl"};
  QCOMPARE(int(sizeof names / sizeof names[0]), 83);
  for (const char *n : names)
    QVERIFY2(dlsym(RTLD_DEFAULT, (std::string("ps5000a") + n).c_str()), n);
  const int16_t bad = 999;
  int16_t v = 0;
  uint32_t u = 0;
  float f = 0;
  QCOMPARE(ps5000aPingUnit(bad), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aCloseUnit(bad), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aMaximumValue(bad, &v), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aSetChannel(bad, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_1V, 0), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aGetTimebase2(bad, 3, 100, &f, nullptr, 0), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aRunBlock(bad, 0, 100, 3, nullptr, 0, nullptr, nullptr), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aGetValues(bad, 0, &u, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aStop(bad), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aSigGenSoftwareControl(bad, 1), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aCurrentPowerSource(bad), PICO_INVALID_HANDLE);
  QCOMPARE(ps5000aOpenUnit(nullptr, nullptr, PS5000A_DR_8BIT), PICO_NULL_PARAMETER);
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  QCOMPARE(ps5000aMaximumValue(s.h, nullptr), PICO_NULL_PARAMETER);
  QCOMPARE(ps5000aIsReady(s.h, nullptr), PICO_NULL_PARAMETER);
  QCOMPARE(ps5000aGetValues(s.h, 0, nullptr, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_NULL_PARAMETER);
  QCOMPARE(ps5000aRunStreaming(s.h, nullptr, PS5000A_US, 0, 10, 1, 1, PS5000A_RATIO_MODE_NONE, 10), PICO_NULL_PARAMETER);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL(7), 1, PS5000A_DC, PS5000A_1V, 0), PICO_INVALID_CHANNEL);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 1, PS5000A_COUPLING(5), PS5000A_1V, 0), PICO_INVALID_COUPLING);
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 1, PS5000A_CHANNEL(9), 0, PS5000A_RISING, 0, 0), PICO_INVALID_TRIGGER_CHANNEL);
  QCOMPARE(ps5000aSetEts(s.h, PS5000A_ETS_OFF, 0, 0, nullptr), PICO_OK);
  QCOMPARE(ps5000aSetEts(s.h, PS5000A_ETS_FAST, 20, 4, nullptr), PICO_ETS_NOT_SUPPORTED);
  QCOMPARE(ps5000aStartFirmwareUpdate(s.h, nullptr), PICO_NOT_SUPPORTED_BY_THIS_DEVICE);
  QCOMPARE(ps5000aSetDigitalPort(s.h, PS5000A_DIGITAL_PORT0, 1, 0), PICO_NOT_SUPPORTED_BY_THIS_DEVICE);
}

void TestPicoSimCore::openEnumerateAndInfo() {
  configure("units=2;variant=5442D");
  Unit a, b;
  int16_t none = 77;
  QCOMPARE(ps5000aOpenUnit(&a.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  QCOMPARE(ps5000aOpenUnit(&b.h, nullptr, PS5000A_DR_12BIT), PICO_OK);
  QVERIFY(a.h > 0 && b.h > 0 && a.h != b.h);
  QCOMPARE(ps5000aOpenUnit(&none, nullptr, PS5000A_DR_8BIT), PICO_NOT_FOUND);
  QCOMPARE(none, int16_t(0));
  int16_t count = 0, len = 64;
  char serials[64];
  QCOMPARE(ps5000aEnumerateUnits(&count, reinterpret_cast<int8_t *>(serials), &len), PICO_OK);
  QCOMPARE(count, int16_t(2));
  QCOMPARE(QByteArray(serials), QByteArray("SIM00/0001,SIM00/0002"));
  char text[80];
  int16_t req = 0;
  QCOMPARE(ps5000aGetUnitInfo(b.h, reinterpret_cast<int8_t *>(text), 80, &req, PICO_BATCH_AND_SERIAL), PICO_OK);
  QCOMPARE(QByteArray(text), QByteArray("SIM00/0002"));
  QCOMPARE(ps5000aGetUnitInfo(b.h, nullptr, 0, &req, PICO_VARIANT_INFO), PICO_OK);
  QCOMPARE(req, int16_t(6));
  QCOMPARE(ps5000aGetUnitInfo(b.h, reinterpret_cast<int8_t *>(text), 3, &req, PICO_VARIANT_INFO), PICO_STRING_BUFFER_TO_SMALL);
  QCOMPARE(QByteArray(text), QByteArray("54"));
  for (uint32_t info = 0; info <= 0x10; ++info)
    QCOMPARE(ps5000aGetUnitInfo(a.h, reinterpret_cast<int8_t *>(text), 80, &req, info), PICO_OK);
  QCOMPARE(ps5000aGetUnitInfo(a.h, reinterpret_cast<int8_t *>(text), 80, &req, 0x55), PICO_INVALID_INFO);
  QCOMPARE(ps5000aGetUnitInfo(-1, reinterpret_cast<int8_t *>(text), 80, &req, PICO_DRIVER_VERSION), PICO_OK);
  QCOMPARE(ps5000aGetUnitInfo(-1, reinterpret_cast<int8_t *>(text), 80, &req, PICO_VARIANT_INFO), PICO_INVALID_HANDLE);
  // Close and reopen by serial; unknown serials are not found.
  QCOMPARE(ps5000aCloseUnit(a.h), PICO_OK);
  a.h = 0;
  QCOMPARE(ps5000aOpenUnit(&none, reinterpret_cast<int8_t *>(const_cast<char *>("NOPE/1")), PS5000A_DR_8BIT), PICO_NOT_FOUND);
  QCOMPARE(ps5000aOpenUnit(&a.h, reinterpret_cast<int8_t *>(const_cast<char *>("SIM00/0001")), PS5000A_DR_8BIT), PICO_OK);
  QCOMPARE(ps5000aGetUnitInfo(a.h, reinterpret_cast<int8_t *>(text), 80, &req, PICO_VARIANT_INFO), PICO_OK);
  QCOMPARE(QByteArray(text), QByteArray("5442D"));
  // Async open.
  QCOMPARE(ps5000aCloseUnit(a.h), PICO_OK);
  a.h = 0;
  int16_t started = 0, progress = 0, complete = 0;
  QCOMPARE(ps5000aOpenUnitAsync(&started, nullptr, PS5000A_DR_8BIT), PICO_OK);
  QCOMPARE(started, int16_t(1));
  QCOMPARE(ps5000aOpenUnitProgress(&a.h, &progress, &complete), PICO_OK);
  QVERIFY(a.h > 0);
  QCOMPARE(complete, int16_t(1));
  int16_t flashing = 0;
  QCOMPARE(ps5000aFlashLed(a.h, -1), PICO_OK);
  QCOMPARE(ps5000aIsLedFlashing(a.h, &flashing), PICO_OK);
  QCOMPARE(flashing, int16_t(1));
}

void TestPicoSimCore::resolutionsChannelsAndRanges() {
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DEVICE_RESOLUTION(9)), PICO_INVALID_DEVICE_RESOLUTION);
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  int16_t mx = 0, mn = 0;
  QCOMPARE(ps5000aMaximumValue(s.h, &mx), PICO_OK);
  QCOMPARE(ps5000aMinimumValue(s.h, &mn), PICO_OK);
  QCOMPARE(mx, int16_t(32512));
  QCOMPARE(mn, int16_t(-32512));
  // All four channels on: 15 and 16 bit are refused until channels are disabled.
  QCOMPARE(ps5000aSetDeviceResolution(s.h, PS5000A_DR_16BIT), PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION);
  for (auto ch : {PS5000A_CHANNEL_C, PS5000A_CHANNEL_D})
    QCOMPARE(ps5000aSetChannel(s.h, ch, 0, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  QCOMPARE(ps5000aSetDeviceResolution(s.h, PS5000A_DR_15BIT), PICO_OK);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_C, 1, PS5000A_DC, PS5000A_1V, 0),
           PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_B, 0, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  QCOMPARE(ps5000aSetDeviceResolution(s.h, PS5000A_DR_16BIT), PICO_OK);
  PS5000A_DEVICE_RESOLUTION r{};
  QCOMPARE(ps5000aGetDeviceResolution(s.h, &r), PICO_OK);
  QCOMPARE(r, PS5000A_DR_16BIT);
  QCOMPARE(ps5000aMaximumValue(s.h, &mx), PICO_OK);
  QCOMPARE(mx, int16_t(32767));
  // Ranges and analogue offsets.
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_50V, 0), PICO_INVALID_VOLTAGE_RANGE);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_10MV, 0), PICO_OK);
  float hi = 0, lo = 0;
  QCOMPARE(ps5000aGetAnalogueOffset(s.h, PS5000A_100MV, PS5000A_DC, &hi, &lo), PICO_OK);
  QCOMPARE(hi, 0.25f);
  QCOMPARE(lo, -0.25f);
  QCOMPARE(ps5000aGetAnalogueOffset(s.h, PS5000A_1V, PS5000A_AC, &hi, &lo), PICO_OK);
  QCOMPARE(hi, 2.5f);
  QCOMPARE(ps5000aGetAnalogueOffset(s.h, PS5000A_20V, PS5000A_DC, &hi, &lo), PICO_OK);
  QCOMPARE(hi, 20.0f);
  QCOMPARE(ps5000aGetAnalogueOffset(s.h, PS5000A_50V, PS5000A_DC, &hi, &lo), PICO_INVALID_VOLTAGE_RANGE);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_100MV, 0.3f), PICO_INVALID_ANALOGUE_OFFSET);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_1V, 2.0f), PICO_OK);
}

namespace {

// Captures n samples of channel A (only A enabled) at timebase 127 (1 µs at 8 bit) free running.
std::vector<int16_t> captureA(int16_t h, uint32_t n, int16_t *overflow = nullptr, uint32_t timebase = 127) {
  std::vector<int16_t> data(n);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, data.data(), int32_t(n), 0, PS5000A_RATIO_MODE_NONE);
  if (ps5000aRunBlock(h, 0, int32_t(n), timebase, nullptr, 0, nullptr, nullptr) != PICO_OK) return {};
  int16_t ready = 0;
  for (int i = 0; i < 5000 && !ready; ++i) {
    ps5000aIsReady(h, &ready);
    std::this_thread::sleep_for(1ms);
  }
  uint32_t got = n;
  if (ps5000aGetValues(h, 0, &got, 1, PS5000A_RATIO_MODE_NONE, 0, overflow) != PICO_OK || got != n) return {};
  return data;
}

void onlyA(int16_t h, PS5000A_RANGE range, float offset = 0, PS5000A_COUPLING coupling = PS5000A_DC) {
  ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, coupling, range, offset);
  for (auto ch : {PS5000A_CHANNEL_B, PS5000A_CHANNEL_C, PS5000A_CHANNEL_D}) ps5000aSetChannel(h, ch, 0, PS5000A_DC, range, 0);
}

}  // namespace

void TestPicoSimCore::apiQuantisationOffsetAcAndClipping() {
  configure("signal.A=dc,level=0.3");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyA(s.h, PS5000A_1V);
  int16_t overflow = -1;
  auto d = captureA(s.h, 100, &overflow);
  QCOMPARE(d.size(), size_t(100));
  QCOMPARE(int(d[0]), 38 * 256);
  QCOMPARE(overflow, int16_t(0));
  QCOMPARE(ps5000aSetDeviceResolution(s.h, PS5000A_DR_12BIT), PICO_OK);
  d = captureA(s.h, 100);
  QCOMPARE(int(d[0]), 614 * 16);  // round(0.3 * 32767 / 16) * 16
  // Analogue offset is added before digitising: 0.3 V - 0.3 V = 0.
  onlyA(s.h, PS5000A_1V, -0.3f);
  QCOMPARE(int(captureA(s.h, 10)[5]), 0);
  // AC coupling removes the DC level.
  onlyA(s.h, PS5000A_1V, 0, PS5000A_AC);
  QCOMPARE(int(captureA(s.h, 10)[5]), 0);
  // Over range: clipped at the maximum, overflow bit of channel A.
  configure("signal.A=dc,level=1.5");
  onlyA(s.h, PS5000A_1V);
  d = captureA(s.h, 10, &overflow);
  QCOMPARE(int(d[3]), 32767);
  QCOMPARE(overflow, int16_t(1));
}

void TestPicoSimCore::apiTimebases() {
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  float ns = 0;
  int32_t ins = 0, maxSamples = 0;
  QCOMPARE(ps5000aGetTimebase2(s.h, 0, 100, &ns, &maxSamples, 0), PICO_INVALID_TIMEBASE);  // 4 channels
  QCOMPARE(ps5000aGetTimebase2(s.h, 2, 100, &ns, &maxSamples, 0), PICO_OK);
  QCOMPARE(ns, 4.0f);
  QCOMPARE(maxSamples, int32_t(536870912 / 4));
  QCOMPARE(ps5000aGetTimebase(s.h, 3, 100, &ins, nullptr, 0), PICO_OK);
  QCOMPARE(ins, int32_t(8));
  QCOMPARE(ps5000aGetTimebase2(s.h, 4, 100, &ns, nullptr, 0), PICO_OK);
  QCOMPARE(ns, 16.0f);
  QCOMPARE(ps5000aGetTimebase2(s.h, 4, 536870912, &ns, nullptr, 0), PICO_TOO_MANY_SAMPLES);
  QCOMPARE(ps5000aGetTimebase2(s.h, 4, 100, &ns, nullptr, 1), PICO_SEGMENT_OUT_OF_RANGE);
  onlyA(s.h, PS5000A_1V);
  QCOMPARE(ps5000aGetTimebase2(s.h, 0, 100, &ns, nullptr, 0), PICO_OK);
  QCOMPARE(ns, 1.0f);
  QCOMPARE(ps5000aSetDeviceResolution(s.h, PS5000A_DR_12BIT), PICO_OK);
  QCOMPARE(ps5000aGetTimebase2(s.h, 0, 100, &ns, nullptr, 0), PICO_INVALID_TIMEBASE);
  QCOMPARE(ps5000aGetTimebase2(s.h, 1, 100, &ns, nullptr, 0), PICO_OK);
  QCOMPARE(ns, 2.0f);
  QCOMPARE(ps5000aGetTimebase2(s.h, 4, 100, &ns, nullptr, 0), PICO_OK);
  QCOMPARE(ns, 16.0f);
  ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 0, PS5000A_DC, PS5000A_1V, 0);
  QCOMPARE(ps5000aGetTimebase2(s.h, 4, 100, &ns, nullptr, 0), PICO_INVALID_CHANNEL);
  uint32_t tb = 0;
  double interval = 0;
  QCOMPARE(ps5000aGetMinimumTimebaseStateless(s.h, PS5000A_CHANNEL_FLAGS(3), &tb, &interval, PS5000A_DR_8BIT), PICO_OK);
  QCOMPARE(tb, 1u);
  QCOMPARE(interval, 2e-9);
  QCOMPARE(ps5000aGetMinimumTimebaseStateless(s.h, PS5000A_CHANNEL_FLAGS(3), &tb, &interval, PS5000A_DR_16BIT),
           PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION);
  QCOMPARE(ps5000aNearestSampleIntervalStateless(s.h, PS5000A_CHANNEL_A_FLAGS, 1e-6, PS5000A_DR_8BIT, 0, &tb, &interval),
           PICO_OK);
  QCOMPARE(tb, 127u);
  QCOMPARE(interval, 1e-6);
  uint32_t combos[16], n = 16;
  QCOMPARE(ps5000aChannelCombinationsStateless(s.h, reinterpret_cast<PS5000A_CHANNEL_FLAGS *>(combos), &n,
                                               PS5000A_DR_8BIT, 1, 1), PICO_OK);
  QCOMPARE(n, 10u);  // 4 single channels + 6 pairs at 500 MS/s
  int32_t perSegment = 0;
  uint32_t maxSeg = 0;
  QCOMPARE(ps5000aGetMaxSegments(s.h, &maxSeg), PICO_OK);
  QCOMPARE(maxSeg, 310000u);
  QCOMPARE(ps5000aMemorySegments(s.h, 64, &perSegment), PICO_OK);
  QCOMPARE(perSegment, int32_t(536870912 / 64));
  QCOMPARE(ps5000aMemorySegments(s.h, 400000, &perSegment), PICO_TOO_MANY_SEGMENTS);
}

void TestPicoSimCore::blockCaptureWithTrigger() {
  configure("signal.A=sine,freq=1000,amp=1");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyA(s.h, PS5000A_1V);
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 1, PS5000A_CHANNEL_A, 0, PS5000A_RISING, 0, 0), PICO_OK);
  int16_t trig = 0, pwq = 1;
  QCOMPARE(ps5000aIsTriggerOrPulseWidthQualifierEnabled(s.h, &trig, &pwq), PICO_OK);
  QCOMPARE(trig, int16_t(1));
  QCOMPARE(pwq, int16_t(0));
  std::vector<int16_t> data(2000);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, data.data(), 2000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  BlockWaiter w;
  int32_t indisposed = -1;
  const auto t0 = std::chrono::steady_clock::now();
  QCOMPARE(ps5000aRunBlock(s.h, 500, 1500, 127, &indisposed, 0, onBlockReady, &w), PICO_OK);
  QCOMPARE(indisposed, int32_t(2));
  QVERIFY(waitFlag(w.done, 20000ms));
  QVERIFY(std::chrono::steady_clock::now() - t0 >= 2ms);  // real capture time
  QCOMPARE(w.status.load(), PICO_OK);
  QVERIFY(w.thread != std::this_thread::get_id());
  QCOMPARE(w.callFromCallback.load(), PICO_USER_CALLBACK);
  int16_t ready = 0;
  QCOMPARE(ps5000aIsReady(s.h, &ready), PICO_OK);
  QCOMPARE(ready, int16_t(1));
  uint32_t n = 2000;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QCOMPARE(n, 2000u);
  QVERIFY(data[500] >= 0);
  QVERIFY(data[499] < 0);
  QVERIFY(data[750] > 32000);  // a quarter period (250 µs) after the rising zero crossing
  QVERIFY(data[1250] < -32000);
  int64_t offset = 1;
  PS5000A_TIME_UNITS units{};
  QCOMPARE(ps5000aGetTriggerTimeOffset64(s.h, &offset, &units, 0), PICO_OK);
  QCOMPARE(units, PS5000A_PS);
  QVERIFY(offset <= 0 && offset > -1000000);
  uint32_t upper = 7, lower = 7;  // the same time split into 32-bit halves
  QCOMPARE(ps5000aGetTriggerTimeOffset(s.h, &upper, &lower, &units, 0), PICO_OK);
  QCOMPARE(int64_t((uint64_t(upper) << 32) | lower), offset);
  QCOMPARE(ps5000aGetTriggerTimeOffset(s.h, &upper, nullptr, &units, 0), PICO_NULL_PARAMETER);
  // Reading part of the capture from an offset; the same data again (deterministic memory).
  std::vector<int16_t> part(100);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, part.data(), 100, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  n = 100;
  QCOMPARE(ps5000aGetValues(s.h, 450, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QVERIFY(std::equal(part.begin(), part.end(), data.begin() + 450));
  n = 100;
  QCOMPARE(ps5000aGetValues(s.h, 1990, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QCOMPARE(n, 10u);  // only what the capture holds
  QCOMPARE(ps5000aGetValues(s.h, 2000, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_STARTINDEX_INVALID);
  // Trigger delay moves the window: with 250 samples of delay the capture starts a quarter later.
  QCOMPARE(ps5000aSetTriggerDelay(s.h, 250), PICO_OK);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, data.data(), 2000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  BlockWaiter w2;
  QCOMPARE(ps5000aRunBlock(s.h, 500, 1500, 127, nullptr, 0, onBlockReady, &w2), PICO_OK);
  QVERIFY(waitFlag(w2.done, 20000ms));
  n = 2000;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QVERIFY(data[500] > 32000);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  // The V2 trigger API: window EXIT on A (|v| > 0.5 V), AND within one call.
  QCOMPARE(ps5000aSetTriggerDelay(s.h, 0), PICO_OK);
  PS5000A_TRIGGER_CHANNEL_PROPERTIES_V2 props{16256, 256, -16256, 256, PS5000A_CHANNEL_A};
  PS5000A_CONDITION cond{PS5000A_CHANNEL_A, PS5000A_CONDITION_TRUE};
  PS5000A_DIRECTION dir{PS5000A_CHANNEL_A, PS5000A_EXIT, PS5000A_WINDOW};
  QCOMPARE(ps5000aSetTriggerChannelPropertiesV2(s.h, &props, 1, 0), PICO_OK);
  QCOMPARE(ps5000aSetTriggerChannelConditionsV2(s.h, &cond, 1, PS5000A_CONDITIONS_INFO(PS5000A_CLEAR | PS5000A_ADD)),
           PICO_OK);
  QCOMPARE(ps5000aSetTriggerChannelDirectionsV2(s.h, &dir, 1), PICO_OK);
  QCOMPARE(ps5000aSetAutoTriggerMicroSeconds(s.h, 0), PICO_OK);
  BlockWaiter w3;
  QCOMPARE(ps5000aRunBlock(s.h, 100, 100, 127, nullptr, 0, onBlockReady, &w3), PICO_OK);
  QVERIFY(waitFlag(w3.done, 20000ms));
  n = 200;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QVERIFY(std::abs(data[100]) > 16512 && std::abs(data[99]) <= 16512);  // beyond the window + hysteresis
  // Old struct API: conditions (7 fields), directions (6), properties with LEVEL mode.
  PS5000A_TRIGGER_CONDITIONS old{PS5000A_CONDITION_TRUE, PS5000A_CONDITION_DONT_CARE, PS5000A_CONDITION_DONT_CARE,
                                 PS5000A_CONDITION_DONT_CARE, PS5000A_CONDITION_DONT_CARE,
                                 PS5000A_CONDITION_DONT_CARE, PS5000A_CONDITION_DONT_CARE};
  PS5000A_TRIGGER_CHANNEL_PROPERTIES oldProps{0, 256, 0, 256, PS5000A_CHANNEL_A, PS5000A_LEVEL};
  QCOMPARE(ps5000aSetTriggerChannelConditions(s.h, &old, 1), PICO_OK);
  QCOMPARE(ps5000aSetTriggerChannelDirections(s.h, PS5000A_FALLING, PS5000A_NONE, PS5000A_NONE, PS5000A_NONE,
                                              PS5000A_NONE, PS5000A_NONE), PICO_OK);
  QCOMPARE(ps5000aSetTriggerChannelProperties(s.h, &oldProps, 1, 1, 0), PICO_OK);
  BlockWaiter w4;
  QCOMPARE(ps5000aRunBlock(s.h, 100, 100, 127, nullptr, 0, onBlockReady, &w4), PICO_OK);
  QVERIFY(waitFlag(w4.done, 20000ms));
  n = 200;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QVERIFY(data[100] <= 0 && data[99] > 0);
}

void TestPicoSimCore::blockCancelAutoTriggerAndReadiness() {
  configure("signal.A=sine,freq=1000,amp=0.5");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyA(s.h, PS5000A_1V);
  std::vector<int16_t> data(1000);
  uint32_t n = 1000;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_NO_SAMPLES_AVAILABLE);
  // The threshold (0.9 V) is never reached and there is no auto trigger: waits until Stop.
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 1, PS5000A_CHANNEL_A, 29000, PS5000A_RISING, 0, 0), PICO_OK);
  BlockWaiter w;
  QCOMPARE(ps5000aRunBlock(s.h, 0, 1000, 127, nullptr, 0, onBlockReady, &w), PICO_OK);
  std::this_thread::sleep_for(30ms);
  int16_t ready = 1;
  QCOMPARE(ps5000aIsReady(s.h, &ready), PICO_OK);
  QCOMPARE(ready, int16_t(0));
  QVERIFY(!w.done);
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_BUSY);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  QVERIFY(waitFlag(w.done, 20000ms));
  QCOMPARE(w.status.load(), PICO_CANCELLED);
  QCOMPARE(ps5000aIsReady(s.h, &ready), PICO_CANCELLED);
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_NO_SAMPLES_AVAILABLE);
  // Auto trigger after 20 ms of device time.
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 1, PS5000A_CHANNEL_A, 29000, PS5000A_RISING, 0, 20), PICO_OK);
  BlockWaiter w2;
  const auto t0 = std::chrono::steady_clock::now();
  QCOMPARE(ps5000aRunBlock(s.h, 0, 1000, 127, nullptr, 0, onBlockReady, &w2), PICO_OK);
  QVERIFY(waitFlag(w2.done, 20000ms));
  QVERIFY(std::chrono::steady_clock::now() - t0 >= 20ms);
  QCOMPARE(w2.status.load(), PICO_OK);
  // No buffer registered for the mode asked for.
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_BUFFERS_NOT_SET);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, data.data(), 1000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 4, PS5000A_RATIO_MODE_AVERAGE, 0, nullptr), PICO_BUFFERS_NOT_SET);
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 0, PS5000A_RATIO_MODE_AVERAGE, 0, nullptr), PICO_INVALID_SAMPLERATIO);
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  // Polling without callback; RunBlock argument errors.
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 0, PS5000A_CHANNEL_A, 0, PS5000A_RISING, 0, 0), PICO_OK);
  QCOMPARE(captureA(s.h, 500).size(), size_t(500));
  QCOMPARE(ps5000aRunBlock(s.h, 0, 0, 127, nullptr, 0, nullptr, nullptr), PICO_INVALID_PARAMETER);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 3, nullptr, nullptr), PICO_SEGMENT_OUT_OF_RANGE);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 600000000, 127, nullptr, 0, nullptr, nullptr), PICO_TOO_MANY_SAMPLES);
}

void TestPicoSimCore::downsamplingModes() {
  configure("signal.A=sine,freq=3000,amp=0.8,noise=0.05");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_12BIT), PICO_OK);
  onlyA(s.h, PS5000A_1V);
  const auto raw = captureA(s.h, 10000);
  QCOMPARE(raw.size(), size_t(10000));
  std::vector<int16_t> aggMax(1000), aggMin(1000), dec(1000), avg(1000);
  QCOMPARE(ps5000aSetDataBuffers(s.h, PS5000A_CHANNEL_A, aggMax.data(), aggMin.data(), 1000, 0,
                                 PS5000A_RATIO_MODE_AGGREGATE), PICO_OK);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, dec.data(), 1000, 0, PS5000A_RATIO_MODE_DECIMATE), PICO_OK);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, avg.data(), 1000, 0, PS5000A_RATIO_MODE_AVERAGE), PICO_OK);
  uint32_t n = 10000;
  int16_t overflow = -1;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 10,
                            PS5000A_RATIO_MODE(PS5000A_RATIO_MODE_AGGREGATE | PS5000A_RATIO_MODE_DECIMATE |
                                               PS5000A_RATIO_MODE_AVERAGE),
                            0, &overflow), PICO_OK);
  QCOMPARE(n, 1000u);  // in: raw samples, out: values per buffer
  QCOMPARE(overflow, int16_t(0));
  for (size_t i = 0; i < 1000; ++i) {
    const auto b = raw.begin() + long(i * 10), e = b + 10;
    QCOMPARE(aggMax[i], *std::max_element(b, e));
    QCOMPARE(aggMin[i], *std::min_element(b, e));
    QCOMPARE(dec[i], *b);
    double sum = 0;
    for (auto it = b; it != e; ++it) sum += *it;
    QCOMPARE(int(avg[i]), int(std::lround(sum / 10)));
  }
  uint32_t maxRatio = 0;
  QCOMPARE(ps5000aGetMaxDownSampleRatio(s.h, 10000, &maxRatio, PS5000A_RATIO_MODE_AGGREGATE, 0), PICO_OK);
  QCOMPARE(maxRatio, 10000u);
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 10, PS5000A_RATIO_MODE_DISTRIBUTION, 0, nullptr), PICO_RATIO_MODE_NOT_SUPPORTED);
}

void TestPicoSimCore::rapidBlock() {
  configure("signal.B=square,freq=250,amp=0.5");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  int32_t perSegment = 0;
  QCOMPARE(ps5000aMemorySegments(s.h, 10, &perSegment), PICO_OK);
  QCOMPARE(ps5000aSetNoOfCaptures(s.h, 12), PICO_OK);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_NOT_ENOUGH_SEGMENTS);
  QCOMPARE(ps5000aSetNoOfCaptures(s.h, 5), PICO_OK);
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 1, PS5000A_CHANNEL_B, 0, PS5000A_RISING, 0, 0), PICO_OK);
  BlockWaiter w;
  QCOMPARE(ps5000aRunBlock(s.h, 10, 90, 127, nullptr, 0, onBlockReady, &w), PICO_OK);
  QVERIFY(waitFlag(w.done, 20000ms));
  QCOMPARE(w.status.load(), PICO_OK);
  uint32_t captures = 0;
  QCOMPARE(ps5000aGetNoOfCaptures(s.h, &captures), PICO_OK);
  QCOMPARE(captures, 5u);
  std::vector<std::vector<int16_t>> b(5, std::vector<int16_t>(100));
  for (uint32_t i = 0; i < 5; ++i)
    QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_B, b[i].data(), 100, i, PS5000A_RATIO_MODE_NONE), PICO_OK);
  std::vector<int16_t> overflow(5, -1);
  uint32_t n = 100;
  QCOMPARE(ps5000aGetValuesBulk(s.h, &n, 0, 4, 1, PS5000A_RATIO_MODE_NONE, overflow.data()), PICO_OK);
  QCOMPARE(n, 100u);
  for (uint32_t i = 0; i < 5; ++i) {
    QCOMPARE(overflow[i], int16_t(0));
    QVERIFY(b[i][9] < 0 && b[i][10] > 0);  // rising edge at the trigger point of every segment
  }
  PS5000A_TRIGGER_INFO info[5];
  QCOMPARE(ps5000aGetTriggerInfoBulk(s.h, info, 0, 4), PICO_OK);
  QVERIFY(info[0].status & PICO_DEVICE_TIME_STAMP_RESET);
  for (int i = 1; i < 5; ++i) {
    QCOMPARE(info[i].status, PICO_OK);
    QCOMPARE(info[i].segmentIndex, uint32_t(i));
    QCOMPARE(info[i].timeStampCounter - info[i - 1].timeStampCounter, uint64_t(4000));  // 4 ms at 1 µs
  }
  int64_t times[5];
  PS5000A_TIME_UNITS units[5];
  QCOMPARE(ps5000aGetValuesTriggerTimeOffsetBulk64(s.h, times, units, 0, 4), PICO_OK);
  for (auto u : units) QCOMPARE(u, PS5000A_PS);
  uint32_t uppers[5], lowers[5];
  PS5000A_TIME_UNITS units32[5];
  QCOMPARE(ps5000aGetValuesTriggerTimeOffsetBulk(s.h, uppers, lowers, units32, 0, 4), PICO_OK);
  for (int i = 0; i < 5; ++i) {
    QCOMPARE(int64_t((uint64_t(uppers[i]) << 32) | lowers[i]), times[i]);
    QCOMPARE(units32[i], PS5000A_PS);
  }
  QCOMPARE(ps5000aGetValuesTriggerTimeOffsetBulk(s.h, uppers, lowers, units32, 4, 0), PICO_INVALID_PARAMETER);
  QCOMPARE(ps5000aGetValuesTriggerTimeOffsetBulk64(s.h, times, units, 4, 0), PICO_INVALID_PARAMETER);
  // Stop part-way: the completed captures stay readable.
  QCOMPARE(ps5000aSetNoOfCaptures(s.h, 10), PICO_OK);
  BlockWaiter w2;
  QCOMPARE(ps5000aRunBlock(s.h, 10, 90, 127, nullptr, 0, onBlockReady, &w2), PICO_OK);
  std::this_thread::sleep_for(15ms);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  QVERIFY(waitFlag(w2.done, 20000ms));
  QCOMPARE(ps5000aGetNoOfCaptures(s.h, &captures), PICO_OK);
  QVERIFY(captures >= 1 && captures < 10);
  n = 100;
  QCOMPARE(ps5000aGetValuesBulk(s.h, &n, 0, captures - 1, 1, PS5000A_RATIO_MODE_NONE, overflow.data()), PICO_OK);
}

namespace {

// Polls GetStreamingLatestValues until auto-stop (or timeout), sleeping 2 ms between calls.
bool pollStreaming(int16_t h, StreamSink &sink, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (ps5000aGetStreamingLatestValues(h, onStreaming, &sink) != PICO_OK) return false;
    if (!sink.chunks.empty() && sink.chunks.back().autoStop) return true;
    std::this_thread::sleep_for(2ms);
  }
  return false;
}

}  // namespace

void TestPicoSimCore::streamingRingAutoStop() {
  configure("signal.A=triangle,freq=100,amp=1");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyA(s.h, PS5000A_2V);
  uint32_t interval = 10;
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_US, 0, 20000, 1, 1, PS5000A_RATIO_MODE_NONE, 1000),
           PICO_INVALID_BUFFER);
  std::vector<int16_t> ring(1000);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, ring.data(), 1000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  QCOMPARE(ps5000aGetStreamingLatestValues(s.h, onStreaming, nullptr), PICO_INVALID_CALL);
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_US, 0, 20000, 1, 1, PS5000A_RATIO_MODE_NONE, 1000), PICO_OK);
  QCOMPARE(interval, 10u);
  StreamSink sink;
  sink.ring = &ring;
  QVERIFY(pollStreaming(s.h, sink, 20000ms));
  QCOMPARE(sink.callFromCallback, PICO_USER_CALLBACK);
  uint64_t total = 0;
  uint32_t expectStart = 0;
  bool wrapped = false;
  for (const StreamChunk &c : sink.chunks) {
    QVERIFY(c.n > 0 || c.autoStop);
    if (expectStart == 1000) expectStart = 0, wrapped = true;
    QCOMPARE(c.start, expectStart);            // contiguous in the ring, restarting at 0
    QVERIFY(c.start + uint32_t(c.n) <= 1000);  // never straddles the end
    expectStart += uint32_t(c.n);
    total += uint64_t(c.n);
    QCOMPARE(c.overflow, int16_t(0));
  }
  QVERIFY(wrapped);
  QCOMPARE(total, uint64_t(20000));
  QCOMPARE(sink.chunks.back().autoStop, int16_t(1));
  // After auto-stop: a callback with no data and autoStop set.
  const size_t chunks = sink.chunks.size();
  QCOMPARE(ps5000aGetStreamingLatestValues(s.h, onStreaming, &sink), PICO_OK);
  QCOMPARE(sink.chunks.size(), chunks + 1);
  QCOMPARE(sink.chunks.back().n, 0);
  QCOMPARE(sink.chunks.back().autoStop, int16_t(1));
  // The samples are a continuous triangle (no gaps or repeats between chunks).
  for (size_t i = 1; i < sink.data.size(); ++i) QVERIFY(std::abs(sink.data[i] - sink.data[i - 1]) <= 512);
  // Stop: the stored samples are the streamed ones, readable with GetValues.
  QCOMPARE(ps5000aGetValues(s.h, 0, nullptr, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_NULL_PARAMETER);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  uint32_t stored = 0;
  QCOMPARE(ps5000aNoOfStreamingValues(s.h, &stored), PICO_OK);
  QCOMPARE(stored, 20000u);
  std::vector<int16_t> all(20000);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, all.data(), 20000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  uint32_t n = 20000;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_OK);
  QCOMPARE(n, 20000u);
  QVERIFY(all == sink.data);
  // U5: an interval not shorter than the fastest block-mode one is used as asked; faster than the
  // streaming limit (125 MS/s) -> refused.
  interval = 10;
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, ring.data(), 1000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_NS, 0, 1000, 0, 1, PS5000A_RATIO_MODE_NONE, 1000), PICO_OK);
  QCOMPARE(interval, 10u);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  interval = 2;
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_NS, 0, 1000, 0, 1, PS5000A_RATIO_MODE_NONE, 1000),
           PICO_INVALID_SAMPLE_INTERVAL);
  // Downsampled streaming (AGGREGATE, ratio 10) into max/min ring buffers.
  std::vector<int16_t> rmax(100), rmin(100);
  QCOMPARE(ps5000aSetDataBuffers(s.h, PS5000A_CHANNEL_A, rmax.data(), rmin.data(), 100, 0,
                                 PS5000A_RATIO_MODE_AGGREGATE), PICO_OK);
  interval = 1;
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_US, 0, 5000, 1, 10, PS5000A_RATIO_MODE_AGGREGATE, 100), PICO_OK);
  StreamSink agg;
  QVERIFY(pollStreaming(s.h, agg, 20000ms));
  uint64_t values = 0;
  for (const StreamChunk &c : agg.chunks) values += uint64_t(c.n);
  QCOMPARE(values, uint64_t(500));
  for (int i = 0; i < 100; ++i) QVERIFY(rmax[size_t(i)] >= rmin[size_t(i)]);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
}

void TestPicoSimCore::streamingTriggerAndOverrun() {
  configure("signal.B=square,freq=250,amp=0.5");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  auto onlyB = [&] {
    for (auto ch : {PS5000A_CHANNEL_A, PS5000A_CHANNEL_C, PS5000A_CHANNEL_D})
      ps5000aSetChannel(s.h, ch, 0, PS5000A_DC, PS5000A_1V, 0);
    ps5000aSetChannel(s.h, PS5000A_CHANNEL_B, 1, PS5000A_DC, PS5000A_1V, 0);
  };
  for (auto ch : {PS5000A_CHANNEL_A, PS5000A_CHANNEL_C, PS5000A_CHANNEL_D})
    ps5000aSetChannel(s.h, ch, 0, PS5000A_DC, PS5000A_1V, 0);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_B, 1, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  std::vector<int16_t> ring(2000);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_B, ring.data(), 2000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 1, PS5000A_CHANNEL_B, 0, PS5000A_RISING, 0, 0), PICO_OK);
  uint32_t interval = 1;
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_US, 100, 1000, 1, 1, PS5000A_RATIO_MODE_NONE, 2000), PICO_OK);
  StreamSink sink;
  sink.ring = &ring;
  QVERIFY(pollStreaming(s.h, sink, 20000ms));
  uint64_t before = 0, total = 0;
  bool seen = false;
  for (const StreamChunk &c : sink.chunks) {
    if (c.triggered && !seen) {
      seen = true;
      before = total + c.triggerAt;
    }
    total += uint64_t(c.n);
  }
  QVERIFY(seen);
  QCOMPARE(total - before, uint64_t(1000));  // maxPost samples from the trigger on
  QVERIFY(sink.data[before] > 0 && sink.data[before - 1] < 0);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  uint32_t stored = 0;
  QCOMPARE(ps5000aNoOfStreamingValues(s.h, &stored), PICO_OK);
  QCOMPARE(uint64_t(stored), std::min<uint64_t>(before, 100) + 1000);  // up to maxPre before the trigger + maxPost
  // Host too slow: more than `memory` samples pile up -> lost, flagged with overflow 0xFFFF.
  QCOMPARE(ps5000aCloseUnit(s.h), PICO_OK);
  configure("memory=4096");
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyB();
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_B, ring.data(), 2000, 0, PS5000A_RATIO_MODE_NONE), PICO_OK);
  QCOMPARE(ps5000aSetSimpleTrigger(s.h, 0, PS5000A_CHANNEL_B, 0, PS5000A_RISING, 0, 0), PICO_OK);
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_US, 0, 100000, 0, 1, PS5000A_RATIO_MODE_NONE, 2000), PICO_OK);
  std::this_thread::sleep_for(20ms);  // 20000 samples > 4096
  StreamSink lost;
  QCOMPARE(ps5000aGetStreamingLatestValues(s.h, onStreaming, &lost), PICO_OK);
  QCOMPARE(lost.chunks.size(), size_t(1));
  QCOMPARE(lost.chunks[0].overflow, int16_t(-1));
  QVERIFY(lost.chunks[0].n <= 2000);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  configure("overrun_flag=0");
  QCOMPARE(ps5000aRunStreaming(s.h, &interval, PS5000A_US, 0, 100000, 0, 1, PS5000A_RATIO_MODE_NONE, 2000), PICO_OK);
  std::this_thread::sleep_for(20ms);
  StreamSink quiet;
  QCOMPARE(ps5000aGetStreamingLatestValues(s.h, onStreaming, &quiet), PICO_OK);
  QCOMPARE(quiet.chunks.at(0).overflow, int16_t(0));
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
}

void TestPicoSimCore::concurrencyGuard() {
  configure("signal.A=sine,freq=1e5,amp=0.5,noise=0.01");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyA(s.h, PS5000A_1V);
  const uint64_t before = picosimConcurrencyViolations();
  // A 20 MS capture at 1 GS/s (20 ms), then a slow GetValues (AVERAGE over all of it) on a thread
  // while this thread keeps calling: the second call must be refused with PICO_DRIVER_FUNCTION.
  std::vector<int16_t> avg(20000);
  QCOMPARE(ps5000aSetDataBuffer(s.h, PS5000A_CHANNEL_A, avg.data(), 20000, 0, PS5000A_RATIO_MODE_AVERAGE), PICO_OK);
  BlockWaiter w;
  QCOMPARE(ps5000aRunBlock(s.h, 0, 20000000, 0, nullptr, 0, onBlockReady, &w), PICO_OK);
  QVERIFY(waitFlag(w.done, 20000ms));
  QCOMPARE(w.callFromCallback.load(), PICO_USER_CALLBACK);
  std::atomic<int> started{0}, finished{0};
  PICO_STATUS readStatus = 0xFFFFFFFF;
  std::thread reader([&] {
    uint32_t n = 20000000;
    started = 1;
    readStatus = ps5000aGetValues(s.h, 0, &n, 1000, PS5000A_RATIO_MODE_AVERAGE, 0, nullptr);
    finished = 1;
  });
  QVERIFY(waitFlag(started, 20000ms));
  std::this_thread::sleep_for(5ms);  // let the reader get into its (~100 ms) call
  bool refused = false;
  while (!finished && !refused) {
    refused = ps5000aPingUnit(s.h) == PICO_DRIVER_FUNCTION;
    std::this_thread::sleep_for(100us);
  }
  reader.join();
  QVERIFY(refused);
  QCOMPARE(readStatus, PICO_OK);
  QVERIFY(picosimConcurrencyViolations() >= before + 2);  // the callback call and the concurrent call
  QCOMPARE(ps5000aPingUnit(s.h), PICO_OK);
}

void TestPicoSimCore::powerStates() {
  configure("power=usb");
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_POWER_SUPPLY_NOT_CONNECTED);
  QVERIFY(s.h > 0);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_POWER_SUPPLY_NOT_CONNECTED);
  QCOMPARE(ps5000aChangePowerSource(s.h, PICO_POWER_SUPPLY_CONNECTED), PICO_POWER_SUPPLY_REQUEST_INVALID);
  QCOMPARE(ps5000aChangePowerSource(s.h, PICO_POWER_SUPPLY_NOT_CONNECTED), PICO_OK);
  QCOMPARE(ps5000aCurrentPowerSource(s.h), PICO_POWER_SUPPLY_NOT_CONNECTED);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_C, 1, PS5000A_DC, PS5000A_1V, 0), PICO_CHANNEL_DISABLED_DUE_TO_USB_POWERED);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_D, 0, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_OK);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  // The supply gets plugged in during operation (injected into RunBlock).
  configure("inject=RunBlock:0x119");
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_POWER_SUPPLY_CONNECTED);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_POWER_SUPPLY_CONNECTED);
  uint32_t n = 10;
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_POWER_SUPPLY_CONNECTED);
  QCOMPARE(ps5000aChangePowerSource(s.h, PICO_POWER_SUPPLY_CONNECTED), PICO_OK);
  QCOMPARE(ps5000aCurrentPowerSource(s.h), PICO_POWER_SUPPLY_CONNECTED);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_C, 1, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_OK);
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
  // ... and unplugged again (injected into GetValues).
  configure("inject=GetValues:0x11A");
  QCOMPARE(ps5000aGetValues(s.h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, nullptr), PICO_POWER_SUPPLY_NOT_CONNECTED);
  QCOMPARE(ps5000aRunStreaming(s.h, &n, PS5000A_US, 0, 10, 0, 1, PS5000A_RATIO_MODE_NONE, 10), PICO_POWER_SUPPLY_NOT_CONNECTED);
  QCOMPARE(ps5000aChangePowerSource(s.h, PICO_POWER_SUPPLY_NOT_CONNECTED), PICO_OK);
  QCOMPARE(ps5000aCloseUnit(s.h), PICO_OK);
  // USB 3 device on a USB 2 port: all channels usable once acknowledged.
  configure("power=usb2");
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_USB3_0_DEVICE_NON_USB3_0_PORT);
  QVERIFY(s.h > 0);
  QCOMPARE(ps5000aRunBlock(s.h, 0, 100, 127, nullptr, 0, nullptr, nullptr), PICO_USB3_0_DEVICE_NON_USB3_0_PORT);
  QCOMPARE(ps5000aChangePowerSource(s.h, PICO_USB3_0_DEVICE_NON_USB3_0_PORT), PICO_OK);
  QCOMPARE(ps5000aSetChannel(s.h, PS5000A_CHANNEL_D, 1, PS5000A_DC, PS5000A_1V, 0), PICO_OK);
  QCOMPARE(ps5000aCurrentPowerSource(s.h), PICO_POWER_SUPPLY_CONNECTED);
}

void TestPicoSimCore::injectStatuses() {
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  configure("inject=PingUnit:0x7:2;inject=ps5000aMaximumValue:13");
  QCOMPARE(ps5000aPingUnit(s.h), PICO_NOT_RESPONDING);
  QCOMPARE(ps5000aPingUnit(s.h), PICO_NOT_RESPONDING);
  QCOMPARE(ps5000aPingUnit(s.h), PICO_OK);
  int16_t v = 0;
  QCOMPARE(ps5000aMaximumValue(s.h, &v), PICO_INVALID_PARAMETER);
  QCOMPARE(v, int16_t(0));  // nothing done
  QCOMPARE(ps5000aMaximumValue(s.h, &v), PICO_OK);
  configure("inject=OpenUnit:0x3");
  int16_t other = 5;
  QCOMPARE(ps5000aOpenUnit(&other, nullptr, PS5000A_DR_8BIT), PICO_NOT_FOUND);
  QCOMPARE(other, int16_t(0));
  configure("inject=Stop:0x7;reset");  // reset drops pending injections
  QCOMPARE(ps5000aStop(s.h), PICO_OK);
}

void TestPicoSimCore::signalGenerator() {
  Unit s;
  QCOMPARE(ps5000aOpenUnit(&s.h, nullptr, PS5000A_DR_8BIT), PICO_OK);
  onlyA(s.h, PS5000A_2V);
  // Off until configured.
  auto d = captureA(s.h, 2000);
  QCOMPARE(*std::max_element(d.begin(), d.end()), int16_t(0));
  auto builtIn = [&](int32_t offset, uint32_t pk, PS5000A_WAVE_TYPE wave, double f, uint32_t shots, uint32_t sweeps,
                     PS5000A_SIGGEN_TRIG_TYPE type, PS5000A_SIGGEN_TRIG_SOURCE source) {
    return ps5000aSetSigGenBuiltInV2(s.h, offset, pk, wave, f, f, 0, 0, PS5000A_UP, PS5000A_ES_OFF, shots, sweeps,
                                     type, source, 0);
  };
  QCOMPARE(builtIn(2500000, 0, PS5000A_SINE, 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE), PICO_SIGGEN_OFFSET_VOLTAGE);
  QCOMPARE(builtIn(0, 5000000, PS5000A_SINE, 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE), PICO_SIGGEN_PK_TO_PK);
  QCOMPARE(builtIn(1500000, 2000000, PS5000A_SINE, 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE),
           PICO_SIGGEN_OUTPUT_OVER_VOLTAGE);
  QCOMPARE(builtIn(0, 2000000, PS5000A_SINE, 30e6, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE), PICO_SIG_GEN_PARAM);
  QCOMPARE(builtIn(0, 2000000, PS5000A_WAVE_TYPE(10), 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE),
           PICO_SIG_GEN_PARAM);
  QCOMPARE(builtIn(0, 2000000, PS5000A_SINE, 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_SOFT_TRIG),
           PICO_SHOTS_SWEEPS_WARNING);
  QCOMPARE(builtIn(0, 2000000, PS5000A_SINE, 1000, 1, 1, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_SOFT_TRIG),
           PICO_SHOTS_SWEEPS_WARNING);
  // 1 kHz, 2 V pk-pk sine looped back into A (2 V range): +-1 V = +-16256 counts, 1000 samples a period.
  QCOMPARE(builtIn(0, 2000000, PS5000A_SINE, 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE), PICO_OK);
  d = captureA(s.h, 4000);
  QVERIFY(std::abs(*std::max_element(d.begin(), d.end()) - 16256) <= 256);
  QVERIFY(std::abs(*std::min_element(d.begin(), d.end()) + 16256) <= 256);
  int rising = 0;
  for (size_t i = 1; i < d.size(); ++i) rising += d[i - 1] < 0 && d[i] >= 0;
  QVERIFY(rising == 4 || rising == 3);
  // Offset and square.
  QCOMPARE(builtIn(500000, 1000000, PS5000A_SQUARE, 1000, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE), PICO_OK);
  d = captureA(s.h, 2000);
  QCOMPARE(int(*std::max_element(d.begin(), d.end())), 16384);  // 0.5 + 0.5 V = 63.5 steps, rounded up
  QCOMPARE(int(*std::min_element(d.begin(), d.end())), 0);
  // Phase helper and AWG limits.
  uint32_t phase = 0;
  QCOMPARE(ps5000aSigGenFrequencyToPhase(s.h, 1000, PS5000A_SINGLE, 1000, &phase), PICO_OK);
  QCOMPARE(phase, uint32_t(std::llround(1000.0 * 1000 * 4294967296.0 / 100e6)));  // 5000D: 100 MHz DDS
  int16_t lo = 0, hi = 0;
  uint32_t minSize = 0, maxSize = 0;
  QCOMPARE(ps5000aSigGenArbitraryMinMaxValues(s.h, &lo, &hi, &minSize, &maxSize), PICO_OK);
  QCOMPARE(lo, int16_t(-32768));
  QCOMPARE(hi, int16_t(32767));
  QCOMPARE(minSize, 1u);
  QCOMPARE(maxSize, 32768u);  // PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE
  // Arbitrary: half +full scale, half -full scale at 1 kHz -> a +-0.5 V square for 1 V pk-pk.
  std::vector<int16_t> awg(100, 32767);
  std::fill(awg.begin() + 50, awg.end(), int16_t(-32767));
  QCOMPARE(ps5000aSetSigGenArbitrary(s.h, 0, 1000000, phase / 10, phase / 10, 0, 0, awg.data(), 100, PS5000A_UP,
                                     PS5000A_ES_OFF, PS5000A_SINGLE, 0, 0, PS5000A_SIGGEN_RISING,
                                     PS5000A_SIGGEN_NONE, 0), PICO_OK);
  d = captureA(s.h, 2000);
  QCOMPARE(int(*std::max_element(d.begin(), d.end())), 8192);
  QCOMPARE(int(*std::min_element(d.begin(), d.end())), -8192);
  QCOMPARE(ps5000aSetSigGenArbitrary(s.h, 0, 1000000, phase, phase, 0, 0, awg.data(), 60000, PS5000A_UP,
                                     PS5000A_ES_OFF, PS5000A_SINGLE, 0, 0, PS5000A_SIGGEN_RISING,
                                     PS5000A_SIGGEN_NONE, 0), PICO_SIG_GEN_PARAM);
  // Gated by software: no output until SigGenSoftwareControl(1).
  QCOMPARE(builtIn(0, 2000000, PS5000A_SINE, 1000, PS5000A_SHOT_SWEEP_TRIGGER_CONTINUOUS_RUN, 0,
                   PS5000A_SIGGEN_GATE_HIGH, PS5000A_SIGGEN_SOFT_TRIG), PICO_OK);
  d = captureA(s.h, 2000);
  QCOMPARE(*std::max_element(d.begin(), d.end()), int16_t(0));
  QCOMPARE(ps5000aSigGenSoftwareControl(s.h, 1), PICO_OK);
  d = captureA(s.h, 2000);
  QVERIFY(*std::max_element(d.begin(), d.end()) > 16000);
  // Properties-only update: sweep 1 kHz -> 10 kHz.
  QCOMPARE(ps5000aSetSigGenPropertiesBuiltIn(s.h, 1000, 10000, 1000, 0.001, PS5000A_UP, 0, 0, PS5000A_SIGGEN_RISING,
                                             PS5000A_SIGGEN_NONE, 0), PICO_OK);
  QCOMPARE(ps5000aSigGenSoftwareControl(s.h, 1), PICO_SIGGEN_TRIGGER_SOURCE);
}

// ---------------------------------------------------------------- ps2000a

namespace {

template <class F>
F resolve(void *lib, const char *name) {
  void *p = dlsym(lib, name);
  F f = nullptr;
  static_assert(sizeof f == sizeof p);
  std::memcpy(&f, &p, sizeof f);
  return f;
}

}  // namespace

void TestPicoSimCore::ps2000aBasics() {
  // Settings from the environment are read when the library is loaded.
  qputenv("PICOSIM", "units=2;signal.A=dc,level=0.5");
  void *lib = dlopen(PICOSIM_PS2000A_PATH, RTLD_NOW | RTLD_LOCAL);
  qunsetenv("PICOSIM");
  QVERIFY2(lib, dlerror());
  // The 56 names the Python wrapper resolves, plus SetSigGenBuiltInV2.
  const char *names[] = {
      "OpenUnit", "OpenUnitAsync", "OpenUnitProgress", "GetUnitInfo", "FlashLed", "CloseUnit", "MemorySegments",
      "SetChannel", "SetDigitalPort", "SetNoOfCaptures", "GetTimebase", "GetTimebase2", "SetSigGenArbitrary",
      "SetSigGenBuiltIn", "SetSigGenPropertiesArbitrary", "SetSigGenPropertiesBuiltIn", "SigGenFrequencyToPhase",
      "SigGenArbitraryMinMaxValues", "SigGenSoftwareControl", "SetEts", "SetSimpleTrigger",
      "SetTriggerDigitalPortProperties", "SetDigitalAnalogTriggerOperand", "SetTriggerChannelProperties",
      "SetTriggerChannelConditions", "SetTriggerChannelDirections", "SetTriggerDelay", "SetPulseWidthQualifier",
      "IsTriggerOrPulseWidthQualifierEnabled", "GetTriggerTimeOffset64", "GetValuesTriggerTimeOffsetBulk64",
      "GetNoOfCaptures", "GetNoOfProcessedCaptures", "SetDataBuffer", "SetDataBuffers", "SetEtsTimeBuffer",
      "IsReady", "RunBlock", "RunStreaming", "GetStreamingLatestValues", "NoOfStreamingValues",
      "GetMaxDownSampleRatio", "GetValues", "GetValuesBulk", "GetValuesAsync", "GetValuesOverlapped",
      "GetValuesOverlappedBulk", "Stop", "HoldOff", "GetChannelInformation", "EnumerateUnits", "PingUnit",
      "MaximumValue", "MinimumValue", "GetAnalogueOffset", "GetMaxSegments", "SetSigGenBuiltInV2"};
  QCOMPARE(int(sizeof names / sizeof names[0]), 57);
  for (const char *n : names) QVERIFY2(dlsym(lib, (std::string("ps2000a") + n).c_str()), n);
  auto openUnit = resolve<ps2000aOpenUnit>(lib, "ps2000aOpenUnit");
  auto closeUnit = resolve<ps2000aCloseUnit>(lib, "ps2000aCloseUnit");
  auto getUnitInfo = resolve<ps2000aGetUnitInfo>(lib, "ps2000aGetUnitInfo");
  auto maximumValue = resolve<ps2000aMaximumValue>(lib, "ps2000aMaximumValue");
  auto setChannel = resolve<ps2000aSetChannel>(lib, "ps2000aSetChannel");
  auto getTimebase2 = resolve<ps2000aGetTimebase2>(lib, "ps2000aGetTimebase2");
  auto setDataBuffer = resolve<ps2000aSetDataBuffer>(lib, "ps2000aSetDataBuffer");
  auto runBlock = resolve<ps2000aRunBlock>(lib, "ps2000aRunBlock");
  auto isReady = resolve<ps2000aIsReady>(lib, "ps2000aIsReady");
  auto getValues = resolve<ps2000aGetValues>(lib, "ps2000aGetValues");
  auto setConditions = resolve<ps2000aSetTriggerChannelConditions>(lib, "ps2000aSetTriggerChannelConditions");
  auto setDirections = resolve<ps2000aSetTriggerChannelDirections>(lib, "ps2000aSetTriggerChannelDirections");
  auto setProperties = resolve<ps2000aSetTriggerChannelProperties>(lib, "ps2000aSetTriggerChannelProperties");
  auto setSigGen = resolve<ps2000aSetSigGenBuiltIn>(lib, "ps2000aSetSigGenBuiltIn");
  auto awgLimits = resolve<ps2000aSigGenArbitraryMinMaxValues>(lib, "ps2000aSigGenArbitraryMinMaxValues");
  auto operand = resolve<ps2000aSetDigitalAnalogTriggerOperand>(lib, "ps2000aSetDigitalAnalogTriggerOperand");
  auto holdOff = resolve<ps2000aHoldOff>(lib, "ps2000aHoldOff");
  auto configure2 = resolve<picosimConfigure_t>(lib, "picosimConfigure");
  QVERIFY(configure2 && configure2 != &picosimConfigure);  // its own copy of the control interface

  int16_t h = 0, h2 = 0, h3 = 9;
  QCOMPARE(openUnit(&h, nullptr), PICO_OK);
  QCOMPARE(openUnit(&h2, nullptr), PICO_OK);  // units=2 from PICOSIM
  QCOMPARE(openUnit(&h3, nullptr), PICO_NOT_FOUND);
  QCOMPARE(h3, int16_t(0));
  QCOMPARE(closeUnit(h2), PICO_OK);
  char text[80];
  int16_t req = 0;
  QCOMPARE(getUnitInfo(h, reinterpret_cast<int8_t *>(text), 80, &req, PICO_VARIANT_INFO), PICO_OK);
  QCOMPARE(QByteArray(text), QByteArray("2406B"));
  int16_t mx = 0;
  QCOMPARE(maximumValue(h, &mx), PICO_OK);
  QCOMPARE(mx, int16_t(32512));
  float ns = 0;
  int32_t total = 0;
  QCOMPARE(getTimebase2(h, 0, 100, &ns, 0, &total, 0), PICO_INVALID_TIMEBASE);  // 4 channels enabled
  QCOMPARE(getTimebase2(h, 3, 100, &ns, 0, &total, 0), PICO_OK);
  QCOMPARE(ns, 8.0f);
  QCOMPARE(setChannel(h, PS2000A_CHANNEL_A, 1, PS2000A_DC, PS2000A_10MV, 0), PICO_INVALID_VOLTAGE_RANGE);
  QCOMPARE(setChannel(h, PS2000A_CHANNEL_A, 1, PS2000A_DC, PS2000A_1V, 0), PICO_OK);
  for (auto ch : {PS2000A_CHANNEL_B, PS2000A_CHANNEL_C, PS2000A_CHANNEL_D})
    QCOMPARE(setChannel(h, ch, 0, PS2000A_DC, PS2000A_1V, 0), PICO_OK);
  QCOMPARE(getTimebase2(h, 0, 100, &ns, 0, &total, 0), PICO_OK);
  QCOMPARE(ns, 1.0f);
  // Old-style trigger with the 8-field conditions struct (digital must stay DONT_CARE).
  PS2000A_TRIGGER_CONDITIONS cond{PS2000A_CONDITION_TRUE, PS2000A_CONDITION_DONT_CARE, PS2000A_CONDITION_DONT_CARE,
                                  PS2000A_CONDITION_DONT_CARE, PS2000A_CONDITION_DONT_CARE,
                                  PS2000A_CONDITION_DONT_CARE, PS2000A_CONDITION_DONT_CARE,
                                  PS2000A_CONDITION_TRUE};
  QCOMPARE(setConditions(h, &cond, 1), PICO_CONDITIONS);
  cond.digital = PS2000A_CONDITION_DONT_CARE;
  QCOMPARE(setConditions(h, &cond, 1), PICO_OK);
  QCOMPARE(setDirections(h, PS2000A_ABOVE, PS2000A_NONE, PS2000A_NONE, PS2000A_NONE, PS2000A_NONE, PS2000A_NONE), PICO_OK);
  PS2000A_TRIGGER_CHANNEL_PROPERTIES props{8000, 256, 8000, 256, PS2000A_CHANNEL_A, PS2000A_LEVEL};
  QCOMPARE(setProperties(h, &props, 1, 1, 100), PICO_OK);
  // Block capture (oversample argument ignored): dc 0.5 V on the 1 V range, above the trigger level.
  std::vector<int16_t> data(1000);
  QCOMPARE(setDataBuffer(h, PS2000A_CHANNEL_A, data.data(), 1000, 0, PS2000A_RATIO_MODE_NONE), PICO_OK);
  QCOMPARE(runBlock(h, 100, 900, 127, 1, nullptr, 0, nullptr, nullptr), PICO_OK);
  int16_t ready = 0;
  for (int i = 0; i < 2000 && !ready; ++i) {
    QCOMPARE(isReady(h, &ready), PICO_OK);
    std::this_thread::sleep_for(1ms);
  }
  QCOMPARE(ready, int16_t(1));
  uint32_t n = 1000;
  int16_t overflow = -1;
  QCOMPARE(getValues(h, 0, &n, 1, PS2000A_RATIO_MODE_NONE, 0, &overflow), PICO_OK);
  QCOMPARE(n, 1000u);
  QCOMPARE(int(data[500]), 64 * 256);
  QCOMPARE(overflow, int16_t(0));
  // Signal generator: no WHITE_NOISE wave type, 1 MHz maximum, 8192-sample AWG.
  QCOMPARE(setSigGen(h, 0, 1000000, 9, 1000, 1000, 0, 0, PS2000A_UP, PS2000A_ES_OFF, 0, 0, PS2000A_SIGGEN_RISING,
                     PS2000A_SIGGEN_NONE, 0), PICO_SIG_GEN_PARAM);
  QCOMPARE(setSigGen(h, 0, 1000000, PS2000A_SINE, 2e6f, 2e6f, 0, 0, PS2000A_UP, PS2000A_ES_OFF, 0, 0,
                     PS2000A_SIGGEN_RISING, PS2000A_SIGGEN_NONE, 0), PICO_SIG_GEN_PARAM);
  QCOMPARE(setSigGen(h, 0, 1000000, PS2000A_SINE, 1000, 1000, 0, 0, PS2000A_UP, PS2000A_WHITENOISE, 0, 0,
                     PS2000A_SIGGEN_RISING, PS2000A_SIGGEN_NONE, 0), PICO_OK);
  int16_t lo = 0, hi = 0;
  uint32_t minSize = 0, maxSize = 0;
  QCOMPARE(awgLimits(h, &lo, &hi, &minSize, &maxSize), PICO_OK);
  QCOMPARE(maxSize, 8192u);
  QCOMPARE(operand(h, PS2000A_OPERAND_OR), PICO_OK);
  QCOMPARE(holdOff(h, 0, PS2000A_TIME), PICO_OK);
  // Separate settings per library: changing ps2000a's units does not touch ps5000a's.
  QCOMPARE(configure2("units=3;power=usb"), 0);  // power is ignored by ps2000a
  int16_t count = 0;
  QCOMPARE(ps5000aEnumerateUnits(&count, nullptr, nullptr), PICO_OK);
  QCOMPARE(count, int16_t(1));
  QCOMPARE(configure2("inject=ps5000aRunBlock:1"), -1);  // not a ps2000a function
  QCOMPARE(closeUnit(h), PICO_OK);
  QCOMPARE(openUnit(&h, nullptr), PICO_OK);
  QCOMPARE(closeUnit(h), PICO_OK);
  dlclose(lib);
}

QTEST_GUILESS_MAIN(TestPicoSimCore)
#include "test_picosim_core.moc"
