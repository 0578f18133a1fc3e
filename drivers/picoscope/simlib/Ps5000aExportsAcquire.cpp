// SPDX-License-Identifier: GPL-3.0-or-later
// The ps5000a C ABI: buffers, acquisition (block, rapid block, streaming) and signal generator.
#include "libps5000a/ps5000aApi.h"

#include "PicoSimGuard.h"
#include "PicoSimOps.h"

using namespace picosim;

// ---- buffers and acquisition ----
PICO_STATUS PREF2 ps5000aSetDataBuffers(int16_t h, PS5000A_CHANNEL source, int16_t *bufferMax, int16_t *bufferMin,
                                        int32_t bufferLth, uint32_t segmentIndex, PS5000A_RATIO_MODE mode) {
  return guarded("SetDataBuffers", h,
                 [&] { return ops::setDataBuffers(h, raw(source), bufferMax, bufferMin, bufferLth, segmentIndex, raw(mode)); });
}
PICO_STATUS PREF2 ps5000aSetDataBuffer(int16_t h, PS5000A_CHANNEL source, int16_t *buffer, int32_t bufferLth,
                                       uint32_t segmentIndex, PS5000A_RATIO_MODE mode) {
  return guarded("SetDataBuffer", h,
                 [&] { return ops::setDataBuffers(h, raw(source), buffer, nullptr, bufferLth, segmentIndex, raw(mode)); });
}
PICO_STATUS PREF2 ps5000aSetUnscaledDataBuffers(int16_t h, PS5000A_CHANNEL, int8_t *, int8_t *, int32_t, uint32_t,
                                                PS5000A_RATIO_MODE) {
  return guarded("SetUnscaledDataBuffers", h, [&] { return ops::notSupported(h); });
}
PICO_STATUS PREF2 ps5000aSetEts(int16_t h, PS5000A_ETS_MODE mode, int16_t etsCycles, int16_t etsInterleave,
                                int32_t *sampleTimePicoseconds) {
  return guarded("SetEts", h, [&] { return ops::setEts(h, raw(mode), etsCycles, etsInterleave, sampleTimePicoseconds); });
}
PICO_STATUS PREF2 ps5000aSetEtsTimeBuffer(int16_t h, int64_t *buffer, int32_t bufferLth) {
  return guarded("SetEtsTimeBuffer", h, [&] { return ops::setEtsTimeBuffer(h, buffer, bufferLth); });
}
PICO_STATUS PREF2 ps5000aSetEtsTimeBuffers(int16_t h, uint32_t *timeUpper, uint32_t *timeLower, int32_t bufferLth) {
  return guarded("SetEtsTimeBuffers", h, [&] {
    return ops::setEtsTimeBuffer(h, timeUpper ? static_cast<const void *>(timeUpper) : timeLower, bufferLth);
  });
}
PICO_STATUS PREF2 ps5000aRunBlock(int16_t h, int32_t noOfPreTriggerSamples, int32_t noOfPostTriggerSamples,
                                  uint32_t timebase, int32_t *timeIndisposedMs, uint32_t segmentIndex,
                                  ps5000aBlockReady lpReady, void *pParameter) {
  return guarded("RunBlock", h, [&] {
    return ops::runBlock(h, noOfPreTriggerSamples, noOfPostTriggerSamples, timebase, timeIndisposedMs, segmentIndex,
                         lpReady, pParameter);
  });
}
PICO_STATUS PREF2 ps5000aIsReady(int16_t h, int16_t *ready) {
  return guarded("IsReady", h, [&] { return ops::isReady(h, ready); });
}
PICO_STATUS PREF2 ps5000aRunStreaming(int16_t h, uint32_t *sampleInterval, PS5000A_TIME_UNITS sampleIntervalTimeUnits,
                                      uint32_t maxPreTriggerSamples, uint32_t maxPostTriggerSamples, int16_t autoStop,
                                      uint32_t downSampleRatio, PS5000A_RATIO_MODE downSampleRatioMode,
                                      uint32_t overviewBufferSize) {
  return guarded("RunStreaming", h, [&] {
    return ops::runStreaming(h, sampleInterval, raw(sampleIntervalTimeUnits), maxPreTriggerSamples, maxPostTriggerSamples,
                             autoStop, downSampleRatio, raw(downSampleRatioMode), overviewBufferSize);
  });
}
PICO_STATUS PREF2 ps5000aGetStreamingLatestValues(int16_t h, ps5000aStreamingReady lpPs5000aReady, void *pParameter) {
  return guarded("GetStreamingLatestValues", h,
                 [&] { return ops::getStreamingLatestValues(h, lpPs5000aReady, pParameter); });
}
PICO_STATUS PREF2 ps5000aNoOfStreamingValues(int16_t h, uint32_t *noOfValues) {
  return guarded("NoOfStreamingValues", h, [&] { return ops::noOfStreamingValues(h, noOfValues); });
}
PICO_STATUS PREF2 ps5000aGetMaxDownSampleRatio(int16_t h, uint32_t noOfUnaggreatedSamples, uint32_t *maxDownSampleRatio,
                                               PS5000A_RATIO_MODE downSampleRatioMode, uint32_t segmentIndex) {
  return guarded("GetMaxDownSampleRatio", h, [&] {
    return ops::getMaxDownSampleRatio(h, noOfUnaggreatedSamples, maxDownSampleRatio, raw(downSampleRatioMode), segmentIndex);
  });
}
PICO_STATUS PREF2 ps5000aGetValues(int16_t h, uint32_t startIndex, uint32_t *noOfSamples, uint32_t downSampleRatio,
                                   PS5000A_RATIO_MODE downSampleRatioMode, uint32_t segmentIndex, int16_t *overflow) {
  return guarded("GetValues", h, [&] {
    return ops::getValues(h, startIndex, noOfSamples, downSampleRatio, raw(downSampleRatioMode), segmentIndex, overflow);
  });
}
PICO_STATUS PREF2 ps5000aGetValuesAsync(int16_t h, uint32_t startIndex, uint32_t noOfSamples, uint32_t downSampleRatio,
                                        PS5000A_RATIO_MODE downSampleRatioMode, uint32_t segmentIndex,
                                        void *lpDataReady, void *pParameter) {
  return guarded("GetValuesAsync", h, [&] {
    return ops::getValuesAsync(h, startIndex, noOfSamples, downSampleRatio, raw(downSampleRatioMode), segmentIndex,
                               lpDataReady, pParameter);
  });
}
PICO_STATUS PREF2 ps5000aGetValuesBulk(int16_t h, uint32_t *noOfSamples, uint32_t fromSegmentIndex,
                                       uint32_t toSegmentIndex, uint32_t downSampleRatio,
                                       PS5000A_RATIO_MODE downSampleRatioMode, int16_t *overflow) {
  return guarded("GetValuesBulk", h, [&] {
    return ops::getValuesBulk(h, noOfSamples, fromSegmentIndex, toSegmentIndex, downSampleRatio, raw(downSampleRatioMode),
                              overflow);
  });
}
PICO_STATUS PREF2 ps5000aGetValuesOverlapped(int16_t h, uint32_t startIndex, uint32_t *noOfSamples,
                                             uint32_t downSampleRatio, PS5000A_RATIO_MODE downSampleRatioMode,
                                             uint32_t segmentIndex, int16_t *overflow) {
  return guarded("GetValuesOverlapped", h, [&] {
    return ops::getValuesOverlapped(h, startIndex, noOfSamples, downSampleRatio, raw(downSampleRatioMode), segmentIndex,
                                    segmentIndex, overflow, false);
  });
}
PICO_STATUS PREF2 ps5000aGetValuesOverlappedBulk(int16_t h, uint32_t startIndex, uint32_t *noOfSamples,
                                                 uint32_t downSampleRatio, PS5000A_RATIO_MODE downSampleRatioMode,
                                                 uint32_t fromSegmentIndex, uint32_t toSegmentIndex, int16_t *overflow) {
  return guarded("GetValuesOverlappedBulk", h, [&] {
    return ops::getValuesOverlapped(h, startIndex, noOfSamples, downSampleRatio, raw(downSampleRatioMode),
                                    fromSegmentIndex, toSegmentIndex, overflow, true);
  });
}
PICO_STATUS PREF2 ps5000aStop(int16_t h) {
  return guarded("Stop", h, [&] { return ops::stop(h); });
}

