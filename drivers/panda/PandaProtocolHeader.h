// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Data-port capture header: fields, types and attributes (spec §4.3, §5), XML and text forms.

#include "PandaProtocolOptions.h"

#include <QByteArrayList>
#include <QByteArrayView>
#include <QString>
#include <QVector>

#include <optional>

namespace bs::panda {

enum class FieldType { UInt32, Int32, Int64, Int96, Double };

/// Header spelling ("uint32", "int32", "int64", "int96", "double").
QString fieldTypeName(FieldType type);
std::optional<FieldType> fieldTypeFromName(QStringView text);
/// Bytes per value on the wire: 4, 4, 8, 12, 8.
int fieldTypeBytes(FieldType type);

/// One captured column as announced in the header.
struct FieldInfo
{
    QString name; ///< "COUNTER1.OUT"
    QString capture; ///< "Min"
    FieldType type = FieldType::Double;
    bool scalable = false; ///< the header gave scale/offset/units attributes
    double scale = 1.0, offset = 0.0;
    QString units; ///< "(null)" normalised to empty
    QString column() const { return name + QLatin1Char('.') + capture; }
    int bytes() const { return fieldTypeBytes(type); }
};

/// Everything the header of one capture says, after completeHeader().
struct DataHeader
{
    std::optional<QString> armTime, startTime; ///< ISO-8601 text, absent on older servers
    std::optional<qint64> hwTimeOffsetNs;
    quint64 missed = 0;
    Process process = Process::Scaled;
    DataFormat format = DataFormat::Framed;
    int sampleBytes = 0; ///< 0 for ASCII
    QVector<FieldInfo> fields; ///< including the inserted PCAP.SAMPLES column of old servers
    bool insertedSamplesColumn = false;

    /// Sum of the fields' wire sizes (what an ASCII RAW line carries, in bytes).
    int fieldBytes() const;
    /// Index of the raw gate-length column used for RAW Mean (PCAP.GATE_DURATION.Value, else
    /// PCAP.SAMPLES.Value), or -1.
    int gateColumn() const;
};

/// Parses an XML header from "<header>" to "</header>" into `header`. Attributes may come in any
/// order and be absent (absent process/format keep the values already in `header`); entities are
/// unescaped. Does not call completeHeader().
bool parseXmlHeader(QByteArrayView xml, DataHeader &header, QString *error);

/// Parses the text header form: the lines ("key: value", "fields:", " NAME type Capture [scale:
/// S offset: O units: U]") without their LF and without the terminating empty line.
bool parseTextHeader(const QByteArrayList &lines, DataHeader &header, QString *error);

/// Validates the layout and applies the defaults and fix-ups: ASCII gets sampleBytes 0; binary
/// formats without sample_bytes get the sum of the field sizes; when sample_bytes exceeds that sum
/// by exactly 4 a uint32 "PCAP.SAMPLES"/"Value" column is inserted first (servers before 2.1).
/// Any other excess is accepted only when a StdDev column is present (its layout is unverified).
bool completeHeader(DataHeader &header, QString *error);

} // namespace bs::panda
