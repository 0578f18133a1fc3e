// SPDX-License-Identifier: GPL-3.0-or-later
#include "AddressCompleter.h"

#include <QCompleter>
#include <QLineEdit>

namespace bs {

void installAddressCompleter(QLineEdit *edit, const QStringList &suggestions)
{
    if (QCompleter *old = edit->completer())
        old->deleteLater();
    if (suggestions.isEmpty()) {
        edit->setCompleter(nullptr);
        return;
    }
    auto *completer = new QCompleter(suggestions, edit);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    // Only suggestions that start with what is typed: no /dev/ttyS0 under an IP address (nor a
    // popup covering the help text below the field while one is typed).
    completer->setCompletionMode(QCompleter::PopupCompletion);
    completer->setFilterMode(Qt::MatchStartsWith);
    edit->setCompleter(completer);
}

} // namespace bs
