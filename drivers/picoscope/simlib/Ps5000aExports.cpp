// SPDX-License-Identifier: GPL-3.0-or-later
// The ps5000a C ABI on the simulator core, simulating a PicoScope 5444D: the model and the
// unit/channel/timebase/memory functions (the picosim* control functions: SimControlExports.cpp). Triggers are in
// Ps5000aExportsTrigger.cpp, acquisition and signal generator in Ps5000aExportsAcquire.cpp (83 in all).
#include "libps5000a/ps5000aApi.h"

#include "PicoSimGuard.h"
#include "PicoSimModel.h"
#include "PicoSimOps.h"
#include "PicoSimSettings.h"

using namespace picosim;

namespace {

const char *const kFunctions[] = {
    "OpenUnit", "OpenUnitAsync", "OpenUnitProgress", "EnumerateUnits", "GetUnitInfo", "FlashLed",
    "IsLedFlashing", "CloseUnit", "PingUnit", "SetDeviceResolution", "GetDeviceResolution",
    "ChangePowerSource", "CurrentPowerSource", "CheckForUpdate", "StartFirmwareUpdate", "SetChannel",
    "SetBandwidthFilter", "SetDigitalPort", "GetAnalogueOffset", "GetChannelInformation", "MaximumValue",
    "MinimumValue", "GetScalingValues", "GetTimebase", "GetTimebase2", "NearestSampleIntervalStateless",
    "GetMinimumTimebaseStateless", "ChannelCombinationsStateless", "MemorySegments", "GetMaxSegments",
    "SetNoOfCaptures", "GetNoOfCaptures", "GetNoOfProcessedCaptures", "SetSimpleTrigger",
    "SetTriggerChannelConditions", "SetTriggerChannelDirections", "SetTriggerChannelProperties",
    "SetTriggerChannelConditionsV2", "SetTriggerChannelDirectionsV2", "SetTriggerChannelPropertiesV2",
    "SetAutoTriggerMicroSeconds", "SetTriggerDelay", "SetTriggerDigitalPortProperties", "SetPulseWidthQualifier",
    "SetPulseWidthQualifierProperties", "SetPulseWidthQualifierConditions", "SetPulseWidthQualifierDirections",
    "SetPulseWidthDigitalPortProperties", "IsTriggerOrPulseWidthQualifierEnabled", "TriggerWithinPreTriggerSamples",
    "GetTriggerTimeOffset", "GetTriggerTimeOffset64", "GetValuesTriggerTimeOffsetBulk",
    "GetValuesTriggerTimeOffsetBulk64", "GetTriggerInfoBulk", "QueryOutputEdgeDetect", "SetOutputEdgeDetect",
    "SetDataBuffers", "SetDataBuffer", "SetUnscaledDataBuffers", "SetEts", "SetEtsTimeBuffer", "SetEtsTimeBuffers",
    "RunBlock", "IsReady", "RunStreaming", "GetStreamingLatestValues", "NoOfStreamingValues",
    "GetMaxDownSampleRatio", "GetValues", "GetValuesAsync", "GetValuesBulk", "GetValuesOverlapped",
    "GetValuesOverlappedBulk", "Stop", "SetSigGenBuiltIn", "SetSigGenBuiltInV2", "SetSigGenArbitrary",
    "SetSigGenPropertiesBuiltIn", "SetSigGenPropertiesArbitrary", "SigGenFrequencyToPhase",
    "SigGenArbitraryMinMaxValues", "SigGenSoftwareControl"};
static_assert(sizeof kFunctions / sizeof kFunctions[0] == 83);

// The FlexRes models (spec §2: AWG buffer per model, DDS clock 200 MHz on A/B and 100 MHz on D;
// §9: 4-channel units have the DC supply input, D units report a USB 2 port). MSO variants are not
// simulated (no digital ports).
constexpr double kAB = PS5000AB_DDS_FREQUENCY, kD = PS5000D_DDS_FREQUENCY;
const Variant kVariants[] = {
    {"5242A", 2, PS5X42A_MAX_SIG_GEN_BUFFER_SIZE, kAB, false, false},
    {"5242B", 2, PS5X42A_MAX_SIG_GEN_BUFFER_SIZE, kAB, false, false},
    {"5242D", 2, PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, kD, false, true},
    {"5243A", 2, PS5X43A_MAX_SIG_GEN_BUFFER_SIZE, kAB, false, false},
    {"5243B", 2, PS5X43A_MAX_SIG_GEN_BUFFER_SIZE, kAB, false, false},
    {"5243D", 2, PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, kD, false, true},
    {"5244A", 2, PS5X44A_MAX_SIG_GEN_BUFFER_SIZE, kAB, false, false},
    {"5244B", 2, PS5X44A_MAX_SIG_GEN_BUFFER_SIZE, kAB, false, false},
    {"5244D", 2, PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, kD, false, true},
    {"5442A", 4, PS5X42A_MAX_SIG_GEN_BUFFER_SIZE, kAB, true, false},
    {"5442B", 4, PS5X42A_MAX_SIG_GEN_BUFFER_SIZE, kAB, true, false},
    {"5442D", 4, PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, kD, true, true},
    {"5443A", 4, PS5X43A_MAX_SIG_GEN_BUFFER_SIZE, kAB, true, false},
    {"5443B", 4, PS5X43A_MAX_SIG_GEN_BUFFER_SIZE, kAB, true, false},
    {"5443D", 4, PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, kD, true, true},
    {"5444A", 4, PS5X44A_MAX_SIG_GEN_BUFFER_SIZE, kAB, true, false},
    {"5444B", 4, PS5X44A_MAX_SIG_GEN_BUFFER_SIZE, kAB, true, false},
    {"5444D", 4, PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, kD, true, true},
};

const Model kModel{
    "ps5000a", "5444D", kFunctions, 83,
    /*hasResolution*/ true, /*hasPowerStates*/ true, /*hasWhiteNoiseWave*/ true,
    /*minRange*/ PS5000A_10MV, /*maxRange*/ PS5000A_20V,
    /*defaultMemory*/ 536870912ull, /*maxSegments*/ 310000,
    /*ddsFrequency*/ PS5000D_DDS_FREQUENCY, /*awgMaxSize*/ PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, /*builtinMaxFrequency*/ 20e6,
    /*awgOutputLimit*/ 2.0, "2.1.0.1", "1", "1.7.5.0", "1.0.67.0", "1.0.0.0",
    kVariants, int(sizeof kVariants / sizeof kVariants[0])};

struct LibraryInit {
  LibraryInit() { initLibrary(kModel); }
} const libraryInit;

}  // namespace

