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

bool hasControlCharacter(const QString &s)
{
    for (const QChar c : s)
        if (!c.isPrint())
            return true;
    return false;
}

// A string of the instrument entry shown to the user or passed to its driver (name, address).
bool checkText(const QString &path, const QString &key, const QString &value, int maxLength, QString *error)
{
    if (value.size() > maxLength)
        return fail(error, tr("%1.%2: %3 characters; the limit is %4")
                               .arg(path, key, QString::number(value.size()), QString::number(maxLength)));
    if (hasControlCharacter(value))
        return fail(error, tr("%1.%2: %3 holds a character that does not print (a control character)")
                               .arg(path, key, Session::quoted(value)));
    return true;
}

// Views are kept as they are for the GUI: bound their size, nesting and strings.
bool checkViewValue(const QJsonValue &v, const QString &path, int depth, const SessionLimits &limits,
                    QString *error)
{
    if (v.isString() && v.toString().size() > limits.maxStringLength)
        return fail(error, tr("%1: a string of %2 characters; the limit is %3")
                               .arg(path, QString::number(v.toString().size()), QString::number(limits.maxStringLength)));
    if (!v.isArray() && !v.isObject())
        return true;
    if (depth >= limits.maxDepth)
        return fail(error, tr("%1: nested more than %2 levels deep").arg(path, QString::number(limits.maxDepth)));
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        if (a.size() > limits.maxArrayLength)
            return fail(error, tr("%1: %2 entries; the limit is %3")
                                   .arg(path, QString::number(a.size()), QString::number(limits.maxArrayLength)));
        for (qsizetype n = 0; n < a.size(); ++n)
            if (!checkViewValue(a.at(n), QStringLiteral("%1[%2]").arg(path).arg(n), depth + 1, limits, error))
                return false;
        return true;
    }
    const QJsonObject o = v.toObject();
    if (o.size() > limits.maxArrayLength)
        return fail(error, tr("%1: %2 members; the limit is %3")
                               .arg(path, QString::number(o.size()), QString::number(limits.maxArrayLength)));
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key().size() > limits.maxStringLength)
            return fail(error, tr("%1: a key of %2 characters; the limit is %3")
                                   .arg(path, QString::number(it.key().size()), QString::number(limits.maxStringLength)));
        if (!checkViewValue(it.value(), path + QLatin1Char('.') + it.key(), depth + 1, limits, error))
            return false;
    }
    return true;
}

bool readRecording(const QJsonValue &v, SessionRecording *rec, const SessionLimits &limits, QString *error)
{
    if (v.isUndefined())
        return true;
    if (!v.isObject())
        return fail(error, tr("recording: expected an object"));
    const QJsonObject o = v.toObject();
    static const QSet<QString> known{QStringLiteral("format"), QStringLiteral("directory"),
                                     QStringLiteral("base_name"), QStringLiteral("queue_mib"),
                                     QStringLiteral("split_minutes"), QStringLiteral("split_gb"),
                                     QStringLiteral("stop_after_minutes"), QStringLiteral("stop_after_gb"),
                                     QStringLiteral("compression"), QStringLiteral("compression_level")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            return fail(error, tr("recording.%1: unknown key").arg(it.key()));
    if (!readString(o, QStringLiteral("format"), QStringLiteral("recording"), &rec->format, error, false)
        || !readString(o, QStringLiteral("directory"), QStringLiteral("recording"), &rec->directory, error, false)
        || !readString(o, QStringLiteral("base_name"), QStringLiteral("recording"), &rec->baseName, error, false))
        return false;
    if (rec->directory.size() > limits.maxStringLength || rec->baseName.size() > limits.maxStringLength)
        return fail(error, tr("recording.%1: longer than %2 characters")
                               .arg(rec->directory.size() > limits.maxStringLength ? QStringLiteral("directory")
                                                                                  : QStringLiteral("base_name"))
                               .arg(limits.maxStringLength));
    if (rec->format != QLatin1String("hdf5") && rec->format != QLatin1String("csv"))
        return fail(error, tr("recording.format: '%1' is not one of: hdf5, csv").arg(rec->format));
    // An optional integer key of `recording` within [min, max].
    auto readInteger = [&](const char *key, qint64 min, qint64 max, qint64 *out) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return true;
        if (!v.isDouble() || v.toDouble() < double(min) || v.toDouble() > double(max)
            || v.toDouble() != double(qint64(v.toDouble())))
            return fail(error, tr("recording.%1: expected an integer in [%2, %3]").arg(QLatin1String(key)).arg(min).arg(max));
        *out = qint64(v.toDouble());
        return true;
    };
    if (!readInteger("queue_mib", 16, 65536, &rec->queueMiB))
        return false;
    // Split-file and auto-stop limits: 0 (off) or a positive number of minutes / GB.
    const std::pair<const char *, double *> limitsKeys[] = {{"split_minutes", &rec->splitMinutes},
                                                            {"split_gb", &rec->splitGB},
                                                            {"stop_after_minutes", &rec->stopAfterMinutes},
                                                            {"stop_after_gb", &rec->stopAfterGB}};
    for (const auto &[key, target] : limitsKeys) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            continue;
        if (!v.isDouble() || !(v.toDouble() >= 0) || v.toDouble() > 1e6)
            return fail(error, tr("recording.%1: expected a number from 0 (off) to 1000000").arg(QLatin1String(key)));
        *target = v.toDouble();
    }
    if (!readString(o, QStringLiteral("compression"), QStringLiteral("recording"), &rec->compression, error, false))
        return false;
    if (rec->compression != QLatin1String("none") && rec->compression != QLatin1String("deflate")
        && rec->compression != QLatin1String("lz4"))
        return fail(error, tr("recording.compression: '%1' is not one of: none, deflate, lz4").arg(rec->compression));
    qint64 level = rec->compressionLevel;
    if (!readInteger("compression_level", 1, 9, &level))
        return false;
    rec->compressionLevel = int(level);
    return true;
}
} // namespace

