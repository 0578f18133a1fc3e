// SPDX-License-Identifier: GPL-3.0-or-later
// A scope channel's own vertical scale (unit/div and offset, or its own autoscale): its own value
// axis in its lane, exact ranges, saved with the view, junk refused, the zoom history and the
// "Channel <name> settings" popup; writes channel-scale.png into the build directory.
#include <ChannelScaleDialog.h>
#include <ChannelStyles.h>
#include <ScopeView.h>

#include <TraceStore.h>

#include <QCheckBox>
#include <QGroupBox>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMenu>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <limits>
#include <numbers>

using namespace bs;
using ChannelScale = ScopeSettings::ChannelScale;

namespace {
const QString kInst = QStringLiteral("scope");
const QString kStream = QStringLiteral("sig");
const QString kSmall = ChannelStyles::keyOf(kInst, kStream, QStringLiteral("Small"));
const QString kBig = ChannelStyles::keyOf(kInst, kStream, QStringLiteral("Big"));
const QString kPosition = ChannelStyles::keyOf(kInst, kStream, QStringLiteral("Position"));

/// Over 2 s, 1 ms apart: "Small", a 3 Hz sine of 10 mV amplitude around 5 mV; "Big", a 2 Hz sine
/// of 1 V; "Position", 50 ± 10 µm.
void feed(TraceStore &store)
{
    StreamInfo s;
    s.id = kStream;
    s.regular = true;
    s.channels = { ChannelInfo { QStringLiteral("Small"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Big"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {}, true, {} } };
    store.setStreams(kInst, { s });
    constexpr std::size_t n = 2000;
    auto b = SampleBlock::make(kInst, kStream, 3, n, false);
    b->dt = 1e-3;
    b->t0 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) * 1e-3;
        b->channel(0)[i] = 0.005 + 0.01 * std::sin(2 * std::numbers::pi * 3 * t);
        b->channel(1)[i] = std::sin(2 * std::numbers::pi * 2 * t);
        b->channel(2)[i] = 50 + 10 * std::cos(2 * std::numbers::pi * 0.5 * t);
    }
    store.consume(b);
}

/// A shown view of the fed store, all of its history on screen.
struct Fixture
{
    TraceStore store;
    ScopeView view { &store };
    Fixture()
    {
        view.resize(1000, 640);
        view.show();
        (void)QTest::qWaitForWindowExposed(&view);
        feed(store);
        view.refresh();
        view.showAll();
        view.refresh();
    }
};

QPoint laneCentre(const ScopeView &view, int lane)
{
    return view.laneRect(lane)->rect().center();
}
} // namespace

class ChannelScaleTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scaleAndOffsetGiveTheirRangeExactly()
    {
        Fixture f;
        QString error;
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.005, 0.002 }, &error));
        QVERIFY(error.isEmpty());
        f.view.refresh();
        QCPAxis *axis = f.view.channelAxis(kSmall);
        QVERIFY(axis);
        QCOMPARE(axis->range().lower, 0.002 - 4 * 0.005);
        QCOMPARE(axis->range().upper, 0.002 + 4 * 0.005);
        // Its own axis, labelled and coloured like its trace; "Big" keeps the shared V axis.
        QCOMPARE(axis->label(), QStringLiteral("Small [V]"));
        QCOMPARE(axis->labelColor(), f.view.channelStyles()->style(kSmall).color.darker(115));
        QVERIFY(f.view.channelAxis(kBig) != axis);
        QCOMPARE(f.view.channelAxis(kBig), f.view.axisForUnitIfShown(QStringLiteral("V")));
        QCOMPARE(f.view.laneOfChannel(kSmall), f.view.laneOfChannel(kBig));
        QCOMPARE(f.view.laneCount(), 2);
        // The lane's grid is the 8 divisions of the scaled channel: its ticks at offset + k · scale.
        QVERIFY(axis->grid()->visible());
        QVERIFY(!f.view.channelAxis(kBig)->grid()->visible());
        const QVector<double> ticks = axis->tickVector();
        QCOMPARE(ticks.size(), 9);
        for (int k = 0; k < 9; ++k)
            QVERIFY(std::abs(ticks[k] - (0.002 + (k - 4) * 0.005)) < 1e-15);
        // The legend says the scale.
        bool found = false;
        for (int i = 0; i < f.view.plot()->graphCount(); ++i)
            found = found || f.view.plot()->graph(i)->name() == QStringLiteral("Small [V]  5 mV/div");
        QVERIFY(found);
        // Live refreshes (autoscale of the other axes) never move it.
        f.view.setFollow(true);
        for (int i = 0; i < 3; ++i) {
            f.view.showAll();
            f.view.refresh();
        }
        QCOMPARE(axis->range().lower, 0.002 - 4 * 0.005);
        QCOMPARE(axis->range().upper, 0.002 + 4 * 0.005);
        // A new scale on the same axis applies at once.
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.02, -0.01 }));
        QCOMPARE(f.view.channelAxis(kSmall)->range().lower, -0.01 - 4 * 0.02);
        QCOMPARE(f.view.channelAxis(kSmall)->range().upper, -0.01 + 4 * 0.02);
        // Cleared: back on the shared axis.
        f.view.clearChannelScale(kSmall);
        f.view.refresh();
        QCOMPARE(f.view.channelAxis(kSmall), f.view.channelAxis(kBig));
        QVERIFY(!f.view.channelScale(kSmall));
    }

    void twoChannelsOfOneUnitGetTwoAxesInOneLane()
    {
        Fixture f;
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.01, 0.0 }));
        QVERIFY(f.view.setChannelScale(kBig, ChannelScale { false, 0.5, 0.0 }));
        f.view.refresh();
        QCPAxis *small = f.view.channelAxis(kSmall);
        QCPAxis *big = f.view.channelAxis(kBig);
        QVERIFY(small && big && small != big);
        QCOMPARE(small->axisRect(), big->axisRect());
        QCOMPARE(f.view.laneOfChannel(kSmall), f.view.laneOfChannel(kBig));
        QCOMPARE(small->range(), QCPRange(-0.04, 0.04));
        QCOMPARE(big->range(), QCPRange(-2.0, 2.0));
        QCOMPARE(small->label(), QStringLiteral("Small [V]"));
        QCOMPARE(big->label(), QStringLiteral("Big [V]"));
        QVERIFY(small->visible() && big->visible());
        QVERIFY(small->axisType() != big->axisType()); // one left, one right
        QVERIFY(small->labelColor() != big->labelColor());
        // Only the first scaled channel's divisions are the lane's grid.
        QVERIFY(small->grid()->visible() != big->grid()->visible());
        // The µm lane is untouched: one shared axis, autoscaled.
        QCOMPARE(f.view.laneCount(), 2);
        QCOMPARE(f.view.channelAxis(kPosition), f.view.axisForUnitIfShown(QStringLiteral("µm")));
    }

    void ownAutoscaleFollowsOnlyItsChannel()
    {
        Fixture f;
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { true, 1.0, 0.0 }));
        f.view.refresh();
        f.view.refresh();
        const QCPRange small = f.view.channelAxis(kSmall)->range();
        // Small spans −5 mV … 15 mV; its axis fits that, not Big's ±1 V.
        QVERIFY2(small.lower <= -0.005 && small.lower > -0.01 && small.upper >= 0.015 && small.upper < 0.02,
            qPrintable(QStringLiteral("%1 … %2").arg(small.lower).arg(small.upper)));
        const QCPRange shared = f.view.channelAxis(kBig)->range();
        QVERIFY(shared.lower <= -1.0 && shared.upper >= 1.0 && shared.upper < 1.2);
        // The view's own Autoscale off (a manual range on the shared axes): the channel still fits.
        f.view.setYRange(-5, 5);
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 1.0, 0.0 })); // far too coarse
        f.view.refresh();
        QCOMPARE(f.view.channelAxis(kSmall)->range(), QCPRange(-4.0, 4.0));
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { true, 1.0, 0.0 }));
        f.view.refresh();
        QVERIFY(f.view.channelAxis(kSmall)->range().size() < 0.03);
        QCOMPARE(f.view.channelAxis(kBig)->range(), QCPRange(-5.0, 5.0));
    }

    void savedAndRestoredWithTheView()
    {
        QJsonObject saved;
        {
            Fixture f;
            QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.002, 0.005 }));
            QVERIFY(f.view.setChannelScale(kPosition, ChannelScale { true, 1.0, 0.0 }));
            f.view.refresh();
            f.view.setAxisOnRight(kSmall, false);
            saved = f.view.saveState();
        }
        // Through the file's text, as a session does.
        saved = QJsonDocument::fromJson(QJsonDocument(saved).toJson()).object();
        const QJsonObject scales = saved.value(QStringLiteral("channel_scales")).toObject();
        QCOMPARE(scales.size(), 2);
        QCOMPARE(scales.value(kSmall).toObject().value(QStringLiteral("per_div")).toDouble(), 0.002);
        QVERIFY(!saved.value(QStringLiteral("y_ranges")).toObject().keys().join(QString()).contains(kSmall));
        QVERIFY(saved.value(QStringLiteral("y_unit")).toString() != QStringLiteral("channel:") + kSmall);

        TraceStore store;
        ScopeView view(&store);
        view.resize(1000, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.restoreState(saved);
        QCOMPARE(view.channelScale(kSmall), std::optional(ChannelScale { false, 0.002, 0.005 }));
        QCOMPARE(view.channelScale(kPosition), std::optional(ChannelScale { true, 1.0, 0.0 }));
        QVERIFY(!view.channelScale(kBig));
        feed(store); // the channels appear after the session was opened
        view.refresh();
        view.showAll();
        view.refresh();
        QCOMPARE(view.channelAxis(kSmall)->range().lower, 0.005 - 4 * 0.002);
        QCOMPARE(view.channelAxis(kSmall)->range().upper, 0.005 + 4 * 0.002);
        QCOMPARE(view.channelAxis(kSmall)->axisType(), QCPAxis::atLeft);
        QVERIFY(view.channelAxis(kBig) != view.channelAxis(kSmall));
        QVERIFY(view.channelAxis(kPosition) != view.axisForUnitIfShown(QStringLiteral("µm"))
            || view.axisForUnitIfShown(QStringLiteral("µm")) == view.channelAxis(kPosition));
        QCOMPARE(view.saveState().value(QStringLiteral("channel_scales")),
            saved.value(QStringLiteral("channel_scales")));
    }

    void junkIsRefusedOrFallsBack()
    {
        Fixture f;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.01, 0.0 }));
        for (const auto &[perDiv, offset] : { std::pair { 0.0, 0.0 }, std::pair { -0.01, 0.0 },
                 std::pair { nan, 0.0 }, std::pair { inf, 0.0 }, std::pair { 1e300, 0.0 },
                 std::pair { 0.01, nan }, std::pair { 0.01, inf }, std::pair { 1e-12, 1e9 } }) {
            QString error;
            QVERIFY(!f.view.setChannelScale(kSmall, ChannelScale { false, perDiv, offset }, &error));
            QVERIFY2(!error.isEmpty(), qPrintable(QStringLiteral("%1 %2").arg(perDiv).arg(offset)));
            QCOMPARE(f.view.channelScale(kSmall), std::optional(ChannelScale { false, 0.01, 0.0 })); // kept
        }
        QString error;
        QVERIFY(!f.view.setChannelScale(QString(), ChannelScale {}, &error));
        QVERIFY(!error.isEmpty());
        f.view.refresh();
        QCOMPARE(f.view.channelAxis(kSmall)->range(), QCPRange(-0.04, 0.04));

        // In a file: unusable scales fall back to the channel's own autoscale, never crash.
        const QJsonObject state = QJsonDocument::fromJson(R"({"type":"scope","channel_scales":{
            "scope/sig/Small":{"auto":false,"per_div":-1,"offset":0},
            "scope/sig/Big":{"auto":false,"per_div":0},
            "scope/sig/Position":{"auto":false,"per_div":"5 mV","offset":"nan"},
            "a/b/c":{"auto":false,"per_div":1e308,"offset":1},
            "d/e/f":{"per_div":0.5,"offset":"1e400"},
            "g/h/i":7, "":{"per_div":1}, "j/k/l":{"auto":"yes","per_div":0.25,"offset":-1}}})")
                                      .object();
        QCOMPARE(state.value(QStringLiteral("channel_scales")).toObject().size(), 8);
        // Values no JSON text can hold, as a program might build them.
        const QJsonObject notNumbers { { QStringLiteral("x/y/nan"),
                                           QJsonObject { { QStringLiteral("per_div"), nan } } },
            { QStringLiteral("x/y/inf"),
                QJsonObject { { QStringLiteral("per_div"), 0.1 }, { QStringLiteral("offset"), inf } } } };
        const ScopeSettings odd
            = ScopeSettings::fromJson(QJsonObject { { QStringLiteral("channel_scales"), notNumbers } });
        QCOMPARE(odd.channelScales.size(), 2);
        for (const ChannelScale &c : odd.channelScales)
            QCOMPARE(c, (ChannelScale { true, 1.0, 0.0 }));
        f.view.restoreState(state);
        for (const QString &key :
            { kSmall, kBig, kPosition, QStringLiteral("a/b/c"), QStringLiteral("d/e/f") })
            QVERIFY2(
                f.view.channelScale(key) == std::optional(ChannelScale { true, 1.0, 0.0 }), qPrintable(key));
        QVERIFY(!f.view.channelScale(QStringLiteral("g/h/i")));
        QVERIFY(!f.view.channelScale(QString()));
        QCOMPARE(
            f.view.channelScale(QStringLiteral("j/k/l")), std::optional(ChannelScale { false, 0.25, -1.0 }));
        f.view.refresh();
        f.view.showAll();
        f.view.refresh();
        QVERIFY(f.view.channelAxis(kSmall) && f.view.channelAxis(kSmall) != f.view.channelAxis(kBig));
        QVERIFY(f.view.channelAxis(kSmall)->range().size() < 0.03); // autoscaled to its own data
    }

    void zoomHistoryAndDoubleClickKeepWorking()
    {
        Fixture f;
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.005, 0.0 }));
        f.view.refresh();
        // A box zoom sets the scale and offset of the channel's own axis to the box.
        QCPAxis *axis = f.view.channelAxis(kSmall);
        const QRect lane = f.view.laneRect(0)->rect();
        const QRect box(lane.left() + 50, int(axis->coordToPixel(0.01)), 200,
            int(axis->coordToPixel(-0.01) - axis->coordToPixel(0.01)));
        f.view.zoomToBox(box);
        auto zoomed = f.view.channelScale(kSmall);
        QVERIFY(zoomed && !zoomed->autoscale);
        QVERIFY2(std::abs(zoomed->perDiv - 0.02 / 8) < 0.0002, qPrintable(QString::number(zoomed->perDiv)));
        QVERIFY(std::abs(zoomed->offset) < 0.0005);
        QCOMPARE(f.view.channelAxis(kSmall)->range().size(), zoomed->perDiv * 8);
        // Backspace's zoom back: the scale before.
        QVERIFY(f.view.zoomBack());
        f.view.refresh();
        QCOMPARE(f.view.channelScale(kSmall), std::optional(ChannelScale { false, 0.005, 0.0 }));
        QCOMPARE(f.view.channelAxis(kSmall)->range(), QCPRange(-0.02, 0.02));
        // Double-click: Autoscale on again, the channel's own too (it keeps its axis); Backspace undoes it.
        QTest::mouseDClick(f.view.plot(), Qt::LeftButton, Qt::NoModifier, laneCentre(f.view, 0));
        QCOMPARE(f.view.channelScale(kSmall)->autoscale, true);
        QVERIFY(f.view.yAuto());
        f.view.refresh();
        QVERIFY(f.view.channelAxis(kSmall) != f.view.channelAxis(kBig));
        QVERIFY(f.view.channelAxis(kSmall)->range().size() < 0.03);
        QTest::keyClick(f.view.plot(), Qt::Key_Backspace);
        f.view.refresh();
        QCOMPARE(f.view.channelScale(kSmall), std::optional(ChannelScale { false, 0.005, 0.0 }));
        QCOMPARE(f.view.channelAxis(kSmall)->range(), QCPRange(-0.02, 0.02));
    }

    void valueCursorsReadInTheChannelsUnit()
    {
        Fixture f;
        QVERIFY(f.view.setChannelScale(kPosition, ChannelScale { false, 2.5, 50.0 }));
        f.view.refresh();
        const int lane = f.view.laneOfChannel(kPosition);
        f.view.setCursorsVisible(true);
        f.view.setValueCursors(lane, 45.0, 55.0);
        const QString text = f.view.cursorReadout();
        QVERIFY2(text.contains(QStringLiteral("ΔY 10.00 µm")), qPrintable(text));
    }

    void settingsPopupFromTheLegend()
    {
        Fixture f;
        // A right-click on the legend entry offers the channel's settings.
        QCPLegend *legend = f.view.plot()->legend;
        QPoint at;
        for (int i = 0; i < legend->itemCount(); ++i)
            if (auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i));
                item && item->plottable()->name().startsWith(QStringLiteral("Small")))
                at = item->outerRect().center();
        QVERIFY(!at.isNull());
        QTest::mousePress(f.view.plot(), Qt::RightButton, Qt::NoModifier, at);
        QTest::mouseRelease(f.view.plot(), Qt::RightButton, Qt::NoModifier, at);
        auto *menu = f.view.findChild<QMenu *>(QStringLiteral("scopeContextMenu"));
        QVERIFY(menu);
        QAction *settings = nullptr;
        for (QAction *a : menu->actions())
            if (a->text() == QStringLiteral("Channel Small settings…"))
                settings = a;
        QVERIFY(settings);
        settings->trigger();
        menu->close();
        auto *dialog = f.view.findChild<ChannelScaleDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Channel Small settings"));
        QVERIFY(!dialog->ownScaleGroup()->isChecked());

        // Own scale: its own axis, autoscaled to begin with.
        dialog->ownScaleGroup()->setChecked(true);
        QVERIFY(f.view.channelScale(kSmall) && f.view.channelScale(kSmall)->autoscale);
        f.view.refresh();
        f.view.refresh();
        const QCPRange fitted = f.view.channelAxis(kSmall)->range();
        // Autoscale off: what is shown becomes the scale.
        dialog->autoscaleBox()->setChecked(false);
        QVERIFY(!f.view.channelScale(kSmall)->autoscale);
        QCOMPARE(f.view.channelScale(kSmall)->perDiv, fitted.size() / 8);
        QVERIFY(dialog->scaleEdit()->isEnabled());
        // Typed with an SI prefix.
        auto type = [](QLineEdit *edit, const QString &text) {
            edit->setFocus();
            edit->selectAll();
            QTest::keyClicks(edit, text);
            QTest::keyClick(edit, Qt::Key_Return);
        };
        type(dialog->scaleEdit(), QStringLiteral("5 mV"));
        QCOMPARE(f.view.channelScale(kSmall)->perDiv, 0.005);
        QVERIFY(dialog->message().isEmpty());
        type(dialog->offsetEdit(), QStringLiteral("20 m"));
        QCOMPARE(f.view.channelScale(kSmall)->offset, 0.02);
        QCOMPARE(f.view.channelAxis(kSmall)->range().lower, 0.02 - 4 * 0.005);
        // Junk is refused with a message; the scale stays.
        for (const QString &junk :
            { QStringLiteral("-5 mV"), QStringLiteral("0"), QStringLiteral("abc"), QStringLiteral("nan") }) {
            type(dialog->scaleEdit(), junk);
            QVERIFY2(!dialog->message().isEmpty(), qPrintable(junk));
            QCOMPARE(f.view.channelScale(kSmall)->perDiv, 0.005);
        }
        QVERIFY(dialog->message().contains(QStringLiteral("nan")));
        // Up steps 1-2-5 (and clears the message).
        QTest::keyClick(dialog->scaleEdit(), Qt::Key_Up);
        QCOMPARE(f.view.channelScale(kSmall)->perDiv, 0.01);
        QVERIFY(dialog->message().isEmpty());
        QCOMPARE(dialog->scaleEdit()->text(), QStringLiteral("10 mV"));
        // Zooming the axis in the plot updates the fields.
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.002, 0.0 }));
        QCOMPARE(dialog->scaleEdit()->text(), QStringLiteral("2 mV"));
        // Visible, through the shared styles.
        dialog->visibleBox()->setChecked(false);
        QVERIFY(!f.view.channelStyles()->style(kSmall).visible);
        // Own scale off: back on the shared axis.
        dialog->ownScaleGroup()->setChecked(false);
        QVERIFY(!f.view.channelScale(kSmall));
        dialog->close();
    }

    void rightClickOnATraceOrItsAxisOffersItsSettings()
    {
        Fixture f;
        QVERIFY(f.view.setChannelScale(kBig, ChannelScale { false, 0.5, 0.0 }));
        f.view.refresh();
        auto menuTexts = [&f](const QPoint &at) {
            QTest::mousePress(f.view.plot(), Qt::RightButton, Qt::NoModifier, at);
            QTest::mouseRelease(f.view.plot(), Qt::RightButton, Qt::NoModifier, at);
            QStringList texts;
            for (auto *menu : f.view.findChildren<QMenu *>(QStringLiteral("scopeContextMenu"))) {
                if (menu->isVisible())
                    for (QAction *a : menu->actions())
                        texts << a->text();
                menu->close();
            }
            QCoreApplication::processEvents();
            return texts;
        };
        // On the crest of Big (1 V at 0.125 s).
        QCPAxis *big = f.view.channelAxis(kBig);
        const QPoint crest(int(f.view.laneRect(0)->axis(QCPAxis::atBottom)->coordToPixel(0.125)),
            int(big->coordToPixel(1.0)));
        QVERIFY(menuTexts(crest).contains(QStringLiteral("Channel Big settings…")));
        // On its own axis: its settings and moving that axis alone.
        const QPoint onAxis = big->axisType() == QCPAxis::atRight
            ? QPoint(f.view.laneRect(0)->right() + 20, f.view.laneRect(0)->center().y())
            : QPoint(f.view.laneRect(0)->left() - 20, f.view.laneRect(0)->center().y());
        const QStringList texts = menuTexts(onAxis);
        QVERIFY2(texts.contains(QStringLiteral("Channel Big settings…")),
            qPrintable(texts.join(QLatin1Char('|'))));
        QVERIFY2(texts.filter(QStringLiteral("Big [V] axis")).size() == 1,
            qPrintable(texts.join(QLatin1Char('|'))));
        // Far from every trace: no channel's settings.
        const QPoint empty(f.view.laneRect(0)->left() + 5, f.view.laneRect(0)->top() + 3);
        QVERIFY(menuTexts(empty).filter(QStringLiteral("settings…")).isEmpty());
    }

    void screenshot()
    {
        Fixture f;
        QVERIFY(f.view.setChannelScale(kSmall, ChannelScale { false, 0.005, 0.005 }));
        QVERIFY(f.view.setChannelScale(kBig, ChannelScale { false, 0.5, 0.0 }));
        f.view.refresh();
        f.view.refresh();
        auto *dialog = f.view.openChannelSettings(kSmall);
        QCoreApplication::processEvents();
        const QString dir = QStringLiteral(BS_SCREENSHOT_DIR);
        QVERIFY(f.view.grab().save(dir + QStringLiteral("/channel-scale.png")));
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/channel-scale-dialog.png")));
    }
};

QTEST_MAIN(ChannelScaleTest)
#include "test_gui_channel_scale.moc"
