// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Capture layout: which columns a capture has, in wire order (spec §5.1), their RAW and SCALED
// types, and the data-port header (XML and text form, spec §4.3). Built once per ARM from the model.

#include "PandaSimulatorModel.h"

#include <QByteArray>
#include <QVector>

namespace bs::panda {

/// Data-port option words of one client (spec §4.2).
struct SimDataOptions
{
    enum class Format : quint8 { Ascii, Base64, Framed, Unframed };
    Format format = Format::Ascii;
    bool raw = false; // RAW, else SCALED
    bool noHeader = false;
    bool noStatus = false;
    bool oneShot = false;
    bool xml = false;

    /// Parses one option line (without LF). Returns false on an unknown word.
    bool parse(QByteArrayView line);
    /// Clients with equal keys receive identical payload bytes.
    int encodingKey() const { return int(format) * 2 + (raw ? 1 : 0); }
};

/// What a column carries.
enum class ColumnSource : quint8 { Bits, Pos, TsStart, TsEnd, TsTrig, GateDuration };
enum class ColumnGroup : quint8 { SampleCount, Unscaled, Scaled32, Scaled64, Averaged, StdDev };

struct CaptureColumn
{
    QByteArray name; // "COUNTER1.OUT"
    QByteArray capture; // "Min"
    ColumnSource source = ColumnSource::Pos;
    ColumnGroup group = ColumnGroup::Scaled32;
    CaptureOption option = CaptureOption::Value;
    int index = 0; // Bits: word number; Pos: index into CaptureLayout::posSources
    int rawBytes = 4; // 4, 8, or 12 (StdDev sum of squares)
    bool unsignedRaw = false;
    bool rawOnly = false; // the Mean sum a StdDev needs when Mean was not asked for (not in SCALED)
    int sumColumn = -1; // StdDev: layout column of the field's Mean sum
    double scale = 1.0;
    double offset = 0.0;
    QByteArray units;
};

struct CaptureLayout
{
    /// Columns in RAW wire order; columns[0] is the anonymous gate column when anonymousGate.
    QVector<CaptureColumn> columns;
    /// Captured pos_out fields (each evaluated once per row) with their option masks.
    QVector<FieldRef> posSources;
    QVector<quint32> posMasks;
    bool anonymousGate = false;
    bool hasStdDev = false;
    bool oldGateType = false;
    int rawSampleBytes = 0;
    int scaledSampleBytes = 0;

    int firstScaledColumn() const { return anonymousGate ? 1 : 0; }
    int sampleBytes(bool raw) const { return raw ? rawSampleBytes : scaledSampleBytes; }
};

/// Builds the layout from the current capture settings. oldGateType: U7 (uint32, scale 1, no units).
CaptureLayout buildCaptureLayout(const PandaSimulatorModel &model, bool oldGateType);

struct HeaderInfo
{
    QByteArray armTime; // ISO-8601 with 9 fractional digits and Z; empty = omitted (U6)
    QByteArray startTime;
    quint64 missed = 0;
};

/// The header exactly as sent, including the terminating empty line.
QByteArray renderHeader(const CaptureLayout &layout, const SimDataOptions &options, const HeaderInfo &info);

/// Current UTC time as `%4d-%02d-%02dT%02d:%02d:%02d.%09ldZ`.
QByteArray isoTimeNow();

} // namespace bs::panda
