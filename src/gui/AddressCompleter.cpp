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
    completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    edit->setCompleter(completer);
}

} // namespace bs
