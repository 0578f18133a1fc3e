// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppCommandLine.h"

#include <QCoreApplication>
#include <QFile>

#include <cstring>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("AppCommandLine", text);
}

bool isOneOf(const char *arg, std::initializer_list<const char *> names)
{
    for (const char *n : names)
        if (std::strcmp(arg, n) == 0)
            return true;
    return false;
}
} // namespace

AppCommandLine::AppCommandLine()
    : m_demoOpt(
        QStringLiteral("demo"), tr("Start every instrument simulator and open a session wired to them."))
    , m_sessionOpt(QStringLiteral("session"), tr("Open this session file (also --session=FILE)."), tr("FILE"))
    , m_runOpt(QStringLiteral("run"), tr("Press Run once the session is open."))
    , m_screenshotOpt(QStringLiteral("screenshot"),
          tr("Save a PNG of the window after --screenshot-delay seconds, then quit. A run without "
             "user: errors go to stderr, never to a dialog, and the exit code is not 0."),
          tr("PNG"))
    , m_delayOpt(QStringLiteral("screenshot-delay"), tr("Seconds (default 5)."), tr("S"), QStringLiteral("5"))
{
    m_parser.setApplicationDescription(tr("Oscilloscope and data recorder for lab instruments"));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({ m_demoOpt, m_sessionOpt, m_runOpt, m_screenshotOpt, m_delayOpt });
}

bool AppCommandLine::takeEarlyOptions(int &argc, char **argv)
{
    int kept = 1;
    bool optionsEnd = false;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (optionsEnd || !a) {
            argv[kept++] = argv[i];
            continue;
        }
        QString value;
        bool isSession = false;
        if (std::strcmp(a, "--session") == 0) {
            isSession = true;
            if (i + 1 >= argc) {
                m_error = tr("--session needs a FILE");
                return false;
            }
            value = QFile::decodeName(argv[++i]);
        } else if (std::strncmp(a, "--session=", 10) == 0) {
            isSession = true;
            value = QFile::decodeName(a + 10);
        }
        if (isSession) {
            if (value.isEmpty()) {
                m_error = tr("--session needs a FILE");
                return false;
            }
            if (m_sessionGiven) {
                m_error = tr("--session is given twice ('%1' and '%2')").arg(m_session, value);
                return false;
            }
            m_sessionGiven = true;
            m_session = value;
            continue; // taken out of argv
        }
        if (std::strcmp(a, "--") == 0)
            optionsEnd = true;
        else if (isOneOf(a, { "-h", "--help", "-?", "--help-all" }))
            m_wantsHelp = true;
        else if (isOneOf(a, { "-v", "--version" }))
            m_wantsVersion = true;
        argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = nullptr;
    return true;
}

QString AppCommandLine::helpText() const
{
    return m_parser.helpText();
}

bool AppCommandLine::parse(const QStringList &arguments)
{
    if (!m_parser.parse(arguments)) {
        m_error = m_parser.errorText();
        return false;
    }
    if (!m_parser.positionalArguments().isEmpty()) {
        m_error = tr("unexpected argument '%1'").arg(m_parser.positionalArguments().constFirst());
        return false;
    }
    if (m_parser.isSet(m_demoOpt) && m_sessionGiven) {
        m_error = tr("--demo and --session exclude each other");
        return false;
    }
    bool ok = false;
    m_delaySeconds = m_parser.value(m_delayOpt).toDouble(&ok);
    if (!ok || m_delaySeconds < 0 || m_delaySeconds > 3600) {
        m_error = tr("--screenshot-delay: '%1' is not a number of seconds from 0 to 3600")
                      .arg(m_parser.value(m_delayOpt));
        return false;
    }
    if (m_parser.isSet(m_screenshotOpt) && screenshot().isEmpty()) {
        m_error = tr("--screenshot needs a PNG file name");
        return false;
    }
    return true;
}

} // namespace bs
