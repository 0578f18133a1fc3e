// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstrumentEvent.h"

namespace bs {

const char *InstrumentEvent::kindName(Kind k)
{
    switch (k) {
    case Kind::CaptureStarted: return "capture_start";
    case Kind::CaptureEnded: return "capture_end";
    case Kind::Warning: return "warning";
    case Kind::RunStarted: return "run_start";
    case Kind::RunStopped: return "run_stop";
    case Kind::ConnectionLost: return "connection_lost";
    case Kind::ConnectionRestored: return "connection_restored";
    }
    return "event";
}

QJsonObject InstrumentEvent::toJson() const
{
    QJsonObject o = details;
    o.insert(QStringLiteral("event"), QString::fromLatin1(kindName(kind)));
    if (!text.isEmpty())
        o.insert(QStringLiteral("text"), text);
    if (kind == Kind::CaptureEnded)
        o.insert(QStringLiteral("complete"), complete);
    if (!streamId.isEmpty())
        o.insert(QStringLiteral("stream"), streamId);
    if (std::isfinite(time))
        o.insert(QStringLiteral("time"), time);
    return o;
}

} // namespace bs
