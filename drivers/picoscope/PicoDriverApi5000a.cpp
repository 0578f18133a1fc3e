// SPDX-License-Identifier: GPL-3.0-or-later
// The ps5000a adapter: resolves the functions of libps5000a by name (DYNLINK typedefs from our own
// ABI header) and calls them under the library's mutex.
#include "PicoDriverApiLoader.h"

#define DYNLINK
#include <libps5000a/ps5000aApi.h>

#include <QByteArray>

#include <vector>

namespace bs::picoscope {

namespace {

class Ps5000aApi final : public PicoApi
{
public:
    explicit Ps5000aApi(PicoLibraryFile &file)
        : PicoApi(Family::Ps5000a, file.library.fileName())
        , m_file(file)
    {
#define BS_RESOLVE(name) fn.name = reinterpret_cast<::ps5000a##name>(file.resolve("ps5000a" #name))
        BS_RESOLVE(OpenUnit);
        BS_RESOLVE(CloseUnit);
        BS_RESOLVE(GetUnitInfo);
        BS_RESOLVE(MaximumValue);
        BS_RESOLVE(SetDeviceResolution);
        BS_RESOLVE(ChangePowerSource);
        BS_RESOLVE(CurrentPowerSource);
        BS_RESOLVE(FlashLed);
        BS_RESOLVE(SetChannel);
        BS_RESOLVE(GetAnalogueOffset);
        BS_RESOLVE(GetTimebase2);
        BS_RESOLVE(SetSimpleTrigger);
        BS_RESOLVE(SetTriggerChannelConditions);
        BS_RESOLVE(SetTriggerChannelDirections);
        BS_RESOLVE(SetTriggerChannelProperties);
        BS_RESOLVE(SetTriggerDelay);
        BS_RESOLVE(GetMaxSegments);
        BS_RESOLVE(MemorySegments);
        BS_RESOLVE(SetNoOfCaptures);
        BS_RESOLVE(GetNoOfCaptures);
        BS_RESOLVE(SetDataBuffers);
        BS_RESOLVE(RunBlock);
        BS_RESOLVE(IsReady);
        BS_RESOLVE(GetValues);
        BS_RESOLVE(GetValuesBulk);
        BS_RESOLVE(GetValuesTriggerTimeOffsetBulk64);
        BS_RESOLVE(GetTriggerInfoBulk);
        BS_RESOLVE(RunStreaming);
        BS_RESOLVE(GetStreamingLatestValues);
        BS_RESOLVE(Stop);
        BS_RESOLVE(SetSigGenBuiltInV2);
#undef BS_RESOLVE
    }

    PicoStatus openUnit(std::int16_t *handle, const QByteArray &serial, int resolution) override
    {
        QByteArray s = serial; // the API takes a non-const int8_t*
        return call(fn.OpenUnit, handle, s.isEmpty() ? nullptr : reinterpret_cast<int8_t *>(s.data()),
                    PS5000A_DEVICE_RESOLUTION(resolution));
    }
    PicoStatus closeUnit(std::int16_t h) override { return call(fn.CloseUnit, h); }
    PicoStatus unitInfo(std::int16_t h, std::uint32_t info, QString *text) override
    {
        char buf[128] = {};
        std::int16_t required = 0;
        const PicoStatus st = call(fn.GetUnitInfo, h, reinterpret_cast<int8_t *>(buf), std::int16_t(sizeof buf - 1),
                                   &required, PICO_INFO(info));
        *text = QString::fromLatin1(buf).trimmed();
        return st;
    }
    PicoStatus maximumValue(std::int16_t h, std::int16_t *value) override { return call(fn.MaximumValue, h, value); }
    PicoStatus setResolution(std::int16_t h, int resolution) override
    {
        return call(fn.SetDeviceResolution, h, PS5000A_DEVICE_RESOLUTION(resolution));
    }
    PicoStatus changePowerSource(std::int16_t h, PicoStatus state) override
    {
        return call(fn.ChangePowerSource, h, PICO_STATUS(state));
    }
    PicoStatus currentPowerSource(std::int16_t h) override { return call(fn.CurrentPowerSource, h); }
    PicoStatus flashLed(std::int16_t h, std::int16_t start) override { return call(fn.FlashLed, h, start); }

