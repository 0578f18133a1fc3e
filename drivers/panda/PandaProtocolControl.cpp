// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolControl.h"

#include <QRegularExpression>

#include <utility>

namespace bs::panda {

void ControlReplyParser::feed(QByteArrayView bytes)
{
    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype nl = bytes.indexOf('\n', start);
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
    m_partial.clear();
    m_replies.clear();
    m_multi.clear();
    m_inMulti = false;
    m_protocolError.clear();
}

void ControlReplyParser::pushMalformed(const QByteArray &line)
{
    m_protocolError = QStringLiteral("Malformed reply: ") + QString::fromUtf8(line);
    ControlReply r;
    r.kind = ControlReply::Kind::Error;
    r.value = m_protocolError;
    m_replies.push_back(std::move(r));
}

void ControlReplyParser::handleLine(const QByteArray &line)
{
    if (line.startsWith('!')) {
        m_inMulti = true;
        m_multi.append(QString::fromUtf8(line.constData() + 1, line.size() - 1));
        return;
    }
    if (line == ".") {
        ControlReply r;
        r.kind = ControlReply::Kind::Multi;
        r.lines = std::exchange(m_multi, {});
        m_inMulti = false;
        m_replies.push_back(std::move(r));
        return;
    }
    if (m_inMulti) {
        // A single-line reply inside a "!" list: the list is broken; report it as one error.
        m_multi.clear();
        m_inMulti = false;
        pushMalformed(line);
        return;
    }
    ControlReply r;
    if (line == "OK") {
        r.kind = ControlReply::Kind::Ok;
    } else if (line.startsWith("OK =")) {
        r.kind = ControlReply::Kind::Value;
        r.value = QString::fromUtf8(line.constData() + 4, line.size() - 4);
    } else if (line.startsWith("ERR ") || line == "ERR") {
        r.kind = ControlReply::Kind::Error;
        r.value = QString::fromUtf8(line.mid(4));
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
