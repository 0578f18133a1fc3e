// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace bs {

/// The first screen, shown instead of the scope while the session has no instruments: a newcomer's
/// way in. Buttons "Start the Demo" (all simulated instruments), "Add Instrument…", "Open
/// Session…" and "User Guide", and the recent sessions (double-click or Enter opens one).
///
/// Object names for tests: "welcomeDemo", "welcomeAdd", "welcomeOpen", "welcomeGuide",
/// "welcomeRecent".
class WelcomeWidget : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomeWidget(QWidget *parent = nullptr);

    /// The recent session files, most recent first (shown by file name, full path as tooltip).
    void setRecentFiles(const QStringList &paths);
    /// Hides "Start the Demo" when the application was built without a demo.
    void setDemoAvailable(bool available);

Q_SIGNALS:
    void demoRequested();
    void addInstrumentRequested();
    void openSessionRequested();
    void recentSessionChosen(const QString &path);
    void userGuideRequested();

private:
    QPushButton *m_demo = nullptr;
    QListWidget *m_recent = nullptr;
    QWidget *m_recentBox = nullptr;
};

} // namespace bs
