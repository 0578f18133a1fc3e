// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Data-port (8889) option line: the one LF-terminated line a client sends first (spec §4.2).

#include <QByteArray>
#include <QString>

#include <optional>

namespace bs::panda {

/// Payload encoding on the data port.
enum class DataFormat { Ascii, Base64, Framed, Unframed };
/// SCALED: the server converts scalable values to doubles; RAW: captured words, host scales.
enum class Process { Scaled, Raw };

/// Header spelling of a format ("ASCII", "Base64", "Framed", "Unframed").
QString dataFormatName(DataFormat format);
/// Case-insensitive inverse of dataFormatName(); nullopt for unknown text.
std::optional<DataFormat> dataFormatFromName(QStringView text);
/// Header spelling of a processing mode ("Scaled", "Raw").
QString processName(Process process);
std::optional<Process> processFromName(QStringView text);

struct DataOptions
{
    DataFormat format = DataFormat::Ascii;
    Process process = Process::Scaled;
    bool header = true; ///< false = NO_HEADER
    bool status = true; ///< false = NO_STATUS (no "OK" reply, no END line)
    bool oneShot = false; ///< ONE_SHOT: one capture, then the server closes
    bool xml = false; ///< XML header instead of the text form

    /// Parses an option line (trailing LF optional). Words are case-sensitive and separated by
    /// spaces or tabs; later words override earlier ones; BARE = UNFRAMED RAW NO_HEADER NO_STATUS
    /// ONE_SHOT, DEFAULT = ASCII SCALED with all flags cleared; an empty line gives the defaults.
    /// On failure returns nullopt and sets *error to the server's text ("Invalid data capture
    /// option" for an unknown word, "Cannot process CR character" for a CR).
    static std::optional<DataOptions> parse(const QByteArray &line, QString *error = nullptr);

    /// The option line to send, LF-terminated, e.g. "XML FRAMED RAW\n". Format and processing
    /// are always spelled out; flags only when they differ from the defaults.
    QByteArray toLine() const;

    friend bool operator==(const DataOptions &, const DataOptions &) = default;
};

} // namespace bs::panda
