// SPDX-License-Identifier: GPL-3.0-or-later
#include "StatisticsPanel.h"

#include "AnalysisThread.h"
#include "ChannelChooser.h"

#include "ChartTicks.h"
#include "MeasurementsPanel.h"
#include "ScopeView.h"

#include <EngineeringFormat.h>
#include <TraceSource.h>

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

namespace {
constexpr int kUpdateMs = 250;
const QString kDefaultMeasurement = QStringLiteral("rms");

QString fmt(double v, const QString &unit)
{
    return EngineeringFormat::formatSignificant(v, unit, 4);
}

QChart *makeChart(QCategoryAxis **x, QCategoryAxis **y)
{
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 16, 4));
    chart->setBackgroundRoundness(0);
    QFont title = chart->titleFont();
    title.setBold(true);
    chart->setTitleFont(title);
    *x = new QCategoryAxis;
    *y = new QCategoryAxis;
    chart->addAxis(*x, Qt::AlignBottom);
    chart->addAxis(*y, Qt::AlignLeft);
    return chart;
}

QChartView *makeView(QChart *chart, const QString &name, QWidget *parent)
{
    auto *view = new QChartView(chart, parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(240, 160);
    return view;
}

/// The value range of a plot: [lo, hi] widened by 5 % (a flat set gets ±1 % of its value, or ±1).
QPair<double, double> padded(double lo, double hi)
{
    if (!(hi > lo)) {
        const double half = lo == 0.0 ? 1.0 : std::abs(lo) * 0.01;
        return { lo - half, hi + half };
    }
    const double pad = (hi - lo) * 0.05;
    return { lo - pad, hi + pad };
}
} // namespace

