// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200ProtocolFrame.h"

#include <QCoreApplication>

namespace bs::nv200 {

QString formatNumber(double value)
{
    QString s = QString::number(value, 'f', 6);
    while (s.endsWith(QLatin1Char('0')))
        s.chop(1);
    if (s.endsWith(QLatin1Char('.')))
        s.chop(1);
    if (s == QLatin1String("-0"))
        s = QStringLiteral("0");
    return s;
}

QByteArray encodeLine(const QString &line, QString *error)
{
    for (const QChar c : line) {
        if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (error)
                *error = QCoreApplication::translate("Nv200Protocol", "a command must not contain CR or LF");
            return {};
        }
        if (c.unicode() > 0xff) {
            if (error)
                *error = QCoreApplication::translate("Nv200Protocol", "'%1' cannot be sent in latin-1").arg(c);
            return {};
        }
    }
    return line.toLatin1() + '\r';
}

QByteArray encodeCommand(const QString &name, const QStringList &args, QString *error)
{
    QString line = name;
    for (const QString &a : args)
        line += QLatin1Char(',') + a;
    return encodeLine(line, error);
}

QByteArray cleanFrame(const QByteArray &raw)
{
    QByteArray text;
    text.reserve(raw.size());
    bool lineOpen = false;
    for (const char c : raw) {
        if (c == '\0' || c == '\x01' || c == kXoff || c == kXon)
            continue;
        if (c == '\r' || c == '\n') {
            lineOpen = false;
            continue;
        }
        if (!lineOpen && !text.isEmpty())
            text += '\n';
        lineOpen = true;
        text += c;
    }
    return text;
}

void FrameReader::feed(const QByteArray &bytes)
{
    qsizetype from = 0;
    if (m_discarding) {
        const qsizetype end = bytes.indexOf(kXon);
        if (end < 0)
            return; // still inside the overflowed frame
        m_discarding = false;
        from = end + 1;
    }
    m_buffer.append(bytes.constData() + from, bytes.size() - from);
    for (;;) {
        const qsizetype end = m_buffer.indexOf(kXon, m_scanned);
        if (end < 0) {
            m_scanned = m_buffer.size();
            if (m_buffer.size() > m_max) {
                // No answer is this long: drop it up to its XON, keep only its head for the message.
                m_overflowed = true;
                m_overflowHead = m_buffer.left(64);
                m_discarding = true;
                m_buffer = QByteArray(); // frees the memory
                m_scanned = 0;
            }
            return;
        }
        const qsizetype open = m_buffer.lastIndexOf(kXoff, end);
        const qsizetype begin = open < 0 ? 0 : open + 1;
        if (end - begin > m_max) {
            m_overflowed = true;
            m_overflowHead = m_buffer.mid(begin, 64);
        } else {
            m_frames.push_back(cleanFrame(m_buffer.mid(begin, end - begin)));
        }
        m_buffer.remove(0, end + 1);
        m_scanned = 0;
    }
}

QByteArray FrameReader::takeFrame()
{
    if (m_frames.empty())
        return {};
    QByteArray f = std::move(m_frames.front());
    m_frames.pop_front();
    return f;
}

void FrameReader::reset()
{
    m_buffer = QByteArray(); // frees the memory (clear() may keep a large capacity)
    m_scanned = 0;
    m_overflowed = false;
    m_discarding = false;
    m_overflowHead.clear();
    m_frames.clear();
}

QString promptDevice(const QByteArray &frameText)
{
    for (const QByteArray &line : frameText.split('\n')) {
        const QByteArray t = line.trimmed();
        if (t.endsWith('>') && !t.contains(',')) {
            QByteArray id = t;
            id.replace('<', QByteArray()).replace('>', QByteArray());
            return QString::fromLatin1(id.trimmed());
        }
    }
    return {};
}

} // namespace bs::nv200
