// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>

namespace bs {

class ScopeView;
class TraceStore;

/// A scope view beside the central one (View ▸ New Scope View): a dock titled "Scope 2", … that
/// the user tabs onto another dock, splits beside one or floats. Double-clicking the title, or
/// its right-click menu's "Rename…", renames it; the title's close button removes the view with
/// its state (the dock deletes itself).
class ScopeViewDock : public QDockWidget
{
    Q_OBJECT
public:
    ScopeViewDock(TraceStore *store, const QString &title, QWidget *parent = nullptr);

    ScopeView *view() const { return m_view; }
    QString title() const { return windowTitle(); }
    /// A title of blanks keeps the old one.
    void setTitle(const QString &title);
    /// Asks for a new title (Rename…).
    void rename();

Q_SIGNALS:
    void renamed(const QString &title);
    /// The user closed the view (emitted while everything is still alive; the dock is deleted
    /// later).
    void closing();

protected:
    bool event(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    /// `pos` (in the dock) is on the title bar, above the view.
    bool onTitle(const QPoint &pos) const;

    ScopeView *m_view = nullptr;
};

} // namespace bs
