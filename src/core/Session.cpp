// SPDX-License-Identifier: GPL-3.0-or-later
#include "Session.h"

#include "DriverRegistry.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>
#include <QSet>

namespace bs {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("Session", text); }

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// Reads an optional string member; false (with error) if present but not a string.
bool readString(const QJsonObject &o, const QString &key, const QString &path, QString *out, QString *error,
                bool required)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        if (required)
            return fail(error, tr("%1.%2: missing").arg(path, key));
        return true;
    }
    if (!v.isString())
        return fail(error, tr("%1.%2: expected a string").arg(path, key));
    *out = v.toString();
    return true;
}

bool readRecording(const QJsonValue &v, SessionRecording *rec, QString *error)
{
    if (v.isUndefined())
        return true;
    if (!v.isObject())
        return fail(error, tr("recording: expected an object"));
    const QJsonObject o = v.toObject();
    static const QSet<QString> known{QStringLiteral("format"), QStringLiteral("directory"),
                                     QStringLiteral("base_name"), QStringLiteral("queue_mib")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            return fail(error, tr("recording.%1: unknown key").arg(it.key()));
    if (!readString(o, QStringLiteral("format"), QStringLiteral("recording"), &rec->format, error, false)
        || !readString(o, QStringLiteral("directory"), QStringLiteral("recording"), &rec->directory, error, false)
        || !readString(o, QStringLiteral("base_name"), QStringLiteral("recording"), &rec->baseName, error, false))
        return false;
    if (rec->format != QLatin1String("hdf5") && rec->format != QLatin1String("csv"))
        return fail(error, tr("recording.format: '%1' is not one of: hdf5, csv").arg(rec->format));
    const QJsonValue q = o.value(QStringLiteral("queue_mib"));
    if (!q.isUndefined()) {
        if (!q.isDouble() || q.toDouble() < 16 || q.toDouble() > 65536 || q.toDouble() != double(qint64(q.toDouble())))
            return fail(error, tr("recording.queue_mib: expected an integer in [16, 65536]"));
        rec->queueMiB = qint64(q.toDouble());
    }
    return true;
}
} // namespace

QJsonObject SessionRecording::toJson() const
{
    return {{QStringLiteral("format"), format},
            {QStringLiteral("directory"), directory},
            {QStringLiteral("base_name"), baseName},
            {QStringLiteral("queue_mib"), queueMiB}};
}

QJsonObject Session::toJson() const
{
    QJsonArray insts;
    for (const auto &i : instruments) {
        insts.append(QJsonObject{{QStringLiteral("id"), i.id},
                                 {QStringLiteral("type"), i.type},
                                 {QStringLiteral("name"), i.name},
                                 {QStringLiteral("address"), i.address},
                                 {QStringLiteral("parameters"), i.parameters}});
    }
    return {{QStringLiteral("format"), kFormat},
            {QStringLiteral("version"), kVersion},
            {QStringLiteral("instruments"), insts},
            {QStringLiteral("views"), views},
            {QStringLiteral("recording"), recording.toJson()}};
}

QByteArray Session::toBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

