// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScopeView.h"

#include "ChannelStyles.h"
#include "Icons.h"
#include "PlotOverlay.h"
#include "ScopePlot.h"
#include "TimeSpanBox.h"
#include "TriggerBar.h"

#include <TraceStore.h>

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QRubberBand>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace bs {

namespace {
constexpr int kRefreshIntervalMs = 17; // ≤ 60 Hz (16 ms would be 62.5 Hz)
constexpr int kMinBoxPixels = 5; // a smaller right-drag is a click (context menu)
constexpr int kMaxZoomHistory = 50;

QDoubleSpinBox *makeRangeBox(QWidget *parent, const QString &name, const QString &tip)
{
    auto *b = new QDoubleSpinBox(parent);
    b->setObjectName(name);
    b->setRange(-1e15, 1e15);
    b->setDecimals(4);
    b->setKeyboardTracking(false); // applied on Enter or when the field loses the focus
    b->setMinimumWidth(90);
    b->setToolTip(tip);
    return b;
}

/// The user is typing into `box`: it has the focus and its text was edited since it was last set.
bool beingEdited(const QAbstractSpinBox *box)
{
    const auto *edit = box->findChild<QLineEdit *>();
    return box->hasFocus() && edit && edit->isModified();
}

void setSuffixIfChanged(QDoubleSpinBox *box, const QString &suffix)
{
    if (box->suffix() != suffix)
        box->setSuffix(suffix);
}
} // namespace

ScopeView::ScopeView(TraceSource *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_liveStore(store->live() ? dynamic_cast<TraceStore *>(store) : nullptr)
    , m_styles(new ChannelStyles(this))
{
    setObjectName(QStringLiteral("scopeView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    buildControls();
    layout->addWidget(m_controls);
    buildTrigger();
    layout->addWidget(m_triggerBar);
    setupPlot();
    layout->addWidget(m_plot, 1);

    connect(m_styles, &ChannelStyles::styleChanged, this, [this] { m_graphsDirty = true; });
    connect(m_styles, &ChannelStyles::stylesReset, this, [this] { m_graphsDirty = true; });

    if (!m_liveStore)
        dropLiveControls();
    setFocusProxy(m_plot);
    m_timer = new QTimer(this);
    m_timer->setInterval(kRefreshIntervalMs);
    // A view nobody can see pulls nothing: hidden (the central view behind the first screen), or
    // a dock tabbed behind another (QMainWindow keeps it "visible", moved outside the window). It
    // catches up on the first tick after it is shown (the revision has moved on).
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible() && !m_plot->visibleRegion().isEmpty())
            refreshNow(true);
    });
    m_timer->start();
    syncControls();
}

ScopeView::~ScopeView()
{
    if (m_triggerThread) {
        QMetaObject::invokeMethod(m_monitor, [m = m_monitor] { m->stop(); }, Qt::BlockingQueuedConnection);
        m_triggerThread->quit();
        m_triggerThread->wait();
        delete m_monitor; // its thread has finished
    }
}

void ScopeView::dropLiveControls()
{
    // A recording does not grow: nothing to follow, freeze or trigger on.
    m_follow = false;
    for (QAction *a : { m_followAction, m_freezeAction }) {
        a->setChecked(false);
        a->setEnabled(false);
        m_controls->removeAction(a);
    }
    for (QAction *a : m_controls->actions()) {
        if (m_controls->widgetForAction(a) == m_modeBox)
            a->setVisible(false);
    }
    m_modeBox->setEnabled(false);
    m_showAllAction->setToolTip(tr("Show the whole recording (Home)"));
}

void ScopeView::buildControls()
{
    m_controls = new QToolBar(tr("Scope"), this);
    m_controls->setObjectName(QStringLiteral("scopeControls"));
    m_controls->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_controls->setIconSize(QSize(18, 18));

    m_followAction = new QAction(Icons::get(QStringLiteral("follow")), tr("&Follow"), this);
    m_followAction->setObjectName(QStringLiteral("actionFollow"));
    m_followAction->setCheckable(true);
    m_followAction->setShortcut(Qt::Key_F);
    m_followAction->setToolTip(
        tr("Follow the newest data (F). Zooming or panning the time axis turns this off."));
    connect(m_followAction, &QAction::toggled, this, &ScopeView::setFollow);

    m_showAllAction = new QAction(Icons::get(QStringLiteral("zoom-all")), tr("Show &All"), this);
    m_showAllAction->setObjectName(QStringLiteral("actionShowAll"));
    m_showAllAction->setShortcut(Qt::Key_Home);
    m_showAllAction->setToolTip(tr("Show the whole history held in memory (Home)"));
    connect(m_showAllAction, &QAction::triggered, this, &ScopeView::showAll);

    m_autoYAction = new QAction(Icons::get(QStringLiteral("autoscale")), tr("Auto&scale Y"), this);
    m_autoYAction->setObjectName(QStringLiteral("actionAutoscale"));
    m_autoYAction->setCheckable(true);
    m_autoYAction->setShortcut(Qt::Key_A);
    m_autoYAction->setToolTip(
        tr("Fit the value axes to the visible data (A). Zooming a value axis turns this off."));
    connect(m_autoYAction, &QAction::toggled, this, &ScopeView::setYAuto);

    m_freezeAction = new QAction(Icons::get(QStringLiteral("freeze")), tr("Free&ze"), this);
    m_freezeAction->setObjectName(QStringLiteral("actionFreeze"));
    m_freezeAction->setCheckable(true);
    m_freezeAction->setShortcut(Qt::Key_Z);
    m_freezeAction->setToolTip(tr("Freeze the picture (Z): acquisition and recording go on; zoom and pan "
                                  "still work on what is frozen"));
    connect(m_freezeAction, &QAction::toggled, this, &ScopeView::setFrozen);

    m_cursorsAction = new QAction(tr("&Cursors"), this);
    m_cursorsAction->setObjectName(QStringLiteral("actionCursors"));
    m_cursorsAction->setCheckable(true);
    m_cursorsAction->setShortcut(Qt::Key_C);
    m_cursorsAction->setToolTip(tr("Two time and two value cursors with Δt, 1/Δt and ΔY (C); drag a cursor "
                                   "line to move it; the value cursors sit in the lane you double-click with Shift"));
    connect(m_cursorsAction, &QAction::toggled, this, &ScopeView::setCursorsVisible);

    m_modeBox = new QComboBox(m_controls);
    m_modeBox->setObjectName(QStringLiteral("modeBox"));
    m_modeBox->addItem(tr("Roll"));
    m_modeBox->addItem(tr("Triggered"));
    m_modeBox->setToolTip(tr("Roll: a strip chart of the newest data · Triggered: a scope picture that "
                             "starts at an edge of the trigger channel (settings in the bar below)"));
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this](int index) { setTriggered(index == 1); });
    m_controls->addWidget(m_modeBox);
    m_controls->addAction(m_followAction);
    m_controls->addAction(m_freezeAction);
    m_controls->addAction(m_showAllAction);
    m_controls->addSeparator();
    m_zoomBackAction = new QAction(tr("Zoom &Back"), this);
    m_zoomBackAction->setObjectName(QStringLiteral("actionZoomBack"));
    m_zoomBackAction->setShortcut(Qt::Key_Backspace);
    m_zoomBackAction->setShortcutContext(Qt::WidgetShortcut); // only on the plot: fields keep Backspace
    m_zoomBackAction->setToolTip(tr("Back to the view before the last box zoom, Show All or double-click "
                                    "(Backspace or Esc on the plot)"));
    m_zoomBackAction->setEnabled(false);
    connect(m_zoomBackAction, &QAction::triggered, this, &ScopeView::zoomBack);

    m_controls->addWidget(new QLabel(tr(" Time span "), m_controls));
    m_spanBox = new TimeSpanBox(m_controls);
    m_spanBox->setObjectName(QStringLiteral("spanBox"));
    m_spanBox->setRange(ScopeSettings::kMinSpan, ScopeSettings::kMaxSpan);
    m_spanBox->setMinimumWidth(90);
    m_spanBox->setToolTip(tr("Width of the time window shown (type e.g. 500 ms, 2 s, 20 µs; arrows step "
                             "1-2-5). Zooming changes it; Follow keeps it."));
    m_controls->addWidget(m_spanBox);
    connect(m_spanBox, &QDoubleSpinBox::valueChanged, this, &ScopeView::setSpan);
    m_controls->addSeparator();
    m_controls->addAction(m_autoYAction);
    m_controls->addWidget(new QLabel(tr(" Y min "), m_controls));
    m_yMinBox = makeRangeBox(m_controls, QStringLiteral("yMinBox"),
        tr("Lower end of the first value axis (typing a value turns Autoscale off)"));
    m_controls->addWidget(m_yMinBox);
    m_controls->addWidget(new QLabel(tr(" max "), m_controls));
    m_yMaxBox = makeRangeBox(m_controls, QStringLiteral("yMaxBox"),
        tr("Upper end of the first value axis (typing a value turns Autoscale off)"));
    m_controls->addWidget(m_yMaxBox);
    m_controls->addSeparator();
    m_controls->addAction(m_cursorsAction);
    m_controls->addSeparator();
    m_controls->addWidget(new QLabel(tr(" Lanes "), m_controls));
    m_lanesBox = new QComboBox(m_controls);
    m_lanesBox->setObjectName(QStringLiteral("lanesBox"));
    m_lanesBox->addItem(tr("One per unit"), ScopeSettings::lanesName(ScopeSettings::Lanes::PerUnit));
    m_lanesBox->addItem(tr("One per instrument"), ScopeSettings::lanesName(ScopeSettings::Lanes::PerInstrument));
    m_lanesBox->addItem(tr("All in one"), ScopeSettings::lanesName(ScopeSettings::Lanes::Single));
    m_lanesBox->setCurrentIndex(m_lanesBox->findData(ScopeSettings::lanesName(m_laneMode)));
    m_lanesBox->setToolTip(tr("How channels are stacked: each lane has its own value axes and shares the "
                              "time axis, so signals of very different size are each readable"));
    connect(m_lanesBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setLanes(ScopeSettings::lanesFromName(m_lanesBox->itemData(index).toString(), m_laneMode));
    });
    m_controls->addWidget(m_lanesBox);
    m_controls->addSeparator();
    m_helpButton = new QToolButton(m_controls);
    m_helpButton->setObjectName(QStringLiteral("gestureHelpButton"));
    m_helpButton->setText(tr("?"));
    m_helpButton->setToolTip(gestureHelp());
    m_helpButton->setAccessibleName(tr("Mouse and keys in the plot"));
    connect(m_helpButton, &QToolButton::clicked, this, [this] {
        QToolTip::showText(m_helpButton->mapToGlobal(QPoint(0, m_helpButton->height())), gestureHelp(),
            m_helpButton);
    });
    m_controls->addWidget(m_helpButton);
    auto applyRange = [this] {
        if (m_yMinBox->value() < m_yMaxBox->value()) {
            setYRange(m_yMinBox->value(), m_yMaxBox->value());
        } else {
            Q_EMIT statusMessage(tr("Y min must be below Y max (%1 ≥ %2): not applied")
                                     .arg(m_yMinBox->value())
                                     .arg(m_yMaxBox->value()));
            syncControls();
        }
    };
    connect(m_yMinBox, &QDoubleSpinBox::valueChanged, this, applyRange);
    connect(m_yMaxBox, &QDoubleSpinBox::valueChanged, this, applyRange);
}

