// SPDX-License-Identifier: GPL-3.0-or-later
// The ps2000a C ABI on the simulator core, simulating a PicoScope 2406B (4 channels, 8 bit, 1 GS/s,
// AWG): the model, unit/channel/timebase/memory/trigger functions (picosim*: SimControlExports.cpp).
// Acquisition and signal generator are in Ps2000aExportsAcquire.cpp (60 functions in all).
#include "libps2000a/ps2000aApi.h"


#include "PicoSimGuard.h"
#include "PicoSimModel.h"
#include "PicoSimOps.h"
#include "PicoSimTriggerTimes.h"
#include "PicoSimSettings.h"

using namespace picosim;

static_assert(sizeof(PS2000A_TRIGGER_CONDITIONS) == 32 && sizeof(PS2000A_PWQ_CONDITIONS) == 28 &&
              sizeof(PS2000A_TRIGGER_CHANNEL_PROPERTIES) == 16 && sizeof(PS2000A_DIGITAL_CHANNEL_DIRECTIONS) == 8,
              "struct layouts of spec §14.2");

namespace {

const char *const kFunctions[] = {
    "OpenUnit", "OpenUnitAsync", "OpenUnitProgress", "GetUnitInfo", "FlashLed", "CloseUnit", "MemorySegments",
    "SetChannel", "SetDigitalPort", "SetNoOfCaptures", "GetTimebase", "GetTimebase2", "SetSigGenArbitrary",
    "SetSigGenBuiltIn", "SetSigGenBuiltInV2", "SetSigGenPropertiesArbitrary", "SetSigGenPropertiesBuiltIn",
    "SigGenFrequencyToPhase", "SigGenArbitraryMinMaxValues", "SigGenSoftwareControl", "SetEts", "SetSimpleTrigger",
    "SetTriggerDigitalPortProperties", "SetDigitalAnalogTriggerOperand", "SetTriggerChannelProperties",
    "SetTriggerChannelConditions", "SetTriggerChannelDirections", "SetTriggerDelay", "SetPulseWidthQualifier",
    "IsTriggerOrPulseWidthQualifierEnabled", "GetTriggerTimeOffset", "GetTriggerTimeOffset64",
    "GetValuesTriggerTimeOffsetBulk", "GetValuesTriggerTimeOffsetBulk64", "GetNoOfCaptures",
    "GetNoOfProcessedCaptures", "SetDataBuffer", "SetDataBuffers", "SetEtsTimeBuffer", "SetEtsTimeBuffers",
    "IsReady", "RunBlock", "RunStreaming", "GetStreamingLatestValues", "NoOfStreamingValues",
    "GetMaxDownSampleRatio", "GetValues", "GetValuesBulk", "GetValuesAsync", "GetValuesOverlapped",
    "GetValuesOverlappedBulk", "Stop", "HoldOff", "GetChannelInformation", "EnumerateUnits", "PingUnit",
    "MaximumValue", "MinimumValue", "GetAnalogueOffset", "GetMaxSegments"};
static_assert(sizeof kFunctions / sizeof kFunctions[0] == 60);

// The 2000A/B models with the ps2000a API (spec §14.1; 2-channel 22xx, 4-channel 24xx). The spec
// gives no per-model AWG, clock or rate differences (U13), so they share the family's values. MSO
// variants are not simulated (no digital ports).
constexpr uint32_t kAwg = PS2000A_MAX_SIG_GEN_BUFFER_SIZE;
const Variant kVariants[] = {
    {"2204A", 2, kAwg, 20e6, false, false}, {"2205A", 2, kAwg, 20e6, false, false},
    {"2206", 2, kAwg, 20e6, false, false},  {"2206A", 2, kAwg, 20e6, false, false},
    {"2206B", 2, kAwg, 20e6, false, false}, {"2207", 2, kAwg, 20e6, false, false},
    {"2207A", 2, kAwg, 20e6, false, false}, {"2207B", 2, kAwg, 20e6, false, false},
    {"2208", 2, kAwg, 20e6, false, false},  {"2208A", 2, kAwg, 20e6, false, false},
    {"2208B", 2, kAwg, 20e6, false, false}, {"2405A", 4, kAwg, 20e6, false, false},
    {"2406B", 4, kAwg, 20e6, false, false}, {"2407B", 4, kAwg, 20e6, false, false},
    {"2408B", 4, kAwg, 20e6, false, false},
};

const Model kModel{
    "ps2000a", "2406B", kFunctions, 60,
    /*hasResolution*/ false, /*hasPowerStates*/ false, /*hasWhiteNoiseWave*/ false,
    /*minRange*/ PS2000A_20MV, /*maxRange*/ PS2000A_20V,
    /*defaultMemory*/ 33554432ull, /*maxSegments*/ 10000,
    /*ddsFrequency*/ 20e6, /*awgMaxSize*/ kAwg, /*builtinMaxFrequency*/ 1e6,
    /*awgOutputLimit*/ 2.0, "3.1.0.1", "1", "1.2.0.0", "1.0.25.0", "1.0.0.0",
    kVariants, int(sizeof kVariants / sizeof kVariants[0])};

struct LibraryInit {
  LibraryInit() { initLibrary(kModel); }
} const libraryInit;

}  // namespace

