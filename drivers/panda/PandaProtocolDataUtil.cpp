// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolDataUtil.h"

#include <array>

namespace bs::panda::detail {

QString describeBytes(const char *data, qsizetype size)
{
    QString out;
    const qsizetype n = std::min<qsizetype>(size, 16);
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    return out;
}

bool couldStartHeader(QByteArrayView bytes)
{
    auto isPrefixOf = [&](QByteArrayView key) {
        const qsizetype n = std::min(bytes.size(), key.size());
        return bytes.first(n) == key.first(n);
    };
    if (isPrefixOf("<header"))
        return true;
    for (const char *key : kTextHeaderKeys) {
        if (isPrefixOf(key))
            return true;
    }
    return false;
}

EndCandidate classifyEndCandidate(const unsigned char *p, std::size_t n)
{
    using K = EndCandidate::Kind;
    static constexpr char kPrefix[] = "END ";
    std::size_t i = 0;
    for (; i < 4; ++i) {
        if (i >= n)
            return { K::NeedMore, 0 };
        if (p[i] != static_cast<unsigned char>(kPrefix[i]))
            return { K::Sample, 0 };
    }
    const std::size_t digitsStart = i;
    while (i < n && p[i] >= '0' && p[i] <= '9' && i - digitsStart < 20)
        ++i;
    if (i == n)
        return { K::NeedMore, 0 };
    if (i == digitsStart || p[i] != ' ')
        return { K::Sample, 0 };
    for (++i; i < n && p[i] != '\n'; ++i) {
        if (p[i] < 0x20 || p[i] > 0x7e || i + 1 >= kMaxEndLineBytes)
            return { K::Sample, 0 };
    }
    if (i == n)
        return { K::NeedMore, 0 };
    return { K::End, i + 1 };
}

namespace {

constexpr std::array<signed char, 256> makeBase64Table()
{
    std::array<signed char, 256> t {};
    for (auto &v : t)
        v = -1;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return t;
}

constexpr std::array<signed char, 256> kBase64 = makeBase64Table();

} // namespace

bool decodeBase64(QByteArrayView text, std::vector<unsigned char> &out)
{
    const qsizetype n = text.size();
    if (n % 4 != 0)
        return false;
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    out.reserve(out.size() + std::size_t(n / 4 * 3));
    for (qsizetype i = 0; i < n; i += 4) {
        const bool last = i + 4 == n;
        const int pad = (last && s[i + 3] == '=') ? (s[i + 2] == '=' ? 2 : 1) : 0;
        int v[4] = { 0, 0, 0, 0 };
        for (int k = 0; k < 4 - pad; ++k) {
            v[k] = kBase64[s[i + k]];
            if (v[k] < 0)
                return false;
        }
        const quint32 word = quint32(v[0]) << 18 | quint32(v[1]) << 12 | quint32(v[2]) << 6 | quint32(v[3]);
        out.push_back(static_cast<unsigned char>(word >> 16));
        if (pad < 2)
            out.push_back(static_cast<unsigned char>(word >> 8));
        if (pad < 1)
            out.push_back(static_cast<unsigned char>(word));
    }
    return true;
}

} // namespace bs::panda::detail
