// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Completion reasons of the data port's "END <samples> <reason>" line (spec §4.5).

#include <QString>

namespace bs::panda {

enum class EndReason {
    Ok, ///< "Ok": capture completed (ENABLE fell)
    Disarmed, ///< "Disarmed": *PCAP.DISARM=
    EarlyDisconnect, ///< "Early disconnect"
    DataOverrun, ///< "Data overrun": this client did not keep up
    FramingError, ///< "Framing error"
    DriverDataOverrun, ///< "Driver data overrun"
    DmaDataError, ///< "DMA data error"
    UnexpectedCompletionError, ///< "Unexpected completion error"
    Other, ///< any other text (kept verbatim in DataEvent::endReasonText)
};

/// Exact, case-sensitive mapping of the server's text; unknown text gives Other.
EndReason endReasonFromString(const QString &text);
/// The server's text for a reason; empty for Other.
QString endReasonToString(EndReason reason);
/// Ok and Disarmed are normal ends; everything else (including Other) is an error.
bool isErrorReason(EndReason reason);

} // namespace bs::panda
