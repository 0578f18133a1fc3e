// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolOptions.h"

#include <QByteArrayList>

namespace bs::panda {

QString dataFormatName(DataFormat format)
{
    switch (format) {
    case DataFormat::Ascii:
        return QStringLiteral("ASCII");
    case DataFormat::Base64:
        return QStringLiteral("Base64");
    case DataFormat::Framed:
        return QStringLiteral("Framed");
    case DataFormat::Unframed:
        return QStringLiteral("Unframed");
    }
    return {};
}

std::optional<DataFormat> dataFormatFromName(QStringView text)
{
    for (DataFormat f : { DataFormat::Ascii, DataFormat::Base64, DataFormat::Framed, DataFormat::Unframed }) {
        if (text.compare(dataFormatName(f), Qt::CaseInsensitive) == 0)
            return f;
    }
    return std::nullopt;
}

QString processName(Process process)
{
    return process == Process::Raw ? QStringLiteral("Raw") : QStringLiteral("Scaled");
}

std::optional<Process> processFromName(QStringView text)
{
    if (text.compare(QLatin1String("Raw"), Qt::CaseInsensitive) == 0)
        return Process::Raw;
    if (text.compare(QLatin1String("Scaled"), Qt::CaseInsensitive) == 0)
        return Process::Scaled;
    return std::nullopt;
}

namespace {

void setError(QString *error, const char *text)
{
    if (error)
        *error = QString::fromLatin1(text);
}

// Applies one option word; false if the word is unknown.
bool applyWord(DataOptions &o, const QByteArray &w)
{
    if (w == "ASCII")
        o.format = DataFormat::Ascii;
    else if (w == "BASE64")
        o.format = DataFormat::Base64;
    else if (w == "FRAMED")
        o.format = DataFormat::Framed;
    else if (w == "UNFRAMED")
        o.format = DataFormat::Unframed;
    else if (w == "SCALED")
        o.process = Process::Scaled;
    else if (w == "RAW")
        o.process = Process::Raw;
    else if (w == "NO_HEADER")
        o.header = false;
    else if (w == "NO_STATUS")
        o.status = false;
    else if (w == "ONE_SHOT")
        o.oneShot = true;
    else if (w == "XML")
        o.xml = true;
    else if (w == "BARE") {
        o.format = DataFormat::Unframed;
        o.process = Process::Raw;
        o.header = false;
        o.status = false;
        o.oneShot = true;
    } else if (w == "DEFAULT")
        o = DataOptions {};
    else
        return false;
    return true;
}

} // namespace

std::optional<DataOptions> DataOptions::parse(const QByteArray &line, QString *error)
{
    QByteArray text = line;
    if (text.endsWith('\n'))
        text.chop(1);
    if (text.contains('\r')) {
        setError(error, "Cannot process CR character");
        return std::nullopt;
    }
    if (text.contains('\n')) {
        setError(error, "Invalid data capture option");
        return std::nullopt;
    }
    DataOptions o;
    const QByteArrayList words = text.replace('\t', ' ').split(' ');
    for (const QByteArray &w : words) {
        if (w.isEmpty())
            continue;
        if (!applyWord(o, w)) {
            setError(error, "Invalid data capture option");
            return std::nullopt;
        }
    }
    return o;
}

QByteArray DataOptions::toLine() const
{
    QByteArrayList words;
    if (xml)
        words << "XML";
    switch (format) {
    case DataFormat::Ascii:
        words << "ASCII";
        break;
    case DataFormat::Base64:
        words << "BASE64";
        break;
    case DataFormat::Framed:
        words << "FRAMED";
        break;
    case DataFormat::Unframed:
        words << "UNFRAMED";
        break;
    }
    words << (process == Process::Raw ? "RAW" : "SCALED");
    if (!header)
        words << "NO_HEADER";
    if (!status)
        words << "NO_STATUS";
    if (oneShot)
        words << "ONE_SHOT";
    return words.join(' ') + '\n';
}

} // namespace bs::panda
