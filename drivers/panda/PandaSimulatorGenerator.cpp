// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorGenerator.h"

#include <algorithm>

namespace bs::panda {

void PandaSimulatorGenerator::start(
    const PandaSimulatorModel &model, const CaptureLayout &layout, qint64 armAbsTick)
{
    m_layout = &layout;
    m_armAbsTick = armAbsTick;
    m_lastTrigger = 0;
    m_rows = 0;
    m_pos.clear();
    m_bits.clear();
    m_gateColumns.clear();
    m_tsStart.clear();
    m_tsEnd.clear();
    m_tsTrig.clear();
    for (auto &columns : m_bitsColumns)
        columns.clear();

    for (const FieldRef &r : layout.posSources) {
        PosSource s;
        s.signal = model.def(r).signal;
        s.instance = r.instance;
        std::fill(std::begin(s.column), std::end(s.column), -1);
        m_pos.push_back(s);
    }
    for (int i = 0; i < model.bitBus().size(); ++i) {
        const FieldRef r = model.bitBus()[i];
        m_bits.push_back({ i, model.def(r).signal, r.instance });
    }
    for (int c = 0; c < layout.columns.size(); ++c) {
        const CaptureColumn &col = layout.columns[c];
        switch (col.source) {
        case ColumnSource::Pos:
            m_pos[size_t(col.index)].column[int(col.option)] = c;
            break;
        case ColumnSource::Bits:
            m_bitsColumns[col.index].push_back(c);
            break;
        case ColumnSource::GateDuration:
            m_gateColumns.push_back(c);
            break;
        case ColumnSource::TsStart:
            m_tsStart.push_back(c);
            break;
        case ColumnSource::TsEnd:
            m_tsEnd.push_back(c);
            break;
        case ColumnSource::TsTrig:
            m_tsTrig.push_back(c);
            break;
        }
    }
    // Values at ARM are the "previous" values of the first row.
    for (PosSource &s : m_pos) {
        if (s.signal == SignalKind::Counter) {
            s.start = model.state(model.ref("COUNTER", s.instance, "START")).value;
            s.step = model.state(model.ref("COUNTER", s.instance, "STEP")).value;
        }
        s.previous = evaluate(s, armAbsTick, 0);
    }
}

qint64 PandaSimulatorGenerator::evaluate(PosSource &s, qint64 absTick, qint64 triggers)
{
    switch (s.signal) {
    case SignalKind::Encoder:
        return s.instance == 0 ? encoderSine(absTick, m_rng) : encoderRamp(absTick);
    case SignalKind::Counter:
        return qint32(quint32(quint64(s.start) + quint64(s.step) * quint64(triggers)));
    default:
        return 0;
    }
}

quint32 PandaSimulatorGenerator::bitsWord(qint64 absTick, qint64 relTick) const
{
    quint32 word = 0;
    for (const BitSource &b : m_bits) {
        bool level = false;
        switch (b.signal) {
        case SignalKind::Ttl:
            level = ttlLevel(b.instance + 1, absTick);
            break;
        case SignalKind::Clock:
            level = clockLevel(m_clockPeriod[b.instance], relTick);
            break;
        case SignalKind::Active:
            level = true;
            break;
        default:
            break;
        }
        if (level)
            word |= 1u << b.bit;
    }
    return word;
}

RowBatch PandaSimulatorGenerator::generate(
    const PandaSimulatorModel &model, qint64 deviceTick, qint64 maxRows)
{
    RowBatch batch;
    batch.firstRow = m_rows;
    batch.columns = m_layout->columns.size();
    const qint64 period = model.triggerPeriodTicks();
    if (period <= 0 || deviceTick - m_lastTrigger < period || maxRows <= 0)
        return batch;
    const qint64 rows = std::min((deviceTick - m_lastTrigger) / period, maxRows);

    for (PosSource &s : m_pos) {
        if (s.signal == SignalKind::Counter) {
            s.start = model.state(model.ref("COUNTER", s.instance, "START")).value;
            s.step = model.state(model.ref("COUNTER", s.instance, "STEP")).value;
        }
    }
    m_clockPeriod[0] = model.clockPeriodTicks(0);
    m_clockPeriod[1] = model.clockPeriodTicks(1);
    const bool gateOpen = model.gateOpen();
    const int shift = model.shiftSum();
    const bool unsignedGate = m_layout->oldGateType;
    const size_t ncols = size_t(batch.columns);

    batch.rows = int(rows);
    batch.values.resize(size_t(rows) * ncols);
    batch.gates.resize(size_t(rows));
    if (m_layout->hasStdDev)
        batch.high.assign(size_t(rows) * ncols, 0);
    qint64 *out = batch.values.data();

    for (qint64 r = 0; r < rows; ++r, out += ncols) {
        const qint64 t = m_lastTrigger + period;
        const qint64 abs = m_armAbsTick + t;
        const qint64 gate = gateOpen ? t - m_lastTrigger : 0;
        const quint32 gateWord = quint32(quint64(gate) >> shift);
        const qint64 gateValue = unsignedGate ? qint64(gateWord) : qint64(qint32(gateWord));
        batch.gates[size_t(r)] = gateValue;
        for (int c : m_gateColumns)
            out[c] = gateValue;
        for (int c : m_tsStart)
            out[c] = m_lastTrigger;
        for (int c : m_tsEnd)
            out[c] = t;
        for (int c : m_tsTrig)
            out[c] = t;

        const qint64 triggers = qint64(m_rows) + r + 1;
        for (PosSource &s : m_pos) {
            const qint64 cur = evaluate(s, abs, triggers);
            const qint64 prev = s.previous;
            s.previous = cur;
            const bool constant = s.signal == SignalKind::Counter; // counters hold their value over the gate
            const int *col = s.column;
            if (col[0] >= 0)
                out[col[0]] = cur;
            if (col[1] >= 0)
                out[col[1]] = qint32(quint32(quint64(cur - prev)));
            if (col[2] >= 0 || col[5] >= 0) {
                const qint64 sum = constant ? qint64(quint64(cur) * quint64(gate))
                                            : qint64(double(prev + cur) * 0.5 * double(gate));
                const qint64 shifted = sum >> shift;
                if (col[2] >= 0)
                    out[col[2]] = shifted;
                if (col[5] >= 0)
                    out[col[5]] = shifted;
            }
            if (col[6] >= 0) {
                // Sum of squares over the gate (a linear change from prev to cur for encoders).
                __extension__ using I128 = __int128;
                __extension__ using U128 = unsigned __int128;
                const U128 g = U128(quint64(gate));
                U128 squares = constant ? U128(I128(cur) * cur) * g
                                        : U128(I128(prev) * prev + I128(prev) * cur + I128(cur) * cur) * g / 3;
                squares >>= shift;
                out[col[6]] = qint64(quint64(squares));
                batch.high[size_t(r) * ncols + size_t(col[6])] = quint32(quint64(squares >> 64));
            }
            if (col[3] >= 0)
                out[col[3]] = constant ? cur : std::min(prev, cur);
            if (col[4] >= 0)
                out[col[4]] = constant ? cur : std::max(prev, cur);
        }
        if (!m_bitsColumns[0].empty()) {
            const qint64 word = bitsWord(abs, t);
            for (int c : m_bitsColumns[0])
                out[c] = word;
        }
        for (int w = 1; w < 4; ++w) {
            for (int c : m_bitsColumns[w])
                out[c] = 0; // nothing is wired to the upper bit-bus quadrants
        }
        m_lastTrigger = t;
    }
    m_rows += quint64(rows);
    return batch;
}

} // namespace bs::panda