    PicoStatus setChannel(std::int16_t h, int channel, bool enabled, int coupling, int range, float offset) override
    {
        return call(fn.SetChannel, h, PS5000A_CHANNEL(channel), std::int16_t(enabled), PS5000A_COUPLING(coupling),
                    PS5000A_RANGE(range), offset);
    }
    PicoStatus analogueOffset(std::int16_t h, int range, int coupling, float *max, float *min) override
    {
        return call(fn.GetAnalogueOffset, h, PS5000A_RANGE(range), PS5000A_COUPLING(coupling), max, min);
    }
    PicoStatus timebase(std::int16_t h, std::uint32_t tb, std::int32_t samples, float *intervalNs,
                        std::int32_t *maxSamples, std::uint32_t segment) override
    {
        return call(fn.GetTimebase2, h, tb, samples, intervalNs, maxSamples, segment);
    }

    PicoStatus simpleTrigger(std::int16_t h, bool enable, int channel, std::int16_t threshold, int direction,
                             std::uint32_t delay, std::int16_t autoMs) override
    {
        return call(fn.SetSimpleTrigger, h, std::int16_t(enable), PS5000A_CHANNEL(channel), threshold,
                    PS5000A_THRESHOLD_DIRECTION(direction), delay, autoMs);
    }
    PicoStatus triggerConditions(std::int16_t h, const int *s, bool enable) override
    {
        if (!enable || !s)
            return call(fn.SetTriggerChannelConditions, h, static_cast<PS5000A_TRIGGER_CONDITIONS *>(nullptr),
                        std::int16_t(0));
        PS5000A_TRIGGER_CONDITIONS c{};
        c.channelA = PS5000A_TRIGGER_STATE(s[0]);
        c.channelB = PS5000A_TRIGGER_STATE(s[1]);
        c.channelC = PS5000A_TRIGGER_STATE(s[2]);
        c.channelD = PS5000A_TRIGGER_STATE(s[3]);
        c.external = PS5000A_TRIGGER_STATE(s[4]);
        c.aux = PS5000A_TRIGGER_STATE(s[5]);
        c.pulseWidthQualifier = PS5000A_CONDITION_DONT_CARE;
        return call(fn.SetTriggerChannelConditions, h, &c, std::int16_t(1));
    }
    PicoStatus triggerDirections(std::int16_t h, const int *d) override
    {
        using D = PS5000A_THRESHOLD_DIRECTION;
        return call(fn.SetTriggerChannelDirections, h, D(d[0]), D(d[1]), D(d[2]), D(d[3]), D(d[4]), D(d[5]));
    }
    PicoStatus triggerProperties(std::int16_t h, const TriggerProperty *props, int count, std::int32_t autoMs) override
    {
        std::vector<PS5000A_TRIGGER_CHANNEL_PROPERTIES> p(std::size_t(std::max(count, 0)));
        for (std::size_t i = 0; i < p.size(); ++i)
            p[i] = {props[i].upper, props[i].upperHysteresis, props[i].lower, props[i].lowerHysteresis,
                    PS5000A_CHANNEL(props[i].channel), PS5000A_THRESHOLD_MODE(props[i].mode)};
        return call(fn.SetTriggerChannelProperties, h, p.empty() ? nullptr : p.data(), std::int16_t(count),
                    std::int16_t(1), autoMs);
    }
    PicoStatus triggerDelay(std::int16_t h, std::uint32_t delay) override { return call(fn.SetTriggerDelay, h, delay); }

