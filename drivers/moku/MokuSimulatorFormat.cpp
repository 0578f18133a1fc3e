// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuSimulatorFormat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include <cmath>
#include <cstring>

namespace bs::moku {

namespace {

constexpr int kChunkHeader = 28; // magic 4, flags 1, channels 1, 0 2, count 4, first 8, rate 8

template <typename T>
void put(QByteArray &out, T v)
{
    char b[sizeof(T)];
    qToLittleEndian(v, b);
    out.append(b, sizeof(T));
}

template <typename T>
T get(const char *p)
{
    return qFromLittleEndian<T>(p);
}

} // namespace

QByteArray encodeChunk(const SimChunk &chunk)
{
    const std::size_t n = chunk.count();
    QByteArray out;
    out.reserve(qsizetype(kChunkHeader + chunk.channels.size() * (1 + 8 * n)));
    out.append("LIs\x01", 4);
    out.append(char(chunk.end ? 1 : 0));
    out.append(char(chunk.channels.size()));
    put<quint16>(out, 0);
    put<quint32>(out, quint32(n));
    put<qint64>(out, chunk.first);
    put<double>(out, chunk.rate);
    for (int c : chunk.channels)
        out.append(char(c));
    for (const auto &v : chunk.values) {
        const qsizetype at = out.size();
        out.resize(at + qsizetype(8 * n));
        char *p = out.data() + at;
        for (std::size_t i = 0; i < n; ++i)
            qToLittleEndian(v[i], p + 8 * i);
    }
    return out;
}

QString decodeChunk(const QByteArray &bytes, SimChunk &out)
{
    if (bytes.size() < kChunkHeader || !bytes.startsWith("LIs\x01"))
        return QStringLiteral("not a chunk of the BenchScope simulator (%1 bytes)").arg(bytes.size());
    const char *p = bytes.constData();
    out.end = p[4] & 1;
    const int channels = quint8(p[5]);
    const quint32 n = get<quint32>(p + 8);
    out.first = get<qint64>(p + 12);
    out.rate = get<double>(p + 20);
    const qint64 expected = kChunkHeader + qint64(channels) + qint64(channels) * 8 * qint64(n);
    if (bytes.size() != expected)
        return QStringLiteral("chunk of %1 bytes, its header promises %2").arg(bytes.size()).arg(expected);
    out.channels.assign(std::size_t(channels), 0);
    out.values.assign(std::size_t(channels), {});
    const char *q = p + kChunkHeader;
    for (int c = 0; c < channels; ++c)
        out.channels[std::size_t(c)] = quint8(q[c]);
    q += channels;
    for (int c = 0; c < channels; ++c) {
        auto &v = out.values[std::size_t(c)];
        v.resize(n);
        for (quint32 i = 0; i < n; ++i)
            v[i] = get<double>(q + 8 * i);
        q += 8 * qint64(n);
    }
    if (!(out.rate > 0) || !std::isfinite(out.rate))
        return QStringLiteral("chunk with a sample rate of %1").arg(out.rate);
    return {};
}

QByteArray logFileHeader(const QJsonObject &header)
{
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QByteArray out("LIf\x01", 4);
    put<quint32>(out, quint32(json.size()));
    out += json;
    return out;
}

void appendLogRecords(QByteArray &out, const std::vector<std::vector<double>> &values, std::size_t n)
{
    const qsizetype at = out.size();
    out.resize(at + qsizetype(4 * values.size() * n));
    char *p = out.data() + at;
    for (std::size_t i = 0; i < n; ++i)
        for (const auto &v : values) {
            qToLittleEndian(float(v[i]), p);
            p += 4;
        }
}

QString readLogFileHeader(const QByteArray &start, QJsonObject *header, qint64 *dataOffset)
{
    if (start.size() < 8 || !start.startsWith("LIf\x01"))
        return QStringLiteral("not a log file of the BenchScope simulator");
    const quint32 len = get<quint32>(start.constData() + 4);
    if (qint64(len) + 8 > start.size())
        return QStringLiteral("log file header cut short");
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(start.mid(8, len), &err);
    if (!doc.isObject())
        return QStringLiteral("log file header is not JSON: %1").arg(err.errorString());
    *header = doc.object();
    const double rate = header->value(QStringLiteral("rate")).toDouble();
    const QJsonArray ch = header->value(QStringLiteral("channels")).toArray();
    if (!(rate > 0) || ch.isEmpty())
        return QStringLiteral("log file header without rate or channels");
    *dataOffset = 8 + qint64(len);
    return {};
}

} // namespace bs::moku
