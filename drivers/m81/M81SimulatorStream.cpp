// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorStream.h"

#include "M81SimulatorModules.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace bs::m81 {

namespace {

template<typename T>
void put(QByteArray &out, T v)
{
    char bytes[sizeof(T)];
    qToLittleEndian(v, bytes);
    out.append(bytes, sizeof(T));
}

void pack(QByteArray &out, char code, double v)
{
    switch (code) {
    case 'd': put<double>(out, v); break;
    case 'f': put<float>(out, float(v)); break;
    case '?': out.append(char(v != 0 ? 1 : 0)); break;
    case 'b': out.append(char(qint8(v))); break;
    case 'B': out.append(char(quint8(v))); break;
    case 'h': put<qint16>(out, qint16(v)); break;
    case 'H': put<quint16>(out, quint16(v)); break;
    case 'i': case 'l': put<qint32>(out, qint32(v)); break;
    case 'I': case 'L': put<quint32>(out, quint32(v)); break;
    case 'q': put<qint64>(out, qint64(v)); break;
    case 'Q': put<quint64>(out, quint64(v)); break;
    default: break;
    }
}

} // namespace

M81SimulatorStream::M81SimulatorStream(const M81SimulatorConfig &cfg, const M81SimulatorModules &modules)
    : m_cfg(cfg)
    , m_modules(modules)
{
}

char M81SimulatorStream::structCode(const ElementInfo &e) const
{
    const auto it = m_cfg.structCodes.constFind(QByteArray(e.longForm));
    return it != m_cfg.structCodes.cend() && structCodeSize(*it) > 0 ? *it : e.structCode;
}

int M81SimulatorStream::rowBytes() const
{
    int n = 0;
    for (const M81StreamElement &e : m_elements)
        n += structCodeSize(e.code);
    return n;
}

QByteArray M81SimulatorStream::bformat() const
{
    QByteArray f;
    for (const M81StreamElement &e : m_elements)
        f += e.code;
    return f;
}

QByteArray M81SimulatorStream::header() const
{
    QByteArrayList parts;
    for (const M81StreamElement &e : m_elements) {
        if (m_cfg.headerWithUnits) {
            const QString unit = elementUnit(*e.info, (e.info->module == ElementModule::Source
                                                                  ? m_cfg.sourceModels.value(e.module - 1).startsWith(QLatin1String("VS"))
                                                                  : m_cfg.measureModels.value(e.module - 1).startsWith(QLatin1String("VM")))
                                                              ? QStringLiteral("V")
                                                              : QStringLiteral("A"));
            QByteArray label = e.info->longForm;
            if (e.info->module != ElementModule::Instrument)
                label += QByteArray::number(e.module);
            if (!unit.isEmpty())
                label += " (" + unit.toUtf8() + ')';
            parts << label;
        } else {
            parts << QByteArray(e.info->longForm) << QByteArray::number(e.module);
        }
    }
    return parts.join(',');
}

qint64 M81SimulatorStream::capacityRows() const
{
    const int row = rowBytes();
    return row > 0 ? std::max<qint64>(1, m_cfg.bufferBytes / row) : 0;
}

qint64 M81SimulatorStream::bufferedRows() const
{
    const int row = rowBytes();
    return row > 0 ? m_buffer.size() / row : 0;
}

void M81SimulatorStream::start(qint64 nowNs, qint64 count)
{
    m_buffer.clear();
    m_overflow = false;
    m_generated = m_delivered = m_dropped = 0;
    m_count = std::max<qint64>(0, count);
    m_startNs = nowNs;
    m_running = true;
    m_started = true;
    advance(nowNs); // row 0 (RTIMe 0) is due at once
}

void M81SimulatorStream::stop(qint64 nowNs)
{
    advance(nowNs);
    m_running = false;
}

void M81SimulatorStream::reset()
{
    m_running = false;
    m_started = false;
    m_buffer.clear();
    m_overflow = false;
    m_generated = m_delivered = m_dropped = 0;
    m_count = 0;
}

double M81SimulatorStream::secondsSinceStart(qint64 nowNs) const
{
    return m_started ? double(nowNs - m_startNs) * 1e-9 : 0.0;
}

void M81SimulatorStream::advance(qint64 nowNs)
{
    if (!m_running || m_rate <= 0)
        return;
    const bool deliverN = m_cfg.boundedStream == M81SimulatorConfig::BoundedStream::DeliverN;
    // Rows due by now, without overflowing however long the stream runs.
    const qint64 elapsed = std::max<qint64>(0, nowNs - m_startNs);
    qint64 due = elapsed / 1'000'000'000 * m_rate + elapsed % 1'000'000'000 * m_rate / 1'000'000'000 + 1;
    if (m_count > 0 && !deliverN)
        due = std::min(due, m_count);
    const qint64 capacity = capacityRows();
    while (m_generated < due) {
        if (m_count > 0 && deliverN && m_delivered >= m_count)
            break;
        if (bufferedRows() < capacity) {
            appendRow(m_generated++);
            ++m_delivered;
            continue;
        }
        // Full: nothing reads within this call, so every further row due now is lost.
        m_dropped += due - m_generated;
        m_generated = due;
        m_overflow = true;
    }
    if (m_count > 0 && (deliverN ? m_delivered >= m_count : m_generated >= m_count))
        m_running = false;
}

void M81SimulatorStream::appendRow(qint64 row)
{
    const double t = double(row) / m_rate;
    for (const M81StreamElement &e : m_elements) {
        const quint64 index = quint64(row) * quint64(M81SimulatorModules::updateRate(*e.info)) / quint64(m_rate);
        pack(m_buffer, e.code, m_modules.value(*e.info, e.module, index, t));
    }
}

QByteArray M81SimulatorStream::takeAll()
{
    return std::exchange(m_buffer, QByteArray());
}

double M81SimulatorStream::latest(const ElementInfo &e, int module, qint64 nowNs) const
{
    const quint64 index = quint64(std::max<qint64>(0, nowNs)) / 1000 * quint64(M81SimulatorModules::updateRate(e)) / 1'000'000;
    return m_modules.value(e, module, index, secondsSinceStart(nowNs));
}

} // namespace bs::m81
