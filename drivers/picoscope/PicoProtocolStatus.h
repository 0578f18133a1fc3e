// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>

namespace bs::picoscope {

// The status codes the driver acts on (protocols/picoscope.md §6, §9).
constexpr std::uint32_t kOk = 0x00;
constexpr std::uint32_t kNotFound = 0x03;
constexpr std::uint32_t kInvalidTimebase = 0x0E;
constexpr std::uint32_t kBusy = 0x27;
constexpr std::uint32_t kCancelled = 0x3A;
constexpr std::uint32_t kDriverFunction = 0x43;
constexpr std::uint32_t kPowerSupplyConnected = 0x119;
constexpr std::uint32_t kPowerSupplyNotConnected = 0x11A;
constexpr std::uint32_t kPowerSupplyRequestInvalid = 0x11B;
constexpr std::uint32_t kPowerSupplyUnderVoltage = 0x11C;
constexpr std::uint32_t kUsb3OnUsb2Port = 0x11E;
constexpr std::uint32_t kTooManyChannelsForResolution = 0x121;
constexpr std::uint32_t kTimeStampReset = 0x01000000;

/// "PICO_INVALID_TIMEBASE", or "PICO_STATUS 0x…" for codes not in the table.
QString statusName(std::uint32_t code);
/// A sentence for the user, empty when the table has none.
QString statusMeaning(std::uint32_t code);
/// "ps5000aRunBlock returned PICO_INVALID_TIMEBASE (0x0e): the sample interval is not possible …"
QString describeStatus(const QString &function, std::uint32_t code);
/// One of the power-source codes that need ChangePowerSource (§9).
bool isPowerStatus(std::uint32_t code);

} // namespace bs::picoscope