void ScopeView::setupPlot()
{
    m_plot = new ScopePlot(this); // one opaque image buffer, copied at a repaint
    m_plot->setObjectName(QStringLiteral("scopePlot"));
    m_plot->setMinimumSize(320, 200);
    m_plot->setFocusPolicy(Qt::StrongFocus); // takes the initial focus instead of the span box
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setContextMenuPolicy(Qt::PreventContextMenu); // right button: box zoom, menu on release
    m_plot->addAction(m_zoomBackAction);
    m_plot->installEventFilter(this);
    m_marginGroup = new QCPMarginGroup(m_plot);
    styleLane(m_plot->axisRect());
    m_plot->xAxis->setLabel(tr("Time [s]"));
    m_plot->xAxis->setRange(0, m_span);
    m_lanes = { Lane { QString(), m_plot->axisRect() } };
    // The plot's own x axis is the master time axis; every further lane follows it.
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this](const QCPRange &r) {
        m_syncingX = true;
        for (qsizetype i = 1; i < m_lanes.size(); ++i)
            m_lanes[i].rect->axis(QCPAxis::atBottom)->setRange(r);
        m_syncingX = false;
    });

    // Legend in its own row above the plot, so it never covers a trace.
    auto *legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, legendRow);
    legendRow->setMargins(QMargins(4, 2, 4, 0));
    legendRow->addElement(0, 0, m_plot->legend);
    // The legend spans the row; updateLegendWrap() picks as many columns as the longest name
    // allows. The thin spacer keeps an empty legend from limiting the width of the plot's column.
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(1, 0.001);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setIconSize(16, 8);
    m_plot->legend->setRowSpacing(0);
    m_plot->legend->setColumnSpacing(4);
    m_plot->legend->setMargins(QMargins(2, 1, 2, 1));
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    m_plot->legend->setFont(legendFont);
    m_plot->legend->setIconTextPadding(4);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->legend->setVisible(false);
    m_plot->setAutoAddPlottableToLegend(false); // rebuildGraphs() adds ScopeLegendItems

    m_emptyItem = addOverlayText(m_plot, m_plot->axisRect(), 0.5, 0.5, Qt::AlignCenter);
    m_emptyItem->setTextAlignment(Qt::AlignCenter);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    m_emptyItem->setFont(f);
    m_emptyItem->setColor(QColor(0x70, 0x70, 0x70));

    m_frozenItem = addOverlayText(m_plot, m_plot->axisRect(), 1.0, 0.0, Qt::AlignRight | Qt::AlignTop);
    m_frozenItem->setPadding(QMargins(6, 2, 6, 2));
    m_frozenItem->setBrush(QColor(0x1e, 0x60, 0xa8));
    m_frozenItem->setColor(Qt::white);
    m_frozenItem->setText(tr("❄ Frozen — acquisition and recording go on (Z: live again)"));
    m_frozenItem->setVisible(false);

    connect(m_plot, &QCustomPlot::mousePress, this, &ScopeView::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ScopeView::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &ScopeView::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &ScopeView::onMouseWheel);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &ScopeView::onDoubleClick);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
        &ScopeView::onXRangeChanged);
    m_plot->addLayer(QStringLiteral("markers"), m_plot->layer(QStringLiteral("main")), QCustomPlot::limBelow);
}

