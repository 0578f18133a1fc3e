// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81ProtocolReply.h"

#include <cmath>

namespace bs::m81 {

QList<QByteArray> splitReplyItems(QByteArrayView line)
{
    QList<QByteArray> items;
    char quote = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == quote)
                quote = 0; // a doubled quote closes and reopens: same effect
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == ';') {
            items << line.sliced(start, i - start).toByteArray();
            start = i + 1;
        }
    }
    items << line.sliced(start).toByteArray();
    return items;
}

QString unquote(QByteArrayView item)
{
    QByteArrayView t = item.trimmed();
    if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) {
        const char q = t.front();
        QByteArray inner = t.sliced(1, t.size() - 2).toByteArray();
        inner.replace(QByteArray(2, q), QByteArray(1, q));
        return QString::fromUtf8(inner);
    }
    return QString::fromUtf8(t);
}

bool ScpiError::isHardwareMissing() const
{
    return code == -241 || message.contains(QLatin1String("Hardware missing"), Qt::CaseInsensitive);
}

QString ScpiError::describe() const
{
    QString s = code ? QStringLiteral("%1 %2").arg(code).arg(message) : message;
    if (!command.isEmpty())
        s += QStringLiteral(" in '%1'").arg(command);
    return s;
}

bool ErrorQueue::hardwareMissing() const
{
    for (const ScpiError &e : errors)
        if (e.isHardwareMissing())
            return true;
    return false;
}

QString ErrorQueue::describe() const
{
    QStringList parts;
    for (const ScpiError &e : errors)
        parts << e.describe();
    return parts.join(QStringLiteral("; "));
}

namespace {

void skipSpace(QByteArrayView s, qsizetype &i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
        ++i;
}

/// `code,"text"` at `i`; advances past it. nullopt (i unchanged) when there is none.
std::optional<ScpiError> parseItem(QByteArrayView s, qsizetype &i)
{
    qsizetype j = i;
    skipSpace(s, j);
    const qsizetype codeStart = j;
    if (j < s.size() && (s[j] == '-' || s[j] == '+'))
        ++j;
    const qsizetype digits = j;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9')
        ++j;
    if (j == digits || j - digits > 6)
        return std::nullopt;
    bool ok = false;
    const int code = s.sliced(codeStart, j - codeStart).toByteArray().toInt(&ok);
    if (!ok)
        return std::nullopt;
    skipSpace(s, j);
    if (j >= s.size() || s[j] != ',')
        return std::nullopt;
    ++j;
    skipSpace(s, j);
    QByteArray text;
    if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
        const char q = s[j++];
        for (; j < s.size(); ++j) {
            if (s[j] == q) {
                if (j + 1 < s.size() && s[j + 1] == q) { // doubled quote: one quote character
                    text += q;
                    ++j;
                    continue;
                }
                ++j;
                break;
            }
            text += s[j];
        }
    } else { // unquoted text: up to the next comma
        while (j < s.size() && s[j] != ',')
            text += s[j++];
        text = text.trimmed();
    }
    ScpiError e;
    e.code = code;
    e.text = QString::fromUtf8(s.sliced(codeStart, j - codeStart)).trimmed();
    // "Undefined header;FAKEQUERY?;": the message, then the command that caused it.
    const qsizetype semi = text.indexOf(';');
    if (semi >= 0) {
        e.message = QString::fromUtf8(text.left(semi)).trimmed();
        QByteArray cmd = text.mid(semi + 1).trimmed();
        while (cmd.endsWith(';'))
            cmd.chop(1);
        e.command = QString::fromUtf8(cmd).trimmed();
    } else {
        e.message = QString::fromUtf8(text).trimmed();
    }
    i = j;
    return e;
}

} // namespace

ErrorQueue parseErrorQueue(QByteArrayView item)
{
    ErrorQueue q;
    const QByteArrayView t = item.trimmed();
    bool parsedAll = !t.isEmpty();
    qsizetype i = 0;
    QVector<ScpiError> items;
    while (i < t.size()) {
        const auto e = parseItem(t, i);
        if (!e) {
            parsedAll = false;
            break;
        }
        items << *e;
        skipSpace(t, i);
        if (i < t.size()) {
            if (t[i] != ',') {
                parsedAll = false;
                break;
            }
            ++i;
        }
    }
    for (const ScpiError &e : std::as_const(items))
        if (e.code != 0)
            q.errors << e;
    if (!q.errors.isEmpty())
        return q;
    if (t.contains(QByteArrayView("No error")) || t.contains(QByteArrayView("No Error"))
        || t.contains(QByteArrayView("no error")) || (parsedAll && !items.isEmpty())) {
        q.empty = true;
        return q;
    }
    ScpiError e;
    e.message = t.isEmpty() ? QStringLiteral("no error-queue reply") : escapedText(t);
    e.text = e.message;
    q.errors << e;
    return q;
}

CheckedReply parseCheckedReply(QByteArrayView line)
{
    CheckedReply r;
    r.items = splitReplyItems(line);
    const QByteArray last = r.items.takeLast();
    r.queue = parseErrorQueue(last);
    return r;
}

std::optional<Identity> parseIdentity(QByteArrayView line, QString *error)
{
    const QList<QByteArray> f = line.trimmed().toByteArray().split(',');
    if (f.size() < 4) {
        if (error)
            *error = QStringLiteral("'%1' has %2 comma-separated fields, an *IDN? reply has at least 4 "
                                    "(maker,model,serial,firmware)")
                         .arg(escapedText(line))
                         .arg(f.size());
        return std::nullopt;
    }
    Identity id;
    id.manufacturer = QString::fromUtf8(f[0]).trimmed();
    id.model = QString::fromUtf8(f[1]).trimmed();
    const QString serial = QString::fromUtf8(f[2]).trimmed();
    id.serial = serial.section(QLatin1Char('/'), 0, 0);
    id.optionSerial = serial.section(QLatin1Char('/'), 1);
    id.firmware = QString::fromUtf8(f.mid(3).join(',')).trimmed();
    if (id.model.isEmpty()) {
        if (error)
            *error = QStringLiteral("'%1' has no model field").arg(escapedText(line));
        return std::nullopt;
    }
    return id;
}

std::optional<double> parseNumber(QByteArrayView item)
{
    const QByteArray t = item.trimmed().toByteArray();
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

QString escapedText(QByteArrayView bytes, int maxChars)
{
    QString out;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (out.size() >= maxChars) {
            out += QChar(0x2026);
            break;
        }
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace bs::m81