// ---- unit ----
PICO_STATUS PREF2 ps2000aOpenUnit(int16_t *handle, int8_t *serial) {
  if (handle) *handle = 0;
  return guarded("OpenUnit", 0, [&] { return ops::openUnit(handle, serial, 0); });
}
PICO_STATUS PREF2 ps2000aOpenUnitAsync(int16_t *status, int8_t *serial) {
  return guarded("OpenUnitAsync", 0, [&] { return ops::openUnitAsync(status, serial, 0); });
}
PICO_STATUS PREF2 ps2000aOpenUnitProgress(int16_t *handle, int16_t *progressPercent, int16_t *complete) {
  return guarded("OpenUnitProgress", 0, [&] { return ops::openUnitProgress(handle, progressPercent, complete); });
}
PICO_STATUS PREF2 ps2000aEnumerateUnits(int16_t *count, int8_t *serials, int16_t *serialLth) {
  return guarded("EnumerateUnits", 0, [&] { return ops::enumerateUnits(count, serials, serialLth); });
}
PICO_STATUS PREF2 ps2000aGetUnitInfo(int16_t h, int8_t *string, int16_t stringLength, int16_t *requiredSize,
                                     PICO_INFO info) {
  return guarded("GetUnitInfo", h, [&] { return ops::getUnitInfo(h, string, stringLength, requiredSize, info); });
}
PICO_STATUS PREF2 ps2000aFlashLed(int16_t h, int16_t start) {
  return guarded("FlashLed", h, [&] { return ops::flashLed(h, start); });
}
PICO_STATUS PREF2 ps2000aCloseUnit(int16_t h) {
  return guarded("CloseUnit", h, [&] { return ops::closeUnit(h); });
}
PICO_STATUS PREF2 ps2000aPingUnit(int16_t h) {
  return guarded("PingUnit", h, [&] { return ops::pingUnit(h); });
}

