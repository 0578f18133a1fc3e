// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-sim: runs one instrument simulator standalone (DESIGN.md §5).
#include "m81/M81ProtocolElements.h"
#include "m81/M81Simulator.h"
#include "moku/MokuSimulator.h"
#include "moku/MokuSimulatorCli.h"
#include "nv200/Nv200Simulator.h"
#include "panda/PandaProtocolPorts.h"
#include "panda/PandaSimulator.h"
#include "picoscope/PicoDriver.h"

#include <QFileInfo>
#include <QTimer>

#include <QCoreApplication>
#include <QTimer>

#include <csignal>
#include <optional>
#include <cstdio>
#include <utility>

namespace {
const char *kUsage =
    "Usage: benchscope-sim ID [--port N | --pty] [options]\n"
    "Simulators:\n"
    "  panda   PandABox: control port (default 8888) and data port (default control+1)\n"
    "          --data-port N   data port\n"
    "          --rate HZ       trigger rate (rows/s), default 1000\n"
    "          --limit N       end each capture with 'Ok' after N rows (0 = until disarmed)\n"
    "          --fault NAME    inject one fault, --fault-after seconds after the first accepted\n"
    "                          *PCAP.ARM= (default 2): data port: drop-mid-frame, data-overrun,\n"
    "                          garbage, framing-error; control port: control-drop (all control\n"
    "                          connections), control-stall (never answers again), control-garbage,\n"
    "                          control-extra-line, control-swap-replies (out of order),\n"
    "                          control-drop-mid-reply, clock-out-of-range (CLOCK1.PERIOD? = 1e+300);\n"
    "                          reboot (all connections dropped, ports closed --reboot-down seconds,\n"
    "                          default 1, then back at power-on state)\n"
    "          --fault-after S seconds after the first ARM before --fault applies\n"
    "          --reboot-down S how long a reboot keeps the ports closed\n"
    "          --refuse CMD    answer every control command starting with CMD (e.g. '*PCAP.ARM=')\n"
    "                          with 'ERR Refused by fault injection'\n"
    "  nv200   piezosystem jena NV200/D NET: Telnet port (default 23) and, with --pty, a\n"
    "          pseudo-terminal standing in for the USB serial port (its path is printed)\n"
    "          --actuator NAME TRITOR100SG (default), PSH20 or TT2\n"
    "          --line-end crlf|cr-nul-lf  how TCP answer lines end: CR LF (default) or CR NUL LF,\n"
    "                          as the real NV200/D NET's Telnet module sends them\n"
    "          --baud N        pace the pty like a real 8N1 serial line: N/10 bytes per second\n"
    "                          (the NV200 runs at 115200; default: as fast as the reader takes them)\n"
    "          --meas-fault no-answer|garbage|nan  a faulty 'meas' answer (live polling): none at\n"
    "                          all, bytes that are no number, or nan/inf/-inf in turn\n"
    "          --meas-fault-every N  only every N-th 'meas' answer is faulty (default 1: all)\n"
    "          --reply-fault COMMAND=KIND  every answer to COMMAND (e.g. recoutf, meas) is faulty:\n"
    "                          refuse (error,1), too-many (values x100), endless (no end, no XON),\n"
    "                          extra-lines, stale-frame (another answer first), out-of-range\n"
    "          --reboot-after S  drop the link after S seconds, as a reboot does, and come back 2 s later\n"
    "  m81     Lake Shore M81-SSM: SCPI port (default 7777) and, with --pty, a pseudo-terminal\n"
    "          standing in for the USB serial port (its path is printed); modules VS-10, CS-10,\n"
    "          BCS-10 / VM-10, VM-10, CM-10\n"
    "          --empty-slot S1..S3|M1..M3  leave a slot empty (-241 \"Hardware missing\"); repeatable\n"
    "          --buffer BYTES  capture buffer (default 16384); rows beyond it are dropped (OVERflow 1)\n"
    "          --bounded deliver|generate  STARt n ends after n rows delivered (default) or generated\n"
    "          --fixture stream-data|get-data  the test vectors of the vendor's client tests\n"
    "          --seed N        noise seed (default 1)\n"
    "          --fault drop|truncated-row|stall|error  inject once, --fault-after S seconds after\n"
    "                          the start (default 2); it acts at the next chance (drop: at once)\n"
    "          unverified points (protocol notes U2-U14): --idn TEXT, --empty-queue-with-code,\n"
    "          --error-separator TEXT, --reset-clears-settings, --round-rate, --no-trace-extensions,\n"
    "          --struct-code MNEMONIC=CODE, --partial-rows, --check-instrument-index,\n"
    "          --header-with-units, --generic-errors, --repeat-last-row, --bare-bformat\n"
    "  moku    Liquid Instruments Moku with the Datalogger: REST API (default port 8090, the\n"
    "          device's port 80) and optionally the NDJSON stream on a bridge port\n"
    "          --model go|lab|pro|delta  (default go)\n"
    "          --deploy-delay S  the first Datalogger call waits S s (default 2)\n"
    "          --bridge-port N   serve every started stream as NDJSON on N (0: a free port)\n"
    "          --idle-timeout S  a started stream nobody reads for S s goes to ERROR (default 2)\n"
    "          --noise V --seed N  input noise (V rms, default 1e-3) and its seed\n"
    "          --fault NAME [--fault-after S]  http-502, stall, truncated-json, stream-error,\n"
    "                          ownership-taken, S seconds after the start (default 2)\n"
    "          unverified points (protocol notes §9): --claim-refused-code CODE, --bad-key-code CODE,\n"
    "          --refusal-status N, --no-flat-chunk-body, --no-file-aliases, --lab-max-rate R,\n"
    "          --line-seconds S, --old-progress-keys, --no-key-in-data, --no-instrument-bitstream\n"
    "  mokucli BenchScope's stand-in for the vendor's mokucli (also when run as 'mokucli'):\n"
    "          --version, config which, stream --ip-address=H[:P] --stream-id=ID --target=PORT,\n"
    "          convert FILE.li --format=csv (files of the simulator only)\n"
    "  picoscope  the simulated PicoSDK library (a shared library, not a server): prints its\n"
    "          path and how to run a program written for the vendor's library against it\n"
    "          --family ps5000a (default) | ps2000a\n"
    "Port 0 picks a free port. The simulator listens on 127.0.0.1 and prints where; Ctrl+C ends it.\n";

int usageError(const QString &msg)
{
    std::fprintf(stderr, "benchscope-sim: %s\n%s", qPrintable(msg), kUsage);
    return 64;
}

bool takeNumber(const QStringList &args, int &i, double min, double max, double *out, QString *error)
{
    if (i + 1 >= args.size()) {
        *error = QStringLiteral("%1 needs a value").arg(args[i]);
        return false;
    }
    bool ok = false;
    const double v = args[i + 1].toDouble(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("%1: '%2' must be a number in [%3, %4]").arg(args[i], args[i + 1]).arg(min).arg(max);
        return false;
    }
    *out = v;
    ++i;
    return true;
}

int runPanda(const QStringList &args)
{
    bs::panda::PandaSimulator::Config cfg;
    double port = bs::panda::kDefaultControlPort, dataPort = -1, rate = 1000, limit = 0, faultAfter = 2, rebootDown = 1;
    auto fault = bs::panda::PandaSimulator::Fault::None;
    QString error;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        bool ok = true;
        if (a == QLatin1String("--port"))
            ok = takeNumber(args, i, 0, 65535, &port, &error);
        else if (a == QLatin1String("--data-port"))
            ok = takeNumber(args, i, 0, 65535, &dataPort, &error);
        else if (a == QLatin1String("--rate"))
            ok = takeNumber(args, i, 1e-3, 1e7, &rate, &error);
        else if (a == QLatin1String("--limit"))
            ok = takeNumber(args, i, 0, 1e15, &limit, &error);
        else if (a == QLatin1String("--fault-after"))
            ok = takeNumber(args, i, 0, 1e6, &faultAfter, &error);
        else if (a == QLatin1String("--reboot-down"))
            ok = takeNumber(args, i, 0, 3600, &rebootDown, &error);
        else if (a == QLatin1String("--fault") || a == QLatin1String("--refuse")) {
            if (i + 1 >= args.size())
                return usageError(QStringLiteral("%1 needs a value").arg(a));
            const QString v = args[++i];
            if (a == QLatin1String("--refuse"))
                cfg.refusedCommand = v.toUtf8();
            else if (!bs::panda::PandaSimulator::faultFromName(v, &fault) || fault == bs::panda::PandaSimulator::Fault::None)
                return usageError(QStringLiteral("--fault: unknown fault '%1'").arg(v));
        } else if (a == QLatin1String("--pty"))
            return usageError(QStringLiteral("the PandABox has no serial port; use --port"));
        else
            return usageError(QStringLiteral("unknown argument '%1'").arg(a));
        if (!ok)
            return usageError(error);
    }
    cfg.controlPort = quint16(port);
    // The driver's rule: data port = control port + 1 unless given (a free one with --port 0).
    if (dataPort < 0 && port != 0 && bs::panda::defaultDataPort(cfg.controlPort) == 0)
        return usageError(QStringLiteral("--port 65535 leaves no port for the data port; give --data-port"));
    cfg.dataPort = dataPort >= 0 ? quint16(dataPort)
                                 : (port == 0 ? quint16(0) : bs::panda::defaultDataPort(cfg.controlPort));
    cfg.captureLimit = quint64(limit);
    cfg.rebootDownMs = int(rebootDown * 1000);
    bs::panda::PandaSimulator sim(cfg);
    if (fault != bs::panda::PandaSimulator::Fault::None) {
        QObject::connect(&sim, &bs::panda::PandaSimulator::captureArmed, &sim, [&sim, fault, faultAfter] {
            static bool once = false;
            if (std::exchange(once, true))
                return;
            QTimer::singleShot(int(faultAfter * 1000), &sim, [&sim, fault] {
                std::fprintf(stdout, "panda simulator: injecting fault %s\n",
                             qPrintable(bs::panda::PandaSimulator::faultName(fault)));
                std::fflush(stdout);
                sim.injectFault(fault);
            });
        });
    }
    if (!sim.start(&error)) {
        std::fprintf(stderr, "benchscope-sim: panda: %s\n", qPrintable(error));
        return 2;
    }
    sim.setTriggerRate(rate);
    std::fprintf(stdout, "panda simulator listening: control 127.0.0.1:%u data 127.0.0.1:%u (trigger %g rows/s)\n",
                 sim.controlPort(), sim.dataPort(), rate);
    std::fflush(stdout);
    return QCoreApplication::exec();
}
int runNv200(const QStringList &args)
{
    bs::nv200::Nv200Simulator::Config cfg;
    double port = 23, baud = 0, faultEvery = 1;
    auto measFault = bs::nv200::Nv200Simulator::MeasFault::None;
    auto replyFault = bs::nv200::Nv200Simulator::ReplyFault::None;
    QByteArray replyFaultCommand;
    double rebootAfter = -1;
    bool portGiven = false, baudGiven = false;
    QString error;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        if (a == QLatin1String("--port")) {
            if (!takeNumber(args, i, 0, 65535, &port, &error))
                return usageError(error);
            portGiven = true;
        } else if (a == QLatin1String("--pty")) {
            cfg.pty = true;
        } else if (a == QLatin1String("--actuator") && i + 1 < args.size()) {
            cfg.actuator = args[++i];
        } else if (a == QLatin1String("--line-end")) {
            const QString v = args.value(++i);
            if (v != QLatin1String("crlf") && v != QLatin1String("cr-nul-lf"))
                return usageError(QStringLiteral("--line-end: '%1' must be crlf or cr-nul-lf").arg(v));
            cfg.telnetCrNul = v == QLatin1String("cr-nul-lf");
        } else if (a == QLatin1String("--meas-fault")) {
            using MF = bs::nv200::Nv200Simulator::MeasFault;
            const QString v = args.value(++i);
            if (v == QLatin1String("no-answer"))
                measFault = MF::NoAnswer;
            else if (v == QLatin1String("garbage"))
                measFault = MF::Garbage;
            else if (v == QLatin1String("nan"))
                measFault = MF::NotFinite;
            else
                return usageError(QStringLiteral("--meas-fault: '%1' must be no-answer, garbage or nan").arg(v));
        } else if (a == QLatin1String("--reply-fault")) {
            using RF = bs::nv200::Nv200Simulator::ReplyFault;
            const QString v = args.value(++i);
            static const QList<std::pair<QString, RF>> kinds{
                {QStringLiteral("refuse"), RF::Refuse},           {QStringLiteral("too-many"), RF::TooManyValues},
                {QStringLiteral("endless"), RF::Endless},         {QStringLiteral("extra-lines"), RF::ExtraLines},
                {QStringLiteral("stale-frame"), RF::StaleFrame}, {QStringLiteral("out-of-range"), RF::OutOfRange}};
            const QString kind = v.section(QLatin1Char('='), 1);
            replyFaultCommand = v.section(QLatin1Char('='), 0, 0).toLatin1();
            for (const auto &[name, k] : kinds)
                if (kind == name)
                    replyFault = k;
            if (replyFaultCommand.isEmpty() || replyFault == RF::None)
                return usageError(QStringLiteral("--reply-fault: '%1' must be COMMAND=KIND (KIND: refuse, too-many, "
                                                 "endless, extra-lines, stale-frame, out-of-range)").arg(v));
        } else if (a == QLatin1String("--reboot-after")) {
            if (!takeNumber(args, i, 0, 1e6, &rebootAfter, &error))
                return usageError(error);
        } else if (a == QLatin1String("--meas-fault-every")) {
            if (!takeNumber(args, i, 1, 1e9, &faultEvery, &error))
                return usageError(error);
        } else if (a == QLatin1String("--baud")) {
            if (!takeNumber(args, i, 50, 4000000, &baud, &error))
                return usageError(error);
            baudGiven = true;
        } else {
            return usageError(QStringLiteral("unknown argument '%1'").arg(a));
        }
    }
    if (baudGiven && !cfg.pty)
        return usageError(QStringLiteral("--baud paces the serial port: add --pty"));
    // With --pty alone, serve only the pseudo-terminal; --port adds the Telnet side.
    cfg.tcp = !cfg.pty || portGiven;
    cfg.port = quint16(port);
    cfg.baud = int(baud);
    bs::nv200::Nv200Simulator sim(cfg);
    if (!sim.start(&error)) {
        std::fprintf(stderr, "benchscope-sim: nv200: %s\n", qPrintable(error));
        return 2;
    }
    sim.setMeasFault(measFault, int(faultEvery));
    sim.setReplyFault(replyFaultCommand, replyFault);
    if (rebootAfter >= 0) {
        QTimer::singleShot(int(rebootAfter * 1000), &sim, [&sim] {
            std::fprintf(stdout, "nv200 simulator: rebooting (link down for 2 s)\n");
            std::fflush(stdout);
            sim.stop();
            QTimer::singleShot(2000, &sim, [&sim] {
                QString why;
                if (!sim.start(&why))
                    std::fprintf(stderr, "benchscope-sim: nv200: after the reboot: %s\n", qPrintable(why));
                else
                    std::fprintf(stdout, "nv200 simulator: back after the reboot\n");
                std::fflush(stdout);
            });
        });
    }
    if (cfg.tcp)
        std::fprintf(stdout, "nv200 simulator listening: 127.0.0.1:%u (actuator %s)\n", sim.port(),
                     qPrintable(cfg.actuator));
    if (cfg.pty)
        std::fprintf(stdout, "nv200 simulator serial port: %s\n", qPrintable(sim.ptyPath()));
    std::fprintf(stdout, "nv200 simulator: TCP lines end %s; serial %s\n", cfg.telnetCrNul ? "CR NUL LF" : "CR LF",
                 cfg.baud > 0 ? qPrintable(QStringLiteral("paced at %1 baud 8N1").arg(cfg.baud)) : "unpaced");
    if (measFault != bs::nv200::Nv200Simulator::MeasFault::None)
        std::fprintf(stdout, "nv200 simulator: every %g. 'meas' answer is faulty (%s)\n", faultEvery,
                     qPrintable(args.value(args.indexOf(QStringLiteral("--meas-fault")) + 1)));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
