// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-rec: headless recording (DESIGN.md §5).
#include "DemoBench.h"
#include "RecOptions.h"
#include "RecordingRun.h"
#include "registry.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalFd[2] = {-1, -1};

void onSignal(int signo)
{
    const char b = char(signo);
    [[maybe_unused]] auto n = ::write(g_signalFd[0], &b, 1); // async-signal-safe
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("benchscope-rec"));

    // 1. Command line.
    bs::cli::RecOptions opts;
    QString error;
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fprintf(stdout, "%s", qPrintable(bs::cli::RecOptions::usage()));
        return 0;
    }
    if (!opts.parse(args, &error)) {
        std::fprintf(stderr, "benchscope-rec: %s\n%s", qPrintable(error), qPrintable(bs::cli::RecOptions::usage()));
        return 64;
    }

    // 2. Drivers and the session (demo: start every simulator first).
    bs::registerBuiltinDrivers();
    bs::DemoBench demo;
    std::optional<bs::Session> session;
    if (opts.demo) {
        if (!demo.start(&error)) {
            std::fprintf(stderr, "benchscope-rec: cannot start the simulators: %s\n", qPrintable(error));
            return 2;
        }
        session = demo.session();
    } else {
        session = opts.buildSession(&error);
    }
    if (!session) {
        std::fprintf(stderr, "benchscope-rec: %s\n", qPrintable(error));
        return 64;
    }

    // 3. Record; Ctrl+C / SIGTERM stop early but still close the file properly.
    bs::cli::RecordingRun run(opts, *session);
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) == 0) {
        auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &run, [&run] {
            char b = 0;
            [[maybe_unused]] auto n = ::read(g_signalFd[1], &b, 1);
            const QString name = b == SIGTERM ? QStringLiteral("SIGTERM") : QStringLiteral("SIGINT");
            std::fprintf(stderr, "benchscope-rec: %s, closing the recording\n", qPrintable(name));
            run.requestStop(name);
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    int code = 2;
    QObject::connect(&run, &bs::cli::RecordingRun::finished, &app, [&](int c) {
        code = c;
        QCoreApplication::exit(c);
    });
    QMetaObject::invokeMethod(&run, &bs::cli::RecordingRun::start, Qt::QueuedConnection);
    app.exec();
    std::fprintf(stdout, "%s\n", QJsonDocument(run.summary()).toJson(QJsonDocument::Indented).constData());
    return code;
}
