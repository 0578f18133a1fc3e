// SPDX-License-Identifier: GPL-3.0-or-later
#include "CollapsibleGroupBox.h"

#include <QMouseEvent>
#include <QStyle>
#include <QStyleOptionGroupBox>
#include <QVBoxLayout>

namespace bs {

CollapsibleGroupBox::CollapsibleGroupBox(const QString &title, QWidget *parent)
    : QGroupBox(parent)
    , m_content(new QWidget(this))
    , m_title(title)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->addWidget(m_content);
    setToolTip(tr("Click the title to fold or unfold this group"));
    updateTitle();
}

void CollapsibleGroupBox::setCollapsed(bool collapsed)
{
    if (collapsed == m_collapsed)
        return;
    m_collapsed = collapsed;
    m_content->setVisible(!collapsed);
    updateTitle();
}

void CollapsibleGroupBox::mouseReleaseEvent(QMouseEvent *event)
{
    QStyleOptionGroupBox opt;
    initStyleOption(&opt);
    const QRect titleRect
        = style()->subControlRect(QStyle::CC_GroupBox, &opt, QStyle::SC_GroupBoxLabel, this);
    if (event->button() == Qt::LeftButton && titleRect.adjusted(-4, -4, 4, 4).contains(event->pos())) {
        setCollapsed(!m_collapsed);
        event->accept();
        return;
    }
    QGroupBox::mouseReleaseEvent(event);
}

void CollapsibleGroupBox::updateTitle()
{
    setTitle((m_collapsed ? QStringLiteral("▸ ") : QStringLiteral("▾ ")) + m_title);
}

} // namespace bs
