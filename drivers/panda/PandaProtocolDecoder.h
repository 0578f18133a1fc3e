// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Turns samples of one capture into processed column-major doubles (spec §5.2). Used by
// DataStreamParser; public so that benchmarks and the simulator's self-checks can use it.

#include "PandaProtocolHeader.h"

#include <QByteArrayView>

#include <cstddef>
#include <vector>

namespace bs::panda {

class SampleDecoder
{
public:
    /// Compiles the per-column plan for a completed header (see completeHeader()).
    void setHeader(const DataHeader &header);
    int columns() const { return int(m_columns.size()); }
    /// Bytes per binary sample: sample_bytes, or the sum of field sizes for ASCII RAW.
    int rowBytes() const { return m_rowBytes; }

    /// Decodes `rows` whole little-endian samples (stride rowBytes()) from `src`. Column c of
    /// sample r goes to out[c * stride + row0 + r]. SCALED: values as sent. RAW: Mean =
    /// sum * scale / gate_ticks + offset (NaN if the gate is 0 or absent), StdDev (int96 sum of
    /// squares A after the field's int64 Mean sum B, N = gate ticks) = |scale| × sqrt(A/N − (B/N)²)
    /// computed without losing bits, other scalable fields raw * scale + offset, the rest
    /// unchanged. An int96 column without its Mean sum, or without a gate column, gives NaN.
    void decode(
        const unsigned char *src, std::size_t rows, double *out, std::size_t stride, std::size_t row0) const;

    /// Decodes one ASCII sample line (without LF) into row `row` of `out` (layout as decode()).
    /// SCALED: one number per field ("nan" accepted); RAW: one " 0x%08x" word per 32 bits,
    /// 64-bit values low word first. False with *error naming the problem on a malformed line.
    bool decodeAsciiLine(
        QByteArrayView line, double *out, std::size_t stride, std::size_t row, QString *error);

private:
    enum class Op { Copy, Linear, Mean, StdDev, Nan };
    struct Column
    {
        int offset = 0;
        int sumOffset = -1; // StdDev: byte offset of the field's int64 sum
        FieldType type = FieldType::Double;
        Op op = Op::Copy;
        double scale = 1.0, offset0 = 0.0;
    };
    void decodeColumn(const Column &c, const unsigned char *src, std::size_t rows, double *out) const;

    std::vector<Column> m_columns;
    int m_rowBytes = 0;
    int m_gateOffset = -1;
    FieldType m_gateType = FieldType::UInt32;
    Process m_process = Process::Scaled;
    std::vector<unsigned char> m_scratch; // one RAW ASCII sample
};

} // namespace bs::panda