QJsonObject SessionRecording::toJson() const
{
    QJsonObject o{{QStringLiteral("format"), format},
                  {QStringLiteral("directory"), directory},
                  {QStringLiteral("base_name"), baseName},
                  {QStringLiteral("queue_mib"), queueMiB}};
    const std::pair<const char *, double> limitsKeys[] = {{"split_minutes", splitMinutes},
                                                          {"split_gb", splitGB},
                                                          {"stop_after_minutes", stopAfterMinutes},
                                                          {"stop_after_gb", stopAfterGB}};
    for (const auto &[key, value] : limitsKeys)
        if (value > 0)
            o.insert(QLatin1String(key), value);
    if (compression != QLatin1String("none")) {
        o.insert(QStringLiteral("compression"), compression);
        if (compression == QLatin1String("deflate"))
            o.insert(QStringLiteral("compression_level"), compressionLevel);
    }
    return o;
}

QJsonObject Session::toJson() const
{
    QJsonArray insts;
    for (const auto &i : instruments) {
        insts.append(QJsonObject{{QStringLiteral("id"), i.id},
                                 {QStringLiteral("type"), i.type},
                                 {QStringLiteral("name"), i.name},
                                 {QStringLiteral("address"), i.address},
                                 {QStringLiteral("parameters"), i.parameters},
                                 {QStringLiteral("auto_reconnect"), i.autoReconnect}});
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

QString Session::quoted(const QString &text, int max)
{
    QString out = QStringLiteral("'");
    int shown = 0;
    for (const QChar c : text) {
        if (shown++ == max) {
            out += QStringLiteral("…");
            break;
        }
        if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\\\");
        else if (c == QChar(0))
            out += QStringLiteral("\\0");
        else if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c == QLatin1Char('\r'))
            out += QStringLiteral("\\r");
        else if (c == QLatin1Char('\t'))
            out += QStringLiteral("\\t");
        else if (c.isPrint())
            out += c;
        else if (c.unicode() < 0x100)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    }
    return out + QLatin1Char('\'');
}

QString Session::checkId(const QString &id, const SessionLimits &limits)
{
    const QString rule = tr("an instrument id is 1 to %1 characters from A-Z, a-z, 0-9, '_', '-', '.', "
                            "starting with a letter or a digit")
                             .arg(limits.maxIdLength);
    if (id.isEmpty())
        return tr("the id is empty; %1").arg(rule);
    if (id.size() > limits.maxIdLength)
        return tr("id %1 has %2 characters; %3").arg(quoted(id), QString::number(id.size()), rule);
    for (qsizetype n = 0; n < id.size(); ++n) {
        const char16_t c = id.at(n).unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (alnum || (n > 0 && (c == u'_' || c == u'-' || c == u'.')))
            continue;
        return tr("id %1: character %2 (at %3) is not allowed; %4")
            .arg(quoted(id), quoted(QString(id.at(n))), QString::number(n), rule);
    }
    return {};
}

std::optional<Session> Session::fromJson(const QJsonObject &obj, QString *error, const SessionLimits &limits)
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
    // Counted before anything is built for an instrument.
    if (arr.size() > limits.maxInstruments) {
        fail(error, tr("instruments: %1 instruments; a session may hold at most %2")
                        .arg(arr.size())
                        .arg(limits.maxInstruments));
        return std::nullopt;
    }
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
        if (const QString why = checkId(i.id, limits); !why.isEmpty()) {
            fail(error, tr("%1.id: %2").arg(path, why));
            return std::nullopt;
        }
        if (ids.contains(i.id)) {
            fail(error, tr("%1.id: %2 is used twice; every instrument needs its own id").arg(path, quoted(i.id)));
            return std::nullopt;
        }
        ids.insert(i.id);
        if (!checkText(path, QStringLiteral("name"), i.name, limits.maxNameLength, error)
            || !checkText(path, QStringLiteral("address"), i.address, limits.maxAddressLength, error))
            return std::nullopt;
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
        const QJsonValue reconnect = o.value(QStringLiteral("auto_reconnect"));
        if (!reconnect.isUndefined() && !reconnect.isBool()) {
            fail(error, tr("%1.auto_reconnect: expected true or false").arg(path));
            return std::nullopt;
        }
        i.autoReconnect = reconnect.toBool(true);
        const QJsonValue params = o.value(QStringLiteral("parameters"));
        if (!params.isUndefined() && !params.isObject()) {
            fail(error, tr("%1.parameters: expected an object").arg(path));
            return std::nullopt;
        }
        const QJsonObject paramObj = params.toObject();
        if (paramObj.size() > limits.maxParameters) {
            fail(error, tr("%1.parameters: %2 parameters; the limit is %3")
                            .arg(path, QString::number(paramObj.size()), QString::number(limits.maxParameters)));
            return std::nullopt;
        }
        for (auto it = paramObj.begin(); it != paramObj.end(); ++it) {
            if (it.value().isString() && it.value().toString().size() > limits.maxStringLength) {
                fail(error, tr("%1.parameters.%2: a string of %3 characters; the limit is %4")
                                .arg(path, Session::quoted(it.key()).mid(1).chopped(1),
                                     QString::number(it.value().toString().size()),
                                     QString::number(limits.maxStringLength)));
                return std::nullopt;
            }
        }
        ParameterSet check = driver->parameters();
        err = check.applyJson(paramObj, path + QStringLiteral(".parameters"));
        if (!err.isEmpty()) {
            fail(error, err);
            return std::nullopt;
        }
        i.parameters = paramObj;
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
    if (s.views.size() > limits.maxViews) {
        fail(error, tr("views: %1 views; a session may hold at most %2").arg(s.views.size()).arg(limits.maxViews));
        return std::nullopt;
    }
    for (qsizetype n = 0; n < s.views.size(); ++n)
        if (!checkViewValue(s.views.at(n), QStringLiteral("views[%1]").arg(n), 0, limits, error))
            return std::nullopt;
    if (!readRecording(obj.value(QStringLiteral("recording")), &s.recording, limits, error))
        return std::nullopt;
    return s;
}