StatisticsPanel::StatisticsPanel(TraceSource *store, ScopeView *scope, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_scope(scope)
    , m_measurement(kDefaultMeasurement)
{
    setObjectName(QStringLiteral("statisticsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    auto *channelRow = new QHBoxLayout;
    channelRow->addWidget(new QLabel(tr("Channel"), this));
    m_channels = new QComboBox(this);
    m_channels->setObjectName(QStringLiteral("statisticsChannel"));
    m_channels->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_channels->setToolTip(tr("The channel of the scope whose samples are counted and measured"));
    channelRow->addWidget(m_channels);
    channelRow->addStretch(1);
    layout->addLayout(channelRow);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Histogram of"), this));
    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("statisticsRange"));
    m_range->addItem(tr("the window shown"));
    m_range->addItem(tr("between the cursors"));
    m_range->setToolTip(tr("Which samples the histogram counts: all in the time window the scope shows, or "
                           "those between the two time cursors (turn the cursors on with C)"));
    top->addWidget(m_range);
    m_binsBox = new QSpinBox(this);
    m_binsBox->setObjectName(QStringLiteral("statisticsBins"));
    m_binsBox->setRange(kMinBins, kMaxBins);
    m_binsBox->setValue(m_bins);
    m_binsBox->setSuffix(tr(" bins"));
    m_binsBox->setKeyboardTracking(false);
    m_binsBox->setToolTip(tr("How many equal bins the range from the smallest to the largest sample is cut into"));
    top->addWidget(m_binsBox);
    // The trend's own controls go above its chart: the dock stays narrow enough to sit beside the
    // Measurements and Spectrum docks.
    auto *trendTop = new QHBoxLayout;
    trendTop->addWidget(new QLabel(tr("Trend of"), this));
    m_measurementBox = new QComboBox(this);
    m_measurementBox->setObjectName(QStringLiteral("statisticsMeasurement"));
    for (const MeasurementsPanel::Kind &k : MeasurementsPanel::kinds()) {
        m_measurementBox->addItem(k.title, k.id);
        m_measurementBox->setItemData(m_measurementBox->count() - 1, k.tip, Qt::ToolTipRole);
    }
    m_measurementBox->setCurrentIndex(m_measurementBox->findData(m_measurement));
    m_measurementBox->setToolTip(tr("The measurement followed over time: measured over the window shown each time "
                                    "it moves on (at most 4 times a second), one point at the window's end"));
    trendTop->addWidget(m_measurementBox);
    auto *clear = new QPushButton(tr("Clear"), this);
    clear->setObjectName(QStringLiteral("statisticsClear"));
    clear->setToolTip(tr("Empty the trend and start collecting again"));
    trendTop->addWidget(clear);
    top->addStretch(1);
    trendTop->addStretch(1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *left = new QWidget(split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_histogramChart = makeChart(&m_histogramX, &m_histogramY);
    m_histogramOutline = new QLineSeries(m_histogramChart);
    m_histogramArea = new QAreaSeries(m_histogramOutline);
    m_histogramArea->setName(tr("Samples per bin"));
    m_histogramArea->setColor(QColor(31, 119, 180, 150));
    m_histogramArea->setBorderColor(QColor(31, 119, 180));
    m_histogramChart->addSeries(m_histogramArea);
    m_histogramArea->attachAxis(m_histogramX);
    m_histogramArea->attachAxis(m_histogramY);
    m_histogramY->setTitleText(tr("Samples per bin"));
    m_histogramView = makeView(m_histogramChart, QStringLiteral("statisticsHistogram"), left);
    leftLayout->addLayout(top);
    leftLayout->addWidget(m_histogramView, 1);
    m_histogramLine = new QLabel(left);
    m_histogramLine->setObjectName(QStringLiteral("statisticsHistogramLine"));
    m_histogramLine->setWordWrap(true);
    m_histogramLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(m_histogramLine);

    auto *right = new QWidget(split);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_trendChart = makeChart(&m_trendX, &m_trendY);
    m_trendSeries = new QLineSeries(m_trendChart);
    m_trendSeries->setColor(QColor(214, 39, 40));
    m_trendChart->addSeries(m_trendSeries);
    m_trendSeries->attachAxis(m_trendX);
    m_trendSeries->attachAxis(m_trendY);
    m_trendX->setTitleText(tr("Time on the session timeline"));
    m_trendView = makeView(m_trendChart, QStringLiteral("statisticsTrend"), right);
    m_trendView->setToolTip(tr("One point each time the window shown moves on: the measurement over the window, "
                               "at the window's end"));
    rightLayout->addLayout(trendTop);
    rightLayout->addWidget(m_trendView, 1);
    m_trendLine = new QLabel(right);
    m_trendLine->setObjectName(QStringLiteral("statisticsTrendLine"));
    m_trendLine->setWordWrap(true);
    m_trendLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rightLayout->addWidget(m_trendLine);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({ 1000, 1000 }); // halves (scaled to the width it gets)
    layout->addWidget(split, 1);

    connect(m_channels, &QComboBox::activated, this, [this] {
        setChannel(m_channels->currentData().toString());
        Q_EMIT changed();
    });
    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int i) { setBetweenCursors(i == 1); });
    connect(m_binsBox, &QSpinBox::valueChanged, this, [this](int n) { setBins(n); });
    connect(m_measurementBox, &QComboBox::activated, this,
        [this] { setMeasurement(m_measurementBox->currentData().toString()); });
    connect(clear, &QPushButton::clicked, this, &StatisticsPanel::clearTrend);

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("statistics"));
    m_binner = new HistogramWorker(*m_store);
    m_measurer = new WindowMeasurer(*m_store);
    m_binner->moveToThread(m_thread);
    m_measurer->moveToThread(m_thread);
    connect(m_binner, &HistogramWorker::computed, this, &StatisticsPanel::showHistogram, Qt::QueuedConnection);
    connect(m_measurer, &WindowMeasurer::measured, this, &StatisticsPanel::addTrendPoint, Qt::QueuedConnection);
    startAnalysisThread(m_thread);
    m_timer = new QTimer(this);
    m_timer->setInterval(kUpdateMs);
    connect(m_timer, &QTimer::timeout, this, &StatisticsPanel::update);
    m_timer->start();
    drawHistogram();
    drawTrend();
}

StatisticsPanel::~StatisticsPanel()
{
    m_thread->quit();
    m_thread->wait();
    delete m_binner; // their thread has finished
    delete m_measurer;
}

void StatisticsPanel::setChannel(const QString &styleKey)
{
    if (styleKey != m_channel)
        clearTrend(); // a trend of one channel only
    m_channel = styleKey;
    m_histogramStyleKey.clear();
    update();
}

void StatisticsPanel::setBins(int bins)
{
    bins = std::clamp(bins, int(kMinBins), int(kMaxBins));
    if (bins == m_bins)
        return;
    m_bins = bins;
    {
        const QSignalBlocker block(m_binsBox);
        m_binsBox->setValue(bins);
    }
    update();
    Q_EMIT changed();
}

void StatisticsPanel::setBetweenCursors(bool on)
{
    if (on == m_betweenCursors)
        return;
    m_betweenCursors = on;
    {
        const QSignalBlocker block(m_range);
        m_range->setCurrentIndex(on ? 1 : 0);
    }
    m_histogramStyleKey.clear(); // bin again
    update();
    Q_EMIT changed();
}

void StatisticsPanel::setMeasurement(const QString &id)
{
    const QString known = MeasurementsPanel::kind(id) ? id : kDefaultMeasurement;
    if (known == m_measurement)
        return;
    m_measurement = known;
    {
        const QSignalBlocker block(m_measurementBox);
        m_measurementBox->setCurrentIndex(m_measurementBox->findData(known));
    }
    clearTrend(); // a trend of one measurement only
    update();
    Q_EMIT changed();
}

void StatisticsPanel::clearTrend()
{
    m_trend.clear();
    m_trendFloor = m_serial; // answers to earlier requests are not added
    m_trendLastTo = -std::numeric_limits<double>::infinity();
    m_trendSkipped = 0;
    drawTrend();
}

QJsonObject StatisticsPanel::saveState() const
{
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("statistics") },
        { QStringLiteral("channel"), m_channel }, { QStringLiteral("bins"), m_bins },
        { QStringLiteral("measurement"), m_measurement },
        { QStringLiteral("range"), m_betweenCursors ? QStringLiteral("cursors") : QStringLiteral("window") } };
}