void ScopeView::setSpan(double seconds)
{
    if (!std::isfinite(seconds))
        return;
    seconds = qBound(ScopeSettings::kMinSpan, seconds, ScopeSettings::kMaxSpan);
    if (qFuzzyCompare(seconds, m_span))
        return;
    m_span = seconds;
    if (!m_follow) { // the view follows the field: zoom around the centre of what is shown
        const double centre = m_plot->xAxis->range().center();
        m_programmatic = true;
        m_plot->xAxis->setRange(centre - seconds / 2, centre + seconds / 2);
        m_programmatic = false;
    }
    m_dirty = true;
    syncControls();
    applyTrigger(); // a Triggered view's frames are this wide
    Q_EMIT spanChanged(seconds);
}

void ScopeView::onXRangeChanged(const QCPRange &range)
{
    if (m_programmatic)
        return;
    m_dirty = true;
    // Zoom, pan, box zoom, Show All: the span field shows what is really displayed (and Follow
    // continues with it).
    const double width = range.size();
    if (!std::isfinite(width) || width <= 0)
        return;
    const double span = qBound(ScopeSettings::kMinSpan, width, ScopeSettings::kMaxSpan);
    if (qFuzzyCompare(span, m_span))
        return;
    m_span = span;
    Q_EMIT spanChanged(span);
}

