// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolDecoder.h"

#include "PandaProtocolStdDev.h"

#include <QtEndian>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace bs::panda {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Unaligned little-endian loads, portable to big-endian hosts.
template <typename T> T load(const unsigned char *p)
{
    return qFromLittleEndian<T>(p);
}

template <> double load<double>(const unsigned char *p)
{
    return std::bit_cast<double>(qFromLittleEndian<quint64>(p));
}

// Integer value of a field as a double (int64 converted once, exactly when |v| < 2^53).
double loadAsDouble(const unsigned char *p, FieldType type)
{
    switch (type) {
    case FieldType::UInt32:
        return double(load<quint32>(p));
    case FieldType::Int32:
        return double(load<qint32>(p));
    case FieldType::Int64:
        return double(load<qint64>(p));
    case FieldType::Double:
        return load<double>(p);
    case FieldType::Int96:
        break;
    }
    return kNaN;
}

double standardDeviation(const unsigned char *squares, qint64 sum, double samples)
{
    const PandaUInt128 a = PandaUInt128(load<quint64>(squares)) | (PandaUInt128(load<quint32>(squares + 8)) << 64);
    return pandaStdDev(a, sum, samples);
}

template <typename T, typename F>
void forRows(const unsigned char *src, std::size_t rows, std::size_t stride, double *out, F f)
{
    for (std::size_t r = 0; r < rows; ++r)
        out[r] = f(load<T>(src + r * stride));
}

/// Words of type In as sent, stored as Out (the same width, or uint32 widened to int64).
template <typename In, typename Out>
void copyWords(const unsigned char *src, std::size_t rows, std::size_t stride, Out *out)
{
    for (std::size_t r = 0; r < rows; ++r)
        out[r] = Out(load<In>(src + r * stride));
}

} // namespace

void SampleDecoder::setHeader(const DataHeader &h)
{
    m_columns.clear();
    m_formats.clear();
    m_process = h.process;
    m_rowBytes = h.sampleBytes > 0 ? h.sampleBytes : h.fieldBytes();
    const int gate = h.gateColumn();
    int offset = 0;
    m_gateOffset = -1;
    for (int i = 0; i < h.fields.size(); ++i) {
        const FieldInfo &f = h.fields[i];
        Column c;
        c.offset = offset;
        c.type = f.type;
        c.scale = f.scale;
        c.offset0 = f.offset;
        if (i == gate) {
            m_gateOffset = offset;
            m_gateType = f.type;
        }
        offset += f.bytes();
        if (f.type == FieldType::Int96) {
            // RAW StdDev: the field's int64 Mean sum comes right before its sum of squares.
            const bool pair = i > 0 && h.fields[i - 1].name == f.name && h.fields[i - 1].type == FieldType::Int64
                && f.capture == QLatin1String("StdDev");
            c.op = pair && gate >= 0 ? Op::StdDev : Op::Nan;
            c.sumOffset = pair ? m_columns.back().offset : -1;
        }
        else if (f.type == FieldType::Double || h.process == Process::Scaled)
            c.op = Op::Copy;
        else if (f.capture == QLatin1String("Mean"))
            c.op = gate >= 0 ? Op::Mean : Op::Nan;
        else if (f.scalable && (f.scale != 1.0 || f.offset != 0.0))
            c.op = Op::Linear;
        else
            c.op = Op::Copy;
        m_columns.push_back(c);
        m_formats.push_back(columnFormat(c, f));
    }
    m_scratch.assign(std::size_t(m_rowBytes), 0);
}

SampleFormat SampleDecoder::columnFormat(const Column &c, const FieldInfo &f) const
{
    if (c.op == Op::Nan || c.op == Op::Mean || c.op == Op::StdDev || m_process == Process::Scaled)
        return {};
    SampleType t = SampleType::Float64;
    switch (c.type) {
    case FieldType::Int32:
        t = SampleType::Int32;
        break;
    case FieldType::UInt32:
    case FieldType::Int64:
        t = SampleType::Int64;
        break;
    case FieldType::Double:
    case FieldType::Int96:
        return {};
    }
    return c.op == Op::Linear ? SampleFormat::of(t, f.scale, f.offset) : SampleFormat::of(t);
}

MutableSampleBlockPtr headRows(const SampleBlock &block, std::size_t rows)
{
    rows = std::min(rows, block.sampleCount);
    auto out = SampleBlock::make(block.instrumentId, block.streamId, block.formats(), rows, !block.times.empty());
    for (int c = 0; rows > 0 && c < block.channelCount; ++c)
        std::memcpy(out->rawData(c), block.rawData(c), rows * sampleTypeSize(block.format(c).type));
    if (!block.times.empty())
        std::copy_n(block.times.begin(), rows, out->times.begin());
    return out;
}

