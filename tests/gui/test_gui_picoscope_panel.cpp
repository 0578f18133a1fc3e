// SPDX-License-Identifier: GPL-3.0-or-later
// The PicoScope's generated panel against the simulated libps5000a: the power-source buttons are
// enabled only while the unit waits for the user's choice, choosing USB power takes channels C
// and D away, and settings of other capture modes are greyed out. Saves the panel as a PNG to the
// build directory (picoscope-panel.png) to look at.
#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <ParameterEditor.h>

#include <InstrumentHost.h>
#include <PicoDriver.h>

#include <picosim/picosim.h>

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QLibrary>
#include <QPushButton>
#include <QTest>

#include <memory>

using namespace bs;

namespace {

bool simulate(const char *settings)
{
    QLibrary lib(QStringLiteral(BS_PS5000A_SIM));
    auto configure = reinterpret_cast<picosimConfigure_t>(lib.resolve("picosimConfigure"));
    return configure && configure(settings) == 0;
}

} // namespace

class PicoscopePanelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void powerChoiceAndModeSettings()
    {
        QVERIFY(simulate("reset;power=usb"));
        auto driver = std::make_unique<picoscope::PicoDriver>();
        driver->setId(QStringLiteral("pico1"));
        InstrumentHost host(std::move(driver));
        host.setParameter(QStringLiteral("library"), QStringLiteral(BS_PS5000A_SIM));
        ChannelStyles styles;
        InstrumentPanel panel(&host, &styles);
        panel.resize(420, 1400);
        panel.show();

        auto *usb = panel.findChild<QPushButton *>(QStringLiteral("action_accept_usb_power"));
        auto *dc = panel.findChild<QPushButton *>(QStringLiteral("action_use_dc_power"));
        QVERIFY(usb && dc);
        QVERIFY(!usb->isEnabled() && !dc->isEnabled()); // nothing to choose before connecting

        panel.findChild<QPushButton *>(QStringLiteral("connectButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(host.state(), Instrument::State::Connected, 5000);
        QTRY_VERIFY(usb->isEnabled() && dc->isEnabled());
        QTRY_VERIFY(panel.errorText().contains(QStringLiteral("USB power only")));
        const QDir out(QStringLiteral(BS_SCREENSHOT_DIR));
        QVERIFY(panel.grab().save(out.filePath(QStringLiteral("picoscope-panel.png"))));

        usb->click();
        QTRY_VERIFY(!usb->isEnabled() && !dc->isEnabled());
        auto *power = qobject_cast<QLabel *>(panel.editor(QStringLiteral("power_source"))->widget());
        QTRY_VERIFY(power->text().contains(QStringLiteral("C and D off")));

        // Settings of the other capture modes are greyed out, and follow the mode.
        QWidget *captures = panel.editor(QStringLiteral("captures"))->widget();
        QWidget *overview = panel.editor(QStringLiteral("overview_buffer"))->widget();
        QVERIFY(!captures->isEnabled() && !overview->isEnabled()); // block mode
        auto *mode = qobject_cast<QComboBox *>(panel.editor(QStringLiteral("mode"))->widget());
        mode->setCurrentIndex(mode->findText(QStringLiteral("rapid block")));
        Q_EMIT mode->activated(mode->currentIndex());
        QTRY_VERIFY(captures->isEnabled());
        QVERIFY(!overview->isEnabled());

        host.close();
        QTRY_COMPARE(host.state(), Instrument::State::Disconnected);
        QVERIFY(simulate("reset"));
    }

    // Issue 10 (10): a 1 ns sample interval with two channels is refused where it is typed (it used
    // to be accepted and to fail only at Run, leaving 'Actual interval' from the run before); the
    // field says why and shows the interval the instrument keeps; the next good value clears it.
    void sampleIntervalCheckedWhereTyped()
    {
        QVERIFY(simulate("reset"));
        auto driver = std::make_unique<picoscope::PicoDriver>();
        driver->setId(QStringLiteral("pico1"));
        InstrumentHost host(std::move(driver));
        host.setParameter(QStringLiteral("library"), QStringLiteral(BS_PS5000A_SIM));
        ChannelStyles styles;
        InstrumentPanel panel(&host, &styles);
        panel.resize(420, 1400);
        panel.show();
        panel.findChild<QPushButton *>(QStringLiteral("connectButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(host.state(), Instrument::State::Connected, 5000);

        ParameterEditor *interval = panel.editor(QStringLiteral("sample_interval"));
        auto *field = qobject_cast<QLineEdit *>(interval->widget());
        QVERIFY(field);
        field->setFocus();
        field->selectAll();
        QTest::keyClicks(field, QStringLiteral("1 ns"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_VERIFY2(interval->problem().contains(QStringLiteral("1 ns is faster than the 2 ns")),
                     qPrintable(interval->problem()));
        QVERIFY2(interval->problem().contains(QStringLiteral("2 channel(s)")), qPrintable(interval->problem()));
        QTRY_COMPARE(field->text(), QStringLiteral("1 µs")); // what the instrument keeps
        QCOMPARE(host.parameters().doubleValue(QStringLiteral("sample_interval")), 1e-6);
        QVERIFY(interval->messageLabel()->isVisible());

        field->setFocus();
        field->selectAll();
        QTest::keyClicks(field, QStringLiteral("2 ns"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_COMPARE(host.parameters().doubleValue(QStringLiteral("sample_interval")), 2e-9);
        QVERIFY(interval->problem().isEmpty());
        QVERIFY2(panel.errorText().isEmpty(), qPrintable(panel.errorText())); // no longer applies

        host.close();
        QTRY_COMPARE(host.state(), Instrument::State::Disconnected);
        QVERIFY(simulate("reset"));
    }
};

QTEST_MAIN(PicoscopePanelTest)
#include "test_gui_picoscope_panel.moc"
