// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers shared by the fuzz targets: reading the fuzzer's bytes piece by piece, and a check that
// stops the run (so libFuzzer records the input as a crash) when a parser breaks its own contract.
#include <QByteArray>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bs::fuzz {

/// Consumes the input from the front: small integers that steer the target, then the rest as
/// the bytes under test.
class FuzzInput
{
public:
    FuzzInput(const std::uint8_t *data, std::size_t size) : m_p(data), m_n(size) {}
    std::size_t remaining() const { return m_n; }
    std::uint8_t byte()
    {
        if (m_n == 0)
            return 0;
        --m_n;
        return *m_p++;
    }
    template<typename T> T value()
    {
        T v {};
        const std::size_t k = m_n < sizeof(T) ? m_n : sizeof(T);
        std::memcpy(&v, m_p, k);
        m_p += k;
        m_n -= k;
        return v;
    }
    /// Up to the next LF (excluded; the LF is consumed), or everything left.
    QByteArray line()
    {
        const void *lf = std::memchr(m_p, '\n', m_n);
        const std::size_t k = lf ? std::size_t(static_cast<const std::uint8_t *>(lf) - m_p) : m_n;
        QByteArray out(reinterpret_cast<const char *>(m_p), qsizetype(k));
        m_p += k;
        m_n -= k;
        if (lf) {
            ++m_p;
            --m_n;
        }
        return out;
    }
    QByteArray rest()
    {
        QByteArray out(reinterpret_cast<const char *>(m_p), qsizetype(m_n));
        m_p += m_n;
        m_n = 0;
        return out;
    }

private:
    const std::uint8_t *m_p;
    std::size_t m_n;
};

/// Splits `bytes` into pieces of `chunk` bytes (0: one piece), as reads from a socket would.
template<typename Feed> void feedInChunks(const QByteArray &bytes, std::size_t chunk, Feed feed)
{
    const std::size_t n = std::size_t(bytes.size());
    const std::size_t step = chunk == 0 ? (n == 0 ? 1 : n) : chunk;
    for (std::size_t pos = 0; pos < n; pos += step)
        feed(bytes.constData() + pos, step < n - pos ? step : n - pos);
}

} // namespace bs::fuzz

/// A broken contract of the code under test: print what and stop (libFuzzer saves the input).
#define BS_FUZZ_CHECK(cond, what)                                                                   \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d): %s\n", #cond, __FILE__, __LINE__, \
                what);                                                                             \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
