// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorEncoder.h"

#include "PandaProtocolStdDev.h"

#include <QtEndian>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace bs::panda {
namespace {

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Writes the base64 text of n bytes to out; returns the end of the text.
char *encodeBase64(const uchar *in, int n, char *out)
{
    int i = 0;
    for (; i + 3 <= n; i += 3) {
        const quint32 v = quint32(in[i]) << 16 | quint32(in[i + 1]) << 8 | in[i + 2];
        *out++ = kBase64Alphabet[v >> 18];
        *out++ = kBase64Alphabet[(v >> 12) & 63];
        *out++ = kBase64Alphabet[(v >> 6) & 63];
        *out++ = kBase64Alphabet[v & 63];
    }
    if (n - i == 1) {
        const quint32 v = quint32(in[i]) << 16;
        *out++ = kBase64Alphabet[v >> 18];
        *out++ = kBase64Alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        const quint32 v = quint32(in[i]) << 16 | quint32(in[i + 1]) << 8;
        *out++ = kBase64Alphabet[v >> 18];
        *out++ = kBase64Alphabet[(v >> 12) & 63];
        *out++ = kBase64Alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
    return out;
}

inline void put32(char *p, quint32 v)
{
    qToLittleEndian(v, p);
}

inline void put64(char *p, qint64 v)
{
    qToLittleEndian(v, p);
}

/// SCALED value of a non-bits column of row r.
inline double scaledValue(const CaptureColumn &c, const RowBatch &batch, int r, int column)
{
    const qint64 raw = batch.value(r, column);
    const qint64 gate = batch.gates[size_t(r)];
    if (c.option == CaptureOption::StdDev && c.source == ColumnSource::Pos) {
        const PandaUInt128 squares
            = PandaUInt128(quint64(raw)) | (PandaUInt128(batch.highWord(r, column)) << 64);
        return std::abs(c.scale) * pandaStdDev(squares, batch.value(r, c.sumColumn), double(gate));
    }
    if (c.option == CaptureOption::Mean && c.source == ColumnSource::Pos) {
        if (gate == 0)
            return std::numeric_limits<double>::quiet_NaN();
        return c.scale * (double(raw) / double(gate)) + c.offset;
    }
    return double(raw) * c.scale + c.offset;
}

} // namespace

void PandaSimulatorEncoder::reset(const CaptureLayout *layout)
{
    m_layout = layout;
    m_batch = nullptr;
    m_payloads.clear();
    m_haveSamples[0] = m_haveSamples[1] = false;
}

void PandaSimulatorEncoder::beginBatch(const RowBatch *batch)
{
    m_batch = batch;
    m_payloads.clear();
    m_haveSamples[0] = m_haveSamples[1] = false;
}

const QByteArray &PandaSimulatorEncoder::samplesFor(bool raw)
{
    if (!m_haveSamples[raw]) {
        m_samples[raw] = raw ? rawSamples(*m_batch) : scaledSamples(*m_batch);
        m_haveSamples[raw] = true;
    }
    return m_samples[raw];
}

const QByteArray &PandaSimulatorEncoder::payload(const SimDataOptions &options)
{
    const int key = options.encodingKey();
    auto it = m_payloads.find(key);
    if (it != m_payloads.end())
        return *it;
    const int sampleBytes = m_layout->sampleBytes(options.raw);
    QByteArray bytes;
    switch (options.format) {
    case SimDataOptions::Format::Framed:
        bytes = framed(
            samplesFor(options.raw), sampleBytes, options.raw ? kMaxRawBlockBytes : kMaxScaledBlockBytes);
        break;
    case SimDataOptions::Format::Unframed:
        bytes = samplesFor(options.raw);
        break;
    case SimDataOptions::Format::Base64:
        bytes = base64(samplesFor(options.raw), sampleBytes);
        break;
    case SimDataOptions::Format::Ascii:
        bytes = asciiLines(*m_batch, options.raw);
        break;
    }
    return *m_payloads.insert(key, bytes);
}

QByteArray PandaSimulatorEncoder::rawSamples(const RowBatch &batch) const
{
    const QVector<CaptureColumn> &columns = m_layout->columns;
    const int ncols = columns.size();
    int widths[64];
    const bool small = ncols <= 64;
    for (int c = 0; small && c < ncols; ++c)
        widths[c] = columns[c].rawBytes;

    QByteArray out(qsizetype(batch.rows) * m_layout->rawSampleBytes, Qt::Uninitialized);
    char *p = out.data();
    const qint64 *v = batch.values.data();
    for (int r = 0; r < batch.rows; ++r) {
        for (int c = 0; c < ncols; ++c, ++v) {
            const int width = small ? widths[c] : columns[c].rawBytes;
            if (width == 4) {
                put32(p, quint32(quint64(*v)));
                p += 4;
            } else {
                put64(p, *v);
                p += 8;
                if (width == 12) {
                    put32(p, batch.highWord(r, c));
                    p += 4;
                }
            }
        }
    }
    return out;
}

QByteArray PandaSimulatorEncoder::scaledSamples(const RowBatch &batch) const
{
    const QVector<CaptureColumn> &columns = m_layout->columns;
    const int ncols = columns.size();
    const int first = m_layout->firstScaledColumn();
    QByteArray out(qsizetype(batch.rows) * m_layout->scaledSampleBytes, Qt::Uninitialized);
    char *p = out.data();
    for (int r = 0; r < batch.rows; ++r) {
        const qint64 *v = batch.values.data() + size_t(r) * size_t(ncols);
        for (int c = first; c < ncols; ++c) {
            const CaptureColumn &col = columns[c];
            if (col.rawOnly)
                continue;
            if (col.source == ColumnSource::Bits) {
                put32(p, quint32(quint64(v[c])));
                p += 4;
            } else {
                const double d = scaledValue(col, batch, r, c);
                quint64 bits;
                std::memcpy(&bits, &d, 8);
                put64(p, qint64(bits));
                p += 8;
            }
        }
    }
    return out;
}

QByteArray PandaSimulatorEncoder::asciiLines(const RowBatch &batch, bool raw) const
{
    const QVector<CaptureColumn> &columns = m_layout->columns;
    const int ncols = columns.size();
    QByteArray out;
    out.reserve(qsizetype(batch.rows) * (ncols * 14 + 1));
    char buf[48];
    for (int r = 0; r < batch.rows; ++r) {
        const qint64 *v = batch.values.data() + size_t(r) * size_t(ncols);
        for (int c = raw ? 0 : m_layout->firstScaledColumn(); c < ncols; ++c) {
            const CaptureColumn &col = columns[c];
            if (col.rawOnly && !raw)
                continue;
            int n;
            if (raw) {
                const quint64 word = quint64(v[c]);
                n = std::snprintf(buf, sizeof buf, " 0x%08x", unsigned(word & 0xffffffffu));
                if (col.rawBytes >= 8)
                    n += std::snprintf(buf + n, sizeof buf - size_t(n), " 0x%08x", unsigned(word >> 32));
                if (col.rawBytes == 12)
                    n += std::snprintf(buf + n, sizeof buf - size_t(n), " 0x%08x", unsigned(batch.highWord(r, c)));
            } else if (col.source == ColumnSource::Bits) {
                n = std::snprintf(buf, sizeof buf, " %u", unsigned(quint32(quint64(v[c]))));
            } else {
                n = std::snprintf(buf, sizeof buf, " %.10g", scaledValue(col, batch, r, c));
            }
            out.append(buf, n);
        }
        out.append('\n');
    }
    return out;
}

std::vector<int> PandaSimulatorEncoder::planBlocks(int rows, int sampleBytes, int maxBlockBytes)
{
    std::vector<int> plan;
    const int maxSamples = std::max(1, (maxBlockBytes - 8) / std::max(1, sampleBytes));
    const int low = std::max(1, maxSamples / 2);
    int remaining = rows;
    while (remaining > 0) {
        int n = m_rng.below(16) == 0 ? 1 : low + int(m_rng.below(quint32(maxSamples - low + 1)));
        n = std::min(n, remaining);
        plan.push_back(n);
        remaining -= n;
    }
    return plan;
}

QByteArray PandaSimulatorEncoder::framed(const QByteArray &samples, int sampleBytes, int maxBlockBytes)
{
    const int rows = sampleBytes > 0 ? int(samples.size() / sampleBytes) : 0;
    const std::vector<int> plan = planBlocks(rows, sampleBytes, maxBlockBytes);
    QByteArray out(samples.size() + qsizetype(plan.size()) * 8, Qt::Uninitialized);
    char *p = out.data();
    const char *src = samples.constData();
    for (int n : plan) {
        const int bytes = n * sampleBytes;
        std::memcpy(p, "BIN ", 4);
        put32(p + 4, quint32(bytes + 8));
        std::memcpy(p + 8, src, size_t(bytes));
        p += bytes + 8;
        src += bytes;
    }
    return out;
}

QByteArray PandaSimulatorEncoder::base64(const QByteArray &samples, int sampleBytes)
{
    const int rows = sampleBytes > 0 ? int(samples.size() / sampleBytes) : 0;
    const std::vector<int> plan = planBlocks(rows, sampleBytes, kMaxScaledBlockBytes);
    const qsizetype lines = samples.size() / kBase64LineBytes + qsizetype(plan.size()) + 1;
    QByteArray out(samples.size() * 4 / 3 + lines * 8, Qt::Uninitialized);
    char *p = out.data();
    const uchar *src = reinterpret_cast<const uchar *>(samples.constData());
    for (int n : plan) {
        int bytes = n * sampleBytes;
        while (bytes > 0) {
            const int chunk = std::min(bytes, kBase64LineBytes);
            *p++ = ' ';
            p = encodeBase64(src, chunk, p);
            if (m_base64Nul)
                *p++ = '\0';
            *p++ = '\n';
            src += chunk;
            bytes -= chunk;
        }
    }
    out.truncate(p - out.constData());
    return out;
}

} // namespace bs::panda