    PicoStatus maxSegments(std::int16_t h, std::uint32_t *segments) override { return call(fn.GetMaxSegments, h, segments); }
    PicoStatus memorySegments(std::int16_t h, std::uint32_t segments, std::int32_t *maxSamples) override
    {
        return call(fn.MemorySegments, h, segments, maxSamples);
    }
    PicoStatus setNoOfCaptures(std::int16_t h, std::uint32_t captures) override
    {
        return call(fn.SetNoOfCaptures, h, captures);
    }
    PicoStatus noOfCaptures(std::int16_t h, std::uint32_t *captures) override
    {
        return call(fn.GetNoOfCaptures, h, captures);
    }

    PicoStatus setDataBuffers(std::int16_t h, int channel, std::int16_t *max, std::int16_t *min, std::int32_t length,
                              std::uint32_t segment, int ratioMode) override
    {
        return call(fn.SetDataBuffers, h, PS5000A_CHANNEL(channel), max, min, length, segment,
                    PS5000A_RATIO_MODE(ratioMode));
    }
    PicoStatus runBlock(std::int16_t h, std::int32_t pre, std::int32_t post, std::uint32_t tb, std::int32_t *indisposed,
                        std::uint32_t segment, BlockReadyFn ready, void *param) override
    {
        return call(fn.RunBlock, h, pre, post, tb, indisposed, segment, reinterpret_cast<ps5000aBlockReady>(ready),
                    param);
    }
    PicoStatus isReady(std::int16_t h, std::int16_t *ready) override { return call(fn.IsReady, h, ready); }
    PicoStatus values(std::int16_t h, std::uint32_t start, std::uint32_t *samples, std::uint32_t ratio, int ratioMode,
                      std::uint32_t segment, std::int16_t *overflow) override
    {
        return call(fn.GetValues, h, start, samples, ratio, PS5000A_RATIO_MODE(ratioMode), segment, overflow);
    }
    PicoStatus valuesBulk(std::int16_t h, std::uint32_t *samples, std::uint32_t from, std::uint32_t to,
                          std::uint32_t ratio, int ratioMode, std::int16_t *overflow) override
    {
        return call(fn.GetValuesBulk, h, samples, from, to, ratio, PS5000A_RATIO_MODE(ratioMode), overflow);
    }
    PicoStatus triggerTimeOffsets(std::int16_t h, std::uint32_t from, std::uint32_t to, double *seconds) override
    {
        const std::size_t n = to >= from ? std::size_t(to - from + 1) : 0;
        std::vector<std::int64_t> times(n);
        std::vector<PS5000A_TIME_UNITS> units(n, PS5000A_NS); // one unit per segment (U8)
        const PicoStatus st = call(fn.GetValuesTriggerTimeOffsetBulk64, h, times.data(), units.data(), from, to);
        for (std::size_t i = 0; i < n; ++i)
            seconds[i] = double(times[i]) * timeUnitSeconds(int(units[i]));
        return st;
    }
    PicoStatus triggerTimeStamps(std::int16_t h, std::uint32_t from, std::uint32_t to, std::uint64_t *ticks,
                                 bool *valid) override
    {
        const std::size_t n = to >= from ? std::size_t(to - from + 1) : 0;
        std::vector<PS5000A_TRIGGER_INFO> info(n);
        const PicoStatus st = call(fn.GetTriggerInfoBulk, h, info.data(), from, to);
        for (std::size_t i = 0; i < n; ++i) {
            ticks[i] = info[i].timeStampCounter;
            valid[i] = info[i].status == PICO_OK; // a reset counter (segment 0) is arbitrary
        }
        return st;
    }

    PicoStatus runStreaming(std::int16_t h, std::uint32_t *interval, int unit, std::uint32_t pre, std::uint32_t post,
                            bool autoStop, std::uint32_t ratio, int ratioMode, std::uint32_t overviewSize) override
    {
        return call(fn.RunStreaming, h, interval, PS5000A_TIME_UNITS(unit), pre, post, std::int16_t(autoStop), ratio,
                    PS5000A_RATIO_MODE(ratioMode), overviewSize);
    }
    PicoStatus latestValues(std::int16_t h, StreamingReadyFn ready, void *param) override
    {
        return call(fn.GetStreamingLatestValues, h, reinterpret_cast<ps5000aStreamingReady>(ready), param);
    }
    PicoStatus stop(std::int16_t h) override { return call(fn.Stop, h); }

