// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScopeViewDock.h"

#include "ScopeView.h"

#include <TraceStore.h>

#include <QCloseEvent>
#include <QContextMenuEvent>
#include <QInputDialog>
#include <QMenu>
#include <QMouseEvent>

namespace bs {

ScopeViewDock::ScopeViewDock(TraceStore *store, const QString &title, QWidget *parent)
    : QDockWidget(title, parent)
{
    setAttribute(Qt::WA_DeleteOnClose); // closing removes the view and its state
    setAllowedAreas(Qt::AllDockWidgetAreas);
    m_view = new ScopeView(store, this);
    setWidget(m_view);
    setToolTip(tr("Double-click the title to rename this view; drag it onto another view to make tabs"));
}

void ScopeViewDock::setTitle(const QString &title)
{
    const QString t = title.simplified();
    if (t.isEmpty() || t == windowTitle())
        return;
    setWindowTitle(t);
    Q_EMIT renamed(t);
}

void ScopeViewDock::rename()
{
    bool ok = false;
    const QString t = QInputDialog::getText(
        this, tr("Rename Scope View"), tr("Name of this view:"), QLineEdit::Normal, windowTitle(), &ok);
    if (ok)
        setTitle(t);
}

void ScopeViewDock::closeEvent(QCloseEvent *event)
{
    QDockWidget::closeEvent(event);
    if (event->isAccepted())
        Q_EMIT closing();
}

bool ScopeViewDock::onTitle(const QPoint &pos) const
{
    return widget() && pos.y() >= 0 && pos.y() < widget()->geometry().top();
}

bool ScopeViewDock::event(QEvent *event)
{
    // The title bar's double-click would float the dock; here it renames (dragging still floats).
    if (event->type() == QEvent::MouseButtonDblClick) {
        const auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::LeftButton && onTitle(e->position().toPoint())) {
            rename();
            return true;
        }
    } else if (event->type() == QEvent::ContextMenu) {
        const auto *e = static_cast<QContextMenuEvent *>(event);
        if (onTitle(e->pos())) {
            QMenu menu(this);
            menu.addAction(tr("Rename…"), this, &ScopeViewDock::rename);
            menu.addAction(isFloating() ? tr("Dock") : tr("Float"), this, [this] { setFloating(!isFloating()); });
            menu.addSeparator();
            menu.addAction(tr("Close View"), this, &QWidget::close);
            menu.exec(e->globalPos());
            return true;
        }
    }
    return QDockWidget::event(event);
}

} // namespace bs
