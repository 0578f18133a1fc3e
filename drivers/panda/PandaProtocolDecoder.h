// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Turns samples of one capture into the columns of a SampleBlock, each in its own type (spec
// §5.2). Used by DataStreamParser; public so that benchmarks and the simulator's self-checks can
// use it.

#include "PandaProtocolHeader.h"
#include "SampleBlock.h"

#include <QByteArrayView>

#include <cstddef>
#include <vector>

namespace bs::panda {

/// How each column of a capture is stored (SampleBlock / ChannelInfo format). RAW: int32 words
/// as int32, uint32 words as int64 (the next signed type that holds them exactly), int64 as
/// int64, each with the field's SCALE/OFFSET when it has them; doubles as float64; Mean and
/// StdDev (and columns that cannot be computed) as derived float64 values. SCALED: float64 values
/// as sent, every column.
std::vector<SampleFormat> sampleFormats(const DataHeader &header);

/// A new block holding the first `rows` rows of `block` (same formats, ids; times if it has them).
MutableSampleBlockPtr headRows(const SampleBlock &block, std::size_t rows);

class SampleDecoder
{
public:
    /// Compiles the per-column plan for a completed header (see completeHeader()).
    void setHeader(const DataHeader &header);
    int columns() const { return int(m_columns.size()); }
    /// Bytes per binary sample: sample_bytes, or the sum of field sizes for ASCII RAW.
    int rowBytes() const { return m_rowBytes; }

    /// The storage of each column (sampleFormats() of the header).
    const std::vector<SampleFormat> &formats() const { return m_formats; }

    /// Decodes `rows` whole little-endian samples (stride rowBytes()) from `src` into rows
    /// [row0, row0 + rows) of `out`, whose formats must be formats(). RAW words are stored as
    /// sent (their scale and offset are in the format); Mean = sum * scale / gate_ticks + offset
    /// (NaN if the gate is 0 or absent), StdDev (int96 sum of squares A after the field's int64
    /// Mean sum B, N = gate ticks) = |scale| × sqrt(A/N − (B/N)²) computed without losing bits.
    /// An int96 column without its Mean sum, or without a gate column, gives NaN. SCALED: values
    /// as sent.
    void decode(const unsigned char *src, std::size_t rows, SampleBlock &out, std::size_t row0) const;

    /// Decodes one ASCII sample line (without LF) into row `row` of `out` (as decode()).
    /// SCALED: one number per field ("nan" accepted); RAW: one " 0x%08x" word per 32 bits,
    /// 64-bit values low word first. False with *error naming the problem on a malformed line.
    bool decodeAsciiLine(QByteArrayView line, SampleBlock &out, std::size_t row, QString *error);

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
    SampleFormat columnFormat(const Column &c, const FieldInfo &f) const;
    void decodeColumn(const Column &c, const unsigned char *src, std::size_t rows, void *out) const;

    std::vector<Column> m_columns;
    std::vector<SampleFormat> m_formats;
    int m_rowBytes = 0;
    int m_gateOffset = -1;
    FieldType m_gateType = FieldType::UInt32;
    Process m_process = Process::Scaled;
    std::vector<unsigned char> m_scratch; // one RAW ASCII sample
};

} // namespace bs::panda
