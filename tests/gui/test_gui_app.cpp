// SPDX-License-Identifier: GPL-3.0-or-later
// The `benchscope` executable as a user starts it: a real process with a real argument vector
// (QGuiApplication sees argv exactly as typed), offscreen or with no display at all.
#include "PandaSimulator.h"
#include "SimulatorThread.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace bs;

class TestGuiApp : public QObject
{
    Q_OBJECT

    struct Result
    {
        int code = -1;
        bool finished = false;
        QByteArray out, err;
    };

    /// Runs benchscope with `args`; settings and recent files go to a temporary config folder.
    Result run(const QStringList &args, QProcessEnvironment env, int timeoutMs = 60000)
    {
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("qt.qpa.*=false"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(BENCHSCOPE_APP), args);
        Result r;
        r.finished = p.waitForFinished(timeoutMs);
        if (!r.finished) {
            p.kill();
            p.waitForFinished();
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    static QProcessEnvironment offscreen()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

    /// No display of any kind: what a user gets over ssh or in a container.
    static QProcessEnvironment noDisplay()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(v));
        return env;
    }

    QString writeSession(const QString &name, const QByteArray &json)
    {
        const QString path = m_home.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size())
            return {};
        return path;
    }

    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    // `--session FILE` (the documented spelling, which QGuiApplication would take as its own X11
    // session-management option) and `--session=FILE` both open the session: its instrument
    // connects to a PandA simulator and the screenshot run ends cleanly.
    void sessionOptionOpensTheSession_data()
    {
        QTest::addColumn<bool>("joined");
        QTest::newRow("--session FILE") << false;
        QTest::newRow("--session=FILE") << true;
    }

    void sessionOptionOpensTheSession()
    {
        QFETCH(bool, joined);
        panda::PandaSimulator::Config cfg;
        cfg.controlPort = 0;
        cfg.dataPort = 0;
        SimulatorThread sim(QStringLiteral("panda-sim"), [cfg] { return new panda::PandaSimulator(cfg); });
        bool started = false;
        quint16 control = 0, data = 0;
        sim.call([&](QObject *o) {
            auto *p = static_cast<panda::PandaSimulator *>(o);
            started = p->start(nullptr);
            control = p->controlPort();
            data = p->dataPort();
        });
        QVERIFY(started);
        const QString session = writeSession(
            QStringLiteral("bench.benchscope.json"),
            QStringLiteral(R"({"format":"benchscope-session","version":1,"instruments":[
                {"id":"pandabox","type":"panda","address":"127.0.0.1:%1","parameters":{"data_port":%2}}]})")
                .arg(control)
                .arg(data)
                .toUtf8());
        QVERIFY(!session.isEmpty());
        const QString png = m_home.filePath(QStringLiteral("shot.png"));
        QFile::remove(png);
        const QStringList sessionArgs = joined ? QStringList{QStringLiteral("--session=") + session}
                                               : QStringList{QStringLiteral("--session"), session};
        const Result r = run(sessionArgs
                                 + QStringList{QStringLiteral("--screenshot"), png, QStringLiteral("--screenshot-delay"),
                                               QStringLiteral("1.5")},
                             offscreen());
        QVERIFY2(r.finished, r.err.constData());
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains(QStringLiteral("benchscope: opened session %1: pandabox (panda at 127.0.0.1:%2)")
                                    .arg(session)
                                    .arg(control)
                                    .toUtf8()),
                 r.err.constData());
        QVERIFY2(r.err.contains("screenshot saved"), r.err.constData());
        QFile shot(png);
        QVERIFY(shot.open(QIODevice::ReadOnly));
        QVERIFY(shot.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8));
    }

    // A session that cannot be opened never leaves a modal dialog waiting for nobody: the error
    // goes to stderr, naming the key, and the exit code is not 0.
    void badSessionWithScreenshotExits_data()
    {
        QTest::addColumn<QString>("form");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray badPort = R"({"format":"benchscope-session","version":1,"instruments":[
            {"id":"pandabox","type":"panda","address":"127.0.0.1:65536"}]})";
        QTest::newRow("bad port, --session FILE") << "separate" << badPort
                                                  << "instruments[0].address: instrument 'pandabox'";
        QTest::newRow("bad port, --session=FILE") << "joined" << badPort
                                                  << "instruments[0].address: instrument 'pandabox'";
        QTest::newRow("bad parameter") << "separate"
                                       << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[
            {"id":"pandabox","type":"panda","parameters":{"clock_period":-1}}]})")
                                       << "instruments[0].parameters.clock_period";
        QTest::newRow("not json") << "joined" << QByteArray("{\"format\":") << "not valid JSON";
        // What no bench has, and ids that would break the recording: refused when loaded.
        QTest::newRow("NUL in an id") << "separate"
                                      << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[
            {"id":"pan\u0000da","type":"panda"}]})")
                                      << "instruments[0].id: id 'pan\\0da': character '\\0' (at 3) is not allowed";
        QByteArray many = R"({"format":"benchscope-session","version":1,"instruments":[)";
        for (int n = 1; n <= 65; ++n)
            many += QStringLiteral(R"(%1{"id":"panda%2","type":"panda"})").arg(n > 1 ? QStringLiteral(",") : QString()).arg(n).toUtf8();
        many += "]}";
        QTest::newRow("65 instruments") << "separate" << many
                                        << "instruments: 65 instruments; a session may hold at most 64";
        QByteArray big = R"({"format":"benchscope-session","version":1,"instruments":[]})";
        big.insert(1, QByteArray((1 << 20) + 1 - big.size(), ' '));
        QTest::newRow("larger than 1 MiB") << "joined" << big << "a session file may hold at most 1048576 bytes";
    }

    void badSessionWithScreenshotExits()
    {
        QFETCH(QString, form);
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QString session = writeSession(QStringLiteral("bad.benchscope.json"), json);
        const QStringList sessionArgs = form == QLatin1String("joined")
            ? QStringList{QStringLiteral("--session=") + session}
            : QStringList{QStringLiteral("--session"), session};
        const Result r = run(sessionArgs + QStringList{QStringLiteral("--screenshot"),
                                                       m_home.filePath(QStringLiteral("never.png"))},
                             offscreen());
        QVERIFY2(r.finished, "benchscope did not end: a dialog is waiting for a user who is not there");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(session.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(m_home.filePath(QStringLiteral("never.png"))));
    }

    // --run with a session that has no instruments would run and record nothing: refused with a
    // sentence and exit code 2 (a run without a user; a user gets the message in a dialog).
    void emptySessionWithRunIsRefused()
    {
        const QString session = writeSession(QStringLiteral("empty.benchscope.json"),
                                             R"({"format":"benchscope-session","version":1,"instruments":[]})");
        const QString png = m_home.filePath(QStringLiteral("empty.png"));
        const Result r = run({QStringLiteral("--session"), session, QStringLiteral("--run"), QStringLiteral("--screenshot"),
                              png, QStringLiteral("--screenshot-delay"), QStringLiteral("1")},
                             offscreen());
        QVERIFY2(r.finished, "benchscope did not end");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--run: the session has no instruments, so there is nothing to run"), r.err.constData());
        QVERIFY(!QFile::exists(png));
        // Without --run an empty session is a valid start (the user adds instruments).
        const Result open = run({QStringLiteral("--session"), session, QStringLiteral("--screenshot"), png,
                                 QStringLiteral("--screenshot-delay"), QStringLiteral("0.2")},
                                offscreen());
        QVERIFY2(open.code == 0, open.err.constData());
        QVERIFY2(open.err.contains("no instruments"), open.err.constData());
    }

    // Offscreen without --screenshot is a run without a user too.
    void badSessionOffscreenExits()
    {
        const Result r = run({QStringLiteral("--session"), m_home.filePath(QStringLiteral("missing.benchscope.json"))},
                             offscreen());
        QVERIFY2(r.finished, "benchscope did not end");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("missing.benchscope.json"), r.err.constData());
    }

    // --help and --version need no display and no QApplication.
    void helpAndVersionWithoutDisplay()
    {
        const Result help = run({QStringLiteral("--help")}, noDisplay());
        QVERIFY2(help.code == 0, help.err.constData());
        for (const char *option : {"--session <FILE>", "--demo", "--screenshot <PNG>", "--version"})
            QVERIFY2(help.out.contains(option), help.out.constData());
        const Result version = run({QStringLiteral("--version")}, noDisplay());
        QVERIFY2(version.code == 0, version.err.constData());
        QCOMPARE(version.out, QByteArray("benchscope " BENCHSCOPE_VERSION "\n"));
        QCOMPARE(run({QStringLiteral("-h"), QStringLiteral("--session"), QStringLiteral("x")}, noDisplay()).code, 0);
    }

    // Without a display the GUI cannot start: a sentence on stderr and an exit code, not Qt's abort().
    void noDisplayIsAnError()
    {
        const Result r = run({QStringLiteral("--demo")}, noDisplay());
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no display") && r.err.contains("QT_QPA_PLATFORM=offscreen"), r.err.constData());
    }

    void usageErrors()
    {
        const Result missing = run({QStringLiteral("--session")}, offscreen());
        QCOMPARE(missing.code, 64);
        QVERIFY2(missing.err.contains("--session needs a FILE"), missing.err.constData());
        const Result unknown = run({QStringLiteral("--bogus")}, offscreen());
        QCOMPARE(unknown.code, 64);
        QVERIFY2(unknown.err.contains("bogus"), unknown.err.constData());
        const Result both = run({QStringLiteral("--demo"), QStringLiteral("--session=x.json")}, offscreen());
        QCOMPARE(both.code, 64);
        const Result delay = run({QStringLiteral("--screenshot-delay"), QStringLiteral("soon")}, offscreen());
        QCOMPARE(delay.code, 64);
        QVERIFY2(delay.err.contains("--screenshot-delay"), delay.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestGuiApp)
#include "test_gui_app.moc"