void ScopeView::setFollow(bool on)
{
    if (on == m_follow || (on && !m_liveStore))
        return;
    m_follow = on;
    m_dirty = true;
    syncControls();
    Q_EMIT followChanged(on);
}

void ScopeView::setFrozen(bool on)
{
    if (on == m_frozen || (on && !m_liveStore))
        return;
    m_frozen = on;
    if (on) {
        const TimeRange r = m_store->timeRange();
        m_frozenAt = r.valid ? r.last : m_plot->xAxis->range().upper;
    }
    m_frozenItem->setVisible(on);
    m_dirty = true;
    syncControls();
    Q_EMIT frozenChanged(on);
}

void ScopeView::setYAuto(bool on)
{
    if (on == m_yAuto)
        return;
    if (!on)
        storeManualRanges(); // freeze what is shown now
    m_yAuto = on;
    m_dirty = true;
    syncControls();
    Q_EMIT yAutoChanged(on);
}

void ScopeView::setYRange(double lower, double upper)
{
    if (!(lower < upper) || !std::isfinite(lower) || !std::isfinite(upper))
        return;
    if (!m_axes.isEmpty() && m_channelAxes.contains(m_axes.first().second)) { // only channels' own axes
        constexpr int div = ScopeSettings::ChannelScale::kDivisions;
        setChannelScale(m_channelAxes.value(m_axes.first().second), { false, (upper - lower) / div, (upper + lower) / 2 });
        return;
    }
    setYAuto(false);
    const QString unit = m_axes.isEmpty() ? m_savedPrimaryUnit : m_axes.first().first;
    m_manualRanges.insert(unit, { lower, upper });
    if (!m_axes.isEmpty()) {
        m_programmatic = true;
        m_axes.first().second->setRange(lower, upper);
        m_programmatic = false;
    }
    m_dirty = true;
    syncControls();
}

void ScopeView::showAll()
{
    TimeRange all;
    for (const Trace &t : std::as_const(m_traces)) {
        const TimeRange r = m_store->timeRange(t.key);
        if (!r.valid)
            continue;
        all.first = all.valid ? std::min(all.first, r.first) : r.first;
        all.last = all.valid ? std::max(all.last, r.last) : r.last;
        all.valid = true;
    }
    if (!all.valid)
        all = m_store->timeRange();
    pushZoomHistory();
    setFollow(false);
    if (all.valid) {
        const double pad = all.span() > 0 ? all.span() * 0.01 : 0.5;
        m_plot->xAxis->setRange(all.first - pad, all.last + pad);
    }
    m_dirty = true;
}

