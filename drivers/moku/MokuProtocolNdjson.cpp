// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuProtocolNdjson.h"

#include <QCoreApplication>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace bs::moku {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::moku::Ndjson", text);
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline bool equalsNoCase(std::string_view a, const char *b)
{
    const std::size_t n = std::strlen(b);
    if (a.size() != n)
        return false;
    for (std::size_t i = 0; i < n; ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != b[i])
            return false;
    }
    return true;
}

QString excerpt(const char *p, const char *end)
{
    const std::size_t n = std::min<std::size_t>(std::size_t(end - p), 20);
    return QString::fromUtf8(p, qsizetype(n));
}

/// A hand-written scanner over one line.
class Scanner
{
public:
    Scanner(std::string_view line)
        : m_begin(line.data()), m_p(line.data()), m_end(line.data() + line.size())
    {
    }

    void skipSpace()
    {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
    }
    bool atEnd() const { return m_p >= m_end; }
    char peek() const { return *m_p; }
    bool consume(char c)
    {
        skipSpace();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    std::size_t offset() const { return std::size_t(m_p - m_begin); }

    /// A string starting at the current '"'; returns its raw content (escapes not decoded).
    bool string(std::string_view &s)
    {
        if (m_p >= m_end || *m_p != '"')
            return false;
        const char *start = ++m_p;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '\\') {
                m_p += 2;
                continue;
            }
            if (c == '"') {
                s = std::string_view(start, std::size_t(m_p - start));
                ++m_p;
                return true;
            }
            ++m_p;
        }
        m_p = m_end;
        return false;
    }

    /// Skips any JSON value (for unknown keys). Returns false on malformed input.
    bool skipValue(int depth = 0)
    {
        skipSpace();
        if (m_p >= m_end || depth > 64)
            return false;
        const char c = *m_p;
        if (c == '"') {
            std::string_view s;
            return string(s);
        }
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_p;
            if (consume(close))
                return true;
            for (;;) {
                if (c == '{') {
                    skipSpace();
                    std::string_view key;
                    if (!string(key) || !consume(':'))
                        return false;
                }
                if (!skipValue(depth + 1))
                    return false;
                if (consume(','))
                    continue;
                return consume(close);
            }
        }
        // number, literal or bare nan/inf: everything up to a delimiter
        const char *start = m_p;
        while (m_p < m_end && !isSpace(*m_p) && *m_p != ',' && *m_p != ']' && *m_p != '}')
            ++m_p;
        return m_p > start;
    }

    /// A JSON array of numbers appended to `out`. On failure `error` names the byte.
    bool numberArray(std::vector<double> &out, std::string_view key, QString &error)
    {
        skipSpace();
        if (m_p >= m_end || *m_p != '[') {
            error = tr("the value of \"%1\" at byte %2 is not an array")
                        .arg(QString::fromUtf8(key.data(), qsizetype(key.size())))
                        .arg(offset());
            return false;
        }
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        for (;;) {
            skipSpace();
            const char *start = m_p;
            double v = 0;
            if (!number(v)) {
                m_p = start;
                error = tr("bad number at byte %1 in the \"%2\" array: «%3»")
                            .arg(offset())
                            .arg(QString::fromUtf8(key.data(), qsizetype(key.size())), excerpt(start, m_end));
                return false;
            }
            out.push_back(v);
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
                return true;
            }
            error = m_p >= m_end ? tr("the line ends inside the \"%1\" array (truncated line)")
                                       .arg(QString::fromUtf8(key.data(), qsizetype(key.size())))
                                 : tr("expected , or ] at byte %1 in the \"%2\" array, found «%3»")
                                       .arg(offset())
                                       .arg(QString::fromUtf8(key.data(), qsizetype(key.size())),
                                            excerpt(m_p, m_end));
            return false;
        }
    }