// ---- unit ----
PICO_STATUS PREF2 ps5000aOpenUnit(int16_t *handle, int8_t *serial, PS5000A_DEVICE_RESOLUTION resolution) {
  if (handle) *handle = 0;
  return guarded("OpenUnit", 0, [&] { return ops::openUnit(handle, serial, raw(resolution)); });
}
PICO_STATUS PREF2 ps5000aOpenUnitAsync(int16_t *status, int8_t *serial, PS5000A_DEVICE_RESOLUTION resolution) {
  return guarded("OpenUnitAsync", 0, [&] { return ops::openUnitAsync(status, serial, raw(resolution)); });
}
PICO_STATUS PREF2 ps5000aOpenUnitProgress(int16_t *handle, int16_t *progressPercent, int16_t *complete) {
  return guarded("OpenUnitProgress", 0, [&] { return ops::openUnitProgress(handle, progressPercent, complete); });
}
PICO_STATUS PREF2 ps5000aEnumerateUnits(int16_t *count, int8_t *serials, int16_t *serialLth) {
  return guarded("EnumerateUnits", 0, [&] { return ops::enumerateUnits(count, serials, serialLth); });
}
PICO_STATUS PREF2 ps5000aGetUnitInfo(int16_t h, int8_t *string, int16_t stringLength, int16_t *requiredSize,
                                     PICO_INFO info) {
  return guarded("GetUnitInfo", h, [&] { return ops::getUnitInfo(h, string, stringLength, requiredSize, info); });
}
PICO_STATUS PREF2 ps5000aFlashLed(int16_t h, int16_t start) {
  return guarded("FlashLed", h, [&] { return ops::flashLed(h, start); });
}
PICO_STATUS PREF2 ps5000aIsLedFlashing(int16_t h, int16_t *status) {
  return guarded("IsLedFlashing", h, [&] { return ops::isLedFlashing(h, status); });
}
PICO_STATUS PREF2 ps5000aCloseUnit(int16_t h) {
  return guarded("CloseUnit", h, [&] { return ops::closeUnit(h); });
}
PICO_STATUS PREF2 ps5000aPingUnit(int16_t h) {
  return guarded("PingUnit", h, [&] { return ops::pingUnit(h); });
}
PICO_STATUS PREF2 ps5000aSetDeviceResolution(int16_t h, PS5000A_DEVICE_RESOLUTION resolution) {
  return guarded("SetDeviceResolution", h, [&] { return ops::setDeviceResolution(h, raw(resolution)); });
}
PICO_STATUS PREF2 ps5000aGetDeviceResolution(int16_t h, PS5000A_DEVICE_RESOLUTION *resolution) {
  return guarded("GetDeviceResolution", h, [&] {
    int r = 0;
    if (!resolution) return Status(findUnit(h) ? PICO_NULL_PARAMETER : PICO_INVALID_HANDLE);
    const Status st = ops::getDeviceResolution(h, &r);
    if (st == PICO_OK) *resolution = PS5000A_DEVICE_RESOLUTION(r);
    return st;
  });
}
PICO_STATUS PREF2 ps5000aChangePowerSource(int16_t h, PICO_STATUS powerState) {
  return guarded("ChangePowerSource", h, [&] { return ops::changePowerSource(h, powerState); });
}
PICO_STATUS PREF2 ps5000aCurrentPowerSource(int16_t h) {
  return guarded("CurrentPowerSource", h, [&] { return ops::currentPowerSource(h); });
}
PICO_STATUS PREF2 ps5000aCheckForUpdate(int16_t h, PICO_VERSION *current, PICO_VERSION *update,
                                        uint16_t *updateRequired) {
  return guarded("CheckForUpdate", h, [&] {
    return ops::checkForUpdate(h, reinterpret_cast<int16_t *>(current), reinterpret_cast<int16_t *>(update),
                               updateRequired);
  });
}
PICO_STATUS PREF2 ps5000aStartFirmwareUpdate(int16_t h, PicoUpdateFirmwareProgress) {
  return guarded("StartFirmwareUpdate", h, [&] { return ops::notSupported(h); });
}

