// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope: the GUI. This is the composition root — the one place where the data path and its
// threads are wired (DESIGN.md §3): drivers (one QThread each, in InstrumentHost) → TraceStore
// and Recorder (own thread) → ScopeView (GUI thread, pulls envelopes).
#include "AppCommandLine.h"
#include "DemoBench.h"
#include "InstrumentHost.h"
#include "MainWindow.h"
#include "Recorder.h"
#include "RunMode.h"
#include "TraceStore.h"
#include "Workspace.h"
#include "registry.h"

#include <QApplication>
#include <QDir>
#include <QStringList>
#include <QTimer>

#include <cstdio>

namespace {
// Exit codes (src/app/README.md).
constexpr int kExitScreenshotFailed = 1;
constexpr int kExitCannotStart = 2; // no display, demo simulators, session file
constexpr int kExitInstrumentError = 3; // a non-interactive run during which an instrument failed
constexpr int kExitUsage = 64;

void setApplicationNames()
{
    QCoreApplication::setApplicationName(QStringLiteral("BenchScope"));
    QCoreApplication::setOrganizationName(QStringLiteral("BenchScope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHSCOPE_VERSION));
}
} // namespace

int main(int argc, char *argv[])
{
    // 1. Command line, before Qt sees argv: QGuiApplication would take `--session FILE` as its
    //    session-management option and drop it. --help and --version need no display.
    bs::AppCommandLine cli;
    const bool earlyOk = cli.takeEarlyOptions(argc, argv);
    if (earlyOk && (cli.wantsHelp() || cli.wantsVersion())) {
        const QCoreApplication core(argc, argv);
        setApplicationNames();
        const QString text = cli.wantsHelp()
            ? cli.helpText()
            : QStringLiteral("benchscope %1\n").arg(QStringLiteral(BENCHSCOPE_VERSION));
        std::fputs(qPrintable(text), stdout);
        return 0;
    }
    if (!earlyOk) {
        bs::RunMode::log(cli.error());
        return kExitUsage;
    }
    if (const QString why = bs::RunMode::missingDisplay(argc, argv); !why.isEmpty()) {
        bs::RunMode::log(why);
        return kExitCannotStart;
    }
    QApplication app(argc, argv);
    setApplicationNames();
    if (!cli.parse(QApplication::arguments())) {
        bs::RunMode::log(cli.error() + QStringLiteral(" (see benchscope --help)"));
        return kExitUsage;
    }
    bs::RunMode mode(!cli.screenshot().isEmpty());

    // 2. Drivers.
    bs::registerBuiltinDrivers();

    // 3. Data path: the sinks every instrument feeds from its own thread.
    bs::TraceStore store;
    bs::Recorder recorder;
    bs::Workspace workspace;
    workspace.addSink(&store);
    workspace.addSink(&recorder);
    mode.reportInstrumentErrors(&workspace);

    // 4. Simulators for demo mode, each on its own thread.
    bs::DemoBench demo;
    if (cli.demo()) {
        QString error;
        if (!demo.start(&error)) {
            mode.error(nullptr, QObject::tr("BenchScope"),
                QObject::tr("Cannot start the demo simulators: %1").arg(error));
            return kExitCannotStart;
        }
    }

    // Orderly shutdown: instruments first (their threads stop feeding), then the recording.
    auto shutdown = [&workspace, &recorder](int rc) {
        workspace.clear();
        recorder.stop();
        return rc;
    };

    // 5. The window, then the session. A run without a user ends here if the session cannot open.
    bs::MainWindow window(&workspace, &store, &recorder);
    window.resize(1440, 900);
    // The first screen's "Start the Demo": the simulators (once), their session, Connect All.
    bool demoStarted = cli.demo(); // (started above for --demo)
    window.setDemoStarter([&demo, &demoStarted, &window, &workspace](QString *why) {
        if (!demoStarted && !demo.start(why))
            return false;
        demoStarted = true;
        if (!window.applySession(demo.session(), why))
            return false;
        workspace.openAll();
        return true;
    });
    window.show();
    QString error;
    if (cli.demo()) {
        if (!window.applySession(demo.session(), &error)) {
            mode.error(&window, QObject::tr("Cannot open the demo session"), error);
            if (!mode.interactive())
                return shutdown(kExitCannotStart);
        }
        workspace.openAll();
    } else if (!cli.session().isEmpty()) {
        if (!window.openSessionFile(cli.session(), &error)) {
            mode.error(&window, QObject::tr("Cannot open session"), error);
            if (!mode.interactive())
                return shutdown(kExitCannotStart);
        } else {
            QStringList names;
            for (const bs::InstrumentHost *h : workspace.instruments())
                names << QStringLiteral("%1 (%2 at %3)").arg(h->id(), h->type(), h->address());
            const QString list
                = names.isEmpty() ? QObject::tr("no instruments") : names.join(QStringLiteral(", "));
            bs::RunMode::log(
                QObject::tr("opened session %1: %2").arg(QDir::toNativeSeparators(cli.session()), list));
        }
    }
    // --run on a session without instruments would run, and record, nothing: refused.
    if (cli.run() && workspace.instruments().isEmpty()) {
        mode.error(&window, QObject::tr("Run"),
            QObject::tr("--run: the session has no instruments, so there is nothing to run; add an instrument "
                        "(Instruments ▸ Add Instrument…) or open a session that has one"));
        if (!mode.interactive())
            return shutdown(kExitCannotStart);
    }
    if (cli.run() || !cli.screenshot().isEmpty())
        QTimer::singleShot(500, &workspace, [&workspace] { workspace.runAll(); });

    // 6. Optional screenshot (documentation, CI artefacts), then quit.
    if (!cli.screenshot().isEmpty()) {
        const QString png = cli.screenshot();
        QTimer::singleShot(int(cli.screenshotDelay() * 1000), &window, [&window, &mode, png] {
            const bool ok = window.grab().save(png);
            bs::RunMode::log(ok ? QObject::tr("screenshot saved: %1").arg(png)
                                : QObject::tr("cannot save screenshot: %1").arg(png));
            QApplication::exit(!ok ? kExitScreenshotFailed : mode.hadError() ? kExitInstrumentError : 0);
        });
    }

    // 7. Event loop, then the orderly shutdown.
    return shutdown(QApplication::exec());
}
