// SPDX-License-Identifier: GPL-3.0-or-later
// Is the GUI responsive while a PandA streams 1 M rows/s into it? Runs the real main window with
// the PandA simulator and driver in one process and measures, on the GUI thread, how late a 10 ms
// timer fires (event-loop lag), how often the scope replots and how long a replot takes.
// Usage: bench_gui_responsiveness [--seconds N] [--rate ROWS_PER_S]
#include "BenchUtil.h"
#include "DemoBench.h"
#include "InstrumentHost.h"
#include "MainWindow.h"
#include "Recorder.h"
#include "ScopeView.h"
#include "TraceStore.h"
#include "Workspace.h"
#include "registry.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using bs::bench::percentile;

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    double seconds = 10, rate = 1e6;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toDouble();
        else if (args[i] == QLatin1String("--rate"))
            rate = args[i + 1].toDouble();
    }

    bs::registerBuiltinDrivers();
    bs::TraceStore store;
    bs::Recorder recorder;
    bs::Workspace workspace;
    workspace.addSink(&store);
    workspace.addSink(&recorder);
    bs::DemoBench demo;
    QString error;
    if (!demo.start(&error)) {
        std::fprintf(stderr, "cannot start the simulators: %s\n", qPrintable(error));
        return 2;
    }
    bs::Session session = demo.session();
    session.instruments[0].parameters.insert(QStringLiteral("clock_period"), 1.0 / rate);
    bs::MainWindow window(&workspace, &store, &recorder);
    window.resize(1440, 900);
    window.show();
    if (!window.applySession(session, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    window.setRunning(true);

    // Wait for data to flow, then measure.
    bs::InstrumentHost *host = workspace.instruments().value(0);
    QElapsedTimer wait;
    wait.start();
    while (host->stats().samples == 0 && wait.elapsed() < 10000)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    const quint64 rows0 = host->stats().samples;
    const quint64 replots0 = window.scopeView()->replotCount();

    QElapsedTimer clock;
    clock.start();
    const std::vector<double> lag = bs::bench::eventLoopLag(clock, seconds);
    const double elapsed = double(clock.elapsed()) / 1000.0;
    const quint64 rows = host->stats().samples - rows0;
    const quint64 replots = window.scopeView()->replotCount() - replots0;

    // Cost of one full replot with the data now held (pull envelopes + draw).
    std::vector<double> replotMs;
    for (int i = 0; i < 20; ++i) {
        window.scopeView()->setFollow(true);
        QElapsedTimer t;
        t.start();
        window.scopeView()->refresh();
        replotMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    window.setRunning(false);

    const double rowsPerS = double(rows) / elapsed;
    const double p99 = percentile(lag, 0.99);
    std::printf("GUI responsiveness under load (%s platform, %.0f s)\n", qPrintable(QApplication::platformName()), elapsed);
    std::printf("  rows/s received by the driver     %12.0f  (requested %.0f, %.0f%%)\n", rowsPerS, rate,
                100.0 * rowsPerS / rate);
    std::printf("  rows held in the TraceStore       %12llu\n", (unsigned long long)store.stats().rowsHeld);
    std::printf("  scope replots/s                   %12.1f  (cap 60)\n", double(replots) / elapsed);
    std::printf("  replot cost median / max          %9.2f ms / %.2f ms\n", percentile(replotMs, 0.5),
                percentile(replotMs, 1.0));
    std::printf("  event-loop lag p50 / p99 / max    %9.2f ms / %.2f ms / %.2f ms  (%zu samples)\n",
                percentile(lag, 0.5), p99, percentile(lag, 1.0), lag.size());
    std::printf("  lost rows                         %12llu\n", (unsigned long long)host->stats().lostSamples);
    const bool ok = p99 < 50 && rowsPerS > 0.9 * rate;
    std::printf("VERDICT %s: GUI %s at %.2f M rows/s (p99 event-loop lag %.1f ms; goal < 50 ms)\n",
                ok ? "PASS" : "MISS", p99 < 50 ? "responsive" : "sluggish", rowsPerS / 1e6, p99);
    workspace.clear();
    return 0;
}