// ---- channels ----
PICO_STATUS PREF2 ps5000aSetChannel(int16_t h, PS5000A_CHANNEL channel, int16_t enabled, PS5000A_COUPLING type,
                                    PS5000A_RANGE range, float analogOffset) {
  return guarded("SetChannel", h, [&] { return ops::setChannel(h, raw(channel), enabled, raw(type), raw(range), analogOffset); });
}
PICO_STATUS PREF2 ps5000aSetBandwidthFilter(int16_t h, PS5000A_CHANNEL channel, PS5000A_BANDWIDTH_LIMITER bw) {
  return guarded("SetBandwidthFilter", h, [&] { return ops::setBandwidthFilter(h, raw(channel), raw(bw)); });
}
PICO_STATUS PREF2 ps5000aSetDigitalPort(int16_t h, PS5000A_CHANNEL port, int16_t enabled, int16_t logicLevel) {
  return guarded("SetDigitalPort", h, [&] { return ops::setDigitalPort(h, raw(port), enabled, logicLevel); });
}
PICO_STATUS PREF2 ps5000aGetAnalogueOffset(int16_t h, PS5000A_RANGE range, PS5000A_COUPLING coupling,
                                           float *maximumVoltage, float *minimumVoltage) {
  return guarded("GetAnalogueOffset", h,
                 [&] { return ops::getAnalogueOffset(h, raw(range), raw(coupling), maximumVoltage, minimumVoltage); });
}
PICO_STATUS PREF2 ps5000aGetChannelInformation(int16_t h, PS5000A_CHANNEL_INFO info, int32_t probe, int32_t *ranges,
                                               int32_t *length, int32_t channels) {
  return guarded("GetChannelInformation", h,
                 [&] { return ops::getChannelInformation(h, raw(info), probe, ranges, length, channels); });
}
PICO_STATUS PREF2 ps5000aMaximumValue(int16_t h, int16_t *value) {
  return guarded("MaximumValue", h, [&] { return ops::maximumValue(h, value); });
}
PICO_STATUS PREF2 ps5000aMinimumValue(int16_t h, int16_t *value) {
  return guarded("MinimumValue", h, [&] { return ops::minimumValue(h, value); });
}
PICO_STATUS PREF2 ps5000aGetScalingValues(int16_t h, PS5000A_SCALING_FACTORS_VALUES *, int16_t) {
  return guarded("GetScalingValues", h, [&] { return ops::notSupported(h); });
}

