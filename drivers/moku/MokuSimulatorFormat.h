// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The simulator's OWN private byte layouts behind the two opaque things of the Moku protocol
// (docs/protocols/moku.md §0, §7, U1): the payload of POST /api/v2/get_chunk and the `.li` log
// file. Liquid Instruments' real LI format is not public; these are not it and are not meant to
// resemble it. Both start with ASCII "LI" (all a client may look at) and are read back only by the
// simulator's stand-in mokucli (stream, convert). Little-endian throughout.
//
// Chunk:  "LI" 's' 1 | flags u8 (bit 0: end of stream) | channels u8 | u16 0 | count u32 |
//         first sample i64 | rate f64 | channel numbers u8 × channels | f64 values, channel-major
// File:   "LI" 'f' 1 | header length u32 | header JSON (rate, channels, start, …) |
//         f32 samples, one record of every channel per sample

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace bs::moku {

struct SimChunk
{
    std::int64_t first = 0; ///< index of the first sample in the stream
    double rate = 0;        ///< Sa/s
    bool end = false;       ///< the last chunk of the stream
    std::vector<int> channels;
    std::vector<std::vector<double>> values; ///< per channel, all of one length
    std::size_t count() const { return values.empty() ? 0 : values.front().size(); }
};

QByteArray encodeChunk(const SimChunk &chunk);
/// Empty string on success, else what is wrong.
QString decodeChunk(const QByteArray &bytes, SimChunk &out);

/// The start of a log file: magic and the header (must hold "rate" and "channels").
QByteArray logFileHeader(const QJsonObject &header);
/// Bytes of one sample record.
inline int logRecordBytes(int channels) { return 4 * channels; }
/// Appends `n` records (values[channel][i]) as f32.
void appendLogRecords(QByteArray &out, const std::vector<std::vector<double>> &values, std::size_t n);

/// Reads a log file's header: returns the header and the offset of the first record, or an error.
QString readLogFileHeader(const QByteArray &start, QJsonObject *header, qint64 *dataOffset);

} // namespace bs::moku
