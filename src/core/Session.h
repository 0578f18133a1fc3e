// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QVector>

#include <optional>

namespace bs {

/// One instrument entry of a session file.
struct SessionInstrument
{
    QString id;      ///< unique within the session, e.g. "panda1"
    QString type;    ///< registered driver type
    QString name;    ///< shown to the user
    QString address;
    QJsonObject parameters;
    /// `auto_reconnect`: reconnect by itself (with back-off) when the connection breaks during a
    /// run. Optional in the file (absent: on); anything but true/false is refused naming the key.
    bool autoReconnect = true;
};

/// What one session may hold: what a bench can have. Checked while loading, before anything larger
/// is built (the file size before the file is read), so a hostile or broken file costs at most
/// about what the largest allowed session costs. Every refusal names the limit.
struct SessionLimits
{
    qint64 maxFileBytes = 1 << 20;     ///< the session file (1 MiB)
    int maxInstruments = 64;
    int maxParameters = 256;           ///< per instrument
    int maxIdLength = 64;
    int maxNameLength = 256;           ///< instrument names
    int maxAddressLength = 1024;
    int maxStringLength = 4096;        ///< any other string: parameter values, views, recording
    int maxViews = 16;
    int maxArrayLength = 4096;         ///< any array or object inside a view (e.g. the channel list)
    int maxDepth = 16;                 ///< nesting of objects and arrays inside a view
};

/// Recording settings saved with a session.
struct SessionRecording
{
    QString format = QStringLiteral("hdf5"); ///< "hdf5" or "csv"
    QString directory;                       ///< empty: the user's documents folder
    QString baseName = QStringLiteral("recording");
    qint64 queueMiB = 512;
    /// Split files: a new numbered file every `splitMinutes` and/or `splitGB` (0: never).
    double splitMinutes = 0;
    double splitGB = 0;
    /// Auto-stop after `stopAfterMinutes` and/or at `stopAfterGB` (0: never).
    double stopAfterMinutes = 0;
    double stopAfterGB = 0;
    /// HDF5 only: "none" (default), "deflate" (byte shuffle + zlib at `compressionLevel` 1..9) or
    /// "lz4" (byte shuffle + LZ4; needs the HDF5 filter plugin to write and to read).
    QString compression = QStringLiteral("none");
    int compressionLevel = 1;

    /// The limits and the compression are written only when set, so older readers see no new key.
    QJsonObject toJson() const;
};

/// The whole bench setup: `*.benchscope.json`, format "benchscope-session", version 1.
///
/// `fromJson()` refuses anything it cannot use completely — not JSON, wrong format or version,
/// unknown instrument type, duplicate id, an address its driver cannot use (DriverInfo::checkAddress,
/// e.g. a port out of range), a parameter that is unknown, mistyped or out of range, an id that is
/// not an instrument id (checkId()), more than the SessionLimits allow —
/// with a message naming the offending key (e.g. `instruments[0].parameters.trigger_rate: ...`).
struct Session
{
    static constexpr int kVersion = 1;
    static inline const QString kFormat = QStringLiteral("benchscope-session");
    static inline const QString kSuffix = QStringLiteral(".benchscope.json");

    QVector<SessionInstrument> instruments;
    QJsonArray views;
    SessionRecording recording;

    QJsonObject toJson() const;
    QByteArray toBytes() const;
    static std::optional<Session> fromJson(const QJsonObject &obj, QString *error,
                                           const SessionLimits &limits = SessionLimits());
    static std::optional<Session> fromBytes(const QByteArray &bytes, QString *error,
                                            const SessionLimits &limits = SessionLimits());

    /// Refuses a file larger than `limits.maxFileBytes` before reading it (and never reads more
    /// than that, whatever the file claims: a pipe or a device).
    static std::optional<Session> load(const QString &path, QString *error,
                                       const SessionLimits &limits = SessionLimits());
    /// Writes atomically (QSaveFile): a failed save leaves the old file intact.
    bool save(const QString &path, QString *error) const;

    /// Why `id` cannot be an instrument id, or an empty string if it can: 1 to maxIdLength
    /// characters from A-Z a-z 0-9 '_' '-' '.', starting with a letter or a digit. The id names
    /// the instrument's HDF5 group and CSV files, so nothing else is allowed (no control
    /// characters, no '/'). The one rule for session files and Workspace::addInstrument.
    static QString checkId(const QString &id, const SessionLimits &limits = SessionLimits());
    /// `text` in single quotes for a message: characters that do not print (NUL, line breaks, other
    /// control characters) and the backslash escaped (`\0`, `\n`, `\x1b`, `\u202e`, `\\`); at most
    /// `max` characters shown, then `…`.
    static QString quoted(const QString &text, int max = 80);

    /// A fresh id for a new instrument of `type` ("panda-1", "panda-2", ...; sessions keep the ids
    /// they were saved with, e.g. "panda1").
    QString uniqueId(const QString &type) const;
};

} // namespace bs
