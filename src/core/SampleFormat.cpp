// SPDX-License-Identifier: GPL-3.0-or-later
#include "SampleFormat.h"

namespace bs {

std::size_t sampleTypeSize(SampleType t)
{
    return visitSampleType(t, [](auto tag) { return sizeof(tag); });
}

QString sampleTypeName(SampleType t)
{
    switch (t) {
    case SampleType::Int8:
        return QStringLiteral("int8");
    case SampleType::Int16:
        return QStringLiteral("int16");
    case SampleType::Int32:
        return QStringLiteral("int32");
    case SampleType::Int64:
        return QStringLiteral("int64");
    case SampleType::Float32:
        return QStringLiteral("float32");
    case SampleType::Float64:
        break;
    }
    return QStringLiteral("float64");
}

bool isIntegerType(SampleType t)
{
    return t != SampleType::Float32 && t != SampleType::Float64;
}

} // namespace bs
