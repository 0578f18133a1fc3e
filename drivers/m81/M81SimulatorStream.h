// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The TRACe data stream of the simulated M81-SSM (docs/protocols/lakeshore-m81.md §5–7, §11,
// §13): the element list, encoding and rate; rows packed little-endian per the element table;
// a capture buffer of whole rows that drops rows and raises the overflow flag when it is full.
//
// Rows are made on a clock without a timer: row k falls due k / rate seconds after STARt, and
// advance(now) puts every row due since the last call into the buffer (RTIMe of row k is exactly
// k / rate; dropped rows keep their place in time). A bounded stream (STARt n) ends after n rows
// delivered into the buffer (or generated, per Config::boundedStream).
//
// Not thread-safe: simulator thread only.

#include "M81ProtocolElements.h"
#include "M81SimulatorConfig.h"

#include <QByteArray>
#include <QList>

namespace bs::m81 {

class M81SimulatorModules;

struct M81StreamElement
{
    const ElementInfo *info = nullptr;
    int module = 1;
    char code = 'd'; // struct code (Config::structCodes may override the element table)
};

class M81SimulatorStream
{
public:
    static constexpr int kMaxElements = 10;
    static constexpr int kMaxRate = 5000;

    M81SimulatorStream(const M81SimulatorConfig &cfg, const M81SimulatorModules &modules);

    void setElements(const QList<M81StreamElement> &elements) { m_elements = elements; }
    const QList<M81StreamElement> &elements() const { return m_elements; }
    void setRate(int rate) { m_rate = rate; }
    int rate() const { return m_rate; }
    /// The struct code of an element as this device packs it.
    char structCode(const ElementInfo &e) const;

    int rowBytes() const;
    QByteArray bformat() const; // "?d" style, no byte-order prefix
    QByteArray header() const;  // without quotes

    /// TRACe:STARt [count]: clears the buffer and the overflow flag; count 0 = until stopped.
    void start(qint64 nowNs, qint64 count);
    /// TRACe:STOP: no more rows (those buffered stay).
    void stop(qint64 nowNs);
    /// TRACe:RESEt (U5): stops, empties the buffer, clears the overflow flag.
    void reset();
    /// Puts every row due by `nowNs` into the buffer (or drops it when the buffer is full).
    void advance(qint64 nowNs);

    bool running() const { return m_running; }
    bool overflow() const { return m_overflow; }
    qint64 bufferedRows() const;
    qint64 capacityRows() const;
    /// Rows generated since STARt (delivered + dropped).
    qint64 generatedRows() const { return m_generated; }
    qint64 droppedRows() const { return m_dropped; }
    /// Removes and returns the bytes of every buffered row.
    QByteArray takeAll();
    /// The values of the elements as FETCh? would give them now (`t` = RTIMe).
    double latest(const ElementInfo &e, int module, qint64 nowNs) const;

private:
    void appendRow(qint64 row);
    double secondsSinceStart(qint64 nowNs) const;

    const M81SimulatorConfig &m_cfg;
    const M81SimulatorModules &m_modules;
    QList<M81StreamElement> m_elements;
    int m_rate = 1000;
    bool m_running = false;
    bool m_overflow = false;
    qint64 m_startNs = 0;
    qint64 m_count = 0;     // 0: unbounded
    qint64 m_generated = 0; // rows whose time has come
    qint64 m_delivered = 0; // rows put into the buffer
    qint64 m_dropped = 0;
    bool m_started = false; // a stream was started since the last reset (RTIMe for FETCh?)
    QByteArray m_buffer;    // whole packed rows
};

} // namespace bs::m81