void ScopeView::storeManualRanges()
{
    for (const auto &[unit, axis] : std::as_const(m_axes))
        if (!m_channelAxes.contains(axis)) // a channel's own axis keeps its scale
            m_manualRanges.insert(unit, { axis->range().lower, axis->range().upper });
}

QJsonObject ScopeView::saveState() const
{
    ScopeSettings s;
    s.spanSeconds = m_span;
    s.follow = m_follow;
    s.yAuto = m_yAuto;
    s.yRanges = m_manualRanges;
    if (!m_yAuto) // autoscaled ranges change every frame; only manual ones are worth keeping
        for (const auto &[unit, axis] : std::as_const(m_axes))
            if (!m_channelAxes.contains(axis))
                s.yRanges.insert(unit, { axis->range().lower, axis->range().upper });
    s.primaryUnit = m_axes.isEmpty() || m_channelAxes.contains(m_axes.first().second) ? m_savedPrimaryUnit
                                                                                      : m_axes.first().first;
    s.channelScales = m_channelScales;
    s.axisOnRight = m_axisSides;
    s.lanes = m_laneMode;
    s.triggered = m_triggered;
    s.trigger = m_triggerBar->trigger();
    s.channels = m_styles->toJson();
    return s.toJson();
}

void ScopeView::restoreState(const QJsonObject &state)
{
    const ScopeSettings s = ScopeSettings::fromJson(state);
    m_manualRanges = s.yRanges;
    m_savedPrimaryUnit = s.primaryUnit;
    m_axisSides = s.axisOnRight;
    m_channelScales = s.channelScales;
    setLanes(s.lanes);
    setTriggerSettings(s.trigger);
    setTriggered(s.triggered);
    m_markers.clear(); // a new or opened session starts a new timeline
    m_markersDirty = true;
    m_zoomHistory.clear();
    m_zoomBackAction->setEnabled(false);
    m_styles->fromJson(s.channels);
    setSpan(s.spanSeconds);
    m_yAuto = s.yAuto;
    m_follow = s.follow;
    m_graphsDirty = true;
    m_dirty = true;
    syncControls();
    Q_EMIT followChanged(m_follow);
    Q_EMIT yAutoChanged(m_yAuto);
}

void ScopeView::setInstrumentName(const QString &instrumentId, const QString &name)
{
    if (m_instrumentNames.value(instrumentId) == name)
        return;
    m_instrumentNames.insert(instrumentId, name);
    m_graphsDirty = true;
}

void ScopeView::setAcquisitionRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    m_dirty = true;
}

void ScopeView::syncControls()
{
    const QSignalBlocker b0(m_freezeAction), b1(m_followAction), b2(m_autoYAction), b3(m_spanBox), b4(m_yMinBox), b5(m_yMaxBox);
    m_followAction->setChecked(m_follow);
    m_freezeAction->setChecked(m_frozen);
    m_autoYAction->setChecked(m_yAuto);
    // A field the user is typing into is never rewritten: the view follows the field on Enter or
    // focus-out, not the other way round.
    if (!beingEdited(m_spanBox))
        m_spanBox->setValue(m_span);
    m_yMinBox->setEnabled(!m_axes.isEmpty());
    m_yMaxBox->setEnabled(!m_axes.isEmpty());
    if (!m_axes.isEmpty()) {
        const QCPRange r = m_axes.first().second->range();
        const QString unit = m_axisUnits.value(m_axes.first().second);
        const QString suffix = unit.isEmpty() ? QString() : QLatin1Char(' ') + unit;
        if (!beingEdited(m_yMinBox)) {
            setSuffixIfChanged(m_yMinBox, suffix);
            m_yMinBox->setValue(r.lower);
        }
        if (!beingEdited(m_yMaxBox)) {
            setSuffixIfChanged(m_yMaxBox, suffix);
            m_yMaxBox->setValue(r.upper);
        }
    }
}

QString ScopeView::gestureHelp()
{
    return tr("Mouse and keys in the plot:\n"
              "Wheel: zoom time around the cursor\n"
              "Ctrl+wheel: zoom the value axes\n"
              "Drag: pan time · Shift+drag: pan the value axes\n"
              "Right-drag or Ctrl+drag: zoom to the box drawn\n"
              "Backspace or Esc: back to the previous view\n"
              "Home: show all · F: Follow · A: Autoscale Y · Z: Freeze\n"
              "Double-click: Follow and Autoscale Y on again\n"
              "C: cursors · drag a cursor line to move it · Shift+double-click: value cursors to that lane\n"
              "Click a legend entry: hide/show that channel\n"
              "Right-click a legend entry or a trace: that channel's scale, offset, colour\n"
              "Right-click an axis: move it to the other side\n"
              "Space (plot focused): Run/Stop · F5: Run/Stop · Ctrl+L: Clear");
}

