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
};

/// Recording settings saved with a session.
struct SessionRecording
{
    QString format = QStringLiteral("hdf5"); ///< "hdf5" or "csv"
    QString directory;                       ///< empty: the user's documents folder
    QString baseName = QStringLiteral("recording");
    qint64 queueMiB = 512;

    QJsonObject toJson() const;
};

/// The whole bench setup: `*.benchscope.json`, format "benchscope-session", version 1.
///
/// `fromJson()` refuses anything it cannot use completely — not JSON, wrong format or version,
/// unknown instrument type, duplicate id, an address its driver cannot use (DriverInfo::checkAddress,
/// e.g. a port out of range), a parameter that is unknown, mistyped or out of range —
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
    static std::optional<Session> fromJson(const QJsonObject &obj, QString *error);
    static std::optional<Session> fromBytes(const QByteArray &bytes, QString *error);

    static std::optional<Session> load(const QString &path, QString *error);
    /// Writes atomically (QSaveFile): a failed save leaves the old file intact.
    bool save(const QString &path, QString *error) const;

    /// A fresh id for a new instrument of `type` ("panda1", "panda2", ...).
    QString uniqueId(const QString &type) const;
};

} // namespace bs
