// SPDX-License-Identifier: GPL-3.0-or-later
#include "HostPort.h"

#include <QCoreApplication>
#include <QStringList>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("HostPort", text);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isHexDigit(QChar c)
{
    return isAsciiDigit(c) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

bool allAsciiDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s)
        if (!isAsciiDigit(c))
            return false;
    return true;
}

/// `text` as a port 1–65535, or 0.
quint16 portValue(QStringView text)
{
    if (!allAsciiDigits(text) || text.size() > 5)
        return 0;
    const uint v = text.toUInt();
    return v >= 1 && v <= 65535 ? quint16(v) : 0;
}

/// Counts the 16-bit groups of one side of an IPv6 address (a side of "::", or the whole address
/// without "::"). The last group may be a dotted IPv4 address (two groups) if `mayEndInIpv4`.
bool countGroups(QStringView side, bool mayEndInIpv4, int *groups)
{
    *groups = 0;
    if (side.isEmpty())
        return true;
    const auto parts = side.split(QLatin1Char(':'));
    for (qsizetype n = 0; n < parts.size(); ++n) {
        const QStringView g = parts[n];
        if (mayEndInIpv4 && n == parts.size() - 1 && g.contains(QLatin1Char('.'))) {
            if (!isIpv4Literal(g.toString()))
                return false;
            *groups += 2;
            continue;
        }
        if (g.isEmpty() || g.size() > 4)
            return false;
        for (QChar c : g)
            if (!isHexDigit(c))
                return false;
        *groups += 1;
    }
    return true;
}

bool isZoneId(QStringView zone)
{
    if (zone.isEmpty())
        return false;
    for (QChar c : zone)
        if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')
                || c == QLatin1Char('.')))
            return false;
    return true;
}

/// A DNS name (labels of letters, digits, '-' and '_', separated by dots; one trailing dot allowed).
bool isHostName(QStringView name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    for (QStringView label : name.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-')))
            return false;
        for (QChar c : label)
            if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')))
                return false;
    }
    return true;
}

bool onlyDigitsAndDots(QStringView s)
{
    for (QChar c : s)
        if (!isAsciiDigit(c) && c != QLatin1Char('.'))
            return false;
    return true;
}

QString badPort(QStringView text)
{
    return tr("port '%1' is not a number from 1 to 65535").arg(text.toString());
}

/// A host without brackets and without a port: name, IPv4 or IPv6 literal.
bool classifyHost(const QString &host, HostPort *out, QString *error)
{
    if (host.isEmpty())
        return fail(error, tr("no host name"));
    if (host.contains(QLatin1Char(':'))) {
        if (!isIpv6Literal(host))
            return fail(error, tr("'%1' is not an IPv6 address").arg(host));
        out->kind = HostPort::Kind::IPv6;
    } else if (onlyDigitsAndDots(host)) {
        if (!isIpv4Literal(host))
            return fail(
                error, tr("'%1' is not an IPv4 address (four numbers 0–255 separated by dots)").arg(host));
        out->kind = HostPort::Kind::IPv4;
    } else if (isHostName(host)) {
        out->kind = HostPort::Kind::Name;
    } else {
        return fail(error, tr("'%1' is not a host name or IP address").arg(host));
    }
    out->host = host;
    return true;
}
} // namespace

bool isIpv4Literal(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return false;
    for (const QString &p : parts)
        if (!allAsciiDigits(p) || p.size() > 3 || p.toUInt() > 255)
            return false;
    return true;
}

bool isIpv6Literal(const QString &text)
{
    QStringView addr(text);
    const qsizetype percent = addr.indexOf(QLatin1Char('%'));
    if (percent >= 0) {
        if (!isZoneId(addr.mid(percent + 1)))
            return false;
        addr = addr.left(percent);
    }
    const qsizetype gap = addr.indexOf(QLatin1String("::"));
    if (gap < 0) {
        int groups = 0;
        return countGroups(addr, true, &groups) && groups == 8;
    }
    if (addr.indexOf(QLatin1String("::"), gap + 1) >= 0)
        return false; // "::" at most once
    const QStringView left = addr.left(gap), right = addr.mid(gap + 2);
    int l = 0, r = 0;
    return countGroups(left, false, &l) && countGroups(right, true, &r) && l + r <= 7;
}

QString HostPort::toString() const
{
    return toString(port);
}

QString HostPort::toString(quint16 otherPort) const
{
    const QString h = kind == Kind::IPv6 ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(otherPort);
}

std::optional<HostPort> parseHostPort(const QString &text, quint16 defaultPort, QString *error)
{
    const QString s = text.trimmed();
    HostPort hp;
    hp.port = defaultPort;
    if (s.isEmpty()) {
        fail(error, tr("no host name"));
        return std::nullopt;
    }

    // [IPv6] or [IPv6]:port
    if (s.startsWith(QLatin1Char('['))) {
        const qsizetype close = s.indexOf(QLatin1Char(']'));
        if (close < 0) {
            fail(error, tr("'[' without a closing ']'"));
            return std::nullopt;
        }
        const QString inside = s.mid(1, close - 1);
        if (!isIpv6Literal(inside)) {
            fail(error, tr("'%1' in brackets is not an IPv6 address").arg(inside));
            return std::nullopt;
        }
        hp.host = inside;
        hp.kind = HostPort::Kind::IPv6;
        const QStringView rest = QStringView(s).mid(close + 1);
        if (rest.isEmpty())
            return hp;
        if (!rest.startsWith(QLatin1Char(':'))) {
            fail(error, tr("unexpected '%1' after ']' (expected ':port')").arg(rest.toString()));
            return std::nullopt;
        }
        hp.port = portValue(rest.mid(1));
        if (hp.port == 0) {
            fail(error, badPort(rest.mid(1)));
            return std::nullopt;
        }
        return hp;
    }
    if (s.contains(QLatin1Char(']'))) {
        fail(error, tr("']' without an opening '['"));
        return std::nullopt;
    }

    const qsizetype colons = s.count(QLatin1Char(':'));
    if (colons == 0) {
        if (!classifyHost(s, &hp, error))
            return std::nullopt;
        return hp;
    }
    if (colons == 1) {
        const qsizetype colon = s.indexOf(QLatin1Char(':'));
        const QStringView portText = QStringView(s).mid(colon + 1);
        hp.port = portValue(portText);
        if (hp.port == 0) {
            fail(error, badPort(portText));
            return std::nullopt;
        }
        if (!classifyHost(s.left(colon), &hp, error))
            return std::nullopt;
        return hp;
    }

    // Two colons or more, no brackets: an IPv6 literal alone — if it cannot be read otherwise.
    if (!isIpv6Literal(s)) {
        fail(error, tr("'%1' is not an IPv6 address (write [address]:port to give a port)").arg(s));
        return std::nullopt;
    }
    const qsizetype last = s.lastIndexOf(QLatin1Char(':'));
    const QString before = s.left(last);
    const QStringView after = QStringView(s).mid(last + 1);
    if (portValue(after) != 0 && isIpv6Literal(before)) {
        fail(error,
            tr("'%1' is ambiguous: write [%1] for the IPv6 address alone, or [%2]:%3 for address "
               "%2 and port %3")
                .arg(s, before, after.toString()));
        return std::nullopt;
    }
    hp.host = s;
    hp.kind = HostPort::Kind::IPv6;
    return hp;
}

} // namespace bs
