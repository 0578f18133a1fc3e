// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScopeView.h"

#include "ChannelStyles.h"
#include "Icons.h"

#include <TraceStore.h>

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace bs {

namespace {
constexpr int kRefreshIntervalMs = 17; // ≤ 60 Hz (16 ms would be 62.5 Hz)

QDoubleSpinBox *makeRangeBox(QWidget *parent, const QString &name, const QString &tip)
{
    auto *b = new QDoubleSpinBox(parent);
    b->setObjectName(name);
    b->setRange(-1e15, 1e15);
    b->setDecimals(4);
    b->setKeyboardTracking(false);
    b->setMinimumWidth(90);
    b->setToolTip(tip);
    return b;
}
} // namespace

ScopeView::ScopeView(TraceStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_styles(new ChannelStyles(this))
{
    setObjectName(QStringLiteral("scopeView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    buildControls();
    layout->addWidget(m_controls);
    setupPlot();
    layout->addWidget(m_plot, 1);

    connect(m_styles, &ChannelStyles::styleChanged, this, [this] { m_graphsDirty = true; });
    connect(m_styles, &ChannelStyles::stylesReset, this, [this] { m_graphsDirty = true; });

    setFocusProxy(m_plot);
    m_timer = new QTimer(this);
    m_timer->setInterval(kRefreshIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &ScopeView::refresh);
    m_timer->start();
    syncControls();
}

ScopeView::~ScopeView() = default;

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

    m_controls->addAction(m_followAction);
    m_controls->addAction(m_showAllAction);
    m_controls->addSeparator();
    m_controls->addWidget(new QLabel(tr(" Time span "), m_controls));
    m_spanBox = new QDoubleSpinBox(m_controls);
    m_spanBox->setObjectName(QStringLiteral("spanBox"));
    m_spanBox->setRange(0.001, ScopeSettings::kMaxSpan);
    m_spanBox->setDecimals(3);
    m_spanBox->setSuffix(tr(" s"));
    m_spanBox->setKeyboardTracking(false);
    m_spanBox->setToolTip(tr("Width of the time window shown while following"));
    m_controls->addWidget(m_spanBox);
    connect(m_spanBox, &QDoubleSpinBox::valueChanged, this, &ScopeView::setSpan);
    m_controls->addSeparator();
    m_controls->addAction(m_autoYAction);
    m_controls->addWidget(new QLabel(tr(" Y min "), m_controls));
    m_yMinBox = makeRangeBox(m_controls, QStringLiteral("yMinBox"), tr("Lower end of the left value axis"));
    m_controls->addWidget(m_yMinBox);
    m_controls->addWidget(new QLabel(tr(" max "), m_controls));
    m_yMaxBox = makeRangeBox(m_controls, QStringLiteral("yMaxBox"), tr("Upper end of the left value axis"));
    m_controls->addWidget(m_yMaxBox);
    auto applyRange = [this] {
        if (m_yMinBox->value() < m_yMaxBox->value())
            setYRange(m_yMinBox->value(), m_yMaxBox->value());
        else
            syncControls();
    };
    connect(m_yMinBox, &QDoubleSpinBox::valueChanged, this, applyRange);
    connect(m_yMaxBox, &QDoubleSpinBox::valueChanged, this, applyRange);
}

void ScopeView::setupPlot()
{
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("scopePlot"));
    m_plot->setMinimumSize(320, 200);
    m_plot->setFocusPolicy(Qt::StrongFocus); // takes the initial focus instead of the span box
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->xAxis->setLabel(tr("Time [s]"));
    m_plot->xAxis->grid()->setPen(QPen(QColor(0xd8, 0xd8, 0xd8), 0, Qt::DotLine));
    m_plot->yAxis->grid()->setPen(QPen(QColor(0xd8, 0xd8, 0xd8), 0, Qt::DotLine));
    m_plot->xAxis->grid()->setZeroLinePen(QPen(QColor(0xb0, 0xb0, 0xb0)));
    m_plot->yAxis->grid()->setZeroLinePen(QPen(QColor(0xb0, 0xb0, 0xb0)));
    m_plot->xAxis2->setVisible(true);
    m_plot->xAxis2->setTickLabels(false);
    m_plot->xAxis2->setTicks(false);
    m_plot->yAxis2->setTickLabels(true);
    m_plot->xAxis->setRange(0, m_span);

    // Legend in its own row above the plot, so it never covers a trace.
    auto *legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, legendRow);
    legendRow->setMargins(QMargins(6, 4, 6, 0));
    legendRow->addElement(0, 0, m_plot->legend);
    // The legend spans the row; updateLegendWrap() picks as many columns as the longest name
    // allows. The thin spacer keeps an empty legend from limiting the width of the plot's column.
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(1, 0.001);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setIconSize(22, 10);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->legend->setVisible(false);

    m_emptyItem = new QCPItemText(m_plot);
    m_emptyItem->setClipToAxisRect(false);
    m_emptyItem->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyItem->position->setAxisRect(m_plot->axisRect());
    m_emptyItem->position->setCoords(0.5, 0.5);
    m_emptyItem->setPositionAlignment(Qt::AlignCenter);
    m_emptyItem->setTextAlignment(Qt::AlignCenter);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    m_emptyItem->setFont(f);
    m_emptyItem->setColor(QColor(0x70, 0x70, 0x70));

    connect(m_plot, &QCustomPlot::mousePress, this, &ScopeView::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ScopeView::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &ScopeView::onMouseWheel);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        setFollow(true);
        setYAuto(true);
    });
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] {
        if (!m_programmatic)
            m_dirty = true;
    });
}