std::optional<Session> Session::fromJson(const QJsonObject &obj, QString *error)
{
    if (obj.value(QStringLiteral("format")).toString() != kFormat) {
        fail(error, tr("format: expected \"%1\", this is not a BenchScope session file").arg(kFormat));
        return std::nullopt;
    }
    const QJsonValue ver = obj.value(QStringLiteral("version"));
    if (!ver.isDouble() || ver.toDouble() != kVersion) {
        fail(error, tr("version: %1 is not supported (this BenchScope reads version %2)")
                        .arg(ver.isDouble() ? QString::number(ver.toDouble()) : tr("missing or not a number"))
                        .arg(kVersion));
        return std::nullopt;
    }
    Session s;
    const QJsonValue insts = obj.value(QStringLiteral("instruments"));
    if (!insts.isUndefined() && !insts.isArray()) {
        fail(error, tr("instruments: expected an array"));
        return std::nullopt;
    }
    QSet<QString> ids;
    const QJsonArray arr = insts.toArray();
    for (int n = 0; n < arr.size(); ++n) {
        const QString path = QStringLiteral("instruments[%1]").arg(n);
        if (!arr[n].isObject()) {
            fail(error, tr("%1: expected an object").arg(path));
            return std::nullopt;
        }
        const QJsonObject o = arr[n].toObject();
        SessionInstrument i;
        if (!readString(o, QStringLiteral("id"), path, &i.id, error, true)
            || !readString(o, QStringLiteral("type"), path, &i.type, error, true)
            || !readString(o, QStringLiteral("name"), path, &i.name, error, false)
            || !readString(o, QStringLiteral("address"), path, &i.address, error, false))
            return std::nullopt;
        if (i.id.isEmpty() || ids.contains(i.id)) {
            fail(error, tr("%1.id: '%2' is empty or used twice").arg(path, i.id));
            return std::nullopt;
        }
        ids.insert(i.id);
        QString err;
        auto driver = DriverRegistry::instance().create(i.type, i.id, &err);
        if (!driver) {
            fail(error, tr("%1.type: %2").arg(path, err));
            return std::nullopt;
        }
        err = DriverRegistry::instance().checkAddress(i.type, i.address);
        if (!err.isEmpty()) {
            fail(error, tr("%1.address: instrument '%2': address '%3': %4").arg(path, i.id, i.address, err));
            return std::nullopt;
        }
        const QJsonValue params = o.value(QStringLiteral("parameters"));
        if (!params.isUndefined() && !params.isObject()) {
            fail(error, tr("%1.parameters: expected an object").arg(path));
            return std::nullopt;
        }
        ParameterSet check = driver->parameters();
        err = check.applyJson(params.toObject(), path + QStringLiteral(".parameters"));
        if (!err.isEmpty()) {
            fail(error, err);
            return std::nullopt;
        }
        i.parameters = params.toObject();
        if (i.name.isEmpty())
            i.name = i.id;
        s.instruments.append(i);
    }
    const QJsonValue views = obj.value(QStringLiteral("views"));
    if (!views.isUndefined() && !views.isArray()) {
        fail(error, tr("views: expected an array"));
        return std::nullopt;
    }
    s.views = views.toArray();
    if (!readRecording(obj.value(QStringLiteral("recording")), &s.recording, error))
        return std::nullopt;
    return s;
}

std::optional<Session> Session::fromBytes(const QByteArray &bytes, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        fail(error, tr("not valid JSON: %1 at byte %2").arg(pe.errorString()).arg(pe.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        fail(error, tr("not a session: the top level must be a JSON object"));
        return std::nullopt;
    }
    return fromJson(doc.object(), error);
}

std::optional<Session> Session::load(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        fail(error, tr("cannot open %1: %2").arg(path, f.errorString()));
        return std::nullopt;
    }
    if (f.size() > 64 << 20) {
        fail(error, tr("%1 is too large to be a session file").arg(path));
        return std::nullopt;
    }
    QString err;
    auto s = fromBytes(f.readAll(), &err);
    if (!s)
        fail(error, path + QStringLiteral(": ") + err);
    return s;
}

bool Session::save(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(error, tr("cannot write %1: %2").arg(path, f.errorString()));
    const QByteArray bytes = toBytes();
    if (f.write(bytes) != bytes.size() || !f.commit())
        return fail(error, tr("cannot write %1: %2").arg(path, f.errorString()));
    return true;
}

QString Session::uniqueId(const QString &type) const
{
    for (int n = 1;; ++n) {
        const QString id = type + QString::number(n);
        bool used = false;
        for (const auto &i : instruments)
            used = used || i.id == id;
        if (!used)
            return id;
    }
}

} // namespace bs
