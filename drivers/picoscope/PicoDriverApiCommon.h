// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The calls whose shape ps5000a and ps2000a share (protocols/picoscope.md §14.2), written once for
// both families. `Fns` is a family's table of resolved function pointers with the same member
// names (OpenUnit, SetChannel, …) and two struct aliases (Conditions, Properties); the family
// adapters add what differs (OpenUnit, GetTimebase2, RunBlock, power, resolution, trigger info).

#include "PicoDriverApiLoader.h"

#include <algorithm>
#include <vector>

namespace bs::picoscope {

template<typename Fns>
class PicoApiCommon : public PicoApi
{
public:
    PicoStatus closeUnit(std::int16_t h) override { return call(fn.CloseUnit, h); }
    PicoStatus unitInfo(std::int16_t h, std::uint32_t info, QString *text) override
    {
        char buf[128] = {};
        std::int16_t required = 0;
        const PicoStatus st = call(fn.GetUnitInfo, h, reinterpret_cast<std::int8_t *>(buf),
                                   std::int16_t(sizeof buf - 1), &required, info);
        *text = QString::fromLatin1(buf).trimmed();
        return st;
    }
    PicoStatus maximumValue(std::int16_t h, std::int16_t *value) override { return call(fn.MaximumValue, h, value); }
    PicoStatus flashLed(std::int16_t h, std::int16_t start) override { return call(fn.FlashLed, h, start); }

    PicoStatus setChannel(std::int16_t h, int channel, bool enabled, int coupling, int range, float offset) override
    {
        return call(fn.SetChannel, h, channel, std::int16_t(enabled), coupling, range, offset);
    }
    PicoStatus analogueOffset(std::int16_t h, int range, int coupling, float *max, float *min) override
    {
        return call(fn.GetAnalogueOffset, h, range, coupling, max, min);
    }

    PicoStatus simpleTrigger(std::int16_t h, bool enable, int channel, std::int16_t threshold, int direction,
                             std::uint32_t delay, std::int16_t autoMs) override
    {
        return call(fn.SetSimpleTrigger, h, std::int16_t(enable), channel, threshold, direction, delay, autoMs);
    }
    PicoStatus triggerConditions(std::int16_t h, const int *s, bool enable) override
    {
        using Conditions = typename Fns::Conditions;
        if (!enable || !s)
            return call(fn.SetTriggerChannelConditions, h, static_cast<Conditions *>(nullptr), std::int16_t(0));
        Conditions c{}; // ps2000a's extra `digital` field stays 0 = don't care
        using State = decltype(c.channelA);
        c.channelA = State(s[0]);
        c.channelB = State(s[1]);
        c.channelC = State(s[2]);
        c.channelD = State(s[3]);
        c.external = State(s[4]);
        c.aux = State(s[5]);
        c.pulseWidthQualifier = State(0);
        return call(fn.SetTriggerChannelConditions, h, &c, std::int16_t(1));
    }
    PicoStatus triggerDirections(std::int16_t h, const int *d) override
    {
        return call(fn.SetTriggerChannelDirections, h, d[0], d[1], d[2], d[3], d[4], d[5]);
    }
    PicoStatus triggerProperties(std::int16_t h, const TriggerProperty *props, int count, std::int32_t autoMs) override
    {
        using Properties = typename Fns::Properties;
        std::vector<Properties> p(std::size_t(std::max(count, 0)));
        for (std::size_t i = 0; i < p.size(); ++i) {
            p[i].thresholdUpper = props[i].upper;
            p[i].thresholdUpperHysteresis = props[i].upperHysteresis;
            p[i].thresholdLower = props[i].lower;
            p[i].thresholdLowerHysteresis = props[i].lowerHysteresis;
            p[i].channel = decltype(p[i].channel)(props[i].channel);
            p[i].thresholdMode = decltype(p[i].thresholdMode)(props[i].mode);
        }
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
        return call(fn.SetDataBuffers, h, channel, max, min, length, segment, ratioMode);
    }
    PicoStatus isReady(std::int16_t h, std::int16_t *ready) override { return call(fn.IsReady, h, ready); }
    PicoStatus values(std::int16_t h, std::uint32_t start, std::uint32_t *samples, std::uint32_t ratio, int ratioMode,
                      std::uint32_t segment, std::int16_t *overflow) override
    {
        return call(fn.GetValues, h, start, samples, ratio, ratioMode, segment, overflow);
    }
    PicoStatus valuesBulk(std::int16_t h, std::uint32_t *samples, std::uint32_t from, std::uint32_t to,
                          std::uint32_t ratio, int ratioMode, std::int16_t *overflow) override
    {
        return call(fn.GetValuesBulk, h, samples, from, to, ratio, ratioMode, overflow);
    }
    PicoStatus triggerTimeOffsets(std::int16_t h, std::uint32_t from, std::uint32_t to, double *seconds) override
    {
        const std::size_t n = to >= from ? std::size_t(to - from + 1) : 0;
        std::vector<std::int64_t> times(n);
        using Unit = typename Fns::TimeUnits;
        std::vector<Unit> units(n, Unit(1)); // ns; one unit per segment (U8)
        const PicoStatus st = call(fn.GetValuesTriggerTimeOffsetBulk64, h, times.data(), units.data(), from, to);
        for (std::size_t i = 0; i < n; ++i)
            seconds[i] = double(times[i]) * timeUnitSeconds(int(units[i]));
        return st;
    }

