// SPDX-License-Identifier: GPL-3.0-or-later
#include "RunMode.h"

#include "InstrumentHost.h"
#include "Workspace.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QMessageBox>

#include <cstdio>
#include <cstring>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("RunMode", text);
}
} // namespace

QString RunMode::missingDisplay(int argc, char **argv)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return {};
    for (int i = 1; i < argc; ++i)
        if (argv[i] && (std::strcmp(argv[i], "-platform") == 0 || std::strcmp(argv[i], "--platform") == 0))
            return {};
    return tr("no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Start BenchScope on a desktop, or set "
              "QT_QPA_PLATFORM=offscreen for a run without a screen (e.g. with --screenshot); benchscope-rec "
              "records without any display.");
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return {};
#endif
}

RunMode::RunMode(bool screenshot)
{
    const QString platform = QGuiApplication::platformName();
    m_interactive
        = !screenshot && platform != QLatin1String("offscreen") && platform != QLatin1String("minimal");
}

void RunMode::log(const QString &text)
{
    std::fprintf(stderr, "benchscope: %s\n", qPrintable(text));
    std::fflush(stderr);
}

void RunMode::error(QWidget *parent, const QString &title, const QString &text)
{
    if (m_interactive) {
        QMessageBox::warning(parent, title, text);
        return;
    }
    m_hadError = true;
    log(title + QStringLiteral(": ") + text);
}

void RunMode::reportInstrumentErrors(Workspace *workspace)
{
    if (m_interactive)
        return;
    auto watch = [this](InstrumentHost *host) {
        QObject::connect(
            host, &InstrumentHost::errorOccurred, host, [this, id = host->id()](const QString &m) {
                m_hadError = true;
                log(QStringLiteral("%1: %2").arg(id, m));
            });
    };
    for (InstrumentHost *h : workspace->instruments())
        watch(h);
    QObject::connect(workspace, &Workspace::instrumentAdded, workspace, watch);
}

} // namespace bs