void ScopeView::setSpan(double seconds)
{
    if (!std::isfinite(seconds))
        return;
    seconds = qBound(ScopeSettings::kMinSpan, seconds, ScopeSettings::kMaxSpan);
    if (qFuzzyCompare(seconds, m_span))
        return;
    m_span = seconds;
    m_dirty = true;
    syncControls();
    Q_EMIT spanChanged(seconds);
}

void ScopeView::setFollow(bool on)
{
    if (on == m_follow)
        return;
    m_follow = on;
    m_dirty = true;
    syncControls();
    Q_EMIT followChanged(on);
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
            s.yRanges.insert(unit, { axis->range().lower, axis->range().upper });
    s.primaryUnit = m_axes.isEmpty() ? m_savedPrimaryUnit : m_axes.first().first;
    s.channels = m_styles->toJson();
    return s.toJson();
}

void ScopeView::restoreState(const QJsonObject &state)
{
    const ScopeSettings s = ScopeSettings::fromJson(state);
    m_manualRanges = s.yRanges;
    m_savedPrimaryUnit = s.primaryUnit;
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
    const QSignalBlocker b1(m_followAction), b2(m_autoYAction), b3(m_spanBox), b4(m_yMinBox), b5(m_yMaxBox);
    m_followAction->setChecked(m_follow);
    m_autoYAction->setChecked(m_yAuto);
    m_spanBox->setValue(m_span);
    m_yMinBox->setEnabled(!m_yAuto && !m_axes.isEmpty());
    m_yMaxBox->setEnabled(!m_yAuto && !m_axes.isEmpty());
    if (!m_axes.isEmpty()) {
        const QCPRange r = m_axes.first().second->range();
        m_yMinBox->setValue(r.lower);
        m_yMaxBox->setValue(r.upper);
        const QString unit = m_axes.first().first;
        m_yMinBox->setSuffix(unit.isEmpty() ? QString() : QLatin1Char(' ') + unit);
        m_yMaxBox->setSuffix(unit.isEmpty() ? QString() : QLatin1Char(' ') + unit);
    }
}

void ScopeView::onMousePress(QMouseEvent *event)
{
    m_dragInPlot = m_plot->axisRect()->rect().contains(event->pos());
    const bool vertical = event->modifiers() & Qt::ShiftModifier;
    m_plot->axisRect()->setRangeDrag(vertical ? Qt::Vertical : Qt::Horizontal);
    if (vertical && m_dragInPlot)
        setYAuto(false);
}

void ScopeView::onMouseMove(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || !m_dragInPlot)
        return;
    if (m_plot->axisRect()->rangeDrag() == Qt::Horizontal)
        setFollow(false);
}

void ScopeView::onMouseWheel(QWheelEvent *event)
{
    if (!m_plot->axisRect()->rect().contains(event->position().toPoint()))
        return;
    const bool vertical = event->modifiers() & Qt::ControlModifier;
    m_plot->axisRect()->setRangeZoom(vertical ? Qt::Vertical : Qt::Horizontal);
    if (vertical)
        setYAuto(false);
    else
        setFollow(false);
}

} // namespace bs
