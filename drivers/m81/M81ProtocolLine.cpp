// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81ProtocolLine.h"

#include "M81ProtocolElements.h"

#include <QList>

#include <cstring>

namespace bs::m81 {

namespace {

/// The header of the first command of `command` split into keywords ("SYST", "ERR", "CLE"),
/// without a leading ':' or '*' marker, the '?' and the numeric suffixes.
QList<QByteArray> headerWords(QByteArrayView command, bool *common, bool *query)
{
    QByteArrayView t = command.trimmed();
    const qsizetype space = t.indexOf(' ');
    QByteArrayView header = space < 0 ? t : t.first(space);
    const qsizetype semi = header.indexOf(';');
    if (semi >= 0)
        header = header.first(semi);
    *common = header.startsWith('*');
    *query = header.endsWith('?');
    if (*query)
        header.chop(1);
    if (header.startsWith(':') || header.startsWith('*'))
        header = header.sliced(1);
    QList<QByteArray> words;
    for (QByteArray w : header.toByteArray().split(':')) {
        while (!w.isEmpty() && w.back() >= '0' && w.back() <= '9')
            w.chop(1);
        words << w;
    }
    return words;
}

bool matches(const QList<QByteArray> &words, std::initializer_list<const char *> patterns)
{
    if (words.size() != qsizetype(patterns.size()))
        return false;
    qsizetype i = 0;
    for (const char *p : patterns)
        if (!scpiKeywordMatches(words[i++], p))
            return false;
    return true;
}

} // namespace

bool takesErrorCheck(QByteArrayView command)
{
    bool common = false, query = false;
    const QList<QByteArray> w = headerWords(command, &common, &query);
    if (common) {
        const QByteArray name = w.value(0).toUpper();
        return !(query && (name == "IDN" || name == "STB" || name == "ESR" || name == "ESE" || name == "SRE"));
    }
    if (matches(w, {"SYSTem", "ERRor", "CLEar"}))
        return false;
    if (query && matches(w, {"TRACe", "DATA", "ALL"}))
        return false;
    if (query && !w.isEmpty() && scpiKeywordMatches(w[0], "STATus"))
        return false;
    return true;
}

bool isDataPoll(QByteArrayView command)
{
    bool common = false, query = false;
    const QList<QByteArray> w = headerWords(command, &common, &query);
    return !common && query && matches(w, {"TRACe", "DATA", "ALL"});
}

bool isQuery(QByteArrayView command)
{
    char quote = 0;
    for (char c : command) {
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '?') {
            return true;
        }
    }
    return false;
}

QByteArray encodeMessage(const QString &command, bool check, QString *error)
{
    if (command.contains(QLatin1Char('\r')) || command.contains(QLatin1Char('\n'))) {
        if (error)
            *error = QStringLiteral("a command may not contain CR or LF");
        return {};
    }
    QByteArray out = command.toUtf8();
    if (check)
        out += kErrorCheck;
    out += '\n';
    return out;
}

void LineReader::reset()
{
    m_lines.clear();
    m_buffer = QByteArray();
    m_overflowed = m_skipping = m_cr = false;
}

void LineReader::feed(QByteArrayView bytes)
{
    const char *p = bytes.data();
    const char *end = p + bytes.size();
    while (p < end) {
        if (m_cr && *p == '\n') { // CR LF across two chunks (or right after the CR)
            ++p;
            m_cr = false;
            if (m_skipping) {
                m_skipping = false;
            } else {
                m_buffer.chop(1); // the CR
                m_lines.push_back(std::move(m_buffer));
                m_buffer = QByteArray();
            }
            continue;
        }
        // Up to the next CR LF inside this chunk, or its end.
        const char *lf = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        const char *stop = end;
        while (lf) {
            if (lf > p && lf[-1] == '\r') {
                stop = lf - 1;
                break;
            }
            lf = static_cast<const char *>(std::memchr(lf + 1, '\n', std::size_t(end - lf - 1)));
        }
        const qsizetype n = stop - p;
        if (!m_skipping) {
            if (m_buffer.size() + n > m_max) { // too long: drop it up to its CR LF
                m_overflowed = true;
                m_skipping = true;
                m_buffer = QByteArray();
            } else {
                m_buffer.append(p, n);
            }
        }
        if (stop == end) {
            m_cr = n > 0 ? end[-1] == '\r' : m_cr;
            return;
        }
        // stop points at the CR of a CR LF
        if (m_skipping) {
            m_skipping = false;
        } else {
            m_lines.push_back(std::move(m_buffer));
            m_buffer = QByteArray();
        }
        p = stop + 2;
        m_cr = false;
    }
}

std::optional<QByteArray> LineReader::takeLine()
{
    if (m_lines.empty())
        return std::nullopt;
    QByteArray line = std::move(m_lines.front());
    m_lines.pop_front();
    return line;
}

} // namespace bs::m81