// ---- signal generator ----
PICO_STATUS PREF2 ps5000aSetSigGenBuiltIn(int16_t h, int32_t offsetVoltage, uint32_t pkToPk, PS5000A_WAVE_TYPE waveType,
                                          float startFrequency, float stopFrequency, float increment, float dwellTime,
                                          PS5000A_SWEEP_TYPE sweepType, PS5000A_EXTRA_OPERATIONS operation,
                                          uint32_t shots, uint32_t sweeps, PS5000A_SIGGEN_TRIG_TYPE triggerType,
                                          PS5000A_SIGGEN_TRIG_SOURCE triggerSource, int16_t extInThreshold) {
  return guarded("SetSigGenBuiltIn", h, [&] {
    return ops::setSigGenBuiltIn(h, offsetVoltage, pkToPk, raw(waveType), startFrequency, stopFrequency, increment,
                                 dwellTime, raw(sweepType), raw(operation), shots, sweeps, raw(triggerType), raw(triggerSource),
                                 extInThreshold);
  });
}
PICO_STATUS PREF2 ps5000aSetSigGenBuiltInV2(int16_t h, int32_t offsetVoltage, uint32_t pkToPk,
                                            PS5000A_WAVE_TYPE waveType, double startFrequency, double stopFrequency,
                                            double increment, double dwellTime, PS5000A_SWEEP_TYPE sweepType,
                                            PS5000A_EXTRA_OPERATIONS operation, uint32_t shots, uint32_t sweeps,
                                            PS5000A_SIGGEN_TRIG_TYPE triggerType,
                                            PS5000A_SIGGEN_TRIG_SOURCE triggerSource, int16_t extInThreshold) {
  return guarded("SetSigGenBuiltInV2", h, [&] {
    return ops::setSigGenBuiltIn(h, offsetVoltage, pkToPk, raw(waveType), startFrequency, stopFrequency, increment,
                                 dwellTime, raw(sweepType), raw(operation), shots, sweeps, raw(triggerType), raw(triggerSource),
                                 extInThreshold);
  });
}
PICO_STATUS PREF2 ps5000aSetSigGenArbitrary(int16_t h, int32_t offsetVoltage, uint32_t pkToPk, uint32_t startDeltaPhase,
                                            uint32_t stopDeltaPhase, uint32_t deltaPhaseIncrement, uint32_t dwellCount,
                                            int16_t *arbitraryWaveform, int32_t arbitraryWaveformSize,
                                            PS5000A_SWEEP_TYPE sweepType, PS5000A_EXTRA_OPERATIONS operation,
                                            PS5000A_INDEX_MODE indexMode, uint32_t shots, uint32_t sweeps,
                                            PS5000A_SIGGEN_TRIG_TYPE triggerType,
                                            PS5000A_SIGGEN_TRIG_SOURCE triggerSource, int16_t extInThreshold) {
  return guarded("SetSigGenArbitrary", h, [&] {
    return ops::setSigGenArbitrary(h, offsetVoltage, pkToPk, startDeltaPhase, stopDeltaPhase, deltaPhaseIncrement,
                                   dwellCount, arbitraryWaveform, arbitraryWaveformSize, raw(sweepType), raw(operation),
                                   raw(indexMode), shots, sweeps, raw(triggerType), raw(triggerSource), extInThreshold);
  });
}
PICO_STATUS PREF2 ps5000aSetSigGenPropertiesBuiltIn(int16_t h, double startFrequency, double stopFrequency,
                                                    double increment, double dwellTime, PS5000A_SWEEP_TYPE sweepType,
                                                    uint32_t shots, uint32_t sweeps,
                                                    PS5000A_SIGGEN_TRIG_TYPE triggerType,
                                                    PS5000A_SIGGEN_TRIG_SOURCE triggerSource, int16_t extInThreshold) {
  return guarded("SetSigGenPropertiesBuiltIn", h, [&] {
    return ops::setSigGenPropertiesBuiltIn(h, startFrequency, stopFrequency, increment, dwellTime, raw(sweepType), shots,
                                           sweeps, raw(triggerType), raw(triggerSource), extInThreshold);
  });
}
PICO_STATUS PREF2 ps5000aSetSigGenPropertiesArbitrary(int16_t h, uint32_t startDeltaPhase, uint32_t stopDeltaPhase,
                                                      uint32_t deltaPhaseIncrement, uint32_t dwellCount,
                                                      PS5000A_SWEEP_TYPE sweepType, uint32_t shots, uint32_t sweeps,
                                                      PS5000A_SIGGEN_TRIG_TYPE triggerType,
                                                      PS5000A_SIGGEN_TRIG_SOURCE triggerSource,
                                                      int16_t extInThreshold) {
  return guarded("SetSigGenPropertiesArbitrary", h, [&] {
    return ops::setSigGenPropertiesArbitrary(h, startDeltaPhase, stopDeltaPhase, deltaPhaseIncrement, dwellCount,
                                             raw(sweepType), shots, sweeps, raw(triggerType), raw(triggerSource), extInThreshold);
  });
}
PICO_STATUS PREF2 ps5000aSigGenFrequencyToPhase(int16_t h, double frequency, PS5000A_INDEX_MODE indexMode,
                                                uint32_t bufferLength, uint32_t *phase) {
  return guarded("SigGenFrequencyToPhase", h,
                 [&] { return ops::sigGenFrequencyToPhase(h, frequency, raw(indexMode), bufferLength, phase); });
}
PICO_STATUS PREF2 ps5000aSigGenArbitraryMinMaxValues(int16_t h, int16_t *minArbitraryWaveformValue,
                                                     int16_t *maxArbitraryWaveformValue,
                                                     uint32_t *minArbitraryWaveformSize,
                                                     uint32_t *maxArbitraryWaveformSize) {
  return guarded("SigGenArbitraryMinMaxValues", h, [&] {
    return ops::sigGenArbitraryMinMaxValues(h, minArbitraryWaveformValue, maxArbitraryWaveformValue,
                                            minArbitraryWaveformSize, maxArbitraryWaveformSize);
  });
}
PICO_STATUS PREF2 ps5000aSigGenSoftwareControl(int16_t h, int16_t state) {
  return guarded("SigGenSoftwareControl", h, [&] { return ops::sigGenSoftwareControl(h, state); });
}
