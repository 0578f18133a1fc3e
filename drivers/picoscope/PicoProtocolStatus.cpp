// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoProtocolStatus.h"

#include <QCoreApplication>

#include <array>

namespace bs::picoscope {

namespace {
struct StatusRow
{
    std::uint32_t code;
    const char *name;
    const char *meaning;
};

// Values from protocols/picoscope.md §6 (the same in every A-API family).
constexpr StatusRow kStatus[] = {
    {0x00, "PICO_OK", QT_TR_NOOP("success")},
    {0x01, "PICO_MAX_UNITS_OPENED", QT_TR_NOOP("too many units are open")},
    {0x02, "PICO_MEMORY_FAIL", QT_TR_NOOP("the computer ran out of memory")},
    {0x03, "PICO_NOT_FOUND", QT_TR_NOOP("no (further) PicoScope was found")},
    {0x04, "PICO_FW_FAIL", QT_TR_NOOP("the firmware could not be loaded")},
    {0x05, "PICO_OPEN_OPERATION_IN_PROGRESS", nullptr},
    {0x06, "PICO_OPERATION_FAILED", nullptr},
    {0x07, "PICO_NOT_RESPONDING", QT_TR_NOOP("the unit is not responding")},
    {0x08, "PICO_CONFIG_FAIL", nullptr},
    {0x09, "PICO_KERNEL_DRIVER_TOO_OLD", nullptr},
    {0x0a, "PICO_EEPROM_CORRUPT", nullptr},
    {0x0b, "PICO_OS_NOT_SUPPORTED", nullptr},
    {0x0c, "PICO_INVALID_HANDLE", QT_TR_NOOP("the unit is not open")},
    {0x0d, "PICO_INVALID_PARAMETER", QT_TR_NOOP("a parameter is out of range")},
    {0x0e, "PICO_INVALID_TIMEBASE", QT_TR_NOOP("the sample interval is not possible with the enabled channels")},
    {0x0f, "PICO_INVALID_VOLTAGE_RANGE", QT_TR_NOOP("the unit does not offer this input range")},
    {0x10, "PICO_INVALID_CHANNEL", QT_TR_NOOP("the channel does not exist on this unit, or no channel is enabled")},
    {0x11, "PICO_INVALID_TRIGGER_CHANNEL", QT_TR_NOOP("the trigger source is not valid")},
    {0x12, "PICO_INVALID_CONDITION_CHANNEL", QT_TR_NOOP("a trigger condition names an invalid channel")},
    {0x13, "PICO_NO_SIGNAL_GENERATOR", QT_TR_NOOP("this unit has no signal generator")},
    {0x14, "PICO_STREAMING_FAILED", QT_TR_NOOP("streaming failed")},
    {0x15, "PICO_BLOCK_MODE_FAILED", QT_TR_NOOP("block capture failed")},
    {0x16, "PICO_NULL_PARAMETER", QT_TR_NOOP("a required pointer was NULL")},
    {0x17, "PICO_ETS_MODE_SET", nullptr},
    {0x18, "PICO_DATA_NOT_AVAILABLE", QT_TR_NOOP("no data available")},
    {0x19, "PICO_STRING_BUFFER_TO_SMALL", nullptr},
    {0x1a, "PICO_ETS_NOT_SUPPORTED", nullptr},
    {0x1b, "PICO_AUTO_TRIGGER_TIME_TO_SHORT", nullptr},
    {0x1c, "PICO_BUFFER_STALL", QT_TR_NOOP("unread data would have been overwritten")},
    {0x1d, "PICO_TOO_MANY_SAMPLES", QT_TR_NOOP("more samples than the memory segment holds")},
    {0x1e, "PICO_TOO_MANY_SEGMENTS", QT_TR_NOOP("more segments than the memory allows")},
    {0x1f, "PICO_PULSE_WIDTH_QUALIFIER", nullptr},
    {0x20, "PICO_DELAY", nullptr},
    {0x21, "PICO_SOURCE_DETAILS", nullptr},
    {0x22, "PICO_CONDITIONS", QT_TR_NOOP("the trigger conditions are invalid")},
    {0x23, "PICO_USER_CALLBACK", QT_TR_NOOP("called from inside a driver callback")},
    {0x24, "PICO_DEVICE_SAMPLING", QT_TR_NOOP("stored data requested while streaming")},
    {0x25, "PICO_NO_SAMPLES_AVAILABLE", QT_TR_NOOP("no completed capture")},
    {0x26, "PICO_SEGMENT_OUT_OF_RANGE", QT_TR_NOOP("memory segment out of range")},
    {0x27, "PICO_BUSY", QT_TR_NOOP("the unit is busy, data not yet available")},
    {0x28, "PICO_STARTINDEX_INVALID", QT_TR_NOOP("start index out of range")},
    {0x29, "PICO_INVALID_INFO", nullptr},
    {0x2a, "PICO_INFO_UNAVAILABLE", nullptr},
    {0x2b, "PICO_INVALID_SAMPLE_INTERVAL", QT_TR_NOOP("the streaming sample interval is out of range")},
    {0x2c, "PICO_TRIGGER_ERROR", QT_TR_NOOP("trigger error")},
    {0x2d, "PICO_MEMORY", QT_TR_NOOP("the driver could not allocate memory")},
    {0x2e, "PICO_SIG_GEN_PARAM", QT_TR_NOOP("a signal generator setting is out of range")},
    {0x2f, "PICO_SHOTS_SWEEPS_WARNING", nullptr},
    {0x30, "PICO_SIGGEN_TRIGGER_SOURCE", nullptr},
    {0x33, "PICO_WARNING_EXT_THRESHOLD_CONFLICT", nullptr},
    {0x34, "PICO_WARNING_AUX_OUTPUT_CONFLICT", nullptr},
    {0x35, "PICO_SIGGEN_OUTPUT_OVER_VOLTAGE", QT_TR_NOOP("offset plus amplitude exceed the generator output range")},
    {0x37, "PICO_INVALID_BUFFER", QT_TR_NOOP("data buffers were not registered")},
    {0x38, "PICO_SIGGEN_OFFSET_VOLTAGE", QT_TR_NOOP("signal generator offset out of range")},
    {0x39, "PICO_SIGGEN_PK_TO_PK", QT_TR_NOOP("signal generator amplitude out of range")},
    {0x3a, "PICO_CANCELLED", QT_TR_NOOP("the capture was cancelled")},
    {0x3b, "PICO_SEGMENT_NOT_USED", nullptr},
    {0x3c, "PICO_INVALID_CALL", QT_TR_NOOP("this call does not fit the capture mode")},
    {0x3d, "PICO_GET_VALUES_INTERRUPTED", nullptr},
    {0x3f, "PICO_NOT_USED", nullptr},
    {0x40, "PICO_INVALID_SAMPLERATIO", nullptr},
    {0x41, "PICO_INVALID_STATE", nullptr},
    {0x42, "PICO_NOT_ENOUGH_SEGMENTS", QT_TR_NOOP("fewer memory segments than captures")},
    {0x43, "PICO_DRIVER_FUNCTION", QT_TR_NOOP("another call to the driver is still running")},
    {0x45, "PICO_INVALID_COUPLING", QT_TR_NOOP("invalid coupling")},
    {0x46, "PICO_BUFFERS_NOT_SET", QT_TR_NOOP("data requested before buffers were registered")},
    {0x47, "PICO_RATIO_MODE_NOT_SUPPORTED", QT_TR_NOOP("downsampling mode not supported")},
    {0x48, "PICO_RAPID_NOT_SUPPORT_AGGREGATION", nullptr},
    {0x49, "PICO_INVALID_TRIGGER_PROPERTY", nullptr},
    {0x4d, "PICO_SIGGEN_WAVEFORM_SETUP_FAILED", nullptr},
    {0x50, "PICO_INVALID_ANALOGUE_OFFSET", QT_TR_NOOP("analogue offset out of range for this input range")},
    {0x5d, "PICO_NO_CAPTURES_AVAILABLE", nullptr},
    {0x5e, "PICO_NOT_USED_IN_THIS_CAPTURE_MODE", nullptr},
    {0x010f, "PICO_AWG_NOT_SUPPORTED", QT_TR_NOOP("this unit has no arbitrary waveform generator")},
    {0x0110, "PICO_ETS_NOT_RUNNING", nullptr},
    {0x0112, "PICO_SIG_GEN_WAVETYPE_NOT_SUPPORTED", QT_TR_NOOP("this waveform is not supported")},
    {0x0119, "PICO_POWER_SUPPLY_CONNECTED", QT_TR_NOOP("the DC power supply is connected")},
    {0x011a, "PICO_POWER_SUPPLY_NOT_CONNECTED", QT_TR_NOOP("running on USB power only: channels C and D are unavailable")},
    {0x011b, "PICO_POWER_SUPPLY_REQUEST_INVALID", QT_TR_NOOP("the requested power source does not match the unit's supply")},
    {0x011c, "PICO_POWER_SUPPLY_UNDERVOLTAGE", QT_TR_NOOP("USB cannot supply enough power: connect the DC supply")},
    {0x011d, "PICO_CAPTURING_DATA", nullptr},
    {0x011e, "PICO_USB3_0_DEVICE_NON_USB3_0_PORT", QT_TR_NOOP("USB 3.0 unit on a USB 2.0 port")},
    {0x011f, "PICO_NOT_SUPPORTED_BY_THIS_DEVICE", QT_TR_NOOP("not supported by this unit")},
    {0x0120, "PICO_INVALID_DEVICE_RESOLUTION", QT_TR_NOOP("invalid resolution")},
    {0x0121, "PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION", QT_TR_NOOP("too many channels enabled for this resolution (15 bit: 2, 16 bit: 1)")},
    {0x0122, "PICO_CHANNEL_DISABLED_DUE_TO_USB_POWERED", QT_TR_NOOP("channel unavailable on USB power")},
    {0x0123, "PICO_SIGGEN_DC_VOLTAGE_NOT_CONFIGURABLE", nullptr},
};

const StatusRow *find(std::uint32_t code)
{
    for (const auto &r : kStatus)
        if (r.code == code)
            return &r;
    return nullptr;
}
} // namespace

QString statusName(std::uint32_t code)
{
    const auto *r = find(code);
    return r ? QString::fromLatin1(r->name) : QStringLiteral("PICO_STATUS 0x%1").arg(code, 0, 16);
}

QString statusMeaning(std::uint32_t code)
{
    const auto *r = find(code);
    return r && r->meaning ? QCoreApplication::translate("bs::picoscope", r->meaning) : QString();
}

QString describeStatus(const QString &function, std::uint32_t code)
{
    const QString meaning = statusMeaning(code);
    QString text = QStringLiteral("%1 returned %2 (0x%3)").arg(function, statusName(code)).arg(code, 2, 16, QLatin1Char('0'));
    if (!meaning.isEmpty())
        text += QStringLiteral(": ") + meaning;
    return text;
}

bool isPowerStatus(std::uint32_t code)
{
    return code == kPowerSupplyConnected || code == kPowerSupplyNotConnected || code == kUsb3OnUsb2Port
        || code == kPowerSupplyUnderVoltage;
}

} // namespace bs::picoscope
