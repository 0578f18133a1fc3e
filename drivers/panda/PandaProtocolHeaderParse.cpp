// SPDX-License-Identifier: GPL-3.0-or-later
// Parsing of the two header forms (XML and text) into DataHeader.
#include "PandaProtocolHeader.h"

#include <QXmlStreamReader>

namespace bs::panda {

namespace {

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

QString normalisedUnits(const QString &units)
{
    return units == QLatin1String("(null)") ? QString() : units;
}

// Applies one "data" attribute (XML attribute or text "key: value"); false on a bad value.
// Unknown keys are ignored so that newer servers can add attributes.
bool applyDataAttribute(DataHeader &h, QStringView key, const QString &value, QString *error)
{
    bool ok = true;
    if (key == QLatin1String("arm_time")) {
        h.armTime = value;
    } else if (key == QLatin1String("start_time")) {
        h.startTime = value;
    } else if (key == QLatin1String("hw_time_offset_ns")) {
        h.hwTimeOffsetNs = value.toLongLong(&ok);
    } else if (key == QLatin1String("missed")) {
        h.missed = value.toULongLong(&ok);
    } else if (key == QLatin1String("sample_bytes")) {
        h.sampleBytes = value.toInt(&ok);
        ok = ok && h.sampleBytes > 0;
    } else if (key == QLatin1String("process")) {
        const auto p = processFromName(value);
        ok = p.has_value();
        if (ok)
            h.process = *p;
    } else if (key == QLatin1String("format")) {
        const auto f = dataFormatFromName(value);
        ok = f.has_value();
        if (ok)
            h.format = *f;
    }
    if (!ok)
        setError(error, QStringLiteral("Bad header value %1=\"%2\"").arg(key, value));
    return ok;
}

bool setFieldType(FieldInfo &f, const QString &typeName, QString *error)
{
    const auto t = fieldTypeFromName(typeName);
    if (!t) {
        setError(error, QStringLiteral("Unknown field type \"%1\" of %2").arg(typeName, f.column()));
        return false;
    }
    f.type = *t;
    return true;
}

bool parseNumber(const QString &text, double &out, const FieldInfo &f, QString *error)
{
    bool ok = false;
    out = text.toDouble(&ok);
    if (!ok)
        setError(error, QStringLiteral("Bad scale/offset \"%1\" of %2").arg(text, f.column()));
    return ok;
}

bool readXmlField(const QXmlStreamAttributes &a, DataHeader &h, QString *error)
{
    FieldInfo f;
    f.name = a.value(QLatin1String("name")).toString();
    f.capture = a.value(QLatin1String("capture")).toString();
    if (f.name.isEmpty() || f.capture.isEmpty() || !a.hasAttribute(QLatin1String("type"))) {
        setError(error, QStringLiteral("Header field without name, type or capture"));
        return false;
    }
    if (!setFieldType(f, a.value(QLatin1String("type")).toString(), error))
        return false;
    if (a.hasAttribute(QLatin1String("scale"))
        && !parseNumber(a.value(QLatin1String("scale")).toString(), f.scale, f, error))
        return false;
    if (a.hasAttribute(QLatin1String("offset"))
        && !parseNumber(a.value(QLatin1String("offset")).toString(), f.offset, f, error))
        return false;
    f.units = normalisedUnits(a.value(QLatin1String("units")).toString());
    f.scalable = a.hasAttribute(QLatin1String("scale")) || a.hasAttribute(QLatin1String("offset"))
        || a.hasAttribute(QLatin1String("units"));
    h.fields.append(f);
    return true;
}

// " COUNTER1.OUT double Value scale: 1 offset: 0 units: mm"
bool readTextField(const QString &line, DataHeader &h, QString *error)
{
    const QString body = line.trimmed();
    const int scalePos = body.indexOf(QLatin1String(" scale:"));
    const QString head = scalePos < 0 ? body : body.left(scalePos);
    const QStringList words = head.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() != 3) {
        setError(error, QStringLiteral("Bad header field line \"%1\"").arg(line));
        return false;
    }
    FieldInfo f;
    f.name = words[0];
    f.capture = words[2];
    if (!setFieldType(f, words[1], error))
        return false;
    if (scalePos >= 0) {
        const QString rest = body.mid(scalePos);
        const int offsetPos = rest.indexOf(QLatin1String(" offset:"));
        const int unitsPos = rest.indexOf(QLatin1String(" units:"));
        if (offsetPos < 0 || unitsPos < offsetPos) {
            setError(error, QStringLiteral("Bad header field line \"%1\"").arg(line));
            return false;
        }
        if (!parseNumber(rest.mid(7, offsetPos - 7).trimmed(), f.scale, f, error)
            || !parseNumber(rest.mid(offsetPos + 8, unitsPos - offsetPos - 8).trimmed(), f.offset, f, error))
            return false;
        f.units = normalisedUnits(rest.mid(unitsPos + 7).trimmed());
        f.scalable = true;
    }
    h.fields.append(f);
    return true;
}

} // namespace

bool parseXmlHeader(QByteArrayView xml, DataHeader &h, QString *error)
{
    QXmlStreamReader reader(xml.toByteArray());
    bool sawHeader = false;
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = reader.name();
        if (name == QLatin1String("header")) {
            sawHeader = true;
        } else if (name == QLatin1String("data")) {
            for (const QXmlStreamAttribute &a : reader.attributes()) {
                if (!applyDataAttribute(h, a.name(), a.value().toString(), error))
                    return false;
            }
        } else if (name == QLatin1String("field")) {
            if (!readXmlField(reader.attributes(), h, error))
                return false;
        }
    }
    if (reader.hasError()) {
        setError(error, QStringLiteral("Bad XML header: %1").arg(reader.errorString()));
        return false;
    }
    if (!sawHeader) {
        setError(error, QStringLiteral("XML header without <header> element"));
        return false;
    }
    return true;
}

bool parseTextHeader(const QByteArrayList &lines, DataHeader &h, QString *error)
{
    bool inFields = false;
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw);
        if (inFields && line.startsWith(QLatin1Char(' '))) {
            if (!readTextField(line, h, error))
                return false;
            continue;
        }
        if (line == QLatin1String("fields:")) {
            inFields = true;
            continue;
        }
        const int colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0 || inFields) {
            setError(error, QStringLiteral("Bad header line \"%1\"").arg(line));
            return false;
        }
        if (!applyDataAttribute(h, QStringView(line).left(colon), line.mid(colon + 1).trimmed(), error))
            return false;
    }
    return true;
}

} // namespace bs::panda
