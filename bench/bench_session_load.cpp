// SPDX-License-Identifier: GPL-3.0-or-later
// How does opening a session scale with its number of instruments? Generates sessions of N PandA
// instruments (each with a name, an address and a parameter) and times, for each N, the three
// steps of opening one: parsing and validating the file (Session::fromBytes), creating the
// instruments (Workspace::applySession: a driver and a thread each) and, with --gui, the same
// through the real main window (MainWindow::applySession: a dock panel per instrument), as
// File ▸ Open does.
// Sessions above SessionLimits' 64 instruments are loaded here with the limits raised, to show
// the cost per instrument; the application refuses them.
// Usage: bench_session_load [--counts 10,100,1000] [--gui]
#include "MainWindow.h"
#include "Session.h"
#include "TraceStore.h"
#include "Workspace.h"
#include "registry.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>

namespace {
QByteArray sessionBytes(int instruments)
{
    QJsonArray a;
    for (int n = 1; n <= instruments; ++n)
        a.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("panda%1").arg(n)},
                             {QStringLiteral("type"), QStringLiteral("panda")},
                             {QStringLiteral("name"), QStringLiteral("PandA %1").arg(n)},
                             {QStringLiteral("address"), QStringLiteral("127.0.0.1:%1").arg(20000 + n)},
                             {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("rows"), 1000}}}});
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), bs::Session::kFormat},
                                     {QStringLiteral("version"), bs::Session::kVersion},
                                     {QStringLiteral("instruments"), a}})
        .toJson();
}

double ms(const QElapsedTimer &t) { return double(t.nsecsElapsed()) * 1e-6; }
} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QList<int> counts{10, 100, 1000};
    bool gui = false;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--gui")) {
            gui = true;
        } else if (args[i] == QLatin1String("--counts") && i + 1 < args.size()) {
            counts.clear();
            for (const QString &c : args[++i].split(QLatin1Char(',')))
                counts.append(c.toInt());
        }
    }
    bs::registerBuiltinDrivers();

    std::printf("%8s %10s %12s %12s %14s %12s\n", "N", "bytes", "parse ms", "apply ms", "apply ms/inst",
                gui ? "clear ms" : "");
    for (const int n : counts) {
        bs::SessionLimits limits;
        limits.maxInstruments = std::max(n, limits.maxInstruments);
        limits.maxFileBytes = std::max<qint64>(limits.maxFileBytes, 1 << 30);
        const QByteArray bytes = sessionBytes(n);

        QElapsedTimer t;
        t.start();
        QString error;
        const auto session = bs::Session::fromBytes(bytes, &error, limits);
        const double parseMs = ms(t);
        if (!session) {
            std::fprintf(stderr, "N=%d refused: %s\n", n, qPrintable(error));
            return 2;
        }

        bs::TraceStore store;
        bs::Workspace workspace;
        workspace.addSink(&store);
        std::unique_ptr<bs::MainWindow> window;
        if (gui) {
            window = std::make_unique<bs::MainWindow>(&workspace, &store, nullptr);
            window->resize(1440, 900);
            window->show();
            QCoreApplication::processEvents();
        }
        t.restart();
        if (!(window ? window->applySession(*session, &error, limits) : workspace.applySession(*session, &error, limits))) {
            std::fprintf(stderr, "N=%d not applied: %s\n", n, qPrintable(error));
            return 2;
        }
        if (gui)
            QCoreApplication::processEvents(); // what the window still has to do before it shows them
        const double applyMs = ms(t);
        t.restart();
        workspace.clear();
        const double clearMs = ms(t);
        std::printf("%8d %10lld %12.1f %12.1f %14.2f %12.1f\n", n, qlonglong(bytes.size()), parseMs, applyMs,
                    applyMs / n, clearMs);
        std::fflush(stdout);
        window.reset();
    }
    return 0;
}