int runM81(const QStringList &args)
{
    using bs::m81::M81Simulator;
    M81Simulator::Config cfg;
    double port = 7777, buffer = cfg.bufferBytes, seed = 1, faultAfter = 2;
    bool portGiven = false;
    auto fault = M81Simulator::Fault::None;
    QString error;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (a == QLatin1String("--port")) {
            if (!takeNumber(args, i, 0, 65535, &port, &error))
                return usageError(error);
            portGiven = true;
        } else if (a == QLatin1String("--pty")) {
            cfg.pty = true;
        } else if (a == QLatin1String("--buffer")) {
            if (!takeNumber(args, i, 1, 1 << 30, &buffer, &error))
                return usageError(error);
        } else if (a == QLatin1String("--seed")) {
            if (!takeNumber(args, i, 0, 9e15, &seed, &error))
                return usageError(error);
        } else if (a == QLatin1String("--fault-after")) {
            if (!takeNumber(args, i, 0, 1e6, &faultAfter, &error))
                return usageError(error);
        } else if (a == QLatin1String("--empty-slot")) {
            const QString v = value().value_or(QString()).toUpper();
            const int n = v.mid(1).toInt();
            if (v.size() != 2 || (v[0] != QLatin1Char('S') && v[0] != QLatin1Char('M')) || n < 1 || n > 3)
                return usageError(QStringLiteral("--empty-slot: '%1' must be S1, S2, S3, M1, M2 or M3").arg(v));
            (v[0] == QLatin1Char('S') ? cfg.sourceModels : cfg.measureModels)[n - 1].clear();
        } else if (a == QLatin1String("--bounded")) {
            const QString v = value().value_or(QString());
            if (v != QLatin1String("deliver") && v != QLatin1String("generate"))
                return usageError(QStringLiteral("--bounded: '%1' must be deliver or generate").arg(v));
            cfg.boundedStream = v == QLatin1String("deliver") ? M81Simulator::Config::BoundedStream::DeliverN
                                                               : M81Simulator::Config::BoundedStream::GenerateN;
        } else if (a == QLatin1String("--fixture")) {
            const QString v = value().value_or(QString());
            if (v != QLatin1String("stream-data") && v != QLatin1String("get-data"))
                return usageError(QStringLiteral("--fixture: '%1' must be stream-data or get-data").arg(v));
            cfg.fixture = v == QLatin1String("stream-data") ? M81Simulator::Config::Fixture::StreamData
                                                             : M81Simulator::Config::Fixture::GetData;
        } else if (a == QLatin1String("--fault")) {
            const QString v = value().value_or(QString());
            if (!M81Simulator::faultFromName(v, &fault))
                return usageError(QStringLiteral("--fault: '%1' must be drop, truncated-row, stall or error").arg(v));
        } else if (a == QLatin1String("--idn")) {
            const QString v = value().value_or(QString());
            if (v.isEmpty())
                return usageError(QStringLiteral("--idn needs a text"));
            cfg.idn = v.toUtf8();
        } else if (a == QLatin1String("--error-separator")) {
            const auto v = value();
            if (!v)
                return usageError(QStringLiteral("--error-separator needs a text"));
            cfg.errorSeparator = v->toUtf8();
        } else if (a == QLatin1String("--struct-code")) {
            const QString v = value().value_or(QString());
            const QByteArray mn = v.section(QLatin1Char('='), 0, 0).toLatin1();
            const QByteArray code = v.section(QLatin1Char('='), 1).toLatin1();
            const bs::m81::ElementInfo *e = bs::m81::findElement(mn);
            if (!e || code.size() != 1 || bs::m81::structCodeSize(code[0]) == 0)
                return usageError(QStringLiteral("--struct-code: '%1' must be MNEMONIC=CODE (CODE one of ?bBhHiIlLqQfd)").arg(v));
            cfg.structCodes.insert(e->longForm, code[0]);
        } else if (a == QLatin1String("--empty-queue-with-code")) {
            cfg.emptyQueueWithCode = true;
        } else if (a == QLatin1String("--reset-clears-settings")) {
            cfg.resetClearsSettings = true;
        } else if (a == QLatin1String("--round-rate")) {
            cfg.roundRate = true;
        } else if (a == QLatin1String("--no-trace-extensions")) {
            cfg.traceExtensions = false;
        } else if (a == QLatin1String("--partial-rows")) {
            cfg.partialRows = true;
        } else if (a == QLatin1String("--check-instrument-index")) {
            cfg.checkInstrumentIndex = true;
        } else if (a == QLatin1String("--header-with-units")) {
            cfg.headerWithUnits = true;
        } else if (a == QLatin1String("--generic-errors")) {
            cfg.genericErrorCodes = true;
        } else if (a == QLatin1String("--repeat-last-row")) {
            cfg.repeatLastRow = true;
        } else if (a == QLatin1String("--bare-bformat")) {
            cfg.bformatQuoted = false;
        } else {
            return usageError(QStringLiteral("unknown argument '%1'").arg(a));
        }
    }
    // With --pty alone, serve only the pseudo-terminal; --port adds the TCP side.
    cfg.tcp = !cfg.pty || portGiven;
    cfg.port = quint16(port);
    cfg.bufferBytes = int(buffer);
    cfg.noiseSeed = quint64(seed);
    M81Simulator sim(cfg);
    if (!sim.start(&error)) {
        std::fprintf(stderr, "benchscope-sim: m81: %s\n", qPrintable(error));
        return 2;
    }
    if (fault != M81Simulator::Fault::None) {
        // Armed faultAfter seconds after start; each applies at the next chance (see M81Simulator::Fault).
        QTimer::singleShot(int(faultAfter * 1000), &sim, [&sim, fault, args] {
            std::fprintf(stdout, "m81 simulator: injecting fault %s\n",
                         qPrintable(args.value(args.indexOf(QStringLiteral("--fault")) + 1)));
            std::fflush(stdout);
            sim.injectFault(fault);
        });
    }
    if (cfg.tcp)
        std::fprintf(stdout, "m81 simulator listening: 127.0.0.1:%u\n", sim.port());
    if (cfg.pty)
        std::fprintf(stdout, "m81 simulator serial port: %s\n", qPrintable(sim.ptyPath()));
    std::fprintf(stdout, "m81 simulator: %s; sources %s; measures %s; buffer %d bytes\n", cfg.idn.constData(),
                 qPrintable(cfg.sourceModels.join(QLatin1Char(','))), qPrintable(cfg.measureModels.join(QLatin1Char(','))),
                 cfg.bufferBytes);
    std::fflush(stdout);
    return QCoreApplication::exec();
}
int runMoku(const QStringList &args)
{
    using bs::moku::MokuSimulator;
    MokuSimulator::Config cfg;
    double port = 8090, deploy = cfg.deployDelay, bridge = -1, idle = cfg.idleTimeout, noise = cfg.noise, seed = cfg.seed,
           faultAfter = 2, refusal = cfg.refusalHttpStatus, labMax = cfg.labMaxRate, lineSeconds = cfg.lineSeconds;
    auto fault = MokuSimulator::Fault::None;
    QString error;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        auto text = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        bool ok = true;
        if (a == QLatin1String("--port"))
            ok = takeNumber(args, i, 0, 65535, &port, &error);
        else if (a == QLatin1String("--deploy-delay"))
            ok = takeNumber(args, i, 0, 600, &deploy, &error);
        else if (a == QLatin1String("--bridge-port"))
            ok = takeNumber(args, i, 0, 65535, &bridge, &error);
        else if (a == QLatin1String("--idle-timeout"))
            ok = takeNumber(args, i, 0.05, 3600, &idle, &error);
        else if (a == QLatin1String("--noise"))
            ok = takeNumber(args, i, 0, 10, &noise, &error);
        else if (a == QLatin1String("--seed"))
            ok = takeNumber(args, i, 0, 4294967295.0, &seed, &error);
        else if (a == QLatin1String("--fault-after"))
            ok = takeNumber(args, i, 0, 1e6, &faultAfter, &error);
        else if (a == QLatin1String("--refusal-status"))
            ok = takeNumber(args, i, 200, 599, &refusal, &error);
        else if (a == QLatin1String("--lab-max-rate"))
            ok = takeNumber(args, i, 10, 1e7, &labMax, &error);
        else if (a == QLatin1String("--line-seconds"))
            ok = takeNumber(args, i, 1e-4, 10, &lineSeconds, &error);
        else if (a == QLatin1String("--model")) {
            const QString v = text().value_or(QString());
            const bs::moku::ModelInfo *m = bs::moku::findModel(v);
            if (!m)
                return usageError(QStringLiteral("--model: '%1' must be go, lab, pro or delta").arg(v));
            cfg.model = m->model;
        } else if (a == QLatin1String("--fault")) {
            const QString v = text().value_or(QString());
            if (!MokuSimulator::faultFromName(v, &fault) || fault == MokuSimulator::Fault::None)
                return usageError(QStringLiteral("--fault: '%1' must be http-502, stall, truncated-json, stream-error "
                                                 "or ownership-taken").arg(v));
        } else if (a == QLatin1String("--claim-refused-code") || a == QLatin1String("--bad-key-code")) {
            const QString v = text().value_or(QString());
            if (v.isEmpty())
                return usageError(QStringLiteral("%1 needs a code").arg(a));
            (a == QLatin1String("--bad-key-code") ? cfg.badKeyCode : cfg.claimRefusedCode) = v;
        } else if (a == QLatin1String("--no-flat-chunk-body"))
            cfg.acceptFlatChunkBody = false;
        else if (a == QLatin1String("--no-file-aliases"))
            cfg.acceptFileAliases = false;
        else if (a == QLatin1String("--old-progress-keys"))
            cfg.oldProgressKeys = true;
        else if (a == QLatin1String("--no-key-in-data"))
            cfg.keyInData = false;
        else if (a == QLatin1String("--no-instrument-bitstream"))
            cfg.instrumentBitstream = false;
        else if (a == QLatin1String("--pty"))
            return usageError(QStringLiteral("the Moku has no serial port; use --port"));
        else
            return usageError(QStringLiteral("unknown argument '%1'").arg(a));
        if (!ok)
            return usageError(error);
    }
    cfg.port = quint16(port);
    cfg.deployDelay = deploy;
    cfg.bridgePort = int(bridge);
    cfg.idleTimeout = idle;
    cfg.noise = noise;
    cfg.seed = quint32(seed);
    cfg.refusalHttpStatus = int(refusal);
    cfg.labMaxRate = labMax;
    cfg.lineSeconds = lineSeconds;
    MokuSimulator sim(cfg);
    if (!sim.start(&error)) {
        std::fprintf(stderr, "benchscope-sim: moku: %s\n", qPrintable(error));
        return 2;
    }
    if (fault != MokuSimulator::Fault::None) {
        QTimer::singleShot(int(faultAfter * 1000), &sim, [&sim, fault] {
            std::fprintf(stdout, "moku simulator: injecting fault %s\n", qPrintable(MokuSimulator::faultName(fault)));
            std::fflush(stdout);
            sim.injectFault(fault);
        });
    }
    std::fprintf(stdout, "moku simulator listening: 127.0.0.1:%u (%s, Datalogger)\n", sim.port(),
                 bs::moku::modelInfo(cfg.model).hardware);
    if (cfg.bridgePort >= 0)
        std::fprintf(stdout, "moku simulator stream bridge (NDJSON): 127.0.0.1:%u\n", sim.bridgePort());
    std::fflush(stdout);
    return QCoreApplication::exec();
}
int runPicoscope(const QStringList &args)
{
    using namespace bs::picoscope;
    Family family = Family::Ps5000a;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--family") && i + 1 < args.size() && familyNames().contains(args[i + 1]))
            family = familyFromName(args[++i]);
        else
            return usageError(QStringLiteral("picoscope: unexpected '%1'").arg(args[i]));
    }
    const QString path = PicoDriver::simulatedLibraryPath(family);
    if (!QFileInfo::exists(path)) {
        std::fprintf(stderr, "benchscope-sim: picoscope: the simulated library is not built (%s)\n", qPrintable(path));
        return 2;
    }
    std::fprintf(stdout,
                 "picoscope simulated library: %s\n"
                 "Use it as the instrument's 'Library', or run a program built against the vendor's library with\n"
                 "  LD_LIBRARY_PATH=%s PICOSIM='signal.A=sine,freq=1000,amp=1;units=2' your-program\n"
                 "(PICOSIM settings: drivers/picoscope/simlib/include/picosim/picosim.h)\n",
                 qPrintable(path), qPrintable(QFileInfo(path).absolutePath()));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("benchscope-sim"));
    std::signal(SIGINT, [](int) { std::_Exit(0); });
    std::signal(SIGTERM, [](int) { std::_Exit(0); });
    QStringList args = QCoreApplication::arguments();
    // Started under the name mokucli (a symlink): BenchScope's stand-in for the vendor's mokucli.
    if (QFileInfo(args.first()).fileName() == QLatin1String("mokucli"))
        return bs::moku::runMokuCli(args.mid(1));
    args.removeFirst();
    if (args.isEmpty() || args[0] == QLatin1String("--help") || args[0] == QLatin1String("-h")) {
        std::fprintf(args.isEmpty() ? stderr : stdout, "%s", kUsage);
        return args.isEmpty() ? 64 : 0;
    }
    const QString id = args.takeFirst();
    if (id == QLatin1String("panda"))
        return runPanda(args);
    if (id == QLatin1String("nv200"))
        return runNv200(args);
    if (id == QLatin1String("picoscope"))
        return runPicoscope(args);
    if (id == QLatin1String("m81"))
        return runM81(args);
    if (id == QLatin1String("moku"))
        return runMoku(args);
    if (id == QLatin1String("mokucli"))
        return bs::moku::runMokuCli(args);
    return usageError(QStringLiteral("unknown simulator '%1' (known: panda, nv200, picoscope, m81, moku, mokucli)").arg(id));
}
