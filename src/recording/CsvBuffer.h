// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <string_view>

namespace bs {

/// A growable, uninitialized text buffer: callers ask for room, write with to_chars, commit.
class CsvBuffer
{
public:
    explicit CsvBuffer(std::size_t capacity = 0) { grow(capacity); }

    /// A pointer with at least `n` writable bytes at the end of the text.
    char *room(std::size_t n)
    {
        if (m_size + n > m_capacity)
            grow(std::max(m_size + n, 2 * m_capacity));
        return m_data.get() + m_size;
    }
    /// The text now ends at `end` (inside the last room()).
    void commit(const char *end) { m_size = std::size_t(end - m_data.get()); }
    void append(std::string_view s)
    {
        std::memcpy(room(s.size()), s.data(), s.size());
        m_size += s.size();
    }
    const char *data() const { return m_data.get(); }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void clear() { m_size = 0; }

    /// Shortest text that reads back to the same double (`nan` for any NaN); needs 32 bytes.
    static char *putDouble(char *p, double v)
    {
        if (std::isnan(v)) {
            std::memcpy(p, "nan", 3);
            return p + 3;
        }
        return std::to_chars(p, p + 32, v).ptr;
    }
    static char *putUInt(char *p, unsigned long long v) { return std::to_chars(p, p + 24, v).ptr; }

private:
    void grow(std::size_t capacity)
    {
        if (capacity <= m_capacity)
            return;
        std::unique_ptr<char[]> bigger(new char[capacity]);
        if (m_size)
            std::memcpy(bigger.get(), m_data.get(), m_size);
        m_data = std::move(bigger);
        m_capacity = capacity;
    }

    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0, m_capacity = 0;
};

} // namespace bs