private:
    bool number(double &v)
    {
        if (m_p >= m_end)
            return false;
        const char c = *m_p;
        if (c == '"') { // "nan", "inf", "-inf" as strings (a normalised reply)
            std::string_view s;
            if (!string(s))
                return false;
            bool negative = false;
            if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
                negative = s.front() == '-';
                s.remove_prefix(1);
            }
            if (equalsNoCase(s, "nan")) {
                v = kNaN;
                return true;
            }
            if (equalsNoCase(s, "inf") || equalsNoCase(s, "infinity")) {
                v = negative ? -kInf : kInf;
                return true;
            }
            return false;
        }
        if (c == 'n' && m_end - m_p >= 4 && std::memcmp(m_p, "null", 4) == 0) {
            m_p += 4;
            v = kNaN;
            return true;
        }
        const char *p = m_p;
        if (*p == '+') // not JSON, but harmless: +inf
            ++p;
        const auto [ptr, ec] = std::from_chars(p, m_end, v);
        if (ec == std::errc::result_out_of_range) {
            // a finite number too large or too small for a double: keep its magnitude's meaning
            if (ptr == p)
                return false;
            const bool negative = *p == '-';
            const char *e = p;
            while (e < ptr && *e != 'e' && *e != 'E')
                ++e;
            const bool tiny = e + 1 < ptr && e[1] == '-';
            v = tiny ? 0.0 : (negative ? -kInf : kInf);
            m_p = ptr;
            return delimiterFollows();
        }
        if (ec != std::errc() || ptr == p)
            return false;
        m_p = ptr;
        return delimiterFollows();
    }

    bool delimiterFollows() const
    {
        return m_p >= m_end || isSpace(*m_p) || *m_p == ',' || *m_p == ']';
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
};

