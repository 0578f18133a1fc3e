// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Produces capture rows: for every PCAP trigger the RAW value of every layout column, computed
// from the simulated signals over the gate since the previous trigger. Times are FPGA ticks since
// ARM (8 ns); trigger k happens at the previous trigger + the current trigger period.

#include "PandaSimulatorLayout.h"

#include <vector>

namespace bs::panda {

struct RowBatch
{
    int rows = 0;
    int columns = 0;
    quint64 firstRow = 0; // 0-based index of the first row in the capture
    std::vector<qint64> values; // row-major, rows × columns: RAW values (sign- or zero-extended)
    std::vector<qint64> gates; // per row: the gate duration word as captured (for SCALED Mean)
    std::vector<quint32> high; // rows × columns when the layout has StdDev: bits 64-95 of a sum of squares

    quint32 highWord(int row, int column) const
    {
        return high.empty() ? 0 : high[size_t(row) * size_t(columns) + size_t(column)];
    }

    qint64 value(int row, int column) const { return values[size_t(row) * size_t(columns) + size_t(column)]; }
};

class PandaSimulatorGenerator
{
public:
    /// Resets for a new capture armed at absolute tick armAbsTick.
    void start(const PandaSimulatorModel &model, const CaptureLayout &layout, qint64 armAbsTick);
    /// Rows for every trigger up to deviceTick (ticks since ARM), at most maxRows of them.
    RowBatch generate(const PandaSimulatorModel &model, qint64 deviceTick, qint64 maxRows);
    /// Tick of the last generated trigger (0 = ARM).
    qint64 lastTriggerTick() const { return m_lastTrigger; }
    quint64 rowCount() const { return m_rows; }

private:
    struct PosSource
    {
        SignalKind signal = SignalKind::None;
        int instance = 0;
        qint64 start = 0; // COUNTER START / STEP (refreshed every batch)
        qint64 step = 0;
        qint64 previous = 0; // value at the previous trigger
        int column[kCaptureOptionCount]; // layout column per option, -1 if not captured
    };
    struct BitSource
    {
        int bit = 0;
        SignalKind signal = SignalKind::None;
        int instance = 0;
    };

    qint64 evaluate(PosSource &s, qint64 absTick, qint64 triggers);
    quint32 bitsWord(qint64 absTick, qint64 relTick) const;

    const CaptureLayout *m_layout = nullptr;
    std::vector<PosSource> m_pos;
    std::vector<BitSource> m_bits; // sources of BITS0 (all bit_outs live in word 0)
    std::vector<int> m_bitsColumns[4]; // layout columns carrying BITSn
    std::vector<int> m_gateColumns;
    std::vector<int> m_tsStart, m_tsEnd, m_tsTrig;
    qint64 m_clockPeriod[2] = { 0, 0 };
    qint64 m_armAbsTick = 0;
    qint64 m_lastTrigger = 0;
    quint64 m_rows = 0;
    SimRandom m_rng { 0xC0FFEE };
};

} // namespace bs::panda