    PicoStatus runStreaming(std::int16_t h, std::uint32_t *interval, int unit, std::uint32_t pre, std::uint32_t post,
                            bool autoStop, std::uint32_t ratio, int ratioMode, std::uint32_t overviewSize) override
    {
        return call(fn.RunStreaming, h, interval, unit, pre, post, std::int16_t(autoStop), ratio, ratioMode,
                    overviewSize);
    }
    PicoStatus latestValues(std::int16_t h, StreamingReadyFn ready, void *param) override
    {
        return call(fn.GetStreamingLatestValues, h, ready, param);
    }
    PicoStatus stop(std::int16_t h) override { return call(fn.Stop, h); }

    PicoStatus sigGenBuiltIn(std::int16_t h, std::int32_t offsetUv, std::uint32_t pkToPkUv, int waveType, double startHz,
                             double stopHz, double incrementHz, double dwellSeconds, int sweepType) override
    {
        // No extra operation, no shots or sweeps, triggered by nothing (runs continuously).
        return call(fn.SetSigGenBuiltInV2, h, offsetUv, pkToPkUv, waveType, startHz, stopHz, incrementHz,
                    dwellSeconds, sweepType, 0, 0u, 0u, 0, 0, std::int16_t(0));
    }

protected:
    PicoApiCommon(Family family, PicoLibraryFile &file)
        : PicoApi(family, file.library.fileName())
        , m_file(file)
    {
    }

    /// Calls `f` under the library's mutex, each argument converted to the parameter's own type
    /// (the families' enums are plain 4-byte enums with the shared numbering).
    template<typename R, typename... Params, typename... Args>
    PicoStatus call(R(BS_PICO_API_CONV *f)(Params...), Args... args)
    {
        static_assert(sizeof...(Params) == sizeof...(Args), "argument count differs from the prototype");
        QMutexLocker lock(&m_file.mutex);
        return f(convert<Params>(args)...);
    }

    Fns fn;

private:
    template<typename P, typename A>
    static P convert(A a)
    {
        if constexpr (std::is_pointer_v<P> && std::is_pointer_v<A> && !std::is_same_v<P, A>)
            return reinterpret_cast<P>(a); // callbacks and the API's int8_t* strings
        else
            return static_cast<P>(a);
    }

    PicoLibraryFile &m_file;
};

} // namespace bs::picoscope
