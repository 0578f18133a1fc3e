// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PicoProtocolTables.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>

namespace bs::picoscope {

#if defined(_WIN32) && !defined(_WIN64)
#define BS_PICO_CALLBACK __stdcall
#define BS_PICO_API_CONV __stdcall
#else
#define BS_PICO_CALLBACK
#define BS_PICO_API_CONV
#endif

using PicoStatus = std::uint32_t;
using BlockReadyFn = void(BS_PICO_CALLBACK *)(std::int16_t handle, PicoStatus status, void *param);
using StreamingReadyFn = void(BS_PICO_CALLBACK *)(std::int16_t handle, std::int32_t noOfSamples,
                                                  std::uint32_t startIndex, std::int16_t overflow,
                                                  std::uint32_t triggerAt, std::int16_t triggered,
                                                  std::int16_t autoStop, void *param);

/// One input's part of an old-style (struct) trigger: PS5000A_TRIGGER_CHANNEL_PROPERTIES.
struct TriggerProperty
{
    std::int16_t upper = 0;
    std::uint16_t upperHysteresis = 0;
    std::int16_t lower = 0;
    std::uint16_t lowerHysteresis = 0;
    int channel = 0;
    int mode = Level;
};

/// The vendor library of one family, loaded at run time, behind family-neutral calls (enum
/// arguments use the shared numbering of PicoProtocolTables.h). Every call is serialised by a
/// mutex shared by all users of the same library file, so several units (instruments, threads)
/// never call into the non-re-entrant library at the same time (protocols/picoscope.md §10.4).
/// Functions a family lacks return PICO_NOT_SUPPORTED_BY_THIS_DEVICE (0x11F).
class PicoApi
{
public:
    virtual ~PicoApi() = default;

    /// Loads `path` (or, if empty, the family's library from the usual places) and resolves every
    /// function the driver uses. nullptr with a message naming the file or symbol on failure.
    static std::shared_ptr<PicoApi> load(Family family, const QString &path, QString *error);
    /// The places load() tries for an empty path, in order.
    static QStringList defaultLocations(Family family);

    Family family() const { return m_family; }
    QString fileName() const { return m_fileName; }
    /// "ps5000a" + function name without prefix, for messages.
    QString functionName(const char *name) const;

    virtual PicoStatus openUnit(std::int16_t *handle, const QByteArray &serial, int resolution) = 0;
    virtual PicoStatus closeUnit(std::int16_t h) = 0;
    virtual PicoStatus unitInfo(std::int16_t h, std::uint32_t info, QString *text) = 0;
    virtual PicoStatus maximumValue(std::int16_t h, std::int16_t *value) = 0;
    virtual PicoStatus setResolution(std::int16_t h, int resolution) = 0;
    virtual PicoStatus changePowerSource(std::int16_t h, PicoStatus state) = 0;
    virtual PicoStatus currentPowerSource(std::int16_t h) = 0;
    virtual PicoStatus flashLed(std::int16_t h, std::int16_t start) = 0;

    virtual PicoStatus setChannel(std::int16_t h, int channel, bool enabled, int coupling, int range,
                                  float offsetVolts) = 0;
    virtual PicoStatus analogueOffset(std::int16_t h, int range, int coupling, float *max, float *min) = 0;
    virtual PicoStatus timebase(std::int16_t h, std::uint32_t timebase, std::int32_t samples, float *intervalNs,
                                std::int32_t *maxSamples, std::uint32_t segment) = 0;

    virtual PicoStatus simpleTrigger(std::int16_t h, bool enable, int channel, std::int16_t threshold,
                                     int direction, std::uint32_t delay, std::int16_t autoTriggerMs) = 0;
    /// The older struct API, in the data logger's order: Conditions (one AND-group over A–D, EXT,
    /// AUX; `states` has 6 entries), Directions (6), Properties.
    virtual PicoStatus triggerConditions(std::int16_t h, const int *states, bool enable) = 0;
    virtual PicoStatus triggerDirections(std::int16_t h, const int *directions) = 0;
    virtual PicoStatus triggerProperties(std::int16_t h, const TriggerProperty *props, int count,
                                         std::int32_t autoTriggerMs) = 0;
    virtual PicoStatus triggerDelay(std::int16_t h, std::uint32_t delay) = 0;

    virtual PicoStatus maxSegments(std::int16_t h, std::uint32_t *segments) = 0;
    virtual PicoStatus memorySegments(std::int16_t h, std::uint32_t segments, std::int32_t *maxSamples) = 0;
    virtual PicoStatus setNoOfCaptures(std::int16_t h, std::uint32_t captures) = 0;
    virtual PicoStatus noOfCaptures(std::int16_t h, std::uint32_t *captures) = 0;

    virtual PicoStatus setDataBuffers(std::int16_t h, int channel, std::int16_t *max, std::int16_t *min,
                                      std::int32_t length, std::uint32_t segment, int ratioMode) = 0;
    virtual PicoStatus runBlock(std::int16_t h, std::int32_t pre, std::int32_t post, std::uint32_t timebase,
                                std::int32_t *indisposedMs, std::uint32_t segment, BlockReadyFn ready,
                                void *param) = 0;
    virtual PicoStatus isReady(std::int16_t h, std::int16_t *ready) = 0;
    virtual PicoStatus values(std::int16_t h, std::uint32_t start, std::uint32_t *samples, std::uint32_t ratio,
                              int ratioMode, std::uint32_t segment, std::int16_t *overflow) = 0;
    virtual PicoStatus valuesBulk(std::int16_t h, std::uint32_t *samples, std::uint32_t from, std::uint32_t to,
                                  std::uint32_t ratio, int ratioMode, std::int16_t *overflow) = 0;
    /// Trigger time offsets of segments from…to, in seconds (sub-sample position of the trigger).
    virtual PicoStatus triggerTimeOffsets(std::int16_t h, std::uint32_t from, std::uint32_t to, double *seconds) = 0;
    /// Per-segment trigger time stamps in sample ticks (ps5000a GetTriggerInfoBulk); `resetFlags`
    /// tells which counters were reset (arbitrary). Not on ps2000a.
    virtual PicoStatus triggerTimeStamps(std::int16_t h, std::uint32_t from, std::uint32_t to,
                                         std::uint64_t *ticks, bool *valid) = 0;

    virtual PicoStatus runStreaming(std::int16_t h, std::uint32_t *interval, int unit, std::uint32_t pre,
                                    std::uint32_t post, bool autoStop, std::uint32_t ratio, int ratioMode,
                                    std::uint32_t overviewSize) = 0;
    virtual PicoStatus latestValues(std::int16_t h, StreamingReadyFn ready, void *param) = 0;
    virtual PicoStatus stop(std::int16_t h) = 0;

    virtual PicoStatus sigGenBuiltIn(std::int16_t h, std::int32_t offsetMicroVolts, std::uint32_t pkToPkMicroVolts,
                                     int waveType, double startHz, double stopHz, double incrementHz,
                                     double dwellSeconds, int sweepType) = 0;

protected:
    PicoApi(Family family, const QString &fileName) : m_family(family), m_fileName(fileName) {}

private:
    Family m_family;
    QString m_fileName;
};

} // namespace bs::picoscope
