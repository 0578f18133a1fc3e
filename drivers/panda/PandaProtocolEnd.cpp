// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaProtocolEnd.h"

#include <array>
#include <utility>

namespace bs::panda {

namespace {

constexpr std::array<std::pair<EndReason, const char *>, 8> kReasons { {
    { EndReason::Ok, "Ok" },
    { EndReason::Disarmed, "Disarmed" },
    { EndReason::EarlyDisconnect, "Early disconnect" },
    { EndReason::DataOverrun, "Data overrun" },
    { EndReason::FramingError, "Framing error" },
    { EndReason::DriverDataOverrun, "Driver data overrun" },
    { EndReason::DmaDataError, "DMA data error" },
    { EndReason::UnexpectedCompletionError, "Unexpected completion error" },
} };

} // namespace

EndReason endReasonFromString(const QString &text)
{
    for (const auto &[reason, name] : kReasons) {
        if (text == QLatin1String(name))
            return reason;
    }
    return EndReason::Other;
}

QString endReasonToString(EndReason reason)
{
    for (const auto &[r, name] : kReasons) {
        if (r == reason)
            return QString::fromLatin1(name);
    }
    return {};
}

bool isErrorReason(EndReason reason)
{
    return reason != EndReason::Ok && reason != EndReason::Disarmed;
}

} // namespace bs::panda