std::optional<Session> Session::fromBytes(const QByteArray &bytes, QString *error, const SessionLimits &limits)
{
    if (bytes.size() > limits.maxFileBytes) {
        fail(error, tr("%1 bytes; a session file may hold at most %2 bytes").arg(bytes.size()).arg(limits.maxFileBytes));
        return std::nullopt;
    }
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
    return fromJson(doc.object(), error, limits);
}

std::optional<Session> Session::load(const QString &path, QString *error, const SessionLimits &limits)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        fail(error, tr("cannot open %1: %2").arg(path, f.errorString()));
        return std::nullopt;
    }
    const QString tooLarge = tr("%1: too large for a session file: a session file may hold at most %2 bytes");
    if (f.size() > limits.maxFileBytes) { // before reading anything
        fail(error, tooLarge.arg(path).arg(limits.maxFileBytes) + tr(" (this one has %1)").arg(f.size()));
        return std::nullopt;
    }
    // Never more than the limit, whatever size the file claims (a pipe, a device, a growing file).
    const QByteArray bytes = f.read(limits.maxFileBytes + 1);
    if (bytes.size() > limits.maxFileBytes) {
        fail(error, tooLarge.arg(path).arg(limits.maxFileBytes));
        return std::nullopt;
    }
    QString err;
    auto s = fromBytes(bytes, &err, limits);
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
        // "nv200-1", not "nv2001" (which reads like a model number). Existing ids are kept as
        // they are; this only names new instruments.
        const QString id = type + QLatin1Char('-') + QString::number(n);
        bool used = false;
        for (const auto &i : instruments)
            used = used || i.id == id;
        if (!used)
            return id;
    }
}

} // namespace bs
