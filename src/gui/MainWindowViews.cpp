// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: several scope views (the central one and docks), the current view that the analysis
// docks, the View menu and the channel lists act on, and their entries in the session.
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "ChannelListWidget.h"
#include "ChannelStyles.h"
#include "InstrumentPanel.h"
#include "MeasurementsPanel.h"
#include "ScopeSettings.h"
#include "ScopeView.h"
#include "ScopeViewDock.h"
#include "SpectrumPanel.h"
#include "StatisticsPanel.h"
#include "TriggerBar.h"

#include <Workspace.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QInputDialog>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QStatusBar>
#include <QToolBar>

#include <functional>

namespace bs {

namespace {
const QString kTitle = QStringLiteral("title");
const QString kArea = QStringLiteral("area");
const QString kFloating = QStringLiteral("floating");
const QString kTabOf = QStringLiteral("tab_of");

QString areaName(Qt::DockWidgetArea area)
{
    switch (area) {
    case Qt::LeftDockWidgetArea:
        return QStringLiteral("left");
    case Qt::RightDockWidgetArea:
        return QStringLiteral("right");
    case Qt::BottomDockWidgetArea:
        return QStringLiteral("bottom");
    default:
        return QStringLiteral("top");
    }
}

Qt::DockWidgetArea areaFromName(const QString &name)
{
    if (name == QLatin1String("left"))
        return Qt::LeftDockWidgetArea;
    if (name == QLatin1String("right"))
        return Qt::RightDockWidgetArea;
    if (name == QLatin1String("bottom"))
        return Qt::BottomDockWidgetArea;
    return Qt::TopDockWidgetArea;
}

/// The actions of a view that have a one-key shortcut (F, Z, Home, A, C).
QList<QAction *> keyedActions(const ScopeView *v)
{
    return { v->followAction(), v->freezeAction(), v->showAllAction(), v->autoScaleAction(), v->cursorsAction() };
}

/// Calls `pressed` with the view under a mouse press: its toolbar buttons take no focus, so a
/// click there would otherwise not make it the current view.
class PressWatcher : public QObject
{
public:
    PressWatcher(ScopeView *view, std::function<void(ScopeView *)> pressed)
        : QObject(view)
        , m_view(view)
        , m_pressed(std::move(pressed))
    {
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::MouseButtonPress)
            m_pressed(m_view);
        return QObject::eventFilter(watched, event);
    }

private:
    ScopeView *m_view;
    std::function<void(ScopeView *)> m_pressed;
};
} // namespace

void MainWindow::setupScopeViewActions()
{
    m_centralTitle = tr("Scope 1");
    // Views docked above the central one leave the instrument panels the window's full height.
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    QMenu *view = m_ui->menuView;
    m_newViewAction = new QAction(tr("&New Scope View"), this);
    m_newViewAction->setObjectName(QStringLiteral("actionNewScopeView"));
    m_newViewAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));
    m_newViewAction->setToolTip(tr("Another scope view of the same data with its own channels, lanes, time span "
                                   "and mode; drag its title to split it beside or tab it onto another view (Ctrl+T)"));
    connect(m_newViewAction, &QAction::triggered, this, [this] {
        addScopeView();
        setModified();
    });
    m_renameViewAction = new QAction(tr("Rena&me Scope View…"), this);
    m_renameViewAction->setObjectName(QStringLiteral("actionRenameScopeView"));
    m_renameViewAction->setToolTip(tr("Rename the current scope view (or double-click a view's title)"));
    connect(m_renameViewAction, &QAction::triggered, this, [this] {
        if (ScopeViewDock *dock = scopeDock(currentScope())) {
            dock->rename();
            return;
        }
        bool ok = false;
        const QString t = QInputDialog::getText(this, tr("Rename Scope View"), tr("Name of this view:"),
            QLineEdit::Normal, m_centralTitle, &ok).simplified();
        if (ok && !t.isEmpty() && t != m_centralTitle) {
            m_centralTitle = t;
            updateCurrentScopeUi();
            setModified();
        }
    });
    view->insertAction(m_clearAction, m_newViewAction);
    view->insertAction(m_clearAction, m_renameViewAction);
    view->insertSeparator(m_clearAction);

    // The view focused (a click in its plot, Tab into its fields) becomes the current one.
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        for (QWidget *w = now; w; w = w->parentWidget())
            if (auto *v = qobject_cast<ScopeView *>(w)) {
                setCurrentScope(v);
                return;
            }
    });
    adoptScopeView(m_scope);
    m_currentScope = m_scope;
    updateCurrentScopeUi();
}

