// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>

namespace bs {

/// How a channel's samples are stored: what the device delivers, never widened on the way.
enum class SampleType : std::uint8_t { Int8, Int16, Int32, Int64, Float32, Float64 };

/// Bytes per sample of `t`.
std::size_t sampleTypeSize(SampleType t);
/// "int8", "int16", "int32", "int64", "float32", "float64" (session-independent, used in files).
QString sampleTypeName(SampleType t);
bool isIntegerType(SampleType t);

/// The C++ type of each SampleType, and back.
template <typename T> constexpr SampleType sampleTypeOf();
template <> constexpr SampleType sampleTypeOf<std::int8_t>() { return SampleType::Int8; }
template <> constexpr SampleType sampleTypeOf<std::int16_t>() { return SampleType::Int16; }
template <> constexpr SampleType sampleTypeOf<std::int32_t>() { return SampleType::Int32; }
template <> constexpr SampleType sampleTypeOf<std::int64_t>() { return SampleType::Int64; }
template <> constexpr SampleType sampleTypeOf<float>() { return SampleType::Float32; }
template <> constexpr SampleType sampleTypeOf<double>() { return SampleType::Float64; }

/// Calls `f(T{})` with the C++ type T of `t` (a tag value; use `decltype`), e.g.
/// `visitSampleType(t, [&](auto tag) { using T = decltype(tag); ... })`.
template <typename F> decltype(auto) visitSampleType(SampleType t, F &&f)
{
    switch (t) {
    case SampleType::Int8:
        return f(std::int8_t{});
    case SampleType::Int16:
        return f(std::int16_t{});
    case SampleType::Int32:
        return f(std::int32_t{});
    case SampleType::Int64:
        return f(std::int64_t{});
    case SampleType::Float32:
        return f(float{});
    case SampleType::Float64:
        break;
    }
    return f(double{});
}

/// A channel's storage type and the linear conversion of a stored (raw) value to the engineering
/// value in the channel's unit: value = raw × scale + offset. The same for every consumer (plot,
/// CSV, HDF5 attributes), so a file keeps the device's numbers and says how to read them.
struct SampleFormat
{
    SampleType type = SampleType::Float64;
    double scale = 1.0;
    double offset = 0.0;

    /// value = raw (no conversion).
    bool isIdentity() const { return scale == 1.0 && offset == 0.0; }
    /// Stored as doubles in the engineering unit: what every channel was before native types.
    bool isPlainDouble() const { return type == SampleType::Float64 && isIdentity(); }
    template <typename T> double toValue(T raw) const { return double(raw) * scale + offset; }
    bool operator==(const SampleFormat &o) const = default;

    static SampleFormat of(SampleType t, double scale = 1.0, double offset = 0.0) { return { t, scale, offset }; }
};

} // namespace bs