void StatisticsPanel::restoreState(const QJsonObject &state)
{
    setChannel(state.value(QStringLiteral("channel")).toString());
    setBins(state.value(QStringLiteral("bins")).toInt(kDefaultBins));
    setMeasurement(state.value(QStringLiteral("measurement")).toString(kDefaultMeasurement));
    setBetweenCursors(state.value(QStringLiteral("range")).toString() == QLatin1String("cursors"));
}

void StatisticsPanel::setScope(ScopeView *scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    clearTrend(); // the trend was of the other view's windows
    update();
}

void StatisticsPanel::refreshChannels()
{
    if (!m_scope)
        return;
    const QVector<ScopeView::ShownChannel> shown = m_scope->shownChannels();
    const int i = syncChannelChooser(m_channels, shown, m_channel);
    if (i < 0) {
        m_key = ChannelKey();
        m_label.clear();
        m_unit.clear();
        return;
    }
    if (!(shown[i].key == m_key) && !m_key.instrumentId.isEmpty())
        clearTrend(); // the channel followed went away or another one came first
    m_key = shown[i].key;
    m_label = shown[i].label;
    m_unit = shown[i].unit;
}

void StatisticsPanel::update()
{
    refreshChannels();
    if (!m_scope || !isVisible() || m_key.instrumentId.isEmpty())
        return; // a hidden dock costs nothing
    const QString styleKey = m_channels->currentData().toString();
    const quint64 revision = m_store->revision();
    const auto [winFrom, winTo] = m_scope->visibleTimeRange();

    // The histogram: the window shown or between the cursors.
    double from = winFrom, to = winTo;
    if (m_betweenCursors && m_scope->cursorsVisible()) {
        const auto [t1, t2] = m_scope->timeCursors();
        from = std::min(t1, t2);
        to = std::max(t1, t2);
    }
    if (styleKey != m_histogramStyleKey || from != m_lastFrom || to != m_lastTo || m_bins != m_lastBins
        || revision != m_lastRevision) {
        m_histogramStyleKey = styleKey;
        m_lastFrom = from;
        m_lastTo = to;
        m_lastBins = m_bins;
        m_lastRevision = revision;
        m_binner->request({ m_key, from, to, m_bins, ++m_serial });
    }

    // The trend: one measurement of the window shown each time it moves on. When the data the
    // trend was taken from is gone (Clear Display restarts the timeline), it starts again.
    if (!m_trend.isEmpty()) {
        const TimeRange held = m_store->timeRange(m_key);
        if (!held.valid || held.last < m_trendDataLast)
            clearTrend();
    }
    if (winTo > m_trendLastTo && (m_trend.isEmpty() || winTo > m_trend.last().t)) {
        m_trendLastTo = winTo;
        m_measurer->request({ { m_key }, winFrom, winTo, ++m_serial });
    }
}

