// SPDX-License-Identifier: GPL-3.0-or-later
// The table editor of table parameters (ParameterSpec::isTable(), e.g. the M81's stream elements)
// in an instrument panel: rows shown as combo boxes, Add / Remove within the row limits, a value
// the instrument refuses, a read-back never overwriting a cell being typed, disabled while
// running, the panel's width, and the value through a session file.
#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <ParameterEditor.h>
#include <TableParameterWidget.h>

#include <DriverRegistry.h>
#include <InstrumentHost.h>
#include <Recorder.h>
#include <Session.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace bs;

namespace {

/// A lock-in-like instrument with a table of (signal, module) pairs, 1 to 4 rows, and a table of
/// free-text names. It refuses THETA from module M3 (as a device refuses a pair it cannot stream).
class FakeTableInstrument : public Instrument
{
public:
    static constexpr const char *kType = "faketable";
    static void registerType()
    {
        DriverInfo info;
        info.type = QString::fromLatin1(kType);
        info.displayName = QStringLiteral("Fake table instrument (tests)");
        info.defaultAddress = QStringLiteral("sim://table");
        info.create = [] { return std::make_unique<FakeTableInstrument>(); };
        DriverRegistry::instance().add(info);
    }

    FakeTableInstrument()
    {
        ParameterSpec pairs;
        pairs.key = QStringLiteral("pairs");
        pairs.label = QStringLiteral("Stream elements");
        pairs.type = ParameterSpec::Type::String;
        pairs.group = QStringLiteral("Stream");
        pairs.tableColumns = { QStringLiteral("Signal"), QStringLiteral("Module") };
        pairs.tableChoices = { { QStringLiteral("X"), QStringLiteral("Y"), QStringLiteral("R"),
                                   QStringLiteral("THETA") },
            { QStringLiteral("M1"), QStringLiteral("M2"), QStringLiteral("M3") } };
        pairs.tableMinRows = 1;
        pairs.tableMaxRows = 4;
        pairs.defaultValue = QStringLiteral("X,M1,Y,M1");
        m_params.add(pairs);

        ParameterSpec names;
        names.key = QStringLiteral("names");
        names.label = QStringLiteral("Names");
        names.type = ParameterSpec::Type::String;
        names.group = QStringLiteral("Stream");
        names.tableColumns = { QStringLiteral("Name") };
        names.defaultValue = QStringLiteral("alpha,beta");
        m_params.add(names);
    }
    QString type() const override { return QString::fromLatin1(kType); }

    void open() override
    {
        setState(State::Connecting);
        setState(State::Connected);
    }
    void close() override { setState(State::Disconnected); }
    void start() override { setState(State::Running); }
    void stop() override
    {
        if (state() == State::Running)
            setState(State::Connected);
    }

protected:
    QString applyParameter(const QString &key, const QVariant &value) override
    {
        if (key == QLatin1String("pairs") && value.toString().contains(QLatin1String("THETA,M3")))
            return QStringLiteral("Stream elements: module M3 has no THETA");
        return {};
    }
};

/// Picks `text` in a combo box as a user does from its list: one activated().
bool choose(QComboBox *cb, const QString &text)
{
    const int target = cb ? cb->findText(text) : -1;
    if (target < 0)
        return false;
    cb->setCurrentIndex(target);
    Q_EMIT cb->activated(target);
    return true;
}

} // namespace

class TableEditorTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<InstrumentHost> m_host;
    std::unique_ptr<ChannelStyles> m_styles;
    std::unique_ptr<InstrumentPanel> m_panel;
    QTemporaryDir m_dir;

    TableParameterWidget *table(const QString &key = QStringLiteral("pairs"))
    {
        ParameterEditor *e = m_panel->editor(key);
        return e ? qobject_cast<TableParameterWidget *>(e->widget()) : nullptr;
    }
    QString value(const QString &key = QStringLiteral("pairs"))
    {
        return m_host->parameters().stringValue(key);
    }
    static QString shown(TableParameterWidget *t)
    {
        QStringList items;
        for (int r = 0; r < t->table()->rowCount(); ++r) {
            for (int c = 0; c < t->table()->columnCount(); ++c) {
                QWidget *w = t->cell(r, c);
                if (auto *cb = qobject_cast<QComboBox *>(w))
                    items << cb->currentText();
                else if (auto *le = qobject_cast<QLineEdit *>(w))
                    items << le->text();
            }
        }
        return items.join(QLatin1Char(','));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_table"));
        FakeTableInstrument::registerType();
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        auto driver = DriverRegistry::instance().create(
            QString::fromLatin1(FakeTableInstrument::kType), QStringLiteral("lockin"));
        QVERIFY(driver);
        m_host = std::make_unique<InstrumentHost>(std::move(driver));
        m_styles = std::make_unique<ChannelStyles>();
        m_panel = std::make_unique<InstrumentPanel>(m_host.get(), m_styles.get());
        m_panel->resize(340, 700);
        m_panel->show();
        QApplication::setActiveWindow(m_panel.get());
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    }

    void cleanup()
    {
        m_panel.reset();
        m_host.reset();
        m_styles.reset();
    }

    void showsRowsAsComboBoxes()
    {
        QCOMPARE(m_panel->editor(QStringLiteral("pairs"))->kind(), ParameterEditor::Kind::Table);
        TableParameterWidget *t = table();
        QVERIFY(t);
        QCOMPARE(t->table()->columnCount(), 2);
        QCOMPARE(t->table()->horizontalHeaderItem(0)->text(), QStringLiteral("Signal"));
        QCOMPARE(t->table()->horizontalHeaderItem(1)->text(), QStringLiteral("Module"));
        QCOMPARE(t->table()->rowCount(), 2);
        auto *signal = qobject_cast<QComboBox *>(t->cell(1, 0));
        QVERIFY(signal);
        QCOMPARE(signal->count(), 4);
        QCOMPARE(signal->currentText(), QStringLiteral("Y"));
        QCOMPARE(shown(t), QStringLiteral("X,M1,Y,M1"));
        QCOMPARE(t->findChild<QLabel *>(QStringLiteral("rowCount"))->text(), QStringLiteral("2 of 4"));
        // A free-text column: line edits.
        QVERIFY(qobject_cast<QLineEdit *>(table(QStringLiteral("names"))->cell(0, 0)));
        QCOMPARE(shown(table(QStringLiteral("names"))), QStringLiteral("alpha,beta"));
        // The label sits above the table, which spans the group's width.
        QVERIFY(m_panel->findChild<QLabel *>(QStringLiteral("paramLabel_pairs")));
    }

    void fitsThePanelWidth()
    {
        TableParameterWidget *t = table();
        auto *scroll = qobject_cast<QScrollArea *>(m_panel->widget());
        QVERIFY(scroll);
        QTRY_VERIFY(t->width() > 0);
        // No horizontal scrolling needed and every cell as wide as its combo box wants.
        QVERIFY2(!scroll->horizontalScrollBar()->isVisible(), "the panel scrolls sideways");
        QVERIFY(m_panel->width() <= 520);
        const QPoint right = t->mapTo(scroll->viewport(), QPoint(t->width(), 0));
        QVERIFY(right.x() <= scroll->viewport()->width());
        for (int c = 0; c < 2; ++c) {
            auto *cb = qobject_cast<QComboBox *>(t->cell(0, c));
            QVERIFY(cb->width() >= cb->minimumSizeHint().width());
        }
        // The table is as tall as its rows: no vertical scroll bar of its own.
        QVERIFY(!t->table()->verticalScrollBar()->isVisible());
        const QRect lastRow = t->table()->visualRect(t->table()->model()->index(1, 0));
        QVERIFY(lastRow.bottom() <= t->table()->viewport()->height());
    }

    void addAndRemoveRows()
    {
        TableParameterWidget *t = table();
        QTest::mouseClick(t->addButton(), Qt::LeftButton);
        // A row not in the table yet: the last one with its signal advanced.
        QTRY_COMPARE(value(), QStringLiteral("X,M1,Y,M1,R,M1"));
        QCOMPARE(shown(t), value());
        // Remove takes the selected row (the one whose cell has the focus) ...
        QTRY_VERIFY(t->cell(0, 1)->isVisible()); // the view places new cells when it lays out
        t->cell(0, 1)->setFocus();
        QTRY_VERIFY(t->cell(0, 1)->hasFocus());
        QTest::mouseClick(t->removeButton(), Qt::LeftButton);
        QTRY_COMPARE(value(), QStringLiteral("Y,M1,R,M1"));
        QCOMPARE(shown(t), value());
        // ... and, with no selection, the last row; never below the minimum of one row.
        t->table()->clearSelection();
        QTest::mouseClick(t->removeButton(), Qt::LeftButton);
        QTRY_COMPARE(value(), QStringLiteral("Y,M1"));
        QVERIFY(!t->removeButton()->isEnabled());
        QVERIFY2(t->removeButton()->toolTip().contains(QLatin1String("At least 1 row is needed")),
            qPrintable(t->removeButton()->toolTip()));
        QTest::mouseClick(t->removeButton(), Qt::LeftButton);
        QCOMPARE(t->table()->rowCount(), 1);
        QCOMPARE(value(), QStringLiteral("Y,M1"));
    }

    void addStopsAtMaxRows()
    {
        TableParameterWidget *t = table();
        QTest::mouseClick(t->addButton(), Qt::LeftButton);
        QTRY_COMPARE(value(), QStringLiteral("X,M1,Y,M1,R,M1"));
        QTest::mouseClick(t->addButton(), Qt::LeftButton);
        QTRY_COMPARE(value(), QStringLiteral("X,M1,Y,M1,R,M1,THETA,M1"));
        QVERIFY(!t->addButton()->isEnabled());
        QVERIFY2(t->addButton()->toolTip().contains(QLatin1String("At most 4 rows")),
            qPrintable(t->addButton()->toolTip()));
        QCOMPARE(t->findChild<QLabel *>(QStringLiteral("rowCount"))->text(), QStringLiteral("4 of 4"));
        QTest::mouseClick(t->addButton(), Qt::LeftButton);
        QCOMPARE(t->table()->rowCount(), 4);
        QCOMPARE(value(), QStringLiteral("X,M1,Y,M1,R,M1,THETA,M1"));
        // One removed: Add is back.
        QTest::mouseClick(t->removeButton(), Qt::LeftButton);
        QTRY_VERIFY(t->addButton()->isEnabled());
    }

    void cellEditReachesTheInstrument()
    {
        TableParameterWidget *t = table();
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(1, 1)), QStringLiteral("M3")));
        QTRY_COMPARE(value(), QStringLiteral("X,M1,Y,M3"));
        QCOMPARE(shown(t), value());
    }

    void refusedValueSnapsBack()
    {
        TableParameterWidget *t = table();
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(1, 1)), QStringLiteral("M3")));
        QTRY_COMPARE(value(), QStringLiteral("X,M1,Y,M3"));
        // THETA from M3 is refused by the instrument: said under the table, which shows what the
        // instrument keeps.
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(1, 0)), QStringLiteral("THETA")));
        ParameterEditor *e = m_panel->editor(QStringLiteral("pairs"));
        QTRY_VERIFY(e->problem().contains(QLatin1String("module M3 has no THETA")));
        QVERIFY(e->messageLabel()->isVisible());
        QTRY_COMPARE(shown(t), QStringLiteral("X,M1,Y,M3"));
        QCOMPARE(value(), QStringLiteral("X,M1,Y,M3"));
        // The next accepted edit clears the message.
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(1, 0)), QStringLiteral("R")));
        QTRY_COMPARE(value(), QStringLiteral("X,M1,R,M3"));
        QVERIFY(e->problem().isEmpty());
    }

    void readBackWaitsForTheCellBeingTyped()
    {
        TableParameterWidget *t = table(QStringLiteral("names"));
        auto *cell = qobject_cast<QLineEdit *>(t->cell(1, 0));
        cell->setFocus();
        QTRY_VERIFY(cell->hasFocus());
        cell->selectAll();
        QTest::keyClicks(cell, QStringLiteral("gamma"));
        QVERIFY(t->isEditing());
        // Meanwhile the instrument's value changes (another client, a session loaded by the CLI).
        m_host->setParameter(QStringLiteral("names"), QStringLiteral("one,two,three"));
        QTRY_COMPARE(value(QStringLiteral("names")), QStringLiteral("one,two,three"));
        QTest::qWait(50);
        QCOMPARE(cell->text(), QStringLiteral("gamma")); // not overwritten while typed
        QCOMPARE(t->table()->rowCount(), 2);
        // Return sends the typed cell with the rows it was typed into.
        QTest::keyClick(cell, Qt::Key_Return);
        QTRY_COMPARE(value(QStringLiteral("names")), QStringLiteral("alpha,gamma"));
        QTRY_COMPARE(shown(t), QStringLiteral("alpha,gamma"));
    }

    void commaInTextIsRefusedWithAMessage()
    {
        TableParameterWidget *t = table(QStringLiteral("names"));
        auto *cell = qobject_cast<QLineEdit *>(t->cell(0, 0));
        cell->setFocus();
        QTRY_VERIFY(cell->hasFocus());
        cell->selectAll();
        QTest::keyClicks(cell, QStringLiteral("a,b"));
        QTest::keyClick(cell, Qt::Key_Return);
        ParameterEditor *e = m_panel->editor(QStringLiteral("names"));
        QTRY_VERIFY(!e->problem().isEmpty());
        QVERIFY2(e->problem().contains(QLatin1String("the instrument keeps alpha,beta")), qPrintable(e->problem()));
        QTRY_COMPARE(shown(t), QStringLiteral("alpha,beta"));
        QCOMPARE(value(QStringLiteral("names")), QStringLiteral("alpha,beta"));
    }

    void disabledWhileRunning()
    {
        TableParameterWidget *t = table();
        QVERIFY(t->isEnabled());
        m_host->open();
        m_host->start();
        QTRY_COMPARE(m_host->state(), Instrument::State::Running);
        QTRY_VERIFY(!t->isEnabled());
        QVERIFY(!t->addButton()->isEnabled());
        QVERIFY(!t->cell(0, 0)->isEnabled());
        QVERIFY(t->toolTip().contains(QLatin1String("Stop the acquisition")));
        m_host->stop();
        QTRY_COMPARE(m_host->state(), Instrument::State::Connected);
        QTRY_VERIFY(t->isEnabled());
        QVERIFY(t->addButton()->isEnabled());
    }

    void screenshot()
    {
        TableParameterWidget *t = table();
        QTest::mouseClick(t->addButton(), Qt::LeftButton);
        QTRY_COMPARE(value(), QStringLiteral("X,M1,Y,M1,R,M1"));
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(1, 0)), QStringLiteral("THETA")));
        QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(1, 1)), QStringLiteral("M3")));
        QTRY_VERIFY(!m_panel->editor(QStringLiteral("pairs"))->problem().isEmpty());
        const QString path = QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("table-editor.png"));
        QVERIFY(m_panel->grab().save(path));
    }

    void sessionKeepsTheTable()
    {
        cleanup();
        TraceStore store;
        Recorder recorder;
        Workspace ws;
        ws.addSink(&store);
        ws.addSink(&recorder);
        {
            MainWindow window(&ws, &store, &recorder);
            window.resize(1200, 800);
            window.show();
            QString error;
            SessionInstrument entry { QStringLiteral("lockin"), QString::fromLatin1(FakeTableInstrument::kType),
                QStringLiteral("Lock-in"), QStringLiteral("sim://table"), {} };
            QVERIFY2(ws.addInstrument(entry, &error), qPrintable(error));
            InstrumentPanel *panel = window.panel(QStringLiteral("lockin"));
            QVERIFY(panel);
            auto *t = qobject_cast<TableParameterWidget *>(panel->editor(QStringLiteral("pairs"))->widget());
            QTest::mouseClick(t->addButton(), Qt::LeftButton);
            InstrumentHost *host = ws.instrument(QStringLiteral("lockin"));
            QTRY_COMPARE(host->parameters().stringValue(QStringLiteral("pairs")), QStringLiteral("X,M1,Y,M1,R,M1"));
            QVERIFY(choose(qobject_cast<QComboBox *>(t->cell(2, 1)), QStringLiteral("M2")));
            QTRY_COMPARE(host->parameters().stringValue(QStringLiteral("pairs")), QStringLiteral("X,M1,Y,M1,R,M2"));

            const QString path = m_dir.filePath(QStringLiteral("table") + Session::kSuffix);
            QVERIFY2(window.saveSessionFile(path, &error), qPrintable(error));
            window.newSession();
            QVERIFY(ws.instruments().isEmpty());
            QVERIFY2(window.openSessionFile(path, &error), qPrintable(error));
            host = ws.instrument(QStringLiteral("lockin"));
            QVERIFY(host);
            QCOMPARE(host->parameters().stringValue(QStringLiteral("pairs")), QStringLiteral("X,M1,Y,M1,R,M2"));
            panel = window.panel(QStringLiteral("lockin"));
            QVERIFY(panel);
            t = qobject_cast<TableParameterWidget *>(panel->editor(QStringLiteral("pairs"))->widget());
            QCOMPARE(shown(t), QStringLiteral("X,M1,Y,M1,R,M2"));
        }
        recorder.stop();
    }
};

QTEST_MAIN(TableEditorTest)
#include "test_gui_table.moc"
