// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's commands as a user gives them: the real QActions of the menus are triggered
// and every dialog they open (file dialogs, message boxes, Add Instrument, Remove Instrument,
// Recording Settings) is answered through its own widgets while its exec() runs (ModalAnswerer).
// File ▸ Open / Save / Save As (file contents checked), Export CSV (files checked against the
// fake generator's formula), Instruments ▸ Add / Remove / Connect All / Disconnect All, Record ▸
// Recording Settings, and closing the window while recording.
#include "FakeSignalInstrument.h"

#include <AddInstrumentDialog.h>
#include <LastRecordingDialog.h>
#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <RecordController.h>
#include <RecordingSettingsDialog.h>
#include <ScopeView.h>

#include <CsvExport.h>
#include <Hdf5RecordingReader.h>
#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QProgressDialog>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolButton>
#include <QUrl>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <functional>
#include <memory>
#include <numbers>

using namespace bs;

namespace {
const QString kFake = QString::fromLatin1(test::FakeSignalInstrument::kType);

SessionInstrument fakeEntry(const QString &id, const QJsonObject &params = {})
{
    return { id, kFake, id + QStringLiteral(" bench"), QStringLiteral("sim://") + id, params };
}

QJsonObject readJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

/// Takes the URLs QDesktopServices::openUrl() is given (Open Folder), instead of a file manager.
class UrlCatcher : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void open(const QUrl &url) { urls.append(url); }

public:
    QList<QUrl> urls;
};

/// Answers the modal dialogs that open, in order, through their own widgets. Each step receives
/// the active modal widget and returns true once it has answered it (false: not the dialog it
/// expects, e.g. one still closing). A dialog no step takes within 10 s is rejected and recorded
/// in `unexpected`, so a test fails instead of hanging on it.
class ModalAnswerer : public QObject
{
public:
    using Step = std::function<bool(QWidget *)>;
    explicit ModalAnswerer(QList<Step> steps = {})
        : m_steps(std::move(steps))
    {
        connect(&m_timer, &QTimer::timeout, this, &ModalAnswerer::poll);
        m_timer.start(20);
    }
    bool done() const { return m_next == m_steps.size(); }
    QStringList unexpected;

private:
    void poll()
    {
        QWidget *w = QApplication::activeModalWidget();
        if (!w || !w->isVisible() || w == m_last) {
            m_waiting.invalidate();
            return;
        }
        if (!done() && m_steps[m_next](w)) {
            m_last = w;
            ++m_next;
            return;
        }
        if (!m_waiting.isValid())
            m_waiting.start();
        if (m_waiting.elapsed() > 10000) {
            const auto *box = qobject_cast<QMessageBox *>(w);
            unexpected.append(w->windowTitle() + QStringLiteral(": ") + (box ? box->text() : QString()));
            m_last = w;
            if (auto *d = qobject_cast<QDialog *>(w))
                d->reject();
            else
                w->close();
        }
    }
    QList<Step> m_steps;
    qsizetype m_next = 0;
    QPointer<QWidget> m_last;
    QElapsedTimer m_waiting;
    QTimer m_timer;
};

/// Picks `path` in a QFileDialog (a file to open or save, or a folder) and presses its button.
ModalAnswerer::Step chooseFile(const QString &path)
{
    return [path](QWidget *w) {
        auto *d = qobject_cast<QFileDialog *>(w);
        if (!d)
            return false;
        // What a user does: go to the folder, type the name (selectFile() leaves a focused name
        // field alone), press the button.
        const QFileInfo info(path);
        d->setDirectory(info.absolutePath());
        if (auto *name = d->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")))
            name->setText(info.fileName());
        else
            d->selectFile(path);
        static_cast<QDialog *>(d)->accept(); // QFileDialog::accept(), as its Open/Save button does
        return true;
    };
}

/// Clicks `button` of a QMessageBox whose text contains `contains`; its text goes to `*text`.
ModalAnswerer::Step answerBox(QMessageBox::StandardButton button, const QString &contains, QString *text = nullptr)
{
    return [=](QWidget *w) {
        auto *box = qobject_cast<QMessageBox *>(w);
        if (!box || !box->text().contains(contains) || !box->button(button))
            return false;
        if (text)
            *text = box->text();
        box->button(button)->click();
        return true;
    };
}

template <class Dialog>
ModalAnswerer::Step withDialog(std::function<void(Dialog *)> fill, QDialogButtonBox::StandardButton button)
{
    return [=](QWidget *w) {
        auto *d = qobject_cast<Dialog *>(w);
        if (!d)
            return false;
        fill(d);
        auto *box = d->template findChild<QDialogButtonBox *>();
        if (box && box->button(button))
            box->button(button)->click();
        else if (button == QDialogButtonBox::Ok)
            d->accept();
        else
            d->reject();
        return true;
    };
}

/// The rows of a CSV file BenchScope wrote: header comments, column line, data rows, later comments.
struct Csv
{
    QStringList header, comments;
    QString columns;
    QList<QList<double>> rows;
};

Csv readCsv(const QString &path)
{
    Csv c;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return c;
    for (const QByteArray &raw : f.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1Char('#'))) {
            (c.columns.isEmpty() ? c.header : c.comments).append(line);
        } else if (c.columns.isEmpty()) {
            c.columns = line;
        } else {
            QList<double> row;
            for (const QString &v : line.split(QLatin1Char(',')))
                row.append(v.toDouble());
            c.rows.append(row);
        }
    }
    return c;
}