// ---- channels, timebase, memory ----
PICO_STATUS PREF2 ps2000aSetChannel(int16_t h, PS2000A_CHANNEL channel, int16_t enabled, PS2000A_COUPLING type,
                                    PS2000A_RANGE range, float analogOffset) {
  return guarded("SetChannel", h,
                 [&] { return ops::setChannel(h, raw(channel), enabled, raw(type), raw(range), analogOffset); });
}
PICO_STATUS PREF2 ps2000aSetDigitalPort(int16_t h, PS2000A_DIGITAL_PORT port, int16_t enabled, int16_t logiclevel) {
  return guarded("SetDigitalPort", h, [&] { return ops::setDigitalPort(h, raw(port), enabled, logiclevel); });
}
PICO_STATUS PREF2 ps2000aGetAnalogueOffset(int16_t h, PS2000A_RANGE range, PS2000A_COUPLING coupling,
                                           float *maximumVoltage, float *minimumVoltage) {
  return guarded("GetAnalogueOffset", h,
                 [&] { return ops::getAnalogueOffset(h, raw(range), raw(coupling), maximumVoltage, minimumVoltage); });
}
PICO_STATUS PREF2 ps2000aGetChannelInformation(int16_t h, PS2000A_CHANNEL_INFO info, int32_t probe, int32_t *ranges,
                                               int32_t *length, int32_t channels) {
  return guarded("GetChannelInformation", h,
                 [&] { return ops::getChannelInformation(h, raw(info), probe, ranges, length, channels); });
}
PICO_STATUS PREF2 ps2000aMaximumValue(int16_t h, int16_t *value) {
  return guarded("MaximumValue", h, [&] { return ops::maximumValue(h, value); });
}
PICO_STATUS PREF2 ps2000aMinimumValue(int16_t h, int16_t *value) {
  return guarded("MinimumValue", h, [&] { return ops::minimumValue(h, value); });
}
PICO_STATUS PREF2 ps2000aGetTimebase(int16_t h, uint32_t timebase, int32_t noSamples, int32_t *timeIntervalNanoseconds,
                                     int16_t, int32_t *totalSamples, uint32_t segmentIndex) {
  return guarded("GetTimebase", h, [&] {
    double ns = 0;
    const Status st = ops::getTimebase(h, timebase, noSamples, &ns, totalSamples, segmentIndex);
    if (st != PICO_OK) return st;
    if (ns > 2147483647.0) return Status(PICO_INVALID_TIMEBASE);
    if (timeIntervalNanoseconds) *timeIntervalNanoseconds = int32_t(ns);
    return st;
  });
}
PICO_STATUS PREF2 ps2000aGetTimebase2(int16_t h, uint32_t timebase, int32_t noSamples, float *timeIntervalNanoseconds,
                                      int16_t, int32_t *totalSamples, uint32_t segmentIndex) {
  return guarded("GetTimebase2", h, [&] {
    double ns = 0;
    const Status st = ops::getTimebase(h, timebase, noSamples, &ns, totalSamples, segmentIndex);
    if (st == PICO_OK && timeIntervalNanoseconds) *timeIntervalNanoseconds = float(ns);
    return st;
  });
}
PICO_STATUS PREF2 ps2000aMemorySegments(int16_t h, uint32_t nSegments, int32_t *nMaxSamples) {
  return guarded("MemorySegments", h, [&] { return ops::memorySegments(h, nSegments, nMaxSamples); });
}
PICO_STATUS PREF2 ps2000aGetMaxSegments(int16_t h, uint32_t *maxSegments) {
  return guarded("GetMaxSegments", h, [&] { return ops::getMaxSegments(h, maxSegments); });
}
PICO_STATUS PREF2 ps2000aSetNoOfCaptures(int16_t h, uint32_t nCaptures) {
  return guarded("SetNoOfCaptures", h, [&] { return ops::setNoOfCaptures(h, nCaptures); });
}
PICO_STATUS PREF2 ps2000aGetNoOfCaptures(int16_t h, uint32_t *nCaptures) {
  return guarded("GetNoOfCaptures", h, [&] { return ops::getNoOfCaptures(h, nCaptures); });
}
PICO_STATUS PREF2 ps2000aGetNoOfProcessedCaptures(int16_t h, uint32_t *nProcessedCaptures) {
  return guarded("GetNoOfProcessedCaptures", h, [&] { return ops::getNoOfProcessedCaptures(h, nProcessedCaptures); });
}