bool ScopeView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        if (m_boxing) {
            m_boxing = false;
            m_band->hide();
        } else {
            zoomBack();
        }
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ScopeView::pushZoomHistory()
{
    ViewState v;
    v.xLower = m_plot->xAxis->range().lower;
    v.xUpper = m_plot->xAxis->range().upper;
    v.span = m_span;
    v.follow = m_follow;
    v.yAuto = m_yAuto;
    for (const auto &[unit, axis] : std::as_const(m_axes))
        if (!m_channelAxes.contains(axis))
            v.yRanges.insert(unit, { axis->range().lower, axis->range().upper });
    v.channelScales = m_channelScales;
    m_zoomHistory.append(v);
    if (m_zoomHistory.size() > kMaxZoomHistory)
        m_zoomHistory.removeFirst();
    m_zoomBackAction->setEnabled(true);
}

bool ScopeView::zoomBack()
{
    if (m_zoomHistory.isEmpty())
        return false;
    const ViewState v = m_zoomHistory.takeLast();
    m_zoomBackAction->setEnabled(!m_zoomHistory.isEmpty());
    setYAuto(v.yAuto);
    if (!v.yAuto) {
        for (auto it = v.yRanges.constBegin(); it != v.yRanges.constEnd(); ++it)
            m_manualRanges.insert(it.key(), it.value());
        m_programmatic = true;
        for (const auto &[unit, axis] : std::as_const(m_axes))
            if (v.yRanges.contains(unit))
                axis->setRange(v.yRanges[unit].first, v.yRanges[unit].second);
        m_programmatic = false;
    }
    restoreChannelScales(v.channelScales);
    setFollow(v.follow);
    if (!v.follow) {
        m_programmatic = true;
        m_plot->xAxis->setRange(v.xLower, v.xUpper);
        m_programmatic = false;
    }
    if (!qFuzzyCompare(v.span, m_span)) {
        m_span = v.span;
        Q_EMIT spanChanged(m_span);
    }
    m_dirty = true;
    syncControls();
    return true;
}

void ScopeView::zoomToBox(const QRect &pixels)
{
    // The box zooms the lane that holds its centre.
    const int lane = laneAt(pixels.normalized().center());
    QCPAxisRect *rect = lane >= 0 ? m_lanes[lane].rect : pressedLane();
    const QRect box = pixels.normalized() & rect->rect();
    if (box.width() < kMinBoxPixels)
        return;
    pushZoomHistory();
    setFollow(false);
    m_plot->xAxis->setRange(m_plot->xAxis->pixelToCoord(box.left()), m_plot->xAxis->pixelToCoord(box.right()));
    if (box.height() >= kMinBoxPixels && !m_axes.isEmpty()) {
        setYAuto(false);
        for (const auto &[key, axis] : std::as_const(m_axes)) {
            if (axis->axisRect() != rect)
                continue;
            const double lo = axis->pixelToCoord(box.bottom());
            const double hi = axis->pixelToCoord(box.top());
            if (lo < hi)
                axis->setRange(lo, hi); // its rangeChanged stores the manual range
        }
    }
    m_dirty = true;
    syncControls();
    Q_EMIT statusMessage(tr("Zoomed to the box: Backspace or Esc goes back, Home shows all, F follows again"));
}

void ScopeView::onDoubleClick(QMouseEvent *event)
{
    const int lane = laneAt(event->pos());
    if (lane < 0)
        return; // on the legend or an axis: nothing
    if (m_cursorsOn && (event->modifiers() & Qt::ShiftModifier)) { // value cursors to this lane
        for (const auto &[key, axis] : std::as_const(m_axes))
            if (axis->axisRect() == m_lanes[lane].rect) {
                const QCPRange y = axis->range();
                setValueCursors(lane, y.lower + y.size() / 3, y.lower + 2 * y.size() / 3);
                break;
            }
        return;
    }
    if (m_follow && m_yAuto && !anyManualChannelScale())
        return;
    pushZoomHistory();
    setFollow(true);
    setYAuto(true);
    autoscaleAllChannels(); // channels with their own axis keep it, fitted to their data again
    Q_EMIT statusMessage(tr("Double-click: Follow and Autoscale Y are on again (Backspace on the plot: back)"));
}

