// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small helpers shared by the DataStreamParser sources (not part of the public API).

#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <vector>

namespace bs::panda::detail {

/// Longest accepted text line (header line, ASCII sample, BASE64 line, END line).
constexpr std::size_t kMaxLineBytes = std::size_t(1) << 20;
/// Longest accepted header (XML, or the text form's lines together).
constexpr std::size_t kMaxHeaderBytes = std::size_t(16) << 20;
/// Longest "END <samples> <reason>\n" recognised inside an UNFRAMED stream.
constexpr std::size_t kMaxEndLineBytes = 160;

/// Line beginnings of the text header form.
constexpr const char *kTextHeaderKeys[] = { "arm_time:", "start_time:", "hw_time_offset_ns:", "missed:",
    "process:", "format:", "sample_bytes:", "fields:" };

/// Up to 16 bytes as readable text: printable ASCII as is, others as \xNN.
QString describeBytes(const char *data, qsizetype size);

/// True if `bytes` (at least 1 byte) could be the beginning of a header line.
bool couldStartHeader(QByteArrayView bytes);

/// What the bytes at an UNFRAMED sample boundary are.
struct EndCandidate
{
    enum class Kind { Sample, End, NeedMore };
    Kind kind = Kind::Sample;
    std::size_t length = 0; ///< End: bytes of the line including its LF
};
EndCandidate classifyEndCandidate(const unsigned char *data, std::size_t size);

/// Decodes one base64 quantum-aligned string (length multiple of 4, '=' padding only at its end),
/// appending the bytes to out; false on any other character or length.
bool decodeBase64(QByteArrayView text, std::vector<unsigned char> &out);

} // namespace bs::panda::detail
