// SPDX-License-Identifier: GPL-3.0-or-later
// The ps5000a C ABI: trigger functions.
#include "libps5000a/ps5000aApi.h"

#include "PicoSimGuard.h"
#include "PicoSimOps.h"
#include "PicoSimTriggerTimes.h"

using namespace picosim;

static_assert(sizeof(PS5000A_TRIGGER_CONDITIONS) == 28 && sizeof(PS5000A_CONDITION) == 8 &&
              sizeof(PS5000A_DIRECTION) == 12 && sizeof(PS5000A_TRIGGER_CHANNEL_PROPERTIES) == 16 &&
              sizeof(PS5000A_TRIGGER_CHANNEL_PROPERTIES_V2) == 12 && sizeof(PS5000A_PWQ_CONDITIONS) == 24 &&
              sizeof(PS5000A_TRIGGER_INFO) == 32 && sizeof(PS5000A_SCALING_FACTORS_VALUES) == 18,
              "struct layouts of spec §3");

PICO_STATUS PREF2 ps5000aSetSimpleTrigger(int16_t h, int16_t enable, PS5000A_CHANNEL channel, int16_t threshold,
                                          PS5000A_THRESHOLD_DIRECTION direction, uint32_t delay,
                                          int16_t autoTrigger_ms) {
  return guarded("SetSimpleTrigger", h, [&] {
    return ops::setSimpleTrigger(h, enable, raw(channel), threshold, raw(direction), delay, autoTrigger_ms);
  });
}
PICO_STATUS PREF2 ps5000aSetTriggerChannelConditions(int16_t h, PS5000A_TRIGGER_CONDITIONS *conditions,
                                                     int16_t nConditions) {
  return guarded("SetTriggerChannelConditions", h,
                 [&] { return ops::setTriggerConditionsOld(h, conditions, nConditions, 7); });
}
PICO_STATUS PREF2 ps5000aSetTriggerChannelDirections(int16_t h, PS5000A_THRESHOLD_DIRECTION a,
                                                     PS5000A_THRESHOLD_DIRECTION b, PS5000A_THRESHOLD_DIRECTION c,
                                                     PS5000A_THRESHOLD_DIRECTION d, PS5000A_THRESHOLD_DIRECTION ext,
                                                     PS5000A_THRESHOLD_DIRECTION aux) {
  return guarded("SetTriggerChannelDirections", h, [&] {
    const int dirs[6] = {raw(a), raw(b), raw(c), raw(d), raw(ext), raw(aux)};
    return ops::setTriggerDirectionsOld(h, dirs);
  });
}
PICO_STATUS PREF2 ps5000aSetTriggerChannelProperties(int16_t h, PS5000A_TRIGGER_CHANNEL_PROPERTIES *channelProperties,
                                                     int16_t nChannelProperties, int16_t,
                                                     int32_t autoTriggerMilliseconds) {
  return guarded("SetTriggerChannelProperties", h, [&] {
    return ops::setTriggerPropertiesOld(h, channelProperties, nChannelProperties, autoTriggerMilliseconds);
  });
}
PICO_STATUS PREF2 ps5000aSetTriggerChannelConditionsV2(int16_t h, PS5000A_CONDITION *conditions, int16_t nConditions,
                                                       PS5000A_CONDITIONS_INFO info) {
  return guarded("SetTriggerChannelConditionsV2", h,
                 [&] { return ops::setTriggerConditionsV2(h, conditions, nConditions, raw(info), false); });
}
PICO_STATUS PREF2 ps5000aSetTriggerChannelDirectionsV2(int16_t h, PS5000A_DIRECTION *directions, uint16_t nDirections) {
  return guarded("SetTriggerChannelDirectionsV2", h,
                 [&] { return ops::setTriggerDirectionsV2(h, directions, nDirections, false); });
}
PICO_STATUS PREF2 ps5000aSetTriggerChannelPropertiesV2(int16_t h, PS5000A_TRIGGER_CHANNEL_PROPERTIES_V2 *channelProperties,
                                                       int16_t nChannelProperties, int16_t) {
  return guarded("SetTriggerChannelPropertiesV2", h,
                 [&] { return ops::setTriggerPropertiesV2(h, channelProperties, nChannelProperties); });
}
PICO_STATUS PREF2 ps5000aSetAutoTriggerMicroSeconds(int16_t h, uint64_t autoTriggerMicroseconds) {
  return guarded("SetAutoTriggerMicroSeconds", h, [&] { return ops::setAutoTriggerMicroSeconds(h, autoTriggerMicroseconds); });
}
PICO_STATUS PREF2 ps5000aSetTriggerDelay(int16_t h, uint32_t delay) {
  return guarded("SetTriggerDelay", h, [&] { return ops::setTriggerDelay(h, delay); });
}
PICO_STATUS PREF2 ps5000aSetTriggerDigitalPortProperties(int16_t h, PS5000A_DIGITAL_CHANNEL_DIRECTIONS *directions,
                                                         int16_t nDirections) {
  return guarded("SetTriggerDigitalPortProperties", h, [&] { return ops::setDigitalDirections(h, directions, nDirections); });
}
PICO_STATUS PREF2 ps5000aSetPulseWidthQualifier(int16_t h, PS5000A_PWQ_CONDITIONS *conditions, int16_t nConditions,
                                                PS5000A_THRESHOLD_DIRECTION direction, uint32_t lower, uint32_t upper,
                                                PS5000A_PULSE_WIDTH_TYPE type) {
  return guarded("SetPulseWidthQualifier", h, [&] {
    return ops::setPulseWidthQualifierOld(h, conditions, nConditions, 6, raw(direction), lower, upper, raw(type));
  });
}
PICO_STATUS PREF2 ps5000aSetPulseWidthQualifierProperties(int16_t h, uint32_t lower, uint32_t upper,
                                                          PS5000A_PULSE_WIDTH_TYPE type) {
  return guarded("SetPulseWidthQualifierProperties", h,
                 [&] { return ops::setPulseWidthQualifierProperties(h, lower, upper, raw(type)); });
}
PICO_STATUS PREF2 ps5000aSetPulseWidthQualifierConditions(int16_t h, PS5000A_CONDITION *conditions, int16_t nConditions,
                                                          PS5000A_CONDITIONS_INFO info) {
  return guarded("SetPulseWidthQualifierConditions", h,
                 [&] { return ops::setTriggerConditionsV2(h, conditions, nConditions, raw(info), true); });
}
PICO_STATUS PREF2 ps5000aSetPulseWidthQualifierDirections(int16_t h, PS5000A_DIRECTION *directions, int16_t nDirections) {
  return guarded("SetPulseWidthQualifierDirections", h,
                 [&] { return ops::setTriggerDirectionsV2(h, directions, nDirections, true); });
}
PICO_STATUS PREF2 ps5000aSetPulseWidthDigitalPortProperties(int16_t h, PS5000A_DIGITAL_CHANNEL_DIRECTIONS *directions,
                                                            int16_t nDirections) {
  return guarded("SetPulseWidthDigitalPortProperties", h,
                 [&] { return ops::setDigitalDirections(h, directions, nDirections); });
}
PICO_STATUS PREF2 ps5000aIsTriggerOrPulseWidthQualifierEnabled(int16_t h, int16_t *triggerEnabled,
                                                               int16_t *pulseWidthQualifierEnabled) {
  return guarded("IsTriggerOrPulseWidthQualifierEnabled", h,
                 [&] { return ops::isTriggerOrPwqEnabled(h, triggerEnabled, pulseWidthQualifierEnabled); });
}
PICO_STATUS PREF2 ps5000aTriggerWithinPreTriggerSamples(int16_t h, PS5000A_TRIGGER_WITHIN_PRE_TRIGGER state) {
  return guarded("TriggerWithinPreTriggerSamples", h, [&] { return ops::triggerWithinPreTriggerSamples(h, raw(state)); });
}
PICO_STATUS PREF2 ps5000aGetTriggerTimeOffset(int16_t h, uint32_t *timeUpper, uint32_t *timeLower,
                                              PS5000A_TIME_UNITS *timeUnits, uint32_t segmentIndex) {
  return guarded("GetTriggerTimeOffset", h,
                 [&] { return ops::triggerTimeOffset32(h, timeUpper, timeLower, timeUnits, segmentIndex); });
}
PICO_STATUS PREF2 ps5000aGetTriggerTimeOffset64(int16_t h, int64_t *time, PS5000A_TIME_UNITS *timeUnits,
                                                uint32_t segmentIndex) {
  return guarded("GetTriggerTimeOffset64", h,
                 [&] { return ops::triggerTimeOffset64(h, time, timeUnits, segmentIndex); });
}
PICO_STATUS PREF2 ps5000aGetValuesTriggerTimeOffsetBulk(int16_t h, uint32_t *timesUpper, uint32_t *timesLower,
                                                        PS5000A_TIME_UNITS *timeUnits, uint32_t fromSegmentIndex,
                                                        uint32_t toSegmentIndex) {
  return guarded("GetValuesTriggerTimeOffsetBulk", h, [&] {
    return ops::triggerTimeOffsetBulk32(h, timesUpper, timesLower, timeUnits, fromSegmentIndex, toSegmentIndex);
  });
}
PICO_STATUS PREF2 ps5000aGetValuesTriggerTimeOffsetBulk64(int16_t h, int64_t *times, PS5000A_TIME_UNITS *timeUnits,
                                                          uint32_t fromSegmentIndex, uint32_t toSegmentIndex) {
  return guarded("GetValuesTriggerTimeOffsetBulk64", h, [&] {
    return ops::triggerTimeOffsetBulk64(h, times, timeUnits, fromSegmentIndex, toSegmentIndex);
  });
}
PICO_STATUS PREF2 ps5000aGetTriggerInfoBulk(int16_t h, PS5000A_TRIGGER_INFO *triggerInfo, uint32_t fromSegmentIndex,
                                            uint32_t toSegmentIndex) {
  return guarded("GetTriggerInfoBulk", h,
                 [&] { return ops::getTriggerInfoBulk(h, triggerInfo, fromSegmentIndex, toSegmentIndex); });
}
PICO_STATUS PREF2 ps5000aQueryOutputEdgeDetect(int16_t h, int16_t *) {
  return guarded("QueryOutputEdgeDetect", h, [&] { return ops::notSupported(h); });
}
PICO_STATUS PREF2 ps5000aSetOutputEdgeDetect(int16_t h, int16_t) {
  return guarded("SetOutputEdgeDetect", h, [&] { return ops::notSupported(h); });
}
