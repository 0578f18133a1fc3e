// SPDX-License-Identifier: GPL-3.0-or-later
// The ps2000a adapter (PicoScope 2000A/B): resolves the functions of libps2000a by name. What
// differs from ps5000a (protocols/picoscope.md §14): OpenUnit without resolution, GetTimebase2 and
// RunBlock with the unused `oversample`, no resolution or power-source functions, no trigger time
// stamps (GetTriggerInfoBulk); the shared calls are in PicoDriverApiCommon.h.
#include "PicoDriverApiCommon.h"

#define DYNLINK
#include <libps2000a/ps2000aApi.h>

#include <QByteArray>

namespace bs::picoscope {

namespace {

constexpr PicoStatus kNotSupported = 0x11F; // PICO_NOT_SUPPORTED_BY_THIS_DEVICE

#define BS_PS2000A_FUNCTIONS(X)                                                                                      \
    X(OpenUnit) X(CloseUnit) X(GetUnitInfo) X(MaximumValue) X(FlashLed) X(SetChannel) X(GetAnalogueOffset)          \
    X(GetTimebase2) X(SetSimpleTrigger) X(SetTriggerChannelConditions) X(SetTriggerChannelDirections)                 \
    X(SetTriggerChannelProperties) X(SetTriggerDelay) X(GetMaxSegments) X(MemorySegments) X(SetNoOfCaptures)          \
    X(GetNoOfCaptures) X(SetDataBuffers) X(RunBlock) X(IsReady) X(GetValues) X(GetValuesBulk)                         \
    X(GetValuesTriggerTimeOffsetBulk64) X(RunStreaming) X(GetStreamingLatestValues) X(Stop) X(SetSigGenBuiltInV2)

struct Ps2000aFunctions
{
    using Conditions = PS2000A_TRIGGER_CONDITIONS;
    using Properties = PS2000A_TRIGGER_CHANNEL_PROPERTIES;
    using TimeUnits = PS2000A_TIME_UNITS;
#define BS_MEMBER(name) ::ps2000a##name name = nullptr;
    BS_PS2000A_FUNCTIONS(BS_MEMBER)
#undef BS_MEMBER
};

class Ps2000aApi final : public PicoApiCommon<Ps2000aFunctions>
{
public:
    explicit Ps2000aApi(PicoLibraryFile &file)
        : PicoApiCommon(Family::Ps2000a, file)
    {
#define BS_RESOLVE(name) fn.name = reinterpret_cast<::ps2000a##name>(file.resolve("ps2000a" #name));
        BS_PS2000A_FUNCTIONS(BS_RESOLVE)
#undef BS_RESOLVE
    }

    PicoStatus openUnit(std::int16_t *handle, const QByteArray &serial, int /*resolution: fixed 8 bit*/) override
    {
        QByteArray s = serial;
        return call(fn.OpenUnit, handle, s.isEmpty() ? nullptr : s.data());
    }
    PicoStatus setResolution(std::int16_t, int) override { return kNotSupported; }
    PicoStatus changePowerSource(std::int16_t, PicoStatus) override { return kNotSupported; }
    PicoStatus currentPowerSource(std::int16_t) override { return kNotSupported; }
    PicoStatus timebase(std::int16_t h, std::uint32_t tb, std::int32_t samples, float *intervalNs,
                        std::int32_t *maxSamples, std::uint32_t segment) override
    {
        return call(fn.GetTimebase2, h, tb, samples, intervalNs, std::int16_t(0), maxSamples, segment);
    }
    PicoStatus runBlock(std::int16_t h, std::int32_t pre, std::int32_t post, std::uint32_t tb, std::int32_t *indisposed,
                        std::uint32_t segment, BlockReadyFn ready, void *param) override
    {
        return call(fn.RunBlock, h, pre, post, tb, std::int16_t(0), indisposed, segment, ready, param);
    }
    PicoStatus triggerTimeStamps(std::int16_t, std::uint32_t, std::uint32_t, std::uint64_t *, bool *) override
    {
        return kNotSupported;
    }
};

} // namespace

std::shared_ptr<PicoApi> makePs2000aApi(PicoLibraryFile &file)
{
    return std::make_shared<Ps2000aApi>(file);
}

} // namespace bs::picoscope