/// The fake generator's channels at time t (FakeSignalInstrument::tick(), sine shape).
double fakeSine(double t, double amplitude, double period)
{
    return amplitude * std::sin(2 * std::numbers::pi * t / period) + 0.02 * std::sin(t * 977.0);
}
double fakePosition(double t)
{
    return 40.0 + 25.0 * std::sin(2 * std::numbers::pi * 0.15 * t) + 3.0 * std::sin(2 * std::numbers::pi * 1.3 * t);
}

/// Checks a CSV of the fake's "sig" stream: header, every row against the formula, regular times,
/// and the `# end` total equal to the rows; returns the number of rows (-1 on a failure).
qsizetype checkFakeCsv(const QString &path, const QString &id, double rate, double amplitude, double period)
{
    const Csv csv = readCsv(path);
    if (!csv.header.contains(QStringLiteral("# instrument_id: ") + id)
        || !csv.header.contains(QStringLiteral("# units: s,V,µm"))
        || csv.columns != QStringLiteral("time_s,Sine [V],Position [µm]") || csv.rows.isEmpty()) {
        qWarning("%s: header %s / columns %s / %lld rows", qPrintable(path), qPrintable(csv.header.join(u'|')),
                 qPrintable(csv.columns), qlonglong(csv.rows.size()));
        return -1;
    }
    // The file's time starts at the recording's start; the fake's own time is row / rate.
    const double t0 = csv.rows.front().value(0);
    for (qsizetype r = 0; r < csv.rows.size(); ++r) {
        const QList<double> &row = csv.rows[r];
        const double t = double(r) / rate;
        if (row.size() != 3 || std::abs((row.value(0) - t0) - t) > 2e-9
            || std::abs(row[1] - fakeSine(t, amplitude, period)) > 1e-9 || std::abs(row[2] - fakePosition(t)) > 1e-9) {
            qWarning("%s row %lld: t=%.17g %.17g %.17g", qPrintable(path), qlonglong(r), t, row.value(1), row.value(2));
            return -1;
        }
    }
    // (then the Run/Stop counts: stopped once, or not at all when the window closed while running)
    const QString end = QStringLiteral("# end: samples=%1 dropped=0 device_lost=0 overflow_blocks=0 stops=")
                            .arg(csv.rows.size());
    const QString last = csv.comments.value(csv.comments.size() - 1);
    if (!last.startsWith(end) || !last.endsWith(QStringLiteral(" restarts=0 outages=0 outage_s=0"))) {
        qWarning("%s: last comment %s, expected %s", qPrintable(path), qPrintable(csv.comments.value(csv.comments.size() - 1)),
                 qPrintable(end));
        return -1;
    }
    return csv.rows.size();
}
} // namespace

class MainWindowCommandsTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QTemporaryDir> m_dir;

    QAction *action(const char *name) { return m_window->findChild<QAction *>(QLatin1String(name)); }
    QString path(const QString &name) const { return m_dir->filePath(name); }

    /// Triggers `name` with `answers` given to the dialogs it opens; all of them must be used.
    void trigger(const char *name, QList<ModalAnswerer::Step> answers)
    {
        QAction *a = action(name);
        QVERIFY2(a, name);
        QVERIFY2(a->isEnabled(), name);
        ModalAnswerer answerer(std::move(answers));
        a->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(answerer.done() || !answerer.unexpected.isEmpty(), 20000);
        QTest::qWait(50); // a dialog opened after the last answer would show up here
        QVERIFY2(answerer.unexpected.isEmpty(), qPrintable(answerer.unexpected.join(u'\n')));
    }

    /// Records with the fake running, stops the run (no more blocks), then the recording.
    void recordAWhile(InstrumentHost *host, QString *out)
    {
        QAction *record = action("actionRecord");
        record->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        *out = m_window->recordController()->currentPath();
        QTRY_VERIFY_WITH_TIMEOUT(host->stats().samples >= 400, 20000);
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, 20000);
        record->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->recordController()->isRecording(), 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_commands"));
        test::FakeSignalInstrument::registerType();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = std::make_unique<TraceStore>();
        m_recorder = std::make_unique<Recorder>();
        m_ws = std::make_unique<Workspace>();
        m_ws->addSink(m_store.get());
        m_ws->addSink(m_recorder.get());
        m_window = std::make_unique<MainWindow>(m_ws.get(), m_store.get(), m_recorder.get());
        m_window->resize(1200, 800);
        m_window->show();
        SessionRecording rec;
        rec.directory = path(QStringLiteral("recordings"));
        m_window->recordController()->setSettings(rec);
    }

    void cleanup()
    {
        m_window.reset();
        m_ws.reset();
        m_recorder->stop();
        m_recorder.reset();
        m_store.reset();
        m_dir.reset();
    }

    // File ▸ Save As… writes the session where the dialog says (adding the suffix), Save rewrites
    // it without asking, Open brings all of it back.
    void saveAsSaveAndOpen()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1"), { { QStringLiteral("rate"), 500.0 } }), &error));
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error));
        InstrumentHost *h2 = m_ws->instrument(QStringLiteral("fake2"));
        h2->setParameter(QStringLiteral("shape"), QStringLiteral("Square"));
        QTRY_COMPARE(h2->parameters().stringValue(QStringLiteral("shape")), QStringLiteral("Square"));
        m_window->scopeView()->setSpan(4.0);
        const QString key = ChannelStyles::keyOf(QStringLiteral("fake2"), QStringLiteral("sig"), QStringLiteral("Sine"));
        m_window->scopeView()->channelStyles()->setColor(key, QColor(QStringLiteral("#aa5500")));
        m_window->scopeView()->channelStyles()->setVisible(key, false);
        QVERIFY(m_window->isWindowModified());

        trigger("actionSaveAs", { chooseFile(path(QStringLiteral("bench-a"))) });
        const QString file = path(QStringLiteral("bench-a") + Session::kSuffix);
        QCOMPARE(m_window->sessionPath(), QFileInfo(file).absoluteFilePath());
        QVERIFY(!m_window->isWindowModified());
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("bench-a.benchscope.json")));
        QJsonObject saved = readJsonFile(file);
        QCOMPARE(saved, m_window->currentSession().toJson());
        QCOMPARE(saved.value(QStringLiteral("format")).toString(), QStringLiteral("benchscope-session"));
        const QJsonArray insts = saved.value(QStringLiteral("instruments")).toArray();
        QCOMPARE(insts.size(), 2);
        QCOMPARE(insts[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("fake1"));
        QCOMPARE(insts[0].toObject().value(QStringLiteral("parameters")).toObject().value(QStringLiteral("rate")).toDouble(), 500.0);
        QCOMPARE(insts[1].toObject().value(QStringLiteral("address")).toString(), QStringLiteral("sim://fake2"));
        QCOMPARE(insts[1].toObject().value(QStringLiteral("parameters")).toObject().value(QStringLiteral("shape")).toString(),
                 QStringLiteral("Square"));
        const QJsonObject scope = saved.value(QStringLiteral("views")).toArray().at(0).toObject();
        QCOMPARE(scope.value(QStringLiteral("span_s")).toDouble(), 4.0);
        bool styled = false;
        for (const QJsonValue &c : scope.value(QStringLiteral("channels")).toArray())
            styled = styled
                || (c.toObject().value(QStringLiteral("key")).toString() == key
                    && c.toObject().value(QStringLiteral("color")).toString() == QStringLiteral("#aa5500")
                    && !c.toObject().value(QStringLiteral("visible")).toBool(true));
        QVERIFY2(styled, QJsonDocument(scope).toJson().constData());

        // Save: no dialog, the same file rewritten.
        m_window->scopeView()->setSpan(6.0);
        QVERIFY(m_window->isWindowModified());
        trigger("actionSave", {});
        QVERIFY(!m_window->isWindowModified());
        saved = readJsonFile(file);
        QCOMPARE(saved.value(QStringLiteral("views")).toArray().at(0).toObject().value(QStringLiteral("span_s")).toDouble(), 6.0);
        QCOMPARE(saved, m_window->currentSession().toJson());

        // Open: a fresh window state, then the file through File ▸ Open.
        m_window->newSession();
        QVERIFY(m_ws->instruments().isEmpty());
        trigger("actionOpen", { chooseFile(file) });
        QCOMPARE(m_window->currentSession().toJson(), saved);
        QCOMPARE(m_window->panels().size(), 2);
        QCOMPARE(m_ws->instrument(QStringLiteral("fake2"))->parameters().stringValue(QStringLiteral("shape")),
                 QStringLiteral("Square"));
        QCOMPARE(m_window->scopeView()->span(), 6.0);
        QVERIFY(!m_window->scopeView()->channelStyles()->style(key).visible);
        QCOMPARE(m_window->sessionPath(), QFileInfo(file).absoluteFilePath());
        QVERIFY(!m_window->isWindowModified());
    }

    // File ▸ Open on a bad file: the message names the key, the session stays as it was.
    void openRefusesABadFile()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        m_window->scopeView()->setSpan(3.0);
        const QString good = path(QStringLiteral("good") + Session::kSuffix);
        QVERIFY2(m_window->saveSessionFile(good, &error), qPrintable(error));
        const QJsonObject before = m_window->currentSession().toJson();
        const QString bad = path(QStringLiteral("bad") + Session::kSuffix);
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a/b","type":"fakesig"}]})");
        f.close();
        QString shown;
        trigger("actionOpen", { chooseFile(bad), answerBox(QMessageBox::Ok, QStringLiteral("unchanged"), &shown) });
        QVERIFY2(shown.contains(QStringLiteral("instruments[0].id")) && shown.contains(QStringLiteral("'a/b'")),
                 qPrintable(shown));
        QCOMPARE(m_window->currentSession().toJson(), before);
        QCOMPARE(m_window->sessionPath(), QFileInfo(good).absoluteFilePath());
    }

    // Instruments ▸ Add… and Remove…, through their dialogs; Cancel changes nothing.
    void addAndRemoveInstruments()
    {
        auto add = [](const QString &name) {
            return withDialog<AddInstrumentDialog>(
                [name](AddInstrumentDialog *d) {
                    d->setType(kFake);
                    d->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(name);
                    d->findChild<QLineEdit *>(QStringLiteral("addressEdit"))->setText(QStringLiteral("sim://bench"));
                },
                QDialogButtonBox::Ok);
        };
        trigger("actionAddInstrument", { add(QStringLiteral("Signal bench")) });
        InstrumentHost *h1 = m_ws->instrument(QStringLiteral("fakesig-1"));
        QVERIFY(h1);
        QCOMPARE(h1->name(), QStringLiteral("Signal bench"));
        QCOMPARE(h1->address(), QStringLiteral("sim://bench"));
        QVERIFY(m_window->panel(QStringLiteral("fakesig-1")));
        QCOMPARE(m_window->panel(QStringLiteral("fakesig-1"))->windowTitle(), QStringLiteral("Signal bench"));
        QVERIFY(m_window->isWindowModified());
        trigger("actionAddInstrument", { add(QStringLiteral("Second")) });
        QVERIFY(m_ws->instrument(QStringLiteral("fakesig-2")));
        trigger("actionAddInstrument", { withDialog<AddInstrumentDialog>([](AddInstrumentDialog *) {}, QDialogButtonBox::Cancel) });
        QCOMPARE(m_ws->instruments().size(), 2);
        QCOMPARE(m_window->panels().size(), 2);

        QStringList offered;
        auto remove = [&offered](const QString &which, bool ok) {
            return [&offered, which, ok](QWidget *w) {
                auto *d = qobject_cast<QInputDialog *>(w);
                if (!d)
                    return false;
                offered = d->comboBoxItems();
                d->setTextValue(which);
                ok ? d->accept() : d->reject();
                return true;
            };
        };
        trigger("actionRemoveInstrument", { remove(QStringLiteral("Signal bench (fakesig-1)"), false) });
        QCOMPARE(offered, (QStringList{ QStringLiteral("Signal bench (fakesig-1)"), QStringLiteral("Second (fakesig-2)") }));
        QCOMPARE(m_ws->instruments().size(), 2);
        trigger("actionRemoveInstrument", { remove(QStringLiteral("Signal bench (fakesig-1)"), true) });
        QVERIFY(!m_ws->instrument(QStringLiteral("fakesig-1")));
        QVERIFY(m_ws->instrument(QStringLiteral("fakesig-2")));
        QVERIFY(!m_window->panel(QStringLiteral("fakesig-1")));
        QCOMPARE(m_window->panels().size(), 1);
        trigger("actionRemoveInstrument", { remove(QStringLiteral("Second (fakesig2)"), true) });
        QVERIFY(m_ws->instruments().isEmpty());
        QVERIFY(!action("actionRemoveInstrument")->isEnabled());
    }

    void connectAndDisconnectAll()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error));
        trigger("actionConnectAll", {});
        for (InstrumentHost *h : m_ws->instruments())
            QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
        QVERIFY(!m_window->isRunning());
        action("actionRun")->trigger();
        for (InstrumentHost *h : m_ws->instruments())
            QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Running, 20000);
        trigger("actionDisconnectAll", {});
        for (InstrumentHost *h : m_ws->instruments())
            QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Disconnected, 20000);
        QVERIFY(!m_window->isRunning());
        QVERIFY(!action("actionRun")->isChecked());
    }

    // Record ▸ Recording Settings…: the values typed into the dialog are what the next recording
    // uses; Cancel keeps the old ones.
    void recordingSettingsDialog()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        const QString folder = path(QStringLiteral("night"));
        auto fill = [folder](RecordingSettingsDialog *d) {
            auto *format = d->findChild<QComboBox *>(QStringLiteral("formatCombo"));
            format->setCurrentIndex(format->findData(QStringLiteral("csv")));
            d->findChild<QLineEdit *>(QStringLiteral("directoryEdit"))->setText(folder);
            d->findChild<QLineEdit *>(QStringLiteral("baseNameEdit"))->setText(QStringLiteral("  night  "));
            d->findChild<QSpinBox *>(QStringLiteral("queueSpin"))->setValue(128);
        };
        m_window->setWindowModified(false);
        trigger("actionRecordingSettings", { withDialog<RecordingSettingsDialog>(fill, QDialogButtonBox::Cancel) });
        QCOMPARE(m_window->recordController()->settings().format, QStringLiteral("hdf5"));
        QVERIFY(!m_window->isWindowModified());

        trigger("actionRecordingSettings", { withDialog<RecordingSettingsDialog>(fill, QDialogButtonBox::Ok) });
        const SessionRecording s = m_window->recordController()->settings();
        QCOMPARE(s.format, QStringLiteral("csv"));
        QCOMPARE(s.directory, folder);
        QCOMPARE(s.baseName, QStringLiteral("night"));
        QCOMPARE(s.queueMiB, qint64(128));
        QVERIFY(m_window->isWindowModified());
        QCOMPARE(m_window->currentSession().recording.toJson(), s.toJson());

        QString out;
        recordAWhile(m_ws->instrument(QStringLiteral("fake1")), &out);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(QFileInfo(out).absolutePath(), QFileInfo(folder).absoluteFilePath());
        QVERIFY2(QFileInfo(out).fileName().startsWith(QStringLiteral("night_")), qPrintable(out));
        QVERIFY(QFileInfo(out).isDir()); // CSV: a folder with a file per stream
        const qsizetype rows = checkFakeCsv(QDir(out).filePath(QStringLiteral("fake1_sig.csv")), QStringLiteral("fake1"),
                                            2000, 1.0, 0.5);
        QCOMPARE(quint64(rows), m_ws->instrument(QStringLiteral("fake1"))->stats().samples);
    }

    // File ▸ Export CSV…: choose the recording, then where to put its folder; the CSV files go
    // into a folder named after the recording and hold every recorded row.
    void exportCsv()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1"), { { QStringLiteral("amplitude"), 2.5 } }), &error));
        InstrumentHost *host = m_ws->instrument(QStringLiteral("fake1"));
        QString h5;
        recordAWhile(host, &h5);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(h5.endsWith(QStringLiteral(".h5")));
        const QString parent = path(QStringLiteral("exported"));
        QVERIFY(QDir().mkpath(parent));
        QString shown;
        trigger("actionExportCsv",
                { chooseFile(h5), chooseFile(parent), answerBox(QMessageBox::Ok, QStringLiteral("CSV file"), &shown) });
        const QString outDir = QDir(parent).filePath(QFileInfo(h5).completeBaseName());
        QVERIFY2(shown.contains(QStringLiteral("Wrote 1 CSV file")), qPrintable(shown));
        QVERIFY2(shown.contains(QDir::toNativeSeparators(outDir)), qPrintable(shown));
        QCOMPARE(QDir(outDir).entryList(QDir::Files), QStringList{ QStringLiteral("fake1_sig.csv") });
        const qsizetype rows = checkFakeCsv(QDir(outDir).filePath(QStringLiteral("fake1_sig.csv")), QStringLiteral("fake1"),
                                            2000, 2.5, 0.5);
        QCOMPARE(quint64(rows), host->stats().samples);
    }

    // Issue 10 item 7: exporting the same recording again into the same place asks before
    // replacing anything; Cancel leaves the files alone, Replace writes them anew.
    void exportAsksBeforeReplacing()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        InstrumentHost *host = m_ws->instrument(QStringLiteral("fake1"));
        QString h5;
        recordAWhile(host, &h5);
        if (QTest::currentTestFailed())
            return;
        const QString parent = path(QStringLiteral("exported"));
        QVERIFY(QDir().mkpath(parent));
        trigger("actionExportCsv",
                { chooseFile(h5), chooseFile(parent), answerBox(QMessageBox::Ok, QStringLiteral("CSV file")) });
        const QString csv = QDir(QDir(parent).filePath(QFileInfo(h5).completeBaseName())).filePath(QStringLiteral("fake1_sig.csv"));
        QVERIFY(checkFakeCsv(csv, QStringLiteral("fake1"), 2000, 1.0, 0.5) > 0);
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("edited by hand\n");
        }
        QString asked;
        trigger("actionExportCsv",
                { chooseFile(h5), chooseFile(parent), answerBox(QMessageBox::Cancel, QStringLiteral("already holds"), &asked) });
        QVERIFY2(asked.contains(QStringLiteral("fake1_sig.csv")), qPrintable(asked));
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), QByteArray("edited by hand\n"));
        }
        trigger("actionExportCsv", { chooseFile(h5), chooseFile(parent), answerBox(QMessageBox::Yes, QStringLiteral("already holds")),
                                     answerBox(QMessageBox::Ok, QStringLiteral("CSV file")) });
        QCOMPARE(quint64(checkFakeCsv(csv, QStringLiteral("fake1"), 2000, 1.0, 0.5)), host->stats().samples);
    }

    // Issue 10 item 6: the progress box of Export CSV never shows once the export has ended, and
    // is gone when the result box opens (it used to come up 4 s after the start over "Wrote N
    // files", or stay there, blocking the window). Three exports, as in the report.
    void exportProgressNeverCoversTheResult()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        QString h5;
        recordAWhile(m_ws->instrument(QStringLiteral("fake1")), &h5);
        if (QTest::currentTestFailed())
            return;
        auto progressShown = [this] {
            for (QProgressDialog *p : m_window->findChildren<QProgressDialog *>())
                if (p->isVisible())
                    return true;
            return false;
        };
        for (int i = 0; i < 3; ++i) {
            const QString parent = path(QStringLiteral("export%1").arg(i));
            QVERIFY(QDir().mkpath(parent));
            bool atOnce = true, later = true, answered = false;
            // As in the application, the command runs inside an event loop (QTest's waits are
            // none): objects given to deleteLater() there are not deleted while the result box's
            // own loop runs.
            QEventLoop loop;
            auto result = [&](QWidget *w) {
                auto *box = qobject_cast<QMessageBox *>(w);
                if (!box || !box->text().contains(QStringLiteral("Wrote 1 CSV file")))
                    return false;
                atOnce = progressShown();
                // Longer than the progress box's delays (ours 300 ms, QProgressDialog's own 4 s):
                // it must not come up over the result.
                QTimer::singleShot(4500, box, [&, box] {
                    later = progressShown();
                    box->button(QMessageBox::Ok)->click();
                    answered = true;
                    QTimer::singleShot(0, &loop, &QEventLoop::quit);
                });
                return true;
            };
            ModalAnswerer answerer({ chooseFile(h5), chooseFile(parent), result });
            QTimer::singleShot(0, action("actionExportCsv"), &QAction::trigger);
            QTimer::singleShot(60000, &loop, &QEventLoop::quit); // a safety net, never a pass
            loop.exec();
            QVERIFY2(answered, qPrintable(answerer.unexpected.join(u'\n')));
            QVERIFY2(!atOnce, "the progress box was still open over the result");
            QVERIFY2(!later, "the progress box came up after the export had ended");
            QVERIFY(!progressShown());
        }
    }

    // Issue 12: every instrument is told the folder of the recording in progress (where a Moku's
    // downloaded log goes), and nothing once it stops.
    void recordingTellsInstrumentsItsFolder()
    {
        QString error;
        InstrumentHost *host = m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error);
        QVERIFY2(host, qPrintable(error));
        auto folderSeenByDriver = [host] {
            QString folder;
            QMetaObject::invokeMethod(
                host->instrument(), [i = host->instrument()] { return i->outputFolder(); },
                Qt::BlockingQueuedConnection, &folder);
            return folder;
        };
        QCOMPARE(folderSeenByDriver(), QString());
        QAction *record = action("actionRecord");
        record->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        const QString h5 = m_window->recordController()->currentPath();
        QCOMPARE(folderSeenByDriver(), QFileInfo(h5).absolutePath());
        // An instrument added during the recording is told as well.
        InstrumentHost *late = m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error);
        QVERIFY2(late, qPrintable(error));
        QString lateFolder;
        QMetaObject::invokeMethod(
            late->instrument(), [i = late->instrument()] { return i->outputFolder(); },
            Qt::BlockingQueuedConnection, &lateFolder);
        QCOMPARE(lateFolder, QFileInfo(h5).absolutePath());
        record->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->recordController()->isRecording(), 20000);
        QCOMPARE(folderSeenByDriver(), QString());
    }

    // Issue 10 item 8: where did my recording go — the status bar's "Show Files…" and Record ▸
    // Last Recording open a dialog with the full path, the size on disk (equal to the file's),
    // rows and losses per stream (equal to the recorder's), Copy Path and Open Folder.
    void lastRecordingShowsWhereItWent()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        QVERIFY(!action("actionLastRecording")->isEnabled());
        QString h5;
        recordAWhile(m_ws->instrument(QStringLiteral("fake1")), &h5);
        if (QTest::currentTestFailed())
            return;
        const RecorderStats stats = m_recorder->stats();
        QCOMPARE(stats.streams.size(), 1);
        QVERIFY(stats.streams[0].samples > 0);
        QVERIFY(action("actionLastRecording")->isEnabled());
        auto *button = m_window->statusBar()->findChild<QToolButton *>(QStringLiteral("lastRecordingButton"));
        QVERIFY(button);
        QTRY_VERIFY_WITH_TIMEOUT(button->isVisible(), 20000);

        UrlCatcher catcher;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &catcher, "open");
        const QLocale locale;
        auto check = [&](LastRecordingDialog *d) {
            QCOMPARE(d->findChild<QLabel *>(QStringLiteral("pathLabel"))->text(), QDir::toNativeSeparators(h5));
            auto *size = d->findChild<QLabel *>(QStringLiteral("sizeLabel"));
            QCOMPARE(size->property("bytes").toLongLong(), QFileInfo(h5).size());
            QVERIFY2(size->text().contains(locale.toString(QFileInfo(h5).size()) + QStringLiteral(" bytes")),
                     qPrintable(size->text()));
            auto *table = d->findChild<QTableWidget *>(QStringLiteral("streamTable"));
            QCOMPARE(table->rowCount(), 1);
            QCOMPARE(table->item(0, LastRecordingDialog::Stream)->text(), QStringLiteral("fake1/sig"));
            QCOMPARE(table->item(0, LastRecordingDialog::Rows)->text(), locale.toString(stats.streams[0].samples));
            QCOMPARE(table->item(0, LastRecordingDialog::Dropped)->text(), locale.toString(stats.streams[0].droppedSamples));
            QCOMPARE(table->item(0, LastRecordingDialog::Lost)->text(), locale.toString(stats.streams[0].deviceLostSamples));
            // recordAWhile() stops the run before the recording: a break in the recorded time.
            QVERIFY(stats.streams[0].stops >= 1);
            const QString breaks = table->item(0, LastRecordingDialog::Breaks)->text();
            QVERIFY2(breaks.contains(QStringLiteral("%1 stop").arg(stats.streams[0].stops)) && !breaks.contains(QStringLiteral("outage")),
                     qPrintable(breaks));
            QVERIFY(d->findChild<QLabel *>(QStringLiteral("endLabel"))->text().contains(QStringLiteral("Stopped by you")));
            d->findChild<QPushButton *>(QStringLiteral("copyPathButton"))->click();
            QCOMPARE(QApplication::clipboard()->text(), QDir::toNativeSeparators(h5));
            d->findChild<QPushButton *>(QStringLiteral("openFolderButton"))->click();
            QCOMPARE(catcher.urls.value(catcher.urls.size() - 1), QUrl::fromLocalFile(QFileInfo(h5).absolutePath()));
#ifdef BS_SCREENSHOT_DIR
            d->grab().save(QStringLiteral(BS_SCREENSHOT_DIR "/last-recording.png"));
#endif
        };
        bool seen = false;
        auto step = [&](QWidget *w) {
            auto *d = qobject_cast<LastRecordingDialog *>(w);
            if (!d)
                return false;
            check(d);
            seen = true;
            d->reject();
            return true;
        };
        {
            ModalAnswerer answerer({ step });
            QTest::mouseClick(button, Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(answerer.done() || !answerer.unexpected.isEmpty(), 20000);
            QVERIFY(answerer.unexpected.isEmpty());
        }
        QVERIFY(seen);
        if (QTest::currentTestFailed())
            return;
        seen = false;
        trigger("actionLastRecording", { step });
        QVERIFY(seen);
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
    }

    // Issue 10 item 15: split files and auto-stop from the recording settings: the recording
    // stops by itself, says why, and its numbered parts hold every row once, in order.
    void recordingSplitsAndStopsByItself()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        SessionRecording rec = m_window->recordController()->settings();
        rec.format = QStringLiteral("csv");
        rec.splitGB = 20e3 / 1e9; // a new part every ~20 kB
        rec.stopAfterMinutes = 3.0 / 60; // 3 s
        m_window->recordController()->setSettings(rec);
        action("actionRecord")->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        const QString base = m_window->recordController()->currentPath();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->recordController()->isRecording(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!action("actionRecord")->isChecked(), 20000);
        QVERIFY(m_window->isRunning()); // only the recording stopped
        const LastRecording &last = m_window->recordController()->lastRecording();
        QVERIFY2(last.stats.stopReason.contains(QStringLiteral("auto-stop")), qPrintable(last.stats.stopReason));
        QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("auto-stop")),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QVERIFY2(last.stats.files.size() >= 2, qPrintable(last.stats.files.join(u' ')));
        quint64 recorded = 0;
        for (const StreamRecordStats &s : last.stats.streams)
            recorded += s.samples;
        qsizetype r = 0;
        // File time is 0 at record start; the fake's own time (row / 2000) began a moment before,
        // at its Run: compare against the first row's file time.
        double t0 = NAN;
        for (int i = 0; i < last.stats.files.size(); ++i) {
            QCOMPARE(last.stats.files[i], base + QStringLiteral("_%1").arg(i + 1, 3, 10, QLatin1Char('0')));
            const Csv csv = readCsv(QDir(last.stats.files[i]).filePath(QStringLiteral("fake1_sig.csv")));
            QCOMPARE(csv.columns, QStringLiteral("time_s,Sine [V],Position [µm]"));
            for (const QList<double> &row : csv.rows) {
                if (std::isnan(t0))
                    t0 = row.value(0);
                const double fakeTime = row.value(0) - t0;
                QVERIFY2(std::abs(fakeTime - double(r) / 2000) < 1e-9,
                         qPrintable(QStringLiteral("part %1 row time %2 after the first, expected %3").arg(i + 1).arg(fakeTime).arg(double(r) / 2000)));
                QVERIFY(std::abs(row.value(1) - fakeSine(double(r) / 2000, 1.0, 0.5)) < 1e-9);
                ++r;
            }
        }
        QCOMPARE(quint64(r), recorded);
        QCOMPARE(LastRecordingDialog::sizeOnDisk(last.stats.files), [&] {
            qint64 n = 0;
            for (const QString &part : last.stats.files)
                for (const QFileInfo &f : QDir(part).entryInfoList(QDir::Files))
                    n += f.size();
            return n;
        }());
    }

    // Record ▸ Recording Settings… shows split files and auto-stop in plain words; the values go
    // into the session. Its screenshot goes to the build folder.
    void recordingSettingsSplitAndStop()
    {
        auto fill = [](RecordingSettingsDialog *d) {
            d->findChild<QDoubleSpinBox *>(QStringLiteral("splitMinutesSpin"))->setValue(60);
            d->findChild<QDoubleSpinBox *>(QStringLiteral("splitSizeSpin"))->setValue(2.5);
            d->findChild<QDoubleSpinBox *>(QStringLiteral("stopMinutesSpin"))->setValue(480);
            d->findChild<QDoubleSpinBox *>(QStringLiteral("stopSizeSpin"))->setValue(0);
            const QString preview = d->findChild<QLabel *>(QStringLiteral("preview"))->text();
            QVERIFY2(preview.contains(QStringLiteral("_001.h5")) && preview.contains(QStringLiteral("after 480 minutes")),
                     qPrintable(preview));
            QVERIFY(d->findChild<QLabel *>(QStringLiteral("queueLabel"))->text().contains(QStringLiteral("waiting to be written")));
#ifdef BS_SCREENSHOT_DIR
            d->grab().save(QStringLiteral(BS_SCREENSHOT_DIR "/recording-settings.png"));
#endif
        };
        trigger("actionRecordingSettings", { withDialog<RecordingSettingsDialog>(fill, QDialogButtonBox::Ok) });
        const SessionRecording s = m_window->recordController()->settings();
        QCOMPARE(s.splitMinutes, 60.0);
        QCOMPARE(s.splitGB, 2.5);
        QCOMPARE(s.stopAfterMinutes, 480.0);
        QCOMPARE(s.stopAfterGB, 0.0);
        const QJsonObject json = m_window->currentSession().recording.toJson();
        QCOMPARE(json.value(QStringLiteral("split_minutes")).toDouble(), 60.0);
        QCOMPARE(json.value(QStringLiteral("stop_after_minutes")).toDouble(), 480.0);
    }

    // Issue 13: HDF5 compression is chosen in the dialog (the level only for deflate, nothing for
    // CSV), saved in the session, and the next recording's streams are written with it.
    void recordingSettingsCompression()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        auto fill = [](RecordingSettingsDialog *d) {
            auto *format = d->findChild<QComboBox *>(QStringLiteral("formatCombo"));
            auto *combo = d->findChild<QComboBox *>(QStringLiteral("compressionCombo"));
            auto *level = d->findChild<QSpinBox *>(QStringLiteral("compressionLevelSpin"));
            auto *hint = d->findChild<QLabel *>(QStringLiteral("compressionHint"));
            QVERIFY(combo && level && hint);
            QCOMPARE(combo->currentData().toString(), QStringLiteral("none")); // off by default
            QVERIFY(!level->isEnabled());
            format->setCurrentIndex(format->findData(QStringLiteral("csv")));
            QVERIFY(!combo->isEnabled());
            QVERIFY2(hint->text().contains(QStringLiteral("never compressed")), qPrintable(hint->text()));
            format->setCurrentIndex(format->findData(QStringLiteral("hdf5")));
            combo->setCurrentIndex(combo->findData(QStringLiteral("deflate")));
            QVERIFY(combo->isEnabled() && level->isEnabled());
            level->setValue(6);
        };
        trigger("actionRecordingSettings", { withDialog<RecordingSettingsDialog>(fill, QDialogButtonBox::Ok) });
        const SessionRecording s = m_window->recordController()->settings();
        QCOMPARE(s.compression, QStringLiteral("deflate"));
        QCOMPARE(s.compressionLevel, 6);
        const QJsonObject json = m_window->currentSession().recording.toJson();
        QCOMPARE(json.value(QStringLiteral("compression")).toString(), QStringLiteral("deflate"));
        QCOMPARE(json.value(QStringLiteral("compression_level")).toInt(), 6);

        QString h5;
        recordAWhile(m_ws->instrument(QStringLiteral("fake1")), &h5);
        if (QTest::currentTestFailed())
            return;
        Hdf5RecordingReader reader;
        QVERIFY2(reader.open(h5, &error), qPrintable(error));
        QCOMPARE(reader.streams().size(), 1);
        QCOMPARE(reader.streams().first().compression, QStringLiteral("deflate"));
        const quint64 rows = reader.streams().first().rows;
        QVERIFY(rows >= 400);
        std::vector<double> values(rows);
        QVERIFY2(reader.readValues(0, 0, 0, rows, values.data(), &error), qPrintable(error));
        QCOMPARE(rows, m_ws->instrument(QStringLiteral("fake1"))->stats().samples);
    }

    // Issue 10 item 15: Recording Settings and Export CSV have shortcuts, and no two actions of
    // the window share one.
    void shortcutsAreUnique()
    {
        QCOMPARE(action("actionRecordingSettings")->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+R")));
        QCOMPARE(action("actionExportCsv")->shortcut(), QKeySequence(QStringLiteral("Ctrl+E")));
        QHash<QKeySequence, QString> seen;
        for (QAction *a : m_window->findChildren<QAction *>()) {
            for (const QKeySequence &k : a->shortcuts()) {
                if (k.isEmpty())
                    continue;
                QVERIFY2(!seen.contains(k), qPrintable(QStringLiteral("%1: %2 and %3").arg(k.toString(), seen.value(k), a->objectName() + a->text())));
                seen.insert(k, a->objectName() + a->text());
            }
        }
    }

    // Closing the window while recording asks first: Cancel keeps window and recording; Yes
    // closes the recording (readable, complete) and the window.
    void closeWhileRecording()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        InstrumentHost *host = m_ws->instrument(QStringLiteral("fake1"));
        action("actionRecord")->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        const QString h5 = m_window->recordController()->currentPath();
        QTRY_VERIFY_WITH_TIMEOUT(host->stats().samples >= 200, 20000);

        QString asked;
        {
            ModalAnswerer answerer({ answerBox(QMessageBox::Cancel, QStringLiteral("recording is running"), &asked) });
            QVERIFY(!m_window->close());
            QVERIFY(answerer.done());
            QVERIFY(answerer.unexpected.isEmpty());
        }
        QVERIFY2(asked.contains(QStringLiteral("Stop it and quit?")), qPrintable(asked));
        QVERIFY(m_window->isVisible());
        QVERIFY(m_window->recordController()->isRecording());
        const quint64 atCancel = host->stats().samples;
        QTRY_VERIFY_WITH_TIMEOUT(host->stats().samples > atCancel, 20000); // still acquiring

        {
            ModalAnswerer answerer({ answerBox(QMessageBox::Yes, QStringLiteral("recording is running")),
                                     answerBox(QMessageBox::Discard, QStringLiteral("unsaved changes")) });
            QVERIFY(m_window->close());
            QVERIFY(answerer.done());
            QVERIFY2(answerer.unexpected.isEmpty(), qPrintable(answerer.unexpected.join(u'\n')));
        }
        QVERIFY(!m_window->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->recordController()->isRecording(), 20000);
        QVERIFY(!m_recorder->isRecording());
        // Closed and readable: the export reads it and every row follows the generator.
        m_ws->stopAll();
        QStringList files;
        QVERIFY2(bs::exportCsv(h5, path(QStringLiteral("after-close")), &files, &error), qPrintable(error));
        QCOMPARE(files.size(), 1);
        QVERIFY(checkFakeCsv(files.first(), QStringLiteral("fake1"), 2000, 1.0, 0.5) > 0);
    }
};

QTEST_MAIN(MainWindowCommandsTest)
#include "test_gui_commands.moc"
