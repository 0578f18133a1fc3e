// SPDX-License-Identifier: GPL-3.0-or-later
// The API operations shared by the ps5000a and ps2000a ABI layers, with plain C types (enum
// arguments as int). Every function validates its arguments (NULL pointers, enum ranges, handle)
// and returns a vendor status code; the guard (PicoSimGuard.h) is applied by the ABI layer.
#pragma once

#include <cstdint>

#include "PicoSimTypes.h"
#include "PicoSimUnit.h"

namespace picosim::ops {

// ---- unit ----
Status openUnit(int16_t *handle, const int8_t *serial, int resolution);
Status openUnitAsync(int16_t *status, const int8_t *serial, int resolution);
Status openUnitProgress(int16_t *handle, int16_t *progress, int16_t *complete);
Status enumerateUnits(int16_t *count, int8_t *serials, int16_t *serialLth);
Status getUnitInfo(int16_t handle, int8_t *string, int16_t length, int16_t *required, uint32_t info);
Status flashLed(int16_t handle, int16_t start);
Status isLedFlashing(int16_t handle, int16_t *status);
Status closeUnit(int16_t handle);
Status pingUnit(int16_t handle);
Status setDeviceResolution(int16_t handle, int resolution);
Status getDeviceResolution(int16_t handle, int *resolution);
Status changePowerSource(int16_t handle, Status state);
Status currentPowerSource(int16_t handle);
Status checkForUpdate(int16_t handle, int16_t *current, int16_t *update, uint16_t *required);
Status notSupported(int16_t handle);  // PICO_NOT_SUPPORTED_BY_THIS_DEVICE for a valid handle

// ---- channels ----
Status setChannel(int16_t handle, int channel, int16_t enabled, int coupling, int range, float offset);
Status setBandwidthFilter(int16_t handle, int channel, int bandwidth);
Status setDigitalPort(int16_t handle, int port, int16_t enabled, int16_t logicLevel);
Status getAnalogueOffset(int16_t handle, int range, int coupling, float *maxV, float *minV);
Status getChannelInformation(int16_t handle, int info, int32_t probe, int32_t *ranges, int32_t *length,
                             int32_t channels);
Status maximumValue(int16_t handle, int16_t *value);
Status minimumValue(int16_t handle, int16_t *value);

// ---- timebase and memory ----
Status getTimebase(int16_t handle, uint32_t timebase, int32_t samples, double *intervalNs, int32_t *maxSamples,
                   uint32_t segment);
Status nearestSampleIntervalStateless(int16_t handle, uint32_t flags, double seconds, int resolution,
                                      uint16_t useEts, uint32_t *timebase, double *available);
Status minimumTimebaseStateless(int16_t handle, uint32_t flags, uint32_t *timebase, double *seconds, int resolution);
Status channelCombinationsStateless(int16_t handle, uint32_t *combinations, uint32_t *count, int resolution,
                                    uint32_t timebase, int16_t dcPower);
Status memorySegments(int16_t handle, uint32_t segments, int32_t *maxSamples);
Status getMaxSegments(int16_t handle, uint32_t *maxSegments);
Status setNoOfCaptures(int16_t handle, uint32_t captures);
Status getNoOfCaptures(int16_t handle, uint32_t *captures);
Status getNoOfProcessedCaptures(int16_t handle, uint32_t *captures);

// ---- triggers ----
Status setSimpleTrigger(int16_t handle, int16_t enable, int channel, int16_t threshold, int direction,
                        uint32_t delay, int16_t autoTriggerMs);
// Old struct API: `conditions` holds n records of `fields` int32 states (A, B, C, D, EXT, AUX, PWQ[, digital]).
Status setTriggerConditionsOld(int16_t handle, const void *conditions, int16_t n, int fields);
Status setTriggerDirectionsOld(int16_t handle, const int directions[6]);
// Old properties: records of 16 bytes (with thresholdMode).
Status setTriggerPropertiesOld(int16_t handle, const void *props, int16_t n, int32_t autoTriggerMs);
Status setTriggerConditionsV2(int16_t handle, const void *conditions, int16_t n, uint32_t info, bool pwq);
Status setTriggerDirectionsV2(int16_t handle, const void *directions, int32_t n, bool pwq);
Status setTriggerPropertiesV2(int16_t handle, const void *props, int16_t n);
Status setAutoTriggerMicroSeconds(int16_t handle, uint64_t us);
Status setTriggerDelay(int16_t handle, uint32_t delay);
Status setDigitalDirections(int16_t handle, const void *directions, int16_t n);
Status setPulseWidthQualifierOld(int16_t handle, const void *conditions, int16_t n, int fields, int direction,
                                 uint32_t lower, uint32_t upper, int type);
Status setPulseWidthQualifierProperties(int16_t handle, uint32_t lower, uint32_t upper, int type);
Status isTriggerOrPwqEnabled(int16_t handle, int16_t *trigger, int16_t *pwq);
Status triggerWithinPreTriggerSamples(int16_t handle, int state);
Status getTriggerTimeOffset(int16_t handle, int64_t *time, int *units, uint32_t segment);
Status getTriggerTimeOffsetBulk(int16_t handle, int64_t *times, int *units, uint32_t from, uint32_t to);
Status getTriggerInfoBulk(int16_t handle, void *info, uint32_t from, uint32_t to);

// ---- buffers and acquisition ----
Status setDataBuffers(int16_t handle, int channel, int16_t *bufMax, int16_t *bufMin, int32_t length,
                      uint32_t segment, uint32_t mode);
Status setEts(int16_t handle, int mode, int16_t cycles, int16_t interleave, int32_t *sampleTimePs);
Status setEtsTimeBuffer(int16_t handle, const void *buffer, int32_t length);
Status runBlock(int16_t handle, int32_t pre, int32_t post, uint32_t timebase, int32_t *indisposedMs,
                uint32_t segment, BlockReadyFn ready, void *parameter);
Status isReady(int16_t handle, int16_t *ready);
Status runStreaming(int16_t handle, uint32_t *interval, int units, uint32_t maxPre, uint32_t maxPost,
                    int16_t autoStop, uint32_t ratio, uint32_t mode, uint32_t overview);
Status getStreamingLatestValues(int16_t handle, StreamingReadyFn ready, void *parameter);
Status noOfStreamingValues(int16_t handle, uint32_t *count);
Status getMaxDownSampleRatio(int16_t handle, uint32_t raw, uint32_t *maxRatio, uint32_t mode, uint32_t segment);
Status getValues(int16_t handle, uint32_t start, uint32_t *count, uint32_t ratio, uint32_t mode, uint32_t segment,
                 int16_t *overflow);
Status getValuesAsync(int16_t handle, uint32_t start, uint32_t count, uint32_t ratio, uint32_t mode,
                      uint32_t segment, void *ready, void *parameter);
Status getValuesBulk(int16_t handle, uint32_t *count, uint32_t from, uint32_t to, uint32_t ratio, uint32_t mode,
                     int16_t *overflow);
Status getValuesOverlapped(int16_t handle, uint32_t start, uint32_t *count, uint32_t ratio, uint32_t mode,
                           uint32_t from, uint32_t to, int16_t *overflow, bool bulk);
Status stop(int16_t handle);

// ---- signal generator ----
Status setSigGenBuiltIn(int16_t handle, int32_t offsetUv, uint32_t pkToPkUv, int waveType, double start,
                        double stop, double increment, double dwell, int sweepType, int operation,
                        uint32_t shots, uint32_t sweeps, int trigType, int trigSource, int16_t extThreshold);
Status setSigGenArbitrary(int16_t handle, int32_t offsetUv, uint32_t pkToPkUv, uint32_t startDp, uint32_t stopDp,
                          uint32_t incDp, uint32_t dwellCount, const int16_t *waveform, int32_t size,
                          int sweepType, int operation, int indexMode, uint32_t shots, uint32_t sweeps,
                          int trigType, int trigSource, int16_t extThreshold);
Status setSigGenPropertiesBuiltIn(int16_t handle, double start, double stop, double increment, double dwell,
                                  int sweepType, uint32_t shots, uint32_t sweeps, int trigType, int trigSource,
                                  int16_t extThreshold);
Status setSigGenPropertiesArbitrary(int16_t handle, uint32_t startDp, uint32_t stopDp, uint32_t incDp,
                                    uint32_t dwellCount, int sweepType, uint32_t shots, uint32_t sweeps,
                                    int trigType, int trigSource, int16_t extThreshold);
Status sigGenFrequencyToPhase(int16_t handle, double frequency, int indexMode, uint32_t bufferLength,
                              uint32_t *phase);
Status sigGenArbitraryMinMaxValues(int16_t handle, int16_t *minValue, int16_t *maxValue, uint32_t *minSize,
                                   uint32_t *maxSize);
Status sigGenSoftwareControl(int16_t handle, int16_t state);

}  // namespace picosim::ops
