// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolControl.h"

#include <QRegularExpression>

#include <algorithm>
#include <utility>

namespace bs::panda {

QString escapePeerText(QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype n = std::min(bytes.size(), maxBytes);
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    if (n == bytes.size() && std::all_of(p, p + n, [](unsigned char c) { return c >= 0x20 && c < 0x7f; }))
        return QString::fromLatin1(bytes); // the common case: printable ASCII
    QString out;
    auto hex = [&out](unsigned char b) { out += QStringLiteral("\\x%1").arg(uint(b), 2, 16, QLatin1Char('0')); };
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                hex(c);
            else
                out += QLatin1Char(char(c));
            ++i;
            continue;
        }
        // A whole, shortest-form UTF-8 sequence that is not a C1 control stays as it is.
        const int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
        bool ok = len > 0 && i + len <= n;
        for (int k = 1; ok && k < len; ++k)
            ok = (p[i + k] & 0xc0) == 0x80;
        if (ok) {
            const QString s = QString::fromUtf8(bytes.sliced(i, len));
            const char32_t cp = s.toUcs4().value(0);
            ok = s.size() >= 1 && cp != 0xfffd && !(cp >= 0x80 && cp < 0xa0);
            if (ok) {
                out += s;
                i += len;
                continue;
            }
        }
        hex(c);
        ++i;
    }
    if (bytes.size() > maxBytes)
        out += QChar(0x2026);
    return out;
}

void ControlReplyParser::violate(const QString &what)
{
    m_violation = what;
    // Free what the offending input took.
    m_partial = QByteArray();
    m_multi = QStringList();
    m_multiBytes = 0;
    m_inMulti = false;
}

void ControlReplyParser::feed(QByteArrayView bytes)
{
    qsizetype start = 0;
    while (start < bytes.size() && m_violation.isEmpty()) {
        const qsizetype nl = bytes.indexOf('\n', start);
        const qsizetype lineBytes = m_partial.size() + (nl < 0 ? bytes.size() : nl) - start;
        if (lineBytes > kMaxControlLineBytes) {
            const QByteArray head = m_partial.isEmpty() ? bytes.sliced(start, std::min<qsizetype>(32, bytes.size() - start)).toByteArray() : m_partial.left(32);
            violate(QStringLiteral("a reply line longer than %1 bytes without a line feed ('%2')")
                        .arg(kMaxControlLineBytes)
                        .arg(escapePeerText(head, 24)));
            return;
        }
        if (nl < 0) {
            m_partial.append(bytes.sliced(start));
            return;
        }
        if (m_partial.isEmpty()) {
            handleLine(bytes.sliced(start, nl - start).toByteArray());
        } else {
            m_partial.append(bytes.sliced(start, nl - start));
            const QByteArray line = std::exchange(m_partial, {});
            handleLine(line);
        }
        start = nl + 1;
    }
}

ControlReply ControlReplyParser::takeReply()
{
    if (m_replies.empty())
        return {};
    ControlReply r = std::move(m_replies.front());
    m_replies.pop_front();
    return r;
}

void ControlReplyParser::reset()
{
    m_partial = QByteArray();
    m_replies.clear();
    m_multi = QStringList();
    m_multiBytes = 0;
    m_inMulti = false;
    m_protocolError.clear();
    m_violation.clear();
}

void ControlReplyParser::pushMalformed(const QByteArray &line)
{
    m_protocolError = QStringLiteral("Malformed reply: ") + escapePeerText(line);
    ControlReply r;
    r.kind = ControlReply::Kind::Error;
    r.value = m_protocolError;
    m_replies.push_back(std::move(r));
}

void ControlReplyParser::handleLine(const QByteArray &line)
{
    if (line.startsWith('!')) {
        m_inMulti = true;
        m_multiBytes += line.size() - 1;
        if (m_multi.size() >= kMaxListLines || m_multiBytes > kMaxListBytes) {
            violate(QStringLiteral("a list reply ('!' lines) longer than %1 lines or %2 bytes without its "
                                   "closing '.' (it began '!%3')")
                        .arg(kMaxListLines)
                        .arg(kMaxListBytes)
                        .arg(m_multi.value(0).left(24)));
            return;
        }
        m_multi.append(escapePeerText(QByteArrayView(line).sliced(1), kMaxControlLineBytes));
        return;
    }
    if (line == ".") {
        ControlReply r;
        r.kind = ControlReply::Kind::Multi;
        r.lines = std::exchange(m_multi, {});
        m_multiBytes = 0;
        m_inMulti = false;
        m_replies.push_back(std::move(r));
        return;
    }
    if (m_inMulti) {
        // A single-line reply inside a "!" list: the list is broken; report it as one error.
        m_multi = QStringList();
        m_multiBytes = 0;
        m_inMulti = false;
        pushMalformed(line);
        return;
    }
    ControlReply r;
    if (line == "OK") {
        r.kind = ControlReply::Kind::Ok;
    } else if (line.startsWith("OK =")) {
        r.kind = ControlReply::Kind::Value;
        r.value = escapePeerText(QByteArrayView(line).sliced(4), kMaxControlLineBytes);
    } else if (line.startsWith("ERR ") || line == "ERR") {
        r.kind = ControlReply::Kind::Error;
        r.value = escapePeerText(QByteArrayView(line).sliced(std::min<qsizetype>(4, line.size())), kMaxControlLineBytes);
    } else {
        pushMalformed(line);
        return;
    }
    m_replies.push_back(std::move(r));
}

std::optional<Identity> parseIdentity(const QString &idnValue)
{
    static const QRegularExpression re(QStringLiteral("^(\\S+) SW: (.*) FPGA: (.*) rootfs: (.*)$"));
    static const QRegularExpression version(QStringLiteral("^(\\d+)\\.(\\d+)"));
    const QRegularExpressionMatch m = re.match(idnValue);
    if (!m.hasMatch())
        return std::nullopt;
    Identity id;
    id.product = m.captured(1);
    id.software = m.captured(2).trimmed();
    id.fpga = m.captured(3).trimmed();
    id.rootfs = m.captured(4).trimmed();
    const QRegularExpressionMatch v = version.match(id.software);
    if (v.hasMatch()) {
        id.apiMajor = v.captured(1).toInt();
        id.apiMinor = v.captured(2).toInt();
    }
    return id;
}

namespace {

bool hasLineBreak(const QString &s)
{
    return s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r'));
}

} // namespace

QByteArray encodeQuery(const QString &target)
{
    if (hasLineBreak(target))
        return {};
    return target.toUtf8() + "?\n";
}

QByteArray encodeAssign(const QString &target, const QString &value)
{
    if (hasLineBreak(target) || hasLineBreak(value))
        return {};
    return target.toUtf8() + '=' + value.toUtf8() + '\n';
}

} // namespace bs::panda