// ---- triggers ----
PICO_STATUS PREF2 ps2000aSetSimpleTrigger(int16_t h, int16_t enable, PS2000A_CHANNEL source, int16_t threshold,
                                          PS2000A_THRESHOLD_DIRECTION direction, uint32_t delay, int16_t autoTrigger_ms) {
  return guarded("SetSimpleTrigger", h, [&] {
    return ops::setSimpleTrigger(h, enable, raw(source), threshold, raw(direction), delay, autoTrigger_ms);
  });
}
PICO_STATUS PREF2 ps2000aSetTriggerDigitalPortProperties(int16_t h, PS2000A_DIGITAL_CHANNEL_DIRECTIONS *directions,
                                                         int16_t nDirections) {
  return guarded("SetTriggerDigitalPortProperties", h,
                 [&] { return ops::setDigitalDirections(h, directions, nDirections); });
}
PICO_STATUS PREF2 ps2000aSetDigitalAnalogTriggerOperand(int16_t h, PS2000A_TRIGGER_OPERAND operand) {
  return guarded("SetDigitalAnalogTriggerOperand", h, [&] {
    // Combines analogue and digital triggers on MSO models; without digital inputs it changes nothing.
    const Status st = ops::pingUnit(h);
    if (st != PICO_OK) return st;
    const int op = raw(operand);
    return Status(op < 0 || op > 3 ? PICO_INVALID_PARAMETER : PICO_OK);
  });
}
PICO_STATUS PREF2 ps2000aSetTriggerChannelProperties(int16_t h, PS2000A_TRIGGER_CHANNEL_PROPERTIES *channelProperties,
                                                     int16_t nChannelProperties, int16_t,
                                                     int32_t autoTriggerMilliseconds) {
  return guarded("SetTriggerChannelProperties", h, [&] {
    return ops::setTriggerPropertiesOld(h, channelProperties, nChannelProperties, autoTriggerMilliseconds);
  });
}
PICO_STATUS PREF2 ps2000aSetTriggerChannelConditions(int16_t h, PS2000A_TRIGGER_CONDITIONS *conditions,
                                                     int16_t nConditions) {
  return guarded("SetTriggerChannelConditions", h,
                 [&] { return ops::setTriggerConditionsOld(h, conditions, nConditions, 8); });
}
PICO_STATUS PREF2 ps2000aSetTriggerChannelDirections(int16_t h, PS2000A_THRESHOLD_DIRECTION a,
                                                     PS2000A_THRESHOLD_DIRECTION b, PS2000A_THRESHOLD_DIRECTION c,
                                                     PS2000A_THRESHOLD_DIRECTION d, PS2000A_THRESHOLD_DIRECTION ext,
                                                     PS2000A_THRESHOLD_DIRECTION aux) {
  return guarded("SetTriggerChannelDirections", h, [&] {
    const int dirs[6] = {raw(a), raw(b), raw(c), raw(d), raw(ext), raw(aux)};
    return ops::setTriggerDirectionsOld(h, dirs);
  });
}
PICO_STATUS PREF2 ps2000aSetTriggerDelay(int16_t h, uint32_t delay) {
  return guarded("SetTriggerDelay", h, [&] { return ops::setTriggerDelay(h, delay); });
}
PICO_STATUS PREF2 ps2000aSetPulseWidthQualifier(int16_t h, PS2000A_PWQ_CONDITIONS *conditions, int16_t nConditions,
                                                PS2000A_THRESHOLD_DIRECTION direction, uint32_t lower, uint32_t upper,
                                                PS2000A_PULSE_WIDTH_TYPE type) {
  return guarded("SetPulseWidthQualifier", h, [&] {
    return ops::setPulseWidthQualifierOld(h, conditions, nConditions, 7, raw(direction), lower, upper, raw(type));
  });
}
PICO_STATUS PREF2 ps2000aIsTriggerOrPulseWidthQualifierEnabled(int16_t h, int16_t *triggerEnabled,
                                                               int16_t *pulseWidthQualifierEnabled) {
  return guarded("IsTriggerOrPulseWidthQualifierEnabled", h,
                 [&] { return ops::isTriggerOrPwqEnabled(h, triggerEnabled, pulseWidthQualifierEnabled); });
}
PICO_STATUS PREF2 ps2000aGetTriggerTimeOffset(int16_t h, uint32_t *timeUpper, uint32_t *timeLower,
                                              PS2000A_TIME_UNITS *timeUnits, uint32_t segmentIndex) {
  return guarded("GetTriggerTimeOffset", h,
                 [&] { return ops::triggerTimeOffset32(h, timeUpper, timeLower, timeUnits, segmentIndex); });
}
PICO_STATUS PREF2 ps2000aGetTriggerTimeOffset64(int16_t h, int64_t *time, PS2000A_TIME_UNITS *timeUnits,
                                                uint32_t segmentIndex) {
  return guarded("GetTriggerTimeOffset64", h,
                 [&] { return ops::triggerTimeOffset64(h, time, timeUnits, segmentIndex); });
}
PICO_STATUS PREF2 ps2000aGetValuesTriggerTimeOffsetBulk(int16_t h, uint32_t *timesUpper, uint32_t *timesLower,
                                                        PS2000A_TIME_UNITS *timeUnits, uint32_t fromSegmentIndex,
                                                        uint32_t toSegmentIndex) {
  return guarded("GetValuesTriggerTimeOffsetBulk", h, [&] {
    return ops::triggerTimeOffsetBulk32(h, timesUpper, timesLower, timeUnits, fromSegmentIndex, toSegmentIndex);
  });
}
PICO_STATUS PREF2 ps2000aGetValuesTriggerTimeOffsetBulk64(int16_t h, int64_t *times, PS2000A_TIME_UNITS *timeUnits,
                                                          uint32_t fromSegmentIndex, uint32_t toSegmentIndex) {
  return guarded("GetValuesTriggerTimeOffsetBulk64", h, [&] {
    return ops::triggerTimeOffsetBulk64(h, times, timeUnits, fromSegmentIndex, toSegmentIndex);
  });
}
PICO_STATUS PREF2 ps2000aHoldOff(int16_t h, uint64_t, PS2000A_HOLDOFF_TYPE type) {
  return guarded("HoldOff", h, [&] {
    const Status st = ops::pingUnit(h);  // reserved by the vendor: no effect
    return st == PICO_OK && raw(type) != PS2000A_TIME ? Status(PICO_INVALID_PARAMETER) : st;
  });
}
