// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The SCPI error queue of the simulated M81-SSM (docs/protocols/lakeshore-m81.md §8, U3, U4,
// U13): items `code,"message;command;"`, at most kCapacity (then the last becomes -350
// "Queue overflow"), read all at once by SYSTem:ERRor:ALL? or one by one by SYSTem:ERRor?.
// Also the standard event status register bits an error sets (*ESR?).

#include <QByteArray>
#include <QList>

namespace bs::m81 {

class M81SimulatorErrorQueue
{
public:
    static constexpr int kCapacity = 32;

    /// `command` is the offending program unit as received (without a leading ':').
    void push(int code, QByteArrayView message, QByteArrayView command);
    bool isEmpty() const { return m_items.isEmpty(); }
    int size() const { return int(m_items.size()); }
    void clear() { m_items.clear(); }

    /// Every item joined by `separator`, the queue emptied; `emptyText` when there is none.
    QByteArray takeAll(QByteArrayView separator, QByteArrayView emptyText);
    /// The oldest item, removed; `0,"No error"` when there is none.
    QByteArray takeNext();

    /// Standard event status register bits set since the last takeEventBits().
    int takeEventBits() { return std::exchange(m_eventBits, 0); }
    int eventBits() const { return m_eventBits; }

private:
    QList<QByteArray> m_items;
    int m_eventBits = 0;
};

} // namespace bs::m81
