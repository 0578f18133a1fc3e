// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSignalSpy>
#include <QStringList>

namespace bs::test {

/// Whether any emission's first argument (a message) contains `part`.
inline bool spyContains(const QSignalSpy &spy, const QString &part)
{
    for (const auto &e : spy)
        if (e.at(0).toString().contains(part))
            return true;
    return false;
}

/// Every emission's first argument, joined with " | " (for failure messages).
inline QString spyJoined(const QSignalSpy &spy)
{
    QStringList l;
    for (const auto &e : spy)
        l << e.at(0).toString();
    return l.join(QStringLiteral(" | "));
}

} // namespace bs::test