void ScopeView::onMousePress(QMouseEvent *event)
{
    m_pressPos = event->pos();
    m_pressOnLegend = m_plot->legend->visible() && m_plot->legend->outerRect().contains(event->pos());
    m_pressLane = laneAt(event->pos());
    m_dragInPlot = m_pressLane >= 0;
    QCPAxisRect *rect = pressedLane();
    m_draggedCursor = event->button() == Qt::LeftButton && event->modifiers() == Qt::NoModifier
        ? cursorAt(event->pos())
        : -1;
    if (m_draggedCursor >= 0) {
        rect->setRangeDrag(Qt::Orientations()); // the cursor moves, not the plot
        return;
    }
    const bool box = m_dragInPlot
        && (event->button() == Qt::RightButton
            || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ControlModifier)));
    if (box) {
        m_boxing = true;
        rect->setRangeDrag(Qt::Orientations()); // no pan while drawing the box
        if (!m_band)
            m_band = new QRubberBand(QRubberBand::Rectangle, m_plot);
        m_band->setGeometry(QRect(m_pressPos, QSize()));
        m_band->show();
        return;
    }
    const bool vertical = event->modifiers() & Qt::ShiftModifier;
    rect->setRangeDrag(vertical ? Qt::Vertical : Qt::Horizontal);
    if (vertical && m_dragInPlot && event->button() == Qt::LeftButton)
        setYAuto(false);
}

void ScopeView::onMouseMove(QMouseEvent *event)
{
    if (m_draggedCursor >= 0 && (event->buttons() & Qt::LeftButton)) {
        dragCursor(m_draggedCursor, event->pos());
        return;
    }
    if (!event->buttons() && m_cursorsOn) { // show where a cursor can be grabbed
        const int c = cursorAt(event->pos());
        m_plot->setCursor(c < 0 ? Qt::ArrowCursor : c < 2 ? Qt::SizeHorCursor : Qt::SizeVerCursor);
    }
    if (m_boxing) {
        m_band->setGeometry(QRect(m_pressPos, event->pos()).normalized() & pressedLane()->rect());
        return;
    }
    if (!(event->buttons() & Qt::LeftButton) || !m_dragInPlot)
        return;
    if (pressedLane()->rangeDrag() == Qt::Horizontal)
        setFollow(false);
}

void ScopeView::onMouseRelease(QMouseEvent *event)
{
    if (m_draggedCursor >= 0) {
        m_draggedCursor = -1;
        return;
    }
    const bool click = (event->pos() - m_pressPos).manhattanLength() < kMinBoxPixels;
    if (m_boxing) {
        m_boxing = false;
        m_band->hide();
        if (!click) // the box stays in the lane where it was started
            zoomToBox(QRect(m_pressPos, event->pos()).normalized() & pressedLane()->rect());
        else if (event->button() == Qt::RightButton)
            showContextMenu(event->pos());
        return;
    }
    if (event->button() == Qt::RightButton && click) {
        showContextMenu(event->pos());
        return;
    }
    if (event->button() == Qt::LeftButton && click && m_pressOnLegend)
        toggleLegendItemAt(event->pos());
    m_pressOnLegend = false;
}

void ScopeView::toggleLegendItemAt(const QPoint &pos)
{
    for (int i = 0; i < m_plot->legend->elementCount(); ++i) { // a wrapped grid has empty cells
        auto *item = qobject_cast<QCPPlottableLegendItem *>(m_plot->legend->elementAt(i));
        if (!item || !item->outerRect().contains(pos))
            continue;
        const QString key = m_legendKeys.value(item->plottable());
        if (key.isEmpty())
            return;
        m_styles->setVisible(key, !m_styles->style(key).visible); // the panels' checkboxes follow
        return;
    }
}

void ScopeView::showContextMenu(const QPoint &pos)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("scopeContextMenu"));
    if (const QString channel = channelAt(pos); !channel.isEmpty()) { // legend entry, trace or own axis
        menu->addAction(tr("Channel %1 settings…").arg(channelTitle(channel)), this,
            [this, channel] { openChannelSettings(channel); });
        menu->addSeparator();
    }
    for (const auto &[key, axis] : std::as_const(m_axes)) {
        if (axis->selectTest(pos, false) < 0)
            continue;
        const QString ownKey = m_channelAxes.value(axis); // a channel's own axis moves alone
        const QString unit = m_axisUnits.value(axis);
        const bool right = axis->axisType() == QCPAxis::atRight;
        const QString name = !ownKey.isEmpty() ? tr("the %1 axis").arg(axis->label())
            : unit.isEmpty()                  ? tr("the value axis")
                                              : tr("the [%1] axis").arg(unit);
        const QString text = right ? tr("Move %1 to the left").arg(name) : tr("Move %1 to the right").arg(name);
        const QString u = ownKey.isEmpty() ? unit : ownKey;
        menu->addAction(text, this, [this, u, right] { setAxisOnRight(u, !right); });
        menu->addSeparator();
        break;
    }
    menu->addAction(m_zoomBackAction);
    menu->addAction(m_showAllAction);
    menu->addAction(m_followAction);
    menu->addAction(m_autoYAction);
    menu->addSeparator();
    menu->addAction(tr("Mouse and Keys…"), this,
        [this, pos] { QToolTip::showText(m_plot->mapToGlobal(pos), gestureHelp(), m_plot); });
    menu->popup(m_plot->mapToGlobal(pos));
}