void MainWindow::adoptScopeView(ScopeView *v)
{
    connect(v->channelStyles(), &ChannelStyles::styleChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::spanChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::yAutoChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::axisSidesChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::lanesChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::channelScalesChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::triggerChanged, this, [this] { setModified(); });
    connect(v, &ScopeView::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    for (const InstrumentHost *h : m_workspace->instruments())
        v->setInstrumentName(h->id(), h->name());
    if (v != m_scope)
        for (const ScopeView::RunMarker &m : m_scope->runMarkers())
            v->addRunMarker(m.time, m.started);
    v->setAcquisitionRunning(m_running);
    if (!m_ui->actionScopeOptions->isChecked()) {
        v->controls()->setVisible(false);
        v->triggerBar()->setVisible(false);
    }
    auto *watcher = new PressWatcher(v, [this](ScopeView *pressed) { setCurrentScope(pressed); });
    v->installEventFilter(watcher);
    for (QWidget *child : v->findChildren<QWidget *>())
        child->installEventFilter(watcher);
}

ScopeViewDock *MainWindow::createScopeDock(const QString &title)
{
    QString name = title.simplified();
    if (name.isEmpty()) { // the next free "Scope N"
        QStringList used;
        for (const ScopeView *v : scopeViews())
            used.append(scopeTitle(v));
        for (int n = 2; name.isEmpty(); ++n)
            if (!used.contains(tr("Scope %1").arg(n)))
                name = tr("Scope %1").arg(n);
    }
    static int serial = 0;
    auto *dock = new ScopeViewDock(m_store, name, this);
    dock->setObjectName(QStringLiteral("scopeViewDock%1").arg(++serial)); // for QMainWindow::saveState()
    addDockWidget(Qt::TopDockWidgetArea, dock);
    m_scopeDocks.append(dock);
    adoptScopeView(dock->view());
    connect(dock, &ScopeViewDock::renamed, this, [this] {
        updateCurrentScopeUi();
        setModified();
    });
    connect(dock, &QDockWidget::dockLocationChanged, this, [this] {
        if (!m_restoring)
            setModified();
    });
    connect(dock, &QDockWidget::topLevelChanged, this, [this] {
        if (!m_restoring)
            setModified();
    });
    connect(dock, &ScopeViewDock::closing, this, [this, dock] {
        // Still alive here (deleted later): the docks that followed it go back to the central view.
        m_scopeDocks.removeAll(dock);
        if (m_currentScope == dock->view())
            m_currentScope = m_scope;
        updateCurrentScopeUi();
        setModified();
        statusBar()->showMessage(tr("Closed the scope view “%1”").arg(dock->title()), 5000);
    });
    return dock;
}

ScopeView *MainWindow::addScopeView(const QString &title)
{
    ScopeViewDock *dock = createScopeDock(title);
    ScopeView *v = dock->view();
    // Same colours and channels as the view it was made from; everything else starts fresh.
    v->channelStyles()->fromJson(currentScope()->channelStyles()->toJson());
    dock->show();
    dock->raise();
    setCurrentScope(v);
    return v;
}

QList<ScopeView *> MainWindow::scopeViews() const
{
    QList<ScopeView *> views { m_scope };
    for (const QPointer<ScopeViewDock> &d : m_scopeDocks)
        if (d)
            views.append(d->view());
    return views;
}

ScopeViewDock *MainWindow::scopeDock(const ScopeView *view) const
{
    for (const QPointer<ScopeViewDock> &d : m_scopeDocks)
        if (d && d->view() == view)
            return d;
    return nullptr;
}

QString MainWindow::scopeTitle(const ScopeView *view) const
{
    if (view == m_scope)
        return m_centralTitle;
    const ScopeViewDock *dock = scopeDock(view);
    return dock ? dock->title() : QString();
}

ScopeView *MainWindow::currentScope() const
{
    return m_currentScope && scopeViews().contains(m_currentScope.data()) ? m_currentScope.data() : m_scope;
}

void MainWindow::setCurrentScope(ScopeView *view)
{
    if (!view || view == m_currentScope || !scopeViews().contains(view))
        return;
    m_currentScope = view;
    updateCurrentScopeUi();
}

void MainWindow::updateCurrentScopeUi()
{
    ScopeView *current = currentScope();
    const QList<ScopeView *> views = scopeViews();
    // One-key shortcuts (F, Z, Home, A, C) belong to the current view only: one action per key.
    for (ScopeView *v : views)
        for (QAction *a : keyedActions(v))
            a->setShortcutContext(v == current ? Qt::WindowShortcut : Qt::WidgetShortcut);
    QMenu *menu = m_ui->menuView;
    for (QAction *a : std::as_const(m_currentViewActions))
        menu->removeAction(a);
    m_currentViewActions = { current->followAction(), current->freezeAction(), current->showAllAction(),
        current->autoScaleAction(), current->zoomBackAction() };
    for (QAction *a : std::as_const(m_currentViewActions))
        menu->insertAction(m_clearAction, a);

    m_measurements->setScope(current);
    m_spectrum->setScope(current);
    m_statistics->setScope(current);
    const bool several = views.size() > 1;
    const QString title = scopeTitle(current);
    m_measurementsDock->setWindowTitle(several ? tr("Measurements — %1").arg(title) : tr("Measurements"));
    m_spectrumDock->setWindowTitle(several ? tr("Spectrum — %1").arg(title) : tr("Spectrum"));
    // The instrument panels' checkboxes and colours are those of the current view.
    for (InstrumentPanel *p : std::as_const(m_panels))
        p->channelList()->setStyles(current->channelStyles());
    for (const QPointer<ScopeViewDock> &d : std::as_const(m_scopeDocks))
        if (d) { // the current view's title in bold, its content as before (fonts are inherited)
            QFont f = d->font();
            f.setBold(d->view() == current);
            d->setFont(f);
            QFont content = d->view()->font();
            content.setBold(false);
            d->view()->setFont(content);
        }
}

QJsonArray MainWindow::saveScopeViews() const
{
    QJsonArray out;
    QJsonObject central = m_scope->saveState();
    central.insert(kTitle, m_centralTitle);
    out.append(central);
    QList<ScopeViewDock *> docks;
    for (const QPointer<ScopeViewDock> &d : m_scopeDocks)
        if (d)
            docks.append(d);
    for (int i = 0; i < docks.size(); ++i) {
        ScopeViewDock *dock = docks[i];
        QJsonObject o = dock->view()->saveState();
        o.insert(kTitle, dock->title());
        o.insert(kArea, areaName(dockWidgetArea(dock)));
        o.insert(kFloating, dock->isFloating());
        int tabOf = -1; // the first scope view of its tab group, if that is not itself
        for (QDockWidget *other : tabifiedDockWidgets(dock)) {
            const int j = int(docks.indexOf(other));
            if (j >= 0 && j < i && (tabOf < 0 || j + 1 < tabOf))
                tabOf = j + 1; // position in the session's scope entries (the central view is 0)
        }
        if (tabOf > 0)
            o.insert(kTabOf, tabOf);
        out.append(o);
    }
    return out;
}

void MainWindow::removeScopeDocks()
{
    const QList<QPointer<ScopeViewDock>> docks = m_scopeDocks;
    m_scopeDocks.clear();
    m_currentScope = m_scope;
    updateCurrentScopeUi(); // nothing follows a view about to go
    for (const QPointer<ScopeViewDock> &d : docks)
        if (d) {
            removeDockWidget(d);
            delete d.data();
        }
}

void MainWindow::restoreScopeViews(const QList<QJsonObject> &entries)
{
    removeScopeDocks();
    const QJsonObject first = entries.value(0);
    m_scope->restoreState(first);
    const QString centralTitle = first.value(kTitle).toString().simplified();
    m_centralTitle = centralTitle.isEmpty() ? tr("Scope 1") : centralTitle;
    QList<ScopeViewDock *> docks;
    for (int i = 1; i < entries.size(); ++i) {
        const QJsonObject &o = entries[i];
        ScopeViewDock *dock = createScopeDock(o.value(kTitle).toString());
        dock->view()->restoreState(o);
        addDockWidget(areaFromName(o.value(kArea).toString()), dock); // moves it there
        const int tabOf = o.value(kTabOf).toInt(-1);
        if (tabOf >= 1 && tabOf < i && !o.value(kFloating).toBool(false))
            tabifyDockWidget(docks[tabOf - 1], dock);
        dock->setFloating(o.value(kFloating).toBool(false));
        dock->show();
        docks.append(dock);
    }
    updateCurrentScopeUi();
}

} // namespace bs