    PicoStatus sigGenBuiltIn(std::int16_t h, std::int32_t offsetUv, std::uint32_t pkToPkUv, int waveType, double startHz,
                             double stopHz, double incrementHz, double dwellSeconds, int sweepType) override
    {
        return call(fn.SetSigGenBuiltInV2, h, offsetUv, pkToPkUv, PS5000A_WAVE_TYPE(waveType), startHz, stopHz,
                    incrementHz, dwellSeconds, PS5000A_SWEEP_TYPE(sweepType), PS5000A_ES_OFF, 0u, 0u,
                    PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE, std::int16_t(0));
    }

private:
    template<typename F, typename... Args>
    PicoStatus call(F f, Args... args)
    {
        QMutexLocker lock(&m_file.mutex);
        return f(args...);
    }

    PicoLibraryFile &m_file;
    struct
    {
        ::ps5000aOpenUnit OpenUnit = nullptr;
        ::ps5000aCloseUnit CloseUnit = nullptr;
        ::ps5000aGetUnitInfo GetUnitInfo = nullptr;
        ::ps5000aMaximumValue MaximumValue = nullptr;
        ::ps5000aSetDeviceResolution SetDeviceResolution = nullptr;
        ::ps5000aChangePowerSource ChangePowerSource = nullptr;
        ::ps5000aCurrentPowerSource CurrentPowerSource = nullptr;
        ::ps5000aFlashLed FlashLed = nullptr;
        ::ps5000aSetChannel SetChannel = nullptr;
        ::ps5000aGetAnalogueOffset GetAnalogueOffset = nullptr;
        ::ps5000aGetTimebase2 GetTimebase2 = nullptr;
        ::ps5000aSetSimpleTrigger SetSimpleTrigger = nullptr;
        ::ps5000aSetTriggerChannelConditions SetTriggerChannelConditions = nullptr;
        ::ps5000aSetTriggerChannelDirections SetTriggerChannelDirections = nullptr;
        ::ps5000aSetTriggerChannelProperties SetTriggerChannelProperties = nullptr;
        ::ps5000aSetTriggerDelay SetTriggerDelay = nullptr;
        ::ps5000aGetMaxSegments GetMaxSegments = nullptr;
        ::ps5000aMemorySegments MemorySegments = nullptr;
        ::ps5000aSetNoOfCaptures SetNoOfCaptures = nullptr;
        ::ps5000aGetNoOfCaptures GetNoOfCaptures = nullptr;
        ::ps5000aSetDataBuffers SetDataBuffers = nullptr;
        ::ps5000aRunBlock RunBlock = nullptr;
        ::ps5000aIsReady IsReady = nullptr;
        ::ps5000aGetValues GetValues = nullptr;
        ::ps5000aGetValuesBulk GetValuesBulk = nullptr;
        ::ps5000aGetValuesTriggerTimeOffsetBulk64 GetValuesTriggerTimeOffsetBulk64 = nullptr;
        ::ps5000aGetTriggerInfoBulk GetTriggerInfoBulk = nullptr;
        ::ps5000aRunStreaming RunStreaming = nullptr;
        ::ps5000aGetStreamingLatestValues GetStreamingLatestValues = nullptr;
        ::ps5000aStop Stop = nullptr;
        ::ps5000aSetSigGenBuiltInV2 SetSigGenBuiltInV2 = nullptr;
    } fn;
};

} // namespace

std::shared_ptr<PicoApi> makePs5000aApi(PicoLibraryFile &file)
{
    return std::make_shared<Ps5000aApi>(file);
}

} // namespace bs::picoscope