QString StatisticsPanel::channelLabel() const
{
    return m_label.isEmpty() ? tr("no channel") : m_label;
}

void StatisticsPanel::showHistogram(const HistogramWorker::ResultPtr &result)
{
    if (result && ((m_histogram && result->serial < m_histogram->serial) || !(result->key == m_key)))
        return; // an older answer than the one shown, or for the channel shown before
    if (result) {
        m_histogram = result;
        ++m_histogramsShown;
    }
    drawHistogram();
}

int StatisticsPanel::ticksFor(const QWidget *chart, int most)
{
    return std::clamp(chart->width() / 90, 2, most); // a label needs about 90 pixels
}

void StatisticsPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (!m_histogramView || !m_trendView)
        return;
    drawHistogram(); // as many ticks as fit
    drawTrend();
}

void StatisticsPanel::drawHistogram()
{
    const HistogramWorker::ResultPtr &result = m_histogram;
    const HistogramResult *h = result ? &result->histogram : nullptr;
    const QString unit = m_unit;
    QList<QPointF> outline;
    if (h && !h->counts.isEmpty()) {
        const double w = h->binWidth();
        quint64 top = 0;
        outline.reserve(2 * h->counts.size() + 2);
        outline.append({ h->lo, 0.0 });
        for (int b = 0; b < h->counts.size(); ++b) {
            const double c = double(h->counts[b]);
            outline.append({ h->lo + w * b, c });
            outline.append({ b + 1 == h->counts.size() ? h->hi : h->lo + w * (b + 1), c });
            top = std::max(top, h->counts[b]);
        }
        outline.append({ h->hi, 0.0 });
        const double pad = (h->hi - h->lo) * 0.02; // room for the outer tick labels
        setEngineeringTicks(m_histogramX, h->lo - pad, h->hi + pad, unit, ticksFor(m_histogramView, 8));
        setEngineeringTicks(m_histogramY, 0.0, std::max(1.0, double(top) * 1.05), QString(), 5);
    } else {
        setEngineeringTicks(m_histogramX, -1.0, 1.0, unit, 4);
        setEngineeringTicks(m_histogramY, 0.0, 1.0, QString(), 2);
    }
    m_histogramOutline->replace(outline);
    m_histogramX->setTitleText(channelLabel()); // as in the legend, with its unit: "Sine [V]"
    const QString where = m_betweenCursors && m_scope && m_scope->cursorsVisible() ? tr("between the cursors") : tr("window");
    m_histogramChart->setTitle(result ? tr("Histogram of %1, %2 %3 … %4")
                                            .arg(channelLabel(), where,
                                                EngineeringFormat::format(result->from, QStringLiteral("s"), 6),
                                                EngineeringFormat::format(result->to, QStringLiteral("s"), 6))
                                      : tr("Histogram of %1").arg(channelLabel()));
    m_histogramLine->setText(histogramText());
}

QString StatisticsPanel::histogramText() const
{
    if (!m_histogram)
        return tr("Waiting for samples…");
    const HistogramResult &h = m_histogram->histogram;
    QStringList parts;
    if (h.count == 0) {
        parts.append(tr("No samples with a value in this range"));
    } else {
        parts.append(tr("%1 samples").arg(EngineeringFormat::formatInteger(qint64(h.count))));
        if (h.mean) {
            const double scale = std::max(std::abs(h.min.value_or(0.0)), std::abs(h.max.value_or(0.0)));
            parts.append(tr("mean %1").arg(fmt(EngineeringFormat::roundingToZero(*h.mean, scale), m_unit)));
        }
        if (h.stdDev)
            parts.append(tr("std %1").arg(fmt(*h.stdDev, m_unit)));
        if (h.min)
            parts.append(tr("min %1").arg(fmt(*h.min, m_unit)));
        if (h.max)
            parts.append(tr("max %1").arg(fmt(*h.max, m_unit)));
        if (h.median)
            parts.append(tr("median ≈ %1 (from the bins, ± %2)").arg(fmt(*h.median, m_unit), fmt(h.binWidth(), m_unit)));
        parts.append(tr("%1 bins of %2").arg(h.counts.size()).arg(fmt(h.binWidth(), m_unit)));
    }
    if (h.nonFinite > 0)
        parts.append(tr("⚠ %1 NaN/∞ not binned").arg(EngineeringFormat::formatInteger(qint64(h.nonFinite))));
    if (h.outside > 0)
        parts.append(tr("%1 outside the range (the data changed while read)")
                         .arg(EngineeringFormat::formatInteger(qint64(h.outside))));
    return parts.join(QStringLiteral(" · "));
}

