// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope: the GUI. This is the composition root — the one place where the data path and its
// threads are wired (DESIGN.md §3): drivers (one QThread each, in InstrumentHost) → TraceStore
// and Recorder (own thread) → ScopeView (GUI thread, pulls envelopes).
#include "DemoBench.h"
#include "MainWindow.h"
#include "Recorder.h"
#include "TraceStore.h"
#include "Workspace.h"
#include "registry.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("BenchScope"));
    QApplication::setOrganizationName(QStringLiteral("BenchScope"));
    QApplication::setApplicationVersion(QStringLiteral(BENCHSCOPE_VERSION));

    // 1. Command line.
    QCommandLineParser cli;
    cli.setApplicationDescription(QObject::tr("Oscilloscope and data recorder for lab instruments"));
    cli.addHelpOption();
    cli.addVersionOption();
    const QCommandLineOption demoOpt(QStringLiteral("demo"),
                                     QObject::tr("Start every instrument simulator and open a session wired to them."));
    const QCommandLineOption sessionOpt(QStringLiteral("session"), QObject::tr("Open this session file."),
                                        QObject::tr("FILE"));
    const QCommandLineOption runOpt(QStringLiteral("run"), QObject::tr("Press Run once the session is open."));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                                     QObject::tr("Save a PNG of the window after --screenshot-delay seconds, then quit."),
                                     QObject::tr("PNG"));
    const QCommandLineOption delayOpt(QStringLiteral("screenshot-delay"), QObject::tr("Seconds (default 5)."),
                                      QObject::tr("S"), QStringLiteral("5"));
    cli.addOptions({demoOpt, sessionOpt, runOpt, shotOpt, delayOpt});
    cli.process(app);

    // 2. Drivers.
    bs::registerBuiltinDrivers();

    // 3. Data path: the sinks every instrument feeds from its own thread.
    bs::TraceStore store;
    bs::Recorder recorder;
    bs::Workspace workspace;
    workspace.addSink(&store);
    workspace.addSink(&recorder);

    // 4. Simulators for demo mode, each on its own thread.
    bs::DemoBench demo;
    if (cli.isSet(demoOpt)) {
        QString error;
        if (!demo.start(&error)) {
            QMessageBox::critical(nullptr, QObject::tr("BenchScope"),
                                  QObject::tr("Cannot start the demo simulators: %1").arg(error));
            return 2;
        }
    }

    // 5. The window, then the session.
    bs::MainWindow window(&workspace, &store, &recorder);
    window.resize(1440, 900);
    window.show();
    QString error;
    if (cli.isSet(demoOpt)) {
        if (!window.applySession(demo.session(), &error))
            QMessageBox::warning(&window, QObject::tr("BenchScope"), error);
        workspace.openAll();
    } else if (cli.isSet(sessionOpt)) {
        if (!window.openSessionFile(cli.value(sessionOpt), &error))
            QMessageBox::warning(&window, QObject::tr("Cannot open session"), error);
    }
    if (cli.isSet(runOpt) || cli.isSet(shotOpt))
        QTimer::singleShot(500, &workspace, [&workspace] { workspace.runAll(); });

    // 6. Optional screenshot (documentation, CI artefacts).
    if (cli.isSet(shotOpt)) {
        const QString png = cli.value(shotOpt);
        QTimer::singleShot(int(cli.value(delayOpt).toDouble() * 1000), &window, [&window, png] {
            const bool ok = window.grab().save(png);
            std::fprintf(stderr, ok ? "screenshot saved: %s\n" : "cannot save screenshot: %s\n", qPrintable(png));
            QApplication::exit(ok ? 0 : 1);
        });
    }

    const int rc = QApplication::exec();
    // 7. Orderly shutdown: instruments first (their threads stop feeding), then the recording.
    workspace.clear();
    recorder.stop();
    return rc;
}
