// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolHeader.h"

#include <algorithm>
#include <array>

namespace bs::panda {

namespace {

constexpr std::array<std::pair<FieldType, const char *>, 5> kTypes { {
    { FieldType::UInt32, "uint32" },
    { FieldType::Int32, "int32" },
    { FieldType::Int64, "int64" },
    { FieldType::Int96, "int96" },
    { FieldType::Double, "double" },
} };

// PCAP captures at most a few dozen 32-bit words; anything far beyond is corruption.
constexpr int kMaxSampleBytes = 16384;

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace

QString fieldTypeName(FieldType type)
{
    for (const auto &[t, name] : kTypes) {
        if (t == type)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<FieldType> fieldTypeFromName(QStringView text)
{
    for (const auto &[t, name] : kTypes) {
        if (text == QLatin1String(name))
            return t;
    }
    return std::nullopt;
}

int fieldTypeBytes(FieldType type)
{
    switch (type) {
    case FieldType::UInt32:
    case FieldType::Int32:
        return 4;
    case FieldType::Int64:
    case FieldType::Double:
        return 8;
    case FieldType::Int96:
        return 12;
    }
    return 0;
}

int DataHeader::fieldBytes() const
{
    int sum = 0;
    for (const FieldInfo &f : fields)
        sum += f.bytes();
    return sum;
}

int DataHeader::gateColumn() const
{
    for (const char *name : { "PCAP.GATE_DURATION", "PCAP.SAMPLES" }) {
        for (int i = 0; i < fields.size(); ++i) {
            if (fields[i].name == QLatin1String(name) && fields[i].capture == QLatin1String("Value"))
                return i;
        }
    }
    return -1;
}

bool completeHeader(DataHeader &h, QString *error)
{
    if (h.fields.isEmpty()) {
        setError(error, QStringLiteral("Header lists no fields"));
        return false;
    }
    if (h.format == DataFormat::Ascii) {
        h.sampleBytes = 0;
        return true;
    }
    const int sum = h.fieldBytes();
    if (h.sampleBytes <= 0)
        h.sampleBytes = sum;
    if (h.sampleBytes > kMaxSampleBytes) {
        setError(error, QStringLiteral("sample_bytes %1 is implausibly large").arg(h.sampleBytes));
        return false;
    }
    const int excess = h.sampleBytes - sum;
    if (excess == 4 && !h.insertedSamplesColumn) {
        FieldInfo samples;
        samples.name = QStringLiteral("PCAP.SAMPLES");
        samples.capture = QStringLiteral("Value");
        samples.type = FieldType::UInt32;
        h.fields.prepend(samples);
        h.insertedSamplesColumn = true;
        return true;
    }
    const bool hasStdDev = std::any_of(h.fields.cbegin(), h.fields.cend(),
        [](const FieldInfo &f) { return f.capture == QLatin1String("StdDev"); });
    if (excess < 0 || (excess > 0 && !hasStdDev)) {
        setError(error,
            QStringLiteral("sample_bytes %1 does not match the fields (%2 bytes)")
                .arg(h.sampleBytes)
                .arg(sum));
        return false;
    }
    return true;
}

} // namespace bs::panda