// ---- timebase ----
PICO_STATUS PREF2 ps5000aGetTimebase(int16_t h, uint32_t timebase, int32_t noSamples, int32_t *timeIntervalNanoseconds,
                                     int32_t *maxSamples, uint32_t segmentIndex) {
  return guarded("GetTimebase", h, [&] {
    double ns = 0;
    const Status st = ops::getTimebase(h, timebase, noSamples, &ns, maxSamples, segmentIndex);
    if (st != PICO_OK) return st;
    if (ns > 2147483647.0) return Status(PICO_INVALID_TIMEBASE);  // interval does not fit the int32 argument
    if (timeIntervalNanoseconds) *timeIntervalNanoseconds = int32_t(ns);
    return st;
  });
}
PICO_STATUS PREF2 ps5000aGetTimebase2(int16_t h, uint32_t timebase, int32_t noSamples, float *timeIntervalNanoseconds,
                                      int32_t *maxSamples, uint32_t segmentIndex) {
  return guarded("GetTimebase2", h, [&] {
    double ns = 0;
    const Status st = ops::getTimebase(h, timebase, noSamples, &ns, maxSamples, segmentIndex);
    if (st == PICO_OK && timeIntervalNanoseconds) *timeIntervalNanoseconds = float(ns);
    return st;
  });
}
PICO_STATUS PREF2 ps5000aNearestSampleIntervalStateless(int16_t h, PS5000A_CHANNEL_FLAGS flags, double requested,
                                                        PS5000A_DEVICE_RESOLUTION resolution, uint16_t useEts,
                                                        uint32_t *timebase, double *available) {
  return guarded("NearestSampleIntervalStateless", h, [&] {
    return ops::nearestSampleIntervalStateless(h, uint32_t(raw(flags)), requested, raw(resolution), useEts, timebase, available);
  });
}
PICO_STATUS PREF2 ps5000aGetMinimumTimebaseStateless(int16_t h, PS5000A_CHANNEL_FLAGS flags, uint32_t *timebase,
                                                     double *timeInterval, PS5000A_DEVICE_RESOLUTION resolution) {
  return guarded("GetMinimumTimebaseStateless", h,
                 [&] { return ops::minimumTimebaseStateless(h, uint32_t(raw(flags)), timebase, timeInterval, raw(resolution)); });
}
PICO_STATUS PREF2 ps5000aChannelCombinationsStateless(int16_t h, PS5000A_CHANNEL_FLAGS *combinations,
                                                      uint32_t *nCombinations, PS5000A_DEVICE_RESOLUTION resolution,
                                                      uint32_t timebase, int16_t hasDcPowerSupplyConnected) {
  return guarded("ChannelCombinationsStateless", h, [&] {
    return ops::channelCombinationsStateless(h, reinterpret_cast<uint32_t *>(combinations), nCombinations,
                                             raw(resolution), timebase, hasDcPowerSupplyConnected);
  });
}

// ---- memory and segments ----
PICO_STATUS PREF2 ps5000aMemorySegments(int16_t h, uint32_t nSegments, int32_t *nMaxSamples) {
  return guarded("MemorySegments", h, [&] { return ops::memorySegments(h, nSegments, nMaxSamples); });
}
PICO_STATUS PREF2 ps5000aGetMaxSegments(int16_t h, uint32_t *maxSegments) {
  return guarded("GetMaxSegments", h, [&] { return ops::getMaxSegments(h, maxSegments); });
}
PICO_STATUS PREF2 ps5000aSetNoOfCaptures(int16_t h, uint32_t nCaptures) {
  return guarded("SetNoOfCaptures", h, [&] { return ops::setNoOfCaptures(h, nCaptures); });
}
PICO_STATUS PREF2 ps5000aGetNoOfCaptures(int16_t h, uint32_t *nCaptures) {
  return guarded("GetNoOfCaptures", h, [&] { return ops::getNoOfCaptures(h, nCaptures); });
}
PICO_STATUS PREF2 ps5000aGetNoOfProcessedCaptures(int16_t h, uint32_t *nProcessedCaptures) {
  return guarded("GetNoOfProcessedCaptures", h, [&] { return ops::getNoOfProcessedCaptures(h, nProcessedCaptures); });
}