void StatisticsPanel::addTrendPoint(const WindowMeasurer::ResultPtr &result)
{
    if (!result || result->serial <= m_trendFloor || result->channels.size() != 1
        || !(result->channels[0].key == m_key))
        return; // for a trend cleared since, or another channel
    const std::optional<double> v = measurementValue(result->channels[0].result, m_measurement);
    if (!v) {
        ++m_trendSkipped; // does not apply in this window: no point, never a made-up one
        drawTrend();
        return;
    }
    if (m_trend.append(result->to, *v)) {
        const TimeRange held = m_store->timeRange(m_key);
        m_trendDataLast = held.valid ? held.last : -std::numeric_limits<double>::infinity();
        drawTrend();
    }
}

void StatisticsPanel::drawTrend()
{
    const MeasurementsPanel::Kind *k = MeasurementsPanel::kind(m_measurement);
    const QString title = k ? k->title : m_measurement;
    const QString unit = k ? MeasurementsPanel::unitOf(*k, m_unit) : QString();
    QList<QPointF> points;
    points.reserve(m_trend.size());
    for (int i = 0; i < m_trend.size(); ++i)
        points.append({ m_trend.at(i).t, m_trend.at(i).v });
    m_trendSeries->replace(points);
    m_trendSeries->setPointsVisible(points.size() < 100);
    const MeasurementTrend::Stats s = m_trend.stats();
    if (s.count > 0) {
        const double t0 = m_trend.at(0).t, t1 = m_trend.last().t;
        if (m_trend.size() > 1)
            setEngineeringTicks(m_trendX, t0, t1, QStringLiteral("s"), ticksFor(m_trendView, 6));
        else // one point: a second either side
            setEngineeringTicks(m_trendX, t0 - 1.0, t0 + 1.0, QStringLiteral("s"), ticksFor(m_trendView, 6));
        const auto [lo, hi] = padded(*s.min, *s.max);
        setEngineeringTicks(m_trendY, lo, hi, unit, 5);
    } else {
        setEngineeringTicks(m_trendX, 0.0, 1.0, QStringLiteral("s"), 4);
        setEngineeringTicks(m_trendY, 0.0, 1.0, unit, 2);
    }
    m_trendY->setTitleText(unit.isEmpty() ? title : tr("%1 (%2)").arg(title, unit));
    m_trendChart->setTitle(tr("Trend of %1 of %2").arg(title, channelLabel()));
    m_trendLine->setText(trendText());
}

QString StatisticsPanel::trendText() const
{
    const MeasurementsPanel::Kind *k = MeasurementsPanel::kind(m_measurement);
    const MeasurementTrend::Stats s = m_trend.stats();
    QStringList parts;
    if (s.count == 0) {
        parts.append(tr("No points yet: one comes each time the window moves on"));
    } else {
        parts.append(s.count == 1 ? tr("1 point") : tr("%1 points").arg(EngineeringFormat::formatInteger(qint64(s.count))));
        const auto f = [&](double v) { return k ? MeasurementsPanel::formatValue(*k, v, m_unit) : QString::number(v); };
        parts.append(tr("min %1").arg(f(*s.min)));
        parts.append(tr("mean %1").arg(fmt(*s.mean, k ? MeasurementsPanel::unitOf(*k, m_unit) : QString())));
        parts.append(tr("max %1").arg(f(*s.max)));
        if (s.stdDev)
            parts.append(tr("std %1").arg(fmt(*s.stdDev, k ? MeasurementsPanel::unitOf(*k, m_unit) : QString())));
    }
    if (m_trend.dropped() > 0)
        parts.append(tr("the oldest %1 dropped (the last %2 are kept)")
                         .arg(EngineeringFormat::formatInteger(qint64(m_trend.dropped())),
                             EngineeringFormat::formatInteger(m_trend.capacity())));
    if (m_trendSkipped > 0)
        parts.append(m_trendSkipped == 1 ? tr("1 window where it does not apply (no point)")
                                         : tr("%1 windows where it does not apply (no point)")
                                               .arg(EngineeringFormat::formatInteger(qint64(m_trendSkipped))));
    return parts.join(QStringLiteral(" · "));
}

} // namespace bs