std::vector<SampleFormat> sampleFormats(const DataHeader &header)
{
    SampleDecoder d;
    d.setHeader(header);
    return d.formats();
}

void SampleDecoder::decodeColumn(const Column &c, const unsigned char *src, std::size_t rows, void *dst) const
{
    const std::size_t stride = std::size_t(m_rowBytes);
    const unsigned char *p = src + c.offset;
    auto *out = static_cast<double *>(dst); // the derived and SCALED columns are float64
    switch (c.op) {
    case Op::Nan:
        std::fill(out, out + rows, kNaN);
        return;
    case Op::Mean: {
        const unsigned char *g = src + m_gateOffset;
        const FieldType gt = m_gateType, vt = c.type;
        const double scale = c.scale, off = c.offset0;
        for (std::size_t r = 0; r < rows; ++r) {
            const double gate = loadAsDouble(g + r * stride, gt);
            out[r] = gate == 0.0 ? kNaN : loadAsDouble(p + r * stride, vt) * scale / gate + off;
        }
        return;
    }
    case Op::StdDev: {
        const unsigned char *g = src + m_gateOffset;
        const unsigned char *sums = src + c.sumOffset;
        const double scale = std::abs(c.scale);
        for (std::size_t r = 0; r < rows; ++r)
            out[r] = scale
                * standardDeviation(p + r * stride, load<qint64>(sums + r * stride), loadAsDouble(g + r * stride, m_gateType));
        return;
    }
    case Op::Copy:
    case Op::Linear:
        break;
    }
    if (m_process == Process::Scaled) {
        const FieldType t = c.type;
        if (t == FieldType::Double)
            forRows<double>(p, rows, stride, out, [](double v) { return v; });
        else
            for (std::size_t r = 0; r < rows; ++r)
                out[r] = loadAsDouble(p + r * stride, t);
        return;
    }
    // RAW words as sent: their scale and offset travel in the column's format.
    switch (c.type) {
    case FieldType::UInt32:
        copyWords<quint32>(p, rows, stride, static_cast<std::int64_t *>(dst));
        break;
    case FieldType::Int32:
        copyWords<qint32>(p, rows, stride, static_cast<std::int32_t *>(dst));
        break;
    case FieldType::Int64:
        copyWords<qint64>(p, rows, stride, static_cast<std::int64_t *>(dst));
        break;
    case FieldType::Double:
        forRows<double>(p, rows, stride, out, [](double v) { return v; });
        break;
    case FieldType::Int96:
        std::fill(out, out + rows, kNaN);
        break;
    }
}

void SampleDecoder::decode(const unsigned char *src, std::size_t rows, SampleBlock &out, std::size_t row0) const
{
    Q_ASSERT(out.formats() == m_formats && row0 + rows <= out.sampleCount);
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        std::byte *col = out.rawData(int(c)) + row0 * sampleTypeSize(m_formats[c].type);
        decodeColumn(m_columns[c], src, rows, col);
    }
}

bool SampleDecoder::decodeAsciiLine(QByteArrayView line, SampleBlock &out, std::size_t row, QString *error)
{
    const char *p = line.data();
    const char *const end = p + line.size();
    const std::size_t expected = m_process == Process::Raw ? std::size_t(m_rowBytes / 4) : m_columns.size();
    std::size_t count = 0;
    while (true) {
        while (p < end && *p == ' ')
            ++p;
        if (p == end)
            break;
        const char *tokenEnd = p;
        while (tokenEnd < end && *tokenEnd != ' ')
            ++tokenEnd;
        if (count >= expected) {
            ++count;
            p = tokenEnd;
            continue;
        }
        std::from_chars_result res {};
        if (m_process == Process::Raw) {
            const char *digits
                = (tokenEnd - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? p + 2 : p;
            quint32 word = 0;
            res = std::from_chars(digits, tokenEnd, word, 16);
            qToLittleEndian<quint32>(word, m_scratch.data() + 4 * count);
        } else {
            double v = 0.0;
            res = std::from_chars(p, tokenEnd, v);
            out.data<double>(int(count))[row] = v; // SCALED: every column is float64
        }
        if (res.ec != std::errc() || res.ptr != tokenEnd) {
            if (error)
                *error = QStringLiteral("Bad ASCII value '%1'")
                             .arg(QString::fromLatin1(p, tokenEnd - p).left(40));
            return false;
        }
        ++count;
        p = tokenEnd;
    }
    if (count != expected) {
        if (error)
            *error = QStringLiteral("ASCII sample has %1 values, expected %2").arg(count).arg(expected);
        return false;
    }
    if (m_process == Process::Raw)
        decode(m_scratch.data(), 1, out, row);
    return true;
}

} // namespace bs::panda
