// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>

/// Vendor-neutral tables of the PicoScope A-API families (ps5000a, ps2000a): the enum numbers are
/// the same in both (protocols/picoscope.md §2, §14.4), so the driver speaks these and only the
/// library adapters know the C prototypes.
namespace bs::picoscope {

enum class Family { Ps5000a, Ps2000a };

QString familyName(Family f);            ///< "ps5000a"
QStringList familyNames();
Family familyFromName(const QString &name);

constexpr int kAnalogueChannels = 4;     ///< A–D
constexpr int kExternalChannel = 4;      ///< PS5000A_EXTERNAL / PS2000A_EXTERNAL
QString channelLetter(int channel);      ///< "A" … "D", "EXT"

/// Input ranges, index = PS5000A_RANGE (10 mV … 50 V).
constexpr int kRangeCount = 12;
double rangeVolts(int rangeIndex);       ///< ± full scale in volts
QString rangeName(int rangeIndex);       ///< "±10 mV", "±2 V"
QStringList rangeNames(int firstIndex = 0, int lastIndex = kRangeCount - 1);
int rangeIndexFromName(const QString &name); ///< -1 if unknown

/// ps5000a resolutions: enum value = index into {8, 12, 14, 15, 16} bits.
QStringList resolutionNames();           ///< "8 bit", … "16 bit"
int resolutionBits(int resolutionEnum);
int resolutionEnumFromName(const QString &name); ///< -1 if unknown
/// How many analogue channels may be enabled at a resolution (15 bit: 2, 16 bit: 1).
int maxChannelsForResolution(int bits);

enum Coupling : int { AC = 0, DC = 1 };

/// PS5000A_THRESHOLD_DIRECTION values used by the panel.
enum Direction : int { Above = 0, Below = 1, Rising = 2, Falling = 3, RisingOrFalling = 4 };
QStringList directionNames();            ///< "rising", "falling", "above", "below", "rising or falling"
int directionFromName(const QString &name);
enum ThresholdMode : int { Level = 0, Window = 1 };
enum TriggerState : int { DontCare = 0, True = 1, False = 2 };

/// PS5000A_RATIO_MODE (bit flags; DISTRIBUTION exists only on ps5000a).
enum RatioMode : int { RatioNone = 0, RatioAggregate = 1, RatioDecimate = 2, RatioAverage = 4 };
QStringList ratioModeNames();            ///< "none", "aggregate", "decimate", "average"
int ratioModeFromName(const QString &name);

/// PS5000A_WAVE_TYPE (SINE 0 … DC_VOLTAGE 8, WHITE_NOISE 9 on ps5000a only).
QStringList waveTypeNames(Family f);     ///< "sine", "square", …
int waveTypeFromName(const QString &name);
constexpr int kWaveDcVoltage = 8;

/// PS5000A_TIME_UNITS.
enum TimeUnit : int { Fs = 0, Ps = 1, Ns = 2, Us = 3, Ms = 4, S = 5 };
double timeUnitSeconds(int unit);

/// Channel count from a VARIANT_INFO string: the second character ("5444D" → 4, "2206B" → 2),
/// 4 if it is not a digit 1–8.
int channelCountFromVariant(const QString &variant);

} // namespace bs::picoscope