void ScopeView::setAxisOnRight(const QString &unit, bool right)
{
    if (m_axisSides.contains(unit) && m_axisSides.value(unit) == right)
        return;
    m_axisSides.insert(unit, right);
    m_graphsDirty = true;
    Q_EMIT axisSidesChanged();
}

QCPAxis *ScopeView::axisForUnitIfShown(const QString &unit) const
{
    for (const auto &[key, axis] : std::as_const(m_axes))
        if (m_axisUnits.value(axis) == unit)
            return axis;
    return nullptr;
}

void ScopeView::addRunMarker(double time, bool started)
{
    if (!std::isfinite(time))
        return;
    if (!m_markers.isEmpty()) {
        const RunMarker &last = m_markers.constLast();
        if (last.started == started && std::abs(time - last.time) < 1.0)
            return; // the same Run/Stop, reported again (another instrument, the window)
    }
    m_markers.append({ time, started });
    constexpr int kMaxMarkers = 400;
    if (m_markers.size() > kMaxMarkers)
        m_markers.remove(0, m_markers.size() - kMaxMarkers);
    m_markersDirty = true;
    m_dirty = true;
}

void ScopeView::clearRunMarkers()
{
    m_markers.clear();
    m_markersDirty = true;
    m_dirty = true;
}

void ScopeView::rebuildMarkers()
{
    m_markersDirty = false;
    for (QCPAbstractItem *item : std::as_const(m_markerItems))
        m_plot->removeItem(item);
    m_markerItems.clear();
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    int run = 0;
    for (const RunMarker &m : std::as_const(m_markers)) {
        const QColor color = m.started ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
        QColor lineColor = color;
        lineColor.setAlpha(150);
        for (const Lane &lane : std::as_const(m_lanes)) {
            QCPAxis *x = lane.rect->axis(QCPAxis::atBottom);
            QCPAxis *y = lane.rect->axis(QCPAxis::atLeft);
            auto *line = new QCPItemStraightLine(m_plot);
            line->setLayer(QStringLiteral("markers"));
            line->setClipAxisRect(lane.rect);
            for (QCPItemPosition *p : { line->point1, line->point2 }) {
                p->setAxes(x, y);
                p->setAxisRect(lane.rect);
                p->setTypeX(QCPItemPosition::ptPlotCoords);
                p->setTypeY(QCPItemPosition::ptAxisRectRatio);
            }
            line->point1->setCoords(m.time, 0.0);
            line->point2->setCoords(m.time, 1.0);
            line->setPen(QPen(lineColor, 1, Qt::DashLine));
            line->setSelectable(false);
            m_markerItems << line;
        }
        // The label once, in the top lane.
        auto *label = new QCPItemText(m_plot);
        label->setLayer(QStringLiteral("markers"));
        label->setClipAxisRect(m_lanes[0].rect);
        label->position->setAxes(m_lanes[0].rect->axis(QCPAxis::atBottom), m_lanes[0].rect->axis(QCPAxis::atLeft));
        label->position->setAxisRect(m_lanes[0].rect);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(m.time, 0.0);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setPadding(QMargins(3, 1, 3, 1));
        label->setFont(f);
        label->setColor(color);
        label->setText(m.started ? tr("▶ Run %1").arg(++run) : tr("■ Stop"));
        label->setSelectable(false);
        m_markerItems << label;
    }
}

QCPAxisRect *ScopeView::pressedLane() const
{
    return m_pressLane >= 0 && m_pressLane < m_lanes.size() ? m_lanes[m_pressLane].rect : m_lanes[0].rect;
}

void ScopeView::onMouseWheel(QWheelEvent *event)
{
    const int lane = laneAt(event->position().toPoint());
    if (lane < 0)
        return;
    const bool vertical = event->modifiers() & Qt::ControlModifier;
    m_lanes[lane].rect->setRangeZoom(vertical ? Qt::Vertical : Qt::Horizontal);
    if (vertical)
        setYAuto(false);
    else
        setFollow(false);
}

} // namespace bs