/// "ch7" → 7; 0 when the key is not a channel key.
int channelOf(std::string_view key)
{
    if (key.size() < 3 || key.size() > 5 || key[0] != 'c' || key[1] != 'h')
        return 0;
    int n = 0;
    for (std::size_t i = 2; i < key.size(); ++i) {
        const char c = key[i];
        if (c < '0' || c > '9')
            return 0;
        n = n * 10 + (c - '0');
    }
    return n;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// NdjsonLineSplitter

NdjsonLineSplitter::NdjsonLineSplitter(std::size_t maxLineLength)
    : m_maxLineLength(maxLineLength)
{
}

void NdjsonLineSplitter::append(const char *data, std::size_t size)
{
    if (m_failed || size == 0)
        return;
    if (m_begin > 0 && (m_begin == m_buffer.size() || m_begin >= m_buffer.size() / 2)) {
        m_buffer.erase(0, m_begin);
        m_scan -= m_begin;
        m_begin = 0;
    }
    m_buffer.append(data, size);
}

NdjsonLineSplitter::Result NdjsonLineSplitter::takeLine(std::string_view &line)
{
    if (m_failed)
        return Result::TooLong;
    const char *base = m_buffer.data();
    const std::size_t size = m_buffer.size();
    const void *lf = m_scan < size ? std::memchr(base + m_scan, '\n', size - m_scan) : nullptr;
    if (!lf) {
        m_scan = size;
        if (size - m_begin > m_maxLineLength) {
            m_failed = true;
            m_buffer.clear();
            m_buffer.shrink_to_fit();
            m_begin = m_scan = 0;
            return Result::TooLong;
        }
        return Result::NeedMore;
    }
    const std::size_t at = std::size_t(static_cast<const char *>(lf) - base);
    std::size_t length = at - m_begin;
    if (length > 0 && base[at - 1] == '\r')
        --length;
    if (length > m_maxLineLength) {
        m_failed = true;
        m_buffer.clear();
        m_buffer.shrink_to_fit();
        m_begin = m_scan = 0;
        return Result::TooLong;
    }
    line = std::string_view(base + m_begin, length);
    m_begin = m_scan = at + 1;
    return Result::Line;
}

QString NdjsonLineSplitter::error() const
{
    if (!m_failed)
        return QString();
    return tr("a line of the stream is longer than %1 bytes without a line end; the stream is not "
              "the expected newline-delimited JSON or is corrupted")
        .arg(qulonglong(m_maxLineLength));
}

void NdjsonLineSplitter::reset()
{
    m_buffer.clear();
    m_begin = m_scan = 0;
    m_failed = false;
}

// ---------------------------------------------------------------------------------------------
// parseStreamLine

QString parseStreamLine(std::string_view line, StreamLine &out)
{
    out.endOfStream = false;
    out.time.clear();
    out.channels.clear();
    std::size_t used = 0; // entries of out.values in use (storage beyond it is kept for reuse)

    Scanner s(line);
    s.skipSpace();
    if (s.atEnd()) {
        out.values.clear();
        return tr("empty line instead of a JSON object");
    }
    if (s.peek() != '{') {
        std::string_view rest = line.substr(s.offset());
        while (!rest.empty() && isSpace(rest.back()))
            rest.remove_suffix(1);
        if (rest == "EOS") {
            out.endOfStream = true;
            out.values.clear();
            return QString();
        }
        out.values.clear();
        return tr("the line is not a JSON object: «%1»").arg(excerpt(rest.data(), rest.data() + rest.size()));
    }
    s.consume('{');

    bool haveTime = false;
    QString error;
    auto fail = [&](const QString &sentence) {
        out.values.resize(used);
        out.channels.resize(used);
        return sentence;
    };

    if (!s.consume('}')) {
        for (;;) {
            s.skipSpace();
            std::string_view key;
            if (s.atEnd())
                return fail(tr("the line ends inside the object (truncated line)"));
            if (s.peek() != '"' || !s.string(key))
                return fail(tr("expected a quoted key at byte %1").arg(s.offset()));
            if (!s.consume(':'))
                return fail(tr("expected : after the key \"%1\" at byte %2")
                                .arg(QString::fromUtf8(key.data(), qsizetype(key.size())))
                                .arg(s.offset()));
            if (key == "time") {
                if (haveTime)
                    return fail(tr("the key \"time\" appears twice"));
                haveTime = true;
                if (!s.numberArray(out.time, key, error))
                    return fail(error);
            } else if (const int ch = channelOf(key); ch > 0) {
                if (std::find(out.channels.begin(), out.channels.end(), ch) != out.channels.end())
                    return fail(tr("the key \"ch%1\" appears twice").arg(ch));
                if (used == out.values.size())
                    out.values.emplace_back();
                std::vector<double> &v = out.values[used];
                v.clear();
                out.channels.push_back(ch);
                ++used;
                if (!s.numberArray(v, key, error))
                    return fail(error);
            } else if (!s.skipValue()) {
                return fail(tr("malformed value of the key \"%1\" near byte %2")
                                .arg(QString::fromUtf8(key.data(), qsizetype(key.size())))
                                .arg(s.offset()));
            }
            if (s.consume(','))
                continue;
            if (s.consume('}'))
                break;
            s.skipSpace();
            if (s.atEnd())
                return fail(tr("the line ends inside the object (truncated line)"));
            return fail(tr("expected , or } at byte %1").arg(s.offset()));
        }
    }
    s.skipSpace();
    if (!s.atEnd())
        return fail(tr("text after the JSON object at byte %1").arg(s.offset()));
    out.values.resize(used);
    if (!haveTime)
        return tr("the object has no \"time\" array");

    // ascending channel order (a device sends them sorted; insertion sort costs nothing then)
    for (std::size_t i = 1; i < used; ++i)
        for (std::size_t j = i; j > 0 && out.channels[j - 1] > out.channels[j]; --j) {
            std::swap(out.channels[j - 1], out.channels[j]);
            out.values[j - 1].swap(out.values[j]);
        }
    for (std::size_t i = 0; i < used; ++i)
        if (out.values[i].size() != out.time.size())
            return tr("the arrays have different lengths: \"time\" has %1 values, \"ch%2\" has %3")
                .arg(qulonglong(out.time.size()))
                .arg(out.channels[i])
                .arg(qulonglong(out.values[i].size()));
    return QString();
}

// ---------------------------------------------------------------------------------------------
// StreamContinuity

StreamContinuity::StreamContinuity(double sampleInterval, double tolerance)
    : m_interval(sampleInterval > 0 ? sampleInterval : 0), m_tolerance(tolerance)
{
}

void StreamContinuity::reset()
{
    m_started = false;
    m_expectedNext = 0;
    m_totalLost = 0;
}

StreamContinuity::Check StreamContinuity::check(const double *time, std::size_t n)
{
    Check c;
    if (n == 0)
        return c;
    if (m_interval <= 0) {
        if (n < 2)
            return c; // cannot tell yet
        const double span = time[n - 1] - time[0];
        if (!(span > 0))
            return c;
        m_interval = span / double(n - 1);
    }
    const double interval = m_interval;
    const double tol = m_tolerance * interval;

    // classify one step from `from` to `to` (should be exactly one interval apart)
    auto step = [&](double from, double to, long long &lost, std::size_t index) {
        const double d = to - from;
        if (std::fabs(d - interval) <= tol)
            return;
        if (!(d > tol)) { // repeats or goes back (or NaN)
            const double k = std::floor((-d) / interval + 0.5) + 1;
            c.overlap += std::isfinite(k) && k > 0 ? (long long)k : 1;
            return;
        }
        const double k = std::floor(d / interval + 0.5);
        if (std::fabs(d - k * interval) > tol) {
            if (c.uneven == 0)
                c.firstUneven = index;
            ++c.uneven;
            return;
        }
        lost += (long long)k - 1;
    };

    if (m_started)
        step(m_expectedNext - interval, time[0], c.lostBefore, 0);
    double prev = time[0];
    for (std::size_t i = 1; i < n; ++i) {
        const double t = time[i];
        const double d = t - prev;
        if (!(d >= interval - tol && d <= interval + tol)) // rare (or NaN): only then the detailed look
            step(prev, t, c.lostWithin, i);
        prev = t;
    }
    m_started = true;
    m_expectedNext = time[n - 1] + interval;
    m_totalLost += c.lostBefore + c.lostWithin;
    return c;
}

QString StreamContinuity::describe(const Check &c)
{
    QStringList parts;
    if (c.lostBefore > 0)
        parts << tr("%1 samples lost before this block").arg(c.lostBefore);
    if (c.lostWithin > 0)
        parts << tr("%1 samples lost inside this block").arg(c.lostWithin);
    if (c.overlap > 0)
        parts << tr("%1 samples repeat earlier time stamps or go back in time").arg(c.overlap);
    if (c.uneven > 0)
        parts << tr("%1 time steps are not a whole number of sample intervals (first at sample %2)")
                     .arg(qulonglong(c.uneven))
                     .arg(qulonglong(c.firstUneven));
    return parts.join(QLatin1String("; "));
}

// ---------------------------------------------------------------------------------------------
// Writer

namespace {

void appendArray(std::string &out, const double *v, std::size_t n)
{
    out.push_back('[');
    char buf[32];
    for (std::size_t i = 0; i < n; ++i) {
        if (i)
            out.push_back(',');
        const auto r = std::to_chars(buf, buf + sizeof buf, v[i]);
        out.append(buf, std::size_t(r.ptr - buf));
    }
    out.push_back(']');
}

} // namespace

void appendStreamLine(std::string &out, const double *time, const std::vector<const double *> &channels,
                      const std::vector<int> &channelNumbers, std::size_t n)
{
    const std::size_t need = out.size() + 16 + (channels.size() + 1) * (n * 25 + 12);
    if (out.capacity() < need)
        out.reserve(std::max(need, 2 * out.capacity()));
    out.append("{\"time\":");
    appendArray(out, time, n);
    const std::size_t k = std::min(channels.size(), channelNumbers.size());
    char buf[16];
    for (std::size_t c = 0; c < k; ++c) {
        out.append(",\"ch");
        const auto r = std::to_chars(buf, buf + sizeof buf, channelNumbers[c]);
        out.append(buf, std::size_t(r.ptr - buf));
        out.append("\":");
        appendArray(out, channels[c], n);
    }
    out.append("}\n");
}

void appendEndOfStream(std::string &out)
{
    out.append("EOS\n");
}

} // namespace bs::moku
