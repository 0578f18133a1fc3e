// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorErrorQueue.h"

#include "M81SimulatorScpi.h"

namespace bs::m81 {

void M81SimulatorErrorQueue::push(int code, QByteArrayView message, QByteArrayView command)
{
    // IEEE 488.2 event bits: -1xx command error (5), -2xx execution error (4), -3xx device-specific
    // error (3), -4xx query error (2).
    const int cls = -code / 100;
    m_eventBits |= cls == 1 ? 0x20 : cls == 2 ? 0x10 : cls == 3 ? 0x08 : cls == 4 ? 0x04 : 0;
    QByteArray text = message.toByteArray() + ';' + command.toByteArray() + ';';
    text.replace('"', '\'');
    if (m_items.size() >= kCapacity) {
        m_items.last() = QByteArray::number(-350) + ",\"" + scpi::errorText(-350) + ";;\"";
        return;
    }
    m_items.append(QByteArray::number(code) + ",\"" + text + '"');
}

QByteArray M81SimulatorErrorQueue::takeAll(QByteArrayView separator, QByteArrayView emptyText)
{
    if (m_items.isEmpty())
        return emptyText.toByteArray();
    QByteArray out = m_items.join(separator.toByteArray());
    m_items.clear();
    return out;
}

QByteArray M81SimulatorErrorQueue::takeNext()
{
    if (m_items.isEmpty())
        return "0,\"No error\"";
    return m_items.takeFirst();
}

} // namespace bs::m81
