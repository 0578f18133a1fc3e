// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace bs {

/// The command line of `benchscope` (DESIGN.md §5), read in two steps around the QApplication:
///
/// 1. takeEarlyOptions(), before any QApplication exists: takes `--session FILE` and
///    `--session=FILE` out of argv — QGuiApplication would otherwise take `--session` as its X11
///    session-management option and drop it with its value — and notes `--help`/`--version`, which
///    are answered without a display. `-session ID` (one dash, what a desktop session manager
///    passes when it restores applications) is left to Qt.
/// 2. parse(), with the application's remaining arguments (Qt has removed its own, e.g. `-platform`).
class AppCommandLine
{
public:
    AppCommandLine();

    /// Step 1. Removes the session option from argv (argc shrinks). False with error() for a
    /// `--session` without a file or given twice.
    bool takeEarlyOptions(int &argc, char **argv);
    bool wantsHelp() const { return m_wantsHelp; }
    bool wantsVersion() const { return m_wantsVersion; }
    QString helpText() const;

    /// Step 2. False with error() on a usage error (unknown option, missing or bad value).
    bool parse(const QStringList &arguments);
    QString error() const { return m_error; }

    bool demo() const { return m_parser.isSet(m_demoOpt); }
    QString session() const { return m_session; }
    bool run() const { return m_parser.isSet(m_runOpt); }
    /// Empty: no screenshot.
    QString screenshot() const { return m_parser.value(m_screenshotOpt); }
    double screenshotDelay() const { return m_delaySeconds; }

private:
    QCommandLineParser m_parser;
    QCommandLineOption m_demoOpt, m_sessionOpt, m_runOpt, m_screenshotOpt, m_delayOpt;
    QString m_session;
    bool m_sessionGiven = false;
    bool m_wantsHelp = false;
    bool m_wantsVersion = false;
    double m_delaySeconds = 5;
    QString m_error;
};

} // namespace bs
