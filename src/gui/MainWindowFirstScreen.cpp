// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the first screen of an empty session, the user guide, and which instrument's panel
// tab is in front (kept in the session as a "panels" view).
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "InstrumentPanel.h"
#include "RecentFiles.h"
#include "ScopeView.h"
#include "UserGuideDialog.h"
#include "WelcomeWidget.h"

#include <Workspace.h>

#include <QJsonObject>
#include <QMessageBox>
#include <QTabBar>

namespace bs {

namespace {
const QString kPanelsView = QStringLiteral("panels");
}

void MainWindow::setupFirstScreen()
{
    m_welcome = new WelcomeWidget(m_ui->centralwidget);
    m_ui->centralLayout->addWidget(m_welcome);
    m_welcome->setDemoAvailable(false);
    m_welcome->setRecentFiles(m_recent->files());
    connect(m_recent, &RecentFiles::changed, this, [this] { m_welcome->setRecentFiles(m_recent->files()); });
    connect(m_welcome, &WelcomeWidget::demoRequested, this, &MainWindow::startDemo);
    connect(m_welcome, &WelcomeWidget::addInstrumentRequested, this, &MainWindow::onAddInstrument);
    connect(m_welcome, &WelcomeWidget::openSessionRequested, this, &MainWindow::onOpen);
    connect(m_welcome, &WelcomeWidget::recentSessionChosen, this, &MainWindow::openRecent);
    connect(m_welcome, &WelcomeWidget::userGuideRequested, this, &MainWindow::showUserGuide);

    auto *guide = new QAction(tr("&User Guide"), this);
    guide->setObjectName(QStringLiteral("actionUserGuide"));
    guide->setShortcut(QKeySequence::HelpContents);
    guide->setToolTip(tr("How BenchScope works, step by step (F1)"));
    connect(guide, &QAction::triggered, this, &MainWindow::showUserGuide);
    m_ui->menuHelp->insertAction(m_ui->menuHelp->actions().value(0), guide);
    m_ui->menuHelp->insertSeparator(m_ui->menuHelp->actions().value(1));

    m_ui->actionConnectAll->setShortcut(QKeySequence(tr("Ctrl+Shift+C")));
    m_ui->actionConnectAll->setToolTip(tr("Connect every instrument of the session (Ctrl+Shift+C)"));
    updateFirstScreen();
}

void MainWindow::updateFirstScreen()
{
    if (!m_welcome)
        return;
    const bool empty = m_workspace->instruments().isEmpty();
    m_welcome->setVisible(empty);
    m_scope->setVisible(!empty);
}

void MainWindow::setDemoStarter(std::function<bool(QString *error)> starter)
{
    m_demoStarter = std::move(starter);
    m_welcome->setDemoAvailable(bool(m_demoStarter));
}

void MainWindow::startDemo()
{
    if (!m_demoStarter)
        return;
    QString error;
    if (!m_demoStarter(&error)) {
        QMessageBox::warning(this, tr("Start the Demo"), tr("The demo could not start: %1").arg(error));
        return;
    }
    statusBar()->showMessage(tr("Demo: simulated instruments connected — press Run (Space) to see their signals"),
                             10000);
}

void MainWindow::showUserGuide()
{
    auto *dialog = findChild<UserGuideDialog *>();
    if (!dialog) {
        dialog = new UserGuideDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void MainWindow::keepTabTitlesWhole()
{
    // The dock tab bars are made by the layout when docks are tabified: direct children.
    for (QTabBar *bar : findChildren<QTabBar *>(QString(), Qt::FindDirectChildrenOnly)) {
        bar->setElideMode(Qt::ElideNone);
        bar->setUsesScrollButtons(true);
    }
}

QJsonObject MainWindow::panelsView() const
{
    return QJsonObject{{QStringLiteral("type"), kPanelsView}, {QStringLiteral("selected"), m_selectedPanel}};
}

void MainWindow::restorePanelsView(const QJsonObject &view)
{
    // Lenient: a missing or unknown id leaves the tabs as they are.
    const QString id = view.value(QStringLiteral("selected")).toString();
    if (InstrumentPanel *panel = m_panels.value(id)) {
        panel->show();
        panel->raise();
        m_selectedPanel = id;
    }
}

} // namespace bs
