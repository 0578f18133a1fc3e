// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace bs {

class Workspace;

/// Whether somebody is in front of the window, and where errors go accordingly.
///
/// Interactive: a dialog. Non-interactive — `--screenshot`, or a platform without a screen
/// (`QT_QPA_PLATFORM=offscreen` or `minimal`) — no dialog is ever opened (nobody could close it):
/// every error goes to stderr, prefixed "benchscope: ", and the exit code is not 0.
class RunMode
{
public:
    /// Before any QApplication exists: why no GUI can start (no display to connect to and no
    /// platform chosen), or an empty string. Spares the user Qt's abort().
    static QString missingDisplay(int argc, char **argv);

    /// After the QApplication exists (reads its platform name).
    explicit RunMode(bool screenshot);
    bool interactive() const { return m_interactive; }

    /// Reports an error: a warning dialog over `parent`, or a line on stderr (and hadError()).
    void error(QWidget *parent, const QString &title, const QString &text);
    /// A line on stderr in every mode ("benchscope: ...").
    static void log(const QString &text);
    /// Non-interactive: every instrument's errors go to stderr (and count in hadError()).
    void reportInstrumentErrors(Workspace *workspace);
    bool hadError() const { return m_hadError; }

private:
    bool m_interactive = true;
    bool m_hadError = false;
};

} // namespace bs
