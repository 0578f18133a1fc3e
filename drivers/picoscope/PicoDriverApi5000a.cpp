// SPDX-License-Identifier: GPL-3.0-or-later
// The ps5000a adapter: resolves the functions of libps5000a by name (DYNLINK typedefs from our own
// ABI header); the calls both families share are in PicoDriverApiCommon.h.
#include "PicoDriverApiCommon.h"

#define DYNLINK
#include <libps5000a/ps5000aApi.h>

#include <QByteArray>

namespace bs::picoscope {

namespace {

#define BS_PS5000A_FUNCTIONS(X)                                                                                      \
    X(OpenUnit) X(CloseUnit) X(GetUnitInfo) X(MaximumValue) X(SetDeviceResolution) X(ChangePowerSource)             \
    X(CurrentPowerSource) X(FlashLed) X(SetChannel) X(GetAnalogueOffset) X(GetTimebase2) X(SetSimpleTrigger)          \
    X(SetTriggerChannelConditions) X(SetTriggerChannelDirections) X(SetTriggerChannelProperties) X(SetTriggerDelay)   \
    X(GetMaxSegments) X(MemorySegments) X(SetNoOfCaptures) X(GetNoOfCaptures) X(SetDataBuffers) X(RunBlock)           \
    X(IsReady) X(GetValues) X(GetValuesBulk) X(GetValuesTriggerTimeOffsetBulk64) X(GetTriggerInfoBulk)                \
    X(RunStreaming) X(GetStreamingLatestValues) X(Stop) X(SetSigGenBuiltInV2)

struct Ps5000aFunctions
{
    using Conditions = PS5000A_TRIGGER_CONDITIONS;
    using Properties = PS5000A_TRIGGER_CHANNEL_PROPERTIES;
    using TimeUnits = PS5000A_TIME_UNITS;
#define BS_MEMBER(name) ::ps5000a##name name = nullptr;
    BS_PS5000A_FUNCTIONS(BS_MEMBER)
#undef BS_MEMBER
};

class Ps5000aApi final : public PicoApiCommon<Ps5000aFunctions>
{
public:
    explicit Ps5000aApi(PicoLibraryFile &file)
        : PicoApiCommon(Family::Ps5000a, file)
    {
#define BS_RESOLVE(name) fn.name = reinterpret_cast<::ps5000a##name>(file.resolve("ps5000a" #name));
        BS_PS5000A_FUNCTIONS(BS_RESOLVE)
#undef BS_RESOLVE
    }

    PicoStatus openUnit(std::int16_t *handle, const QByteArray &serial, int resolution) override
    {
        QByteArray s = serial; // the API takes a non-const int8_t*
        return call(fn.OpenUnit, handle, s.isEmpty() ? nullptr : s.data(), resolution);
    }
    PicoStatus setResolution(std::int16_t h, int resolution) override
    {
        return call(fn.SetDeviceResolution, h, resolution);
    }
    PicoStatus changePowerSource(std::int16_t h, PicoStatus state) override
    {
        return call(fn.ChangePowerSource, h, state);
    }
    PicoStatus currentPowerSource(std::int16_t h) override { return call(fn.CurrentPowerSource, h); }
    PicoStatus timebase(std::int16_t h, std::uint32_t tb, std::int32_t samples, float *intervalNs,
                        std::int32_t *maxSamples, std::uint32_t segment) override
    {
        return call(fn.GetTimebase2, h, tb, samples, intervalNs, maxSamples, segment);
    }
    PicoStatus runBlock(std::int16_t h, std::int32_t pre, std::int32_t post, std::uint32_t tb, std::int32_t *indisposed,
                        std::uint32_t segment, BlockReadyFn ready, void *param) override
    {
        return call(fn.RunBlock, h, pre, post, tb, indisposed, segment, ready, param);
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
};

} // namespace

std::shared_ptr<PicoApi> makePs5000aApi(PicoLibraryFile &file)
{
    return std::make_shared<Ps5000aApi>(file);
}

} // namespace bs::picoscope
