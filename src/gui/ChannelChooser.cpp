// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChannelChooser.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace bs {

int syncChannelChooser(QComboBox *box, const QVector<ScopeView::ShownChannel> &shown, const QString &wanted)
{
    QStringList keys;
    for (const ScopeView::ShownChannel &c : shown)
        keys.append(c.styleKey);
    QStringList listed;
    for (int i = 0; i < box->count(); ++i)
        listed.append(box->itemData(i).toString());
    const QSignalBlocker block(box);
    if (keys != listed) {
        box->clear();
        for (const ScopeView::ShownChannel &c : shown)
            box->addItem(c.label, c.styleKey); // the label names the unit, as in the legend
    }
    const int at = box->findData(wanted);
    box->setCurrentIndex(at >= 0 ? at : 0);
    const int i = box->currentIndex();
    return i >= 0 && i < shown.size() ? i : -1;
}

} // namespace bs
