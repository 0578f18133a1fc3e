// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QLineEdit;

namespace bs {

/// Offers `suggestions` (e.g. the serial ports present, from DriverInfo::addressSuggestions) in a
/// drop-down under an address field, only those that start with the text typed ("/dev/tty" shows
/// the serial ports; "192.168.1.5" shows none). Replaces any completer installed before; none if empty.
void installAddressCompleter(QLineEdit *edit, const QStringList &suggestions);

} // namespace bs
