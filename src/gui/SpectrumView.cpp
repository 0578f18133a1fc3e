// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrumView.h"

#include "PlotOverlay.h"

#include <EngineeringFormat.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPointer>
#include <QSpinBox>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace bs {

namespace {
constexpr QChar kMinus(0x2212);

/// Tick labels with SI prefixes ("2.5 kHz", "500 mV"); plain numbers for units without prefixes.
class SiTicker : public QCPAxisTicker
{
public:
    explicit SiTicker(QString unit)
        : m_unit(std::move(unit))
    {
    }

protected:
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        if (std::abs(tick) < 1e-12 * std::max(std::abs(m_lastStep), 1e-300))
            tick = 0; // "0 Hz", not "1.2e-13 Hz"
        return EngineeringFormat::format(tick, m_unit, 4);
    }
    double getTickStep(const QCPRange &range) override
    {
        m_lastStep = QCPAxisTicker::getTickStep(range);
        return m_lastStep;
    }

private:
    QString m_unit;
    double m_lastStep = 1;
};

class SiLogTicker : public QCPAxisTickerLog
{
public:
    explicit SiLogTicker(QString unit)
        : m_unit(std::move(unit))
    {
    }

protected:
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        return EngineeringFormat::format(tick, m_unit, 4);
    }

private:
    QString m_unit;
};

QString minus(QString text)
{
    return text.replace(QLatin1Char('-'), kMinus);
}
} // namespace

SpectrumView::SpectrumView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("spectrumView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    buildControls();
    layout->addWidget(m_controls);
    setupPlot();
    layout->addWidget(m_plot, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("spectrumStatus"));
    m_status->setContentsMargins(6, 2, 6, 2);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    syncControls();
    redraw();
}

SpectrumView::~SpectrumView() = default;

void SpectrumView::buildControls()
{
    m_controls = new QToolBar(tr("Spectrum"), this);
    m_controls->setObjectName(QStringLiteral("spectrumControls"));

    m_controls->addWidget(new QLabel(tr(" Window "), m_controls));
    m_windowBox = new QComboBox(m_controls);
    m_windowBox->setObjectName(QStringLiteral("spectrumWindowBox"));
    for (SpectrumWindow w : kSpectrumWindows)
        m_windowBox->addItem(spectrumWindowName(w), int(w));
    m_windowBox->setItemData(int(SpectrumWindow::Rectangular),
        tr("No weighting: the narrowest peak, for signals that fit the record exactly (or transients). A tone "
           "between bins reads up to 3.9 dB low and spreads far."),
        Qt::ToolTipRole);
    m_windowBox->setItemData(int(SpectrumWindow::Hann),
        tr("The general choice: good frequency resolution; a tone between bins reads up to 1.4 dB low (the peak "
           "marker corrects it)."),
        Qt::ToolTipRole);
    m_windowBox->setItemData(int(SpectrumWindow::BlackmanHarris),
        tr("Dynamic range: side lobes at −92 dB, to see small tones (harmonics, spurs) beside a large one."),
        Qt::ToolTipRole);
    m_windowBox->setItemData(int(SpectrumWindow::FlatTop),
        tr("Amplitude: every tone reads its level within 0.005 dB wherever it falls; the peaks are wide."),
        Qt::ToolTipRole);
    m_windowBox->setToolTip(tr("The weighting of the record before the FFT (hover over a choice for what it is for)"));
    m_controls->addWidget(m_windowBox);

    m_controls->addWidget(new QLabel(tr("  Scale "), m_controls));
    m_scaleBox = new QComboBox(m_controls);
    m_scaleBox->setObjectName(QStringLiteral("spectrumScaleBox"));
    m_scaleBox->addItem(tr("dB"), int(Scale::Decibels));
    m_scaleBox->addItem(tr("Linear"), int(Scale::Linear));
    m_scaleBox->setToolTip(tr("dB: 20·log10 of the RMS amplitude relative to 1 unit (dBV for volts: 1 V RMS = 0 dBV). "
                              "Linear: the RMS amplitude in the channel's unit."));
    m_controls->addWidget(m_scaleBox);

    m_controls->addWidget(new QLabel(tr("  Frequency "), m_controls));
    m_axisBox = new QComboBox(m_controls);
    m_axisBox->setObjectName(QStringLiteral("spectrumFrequencyAxisBox"));
    m_axisBox->addItem(tr("Linear"), false);
    m_axisBox->addItem(tr("Log"), true);
    m_axisBox->setToolTip(tr("The frequency axis: linear, or logarithmic (decades; DC is not shown)"));
    m_controls->addWidget(m_axisBox);

    m_controls->addWidget(new QLabel(QStringLiteral("  "), m_controls));
    m_peakBox = new QCheckBox(tr("Peak"), m_controls);
    m_peakBox->setObjectName(QStringLiteral("spectrumPeakBox"));
    m_peakBox->setToolTip(tr("Mark the largest tone (DC left out) with its frequency and RMS amplitude, both "
                             "corrected for where the tone falls between two bins"));
    m_controls->addWidget(m_peakBox);
    m_controls->addSeparator();
    m_controls->addWidget(new QLabel(tr("  Averaging "), m_controls));
    m_averagingBox = new QComboBox(m_controls);
    m_averagingBox->setObjectName(QStringLiteral("spectrumAveragingBox"));
    m_averagingBox->addItem(tr("Off"), int(SpectrumAveraging::Off));
    m_averagingBox->addItem(tr("Last N"), int(SpectrumAveraging::Linear)); // "Linear" would be the third one in the bar
    m_averagingBox->addItem(tr("Exponential"), int(SpectrumAveraging::Exponential));
    m_averagingBox->setToolTip(tr("Averages the power of successive spectra: noise settles to a smooth floor, "
                                  "steady tones keep their level. Last N: the mean of the last N spectra (linear averaging). Exponential: "
                                  "each new spectrum weighs 1/N."));
    m_controls->addWidget(m_averagingBox);
    m_averagesBox = new QSpinBox(m_controls);
    m_averagesBox->setObjectName(QStringLiteral("spectrumAveragesBox"));
    m_averagesBox->setRange(2, SpectrumSettings::kMaxAverages);
    m_averagesBox->setPrefix(tr("N = "));
    m_averagesBox->setKeyboardTracking(false);
    m_averagesBox->setToolTip(tr("How many spectra are averaged"));
    m_controls->addWidget(m_averagesBox);
    m_restartButton = new QToolButton(m_controls);
    m_restartButton->setObjectName(QStringLiteral("spectrumRestartButton"));
    m_restartButton->setText(tr("Restart"));
    m_restartButton->setToolTip(tr("Start the average again from the next spectrum"));
    m_controls->addWidget(m_restartButton);


    auto changed = [this] {
        if (!m_programmatic)
            applyControls();
    };
    connect(m_windowBox, &QComboBox::currentIndexChanged, this, changed);
    connect(m_scaleBox, &QComboBox::currentIndexChanged, this, changed);
    connect(m_axisBox, &QComboBox::currentIndexChanged, this, changed);
    connect(m_averagingBox, &QComboBox::currentIndexChanged, this, changed);
    connect(m_averagesBox, &QSpinBox::valueChanged, this, changed);
    connect(m_peakBox, &QCheckBox::toggled, this, changed);
    connect(m_restartButton, &QToolButton::clicked, this, &SpectrumView::restartRequested);
}

void SpectrumView::setupPlot()
{
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("spectrumPlot"));
    m_plot->setMinimumSize(320, 200);
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    const QPen grid(QColor(0xd8, 0xd8, 0xd8), 0, Qt::DotLine);
    m_plot->xAxis->grid()->setPen(grid);
    m_plot->yAxis->grid()->setPen(grid);
    m_plot->xAxis->grid()->setSubGridVisible(false);
    m_plot->xAxis->setLabel(tr("Frequency"));
    m_plot->xAxis2->setVisible(true);
    m_plot->xAxis2->setTickLabels(false);
    m_plot->xAxis2->setTicks(false);
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setTickLabels(false);
    m_plot->yAxis2->setTicks(false);

    m_graph = m_plot->addGraph();
    m_graph->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1));
    m_graph->setAdaptiveSampling(false); // the view decimates itself (min/max per pixel column)

    m_tracer = new QCPItemTracer(m_plot);
    m_tracer->setStyle(QCPItemTracer::tsCircle);
    m_tracer->setSize(9);
    m_tracer->setPen(QPen(QColor(0xd6, 0x27, 0x28), 1.5));
    m_tracer->setBrush(Qt::NoBrush);
    m_tracer->position->setType(QCPItemPosition::ptPlotCoords);

    m_peakLabel = new QCPItemText(m_plot);
    m_peakLabel->setClipToAxisRect(false);
    m_peakLabel->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_peakLabel->position->setAxisRect(m_plot->axisRect());
    m_peakLabel->position->setCoords(0.985, 0.03);
    m_peakLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    m_peakLabel->setPadding(QMargins(6, 3, 6, 3));
    m_peakLabel->setBrush(QColor(255, 255, 255, 230));
    m_peakLabel->setPen(QPen(QColor(0xd6, 0x27, 0x28)));
    m_peakLabel->setColor(QColor(0x20, 0x20, 0x20));
    QFont bold = font();
    bold.setBold(true);
    m_peakLabel->setFont(bold);

    m_emptyItem = addOverlayText(m_plot, m_plot->axisRect(), 0.5, 0.5, Qt::AlignCenter);
    m_emptyItem->setTextAlignment(Qt::AlignCenter);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_emptyItem->setFont(f);
    m_emptyItem->setColor(QColor(0x70, 0x70, 0x70));

    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &SpectrumView::onXRangeChanged);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { showAll(); });
    // The plot area's width is known only after QCustomPlot's layout: a resize re-decimates to the
    // new pixel columns before drawing.
    connect(m_plot, &QCustomPlot::afterLayout, this, [this] {
        if (std::max(1, m_plot->axisRect()->width()) != m_columns) {
            rebuildData();
            updatePeak();
        }
    });
}

void SpectrumView::attach(SpectrumWorker *worker)
{
    QPointer<SpectrumWorker> w(worker);
    worker->setSettings(m_settings);
    connect(this, &SpectrumView::settingsChanged, this, [w](const SpectrumSettings &s) {
        if (w)
            w->setSettings(s);
    });
    connect(this, &SpectrumView::restartRequested, this, [w] {
        if (w)
            w->reset();
    });
    connect(worker, &SpectrumWorker::resultReady, this, &SpectrumView::setResult);
}

void SpectrumView::setSettings(const SpectrumSettings &settings)
{
    m_settings = settings;
    m_settings.averages = std::clamp(m_settings.averages, 2, SpectrumSettings::kMaxAverages);
    syncControls();
    Q_EMIT settingsChanged(m_settings);
}

void SpectrumView::setScale(Scale scale)
{
    m_scale = scale;
    syncControls();
    redraw();
}

void SpectrumView::setLogFrequency(bool on)
{
    m_logFrequency = on;
    m_userZoomed = false;
    syncControls();
    redraw();
}

void SpectrumView::setPeakShown(bool on)
{
    m_peakShown = on;
    syncControls();
    redraw();
}

void SpectrumView::syncControls()
{
    m_programmatic = true;
    m_windowBox->setCurrentIndex(m_windowBox->findData(int(m_settings.window)));
    m_scaleBox->setCurrentIndex(m_scaleBox->findData(int(m_scale)));
    m_axisBox->setCurrentIndex(m_logFrequency ? 1 : 0);
    m_averagingBox->setCurrentIndex(m_averagingBox->findData(int(m_settings.averaging)));
    m_averagesBox->setValue(std::max(2, m_settings.averages));
    m_averagesBox->setEnabled(m_settings.averaging != SpectrumAveraging::Off);
    m_restartButton->setEnabled(m_settings.averaging != SpectrumAveraging::Off);
    m_peakBox->setChecked(m_peakShown);
    m_programmatic = false;
}

void SpectrumView::applyControls()
{
    SpectrumSettings s = m_settings;
    s.window = SpectrumWindow(m_windowBox->currentData().toInt());
    s.averaging = SpectrumAveraging(m_averagingBox->currentData().toInt());
    s.averages = m_averagesBox->value();
    const auto scale = Scale(m_scaleBox->currentData().toInt());
    const bool log = m_axisBox->currentData().toBool();
    if (log != m_logFrequency)
        m_userZoomed = false;
    m_scale = scale;
    m_logFrequency = log;
    m_peakShown = m_peakBox->isChecked();
    const bool settingsDiffer = s.window != m_settings.window || s.averaging != m_settings.averaging
        || s.averages != m_settings.averages;
    m_settings = s;
    syncControls();
    if (settingsDiffer)
        Q_EMIT settingsChanged(m_settings);
    redraw();
}

namespace {
QString averagingKey(SpectrumAveraging a)
{
    switch (a) {
    case SpectrumAveraging::Off:
        return QStringLiteral("off");
    case SpectrumAveraging::Linear:
        return QStringLiteral("linear");
    case SpectrumAveraging::Exponential:
        return QStringLiteral("exponential");
    }
    return {};
}
} // namespace

QJsonObject SpectrumView::saveState() const
{
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("spectrum") },
        { QStringLiteral("window"), spectrumWindowKey(m_settings.window) },
        { QStringLiteral("scale"), m_scale == Scale::Decibels ? QStringLiteral("db") : QStringLiteral("linear") },
        { QStringLiteral("frequency_axis"), m_logFrequency ? QStringLiteral("log") : QStringLiteral("linear") },
        { QStringLiteral("averaging"), averagingKey(m_settings.averaging) },
        { QStringLiteral("averages"), m_settings.averages }, { QStringLiteral("peak"), m_peakShown } };
}

void SpectrumView::restoreState(const QJsonObject &state)
{
    SpectrumSettings s = m_settings;
    spectrumWindowFromKey(state.value(QStringLiteral("window")).toString(), &s.window);
    for (SpectrumAveraging a : { SpectrumAveraging::Off, SpectrumAveraging::Linear, SpectrumAveraging::Exponential })
        if (state.value(QStringLiteral("averaging")).toString() == averagingKey(a))
            s.averaging = a;
    const QJsonValue n = state.value(QStringLiteral("averages"));
    if (n.isDouble() && n.toDouble() >= 2 && n.toDouble() <= SpectrumSettings::kMaxAverages)
        s.averages = n.toInt();
    const QString scale = state.value(QStringLiteral("scale")).toString();
    if (scale == QLatin1String("db") || scale == QLatin1String("linear"))
        m_scale = scale == QLatin1String("db") ? Scale::Decibels : Scale::Linear;
    const QString axis = state.value(QStringLiteral("frequency_axis")).toString();
    if (axis == QLatin1String("log") || axis == QLatin1String("linear"))
        m_logFrequency = axis == QLatin1String("log");
    if (state.value(QStringLiteral("peak")).isBool())
        m_peakShown = state.value(QStringLiteral("peak")).toBool();
    m_userZoomed = false;
    setSettings(s); // syncs the controls, tells the worker
    redraw();
}

void SpectrumView::setResult(bs::SpectrumResultPtr result)
{
    m_result = std::move(result);
    redraw();
}

double SpectrumView::displayValue(double rms) const
{
    return m_scale == Scale::Decibels ? SpectrumResult::decibels(rms) : rms;
}

QString SpectrumView::valueUnit() const
{
    const QString unit = m_result ? m_result->unit : QString();
    if (m_scale == Scale::Decibels) {
        if (unit == QLatin1String("V"))
            return QStringLiteral("dBV");
        return unit.isEmpty() ? tr("dB") : tr("dB re 1 %1").arg(unit);
    }
    return unit.isEmpty() ? tr("RMS") : tr("%1 RMS").arg(unit);
}

QString SpectrumView::peakText() const
{
    if (!m_result || !m_result->ok() || !m_result->peak)
        return {};
    const SpectrumPeak &p = *m_result->peak;
    const QString f = EngineeringFormat::formatSignificant(p.frequency, QStringLiteral("Hz"), 4);
    QString a;
    if (m_scale == Scale::Decibels)
        a = minus(QString::number(SpectrumResult::decibels(p.rms), 'f', 2)) + QLatin1Char(' ') + valueUnit();
    else
        a = EngineeringFormat::formatSignificant(p.rms, m_result->unit, 4) + tr(" RMS");
    return tr("f = %1, %2").arg(f, a);
}

QString SpectrumView::statusText() const
{
    if (!m_result)
        return tr("No spectrum yet.");
    const SpectrumResult &r = *m_result;
    if (!r.ok())
        return r.error;
    QString text = tr("%1: %2 points, %3 per bin, %4 window")
                       .arg(r.channel.isEmpty() ? tr("Spectrum") : r.channel,
                           EngineeringFormat::formatInteger(qint64(r.samples)),
                           EngineeringFormat::formatSignificant(r.binWidth, QStringLiteral("Hz"), 4),
                           spectrumWindowName(r.window));
    if (r.skippedSamples > 0)
        text += tr(" (the newest %1 of %2 samples)")
                    .arg(EngineeringFormat::formatInteger(qint64(r.samples)),
                        EngineeringFormat::formatInteger(qint64(r.samples + r.skippedSamples)));
    if (r.averaging != SpectrumAveraging::Off)
        text += r.averaging == SpectrumAveraging::Linear
            ? tr(", averaged %1 of %2 spectra").arg(r.frames).arg(r.averages)
            : tr(", exponential average, 1/%1 weight, %2 spectra so far").arg(r.averages).arg(r.frames);
    return text;
}

void SpectrumView::showAll()
{
    m_userZoomed = false;
    redraw();
}

void SpectrumView::onXRangeChanged(const QCPRange &range)
{
    if (m_programmatic)
        return;
    m_userZoomed = true;
    m_programmatic = true; // the data is rebuilt for the new range; no recursion
    if (m_result && m_result->ok()) {
        const double top = m_result->frequency(m_result->rms.size() - 1);
        const double bottom = m_logFrequency ? m_result->binWidth : 0.0;
        QCPRange r = range;
        if (r.lower < bottom)
            r.lower = bottom;
        if (r.upper > top)
            r.upper = top;
        if (r.upper > r.lower && (r.lower != range.lower || r.upper != range.upper))
            m_plot->xAxis->setRange(r);
    }
    m_programmatic = false;
    rebuildData();
    updatePeak();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SpectrumView::redraw()
{
    const QString unit = m_result ? m_result->unit : QString();
    m_programmatic = true;
    if (m_logFrequency) {
        m_plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new SiLogTicker(QStringLiteral("Hz"))));
        m_plot->xAxis->grid()->setSubGridVisible(true);
    } else {
        m_plot->xAxis->setScaleType(QCPAxis::stLinear);
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new SiTicker(QStringLiteral("Hz"))));
        m_plot->xAxis->grid()->setSubGridVisible(false);
    }
    if (m_scale == Scale::Decibels) {
        m_plot->yAxis->setLabel(tr("Amplitude [%1]").arg(valueUnit()));
    } else {
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new SiTicker(unit)));
        m_plot->yAxis->setLabel(tr("Amplitude [RMS]"));
    }
    const bool ok = m_result && m_result->ok() && m_result->rms.size() > 1;
    if (ok && !m_userZoomed) {
        const double top = m_result->frequency(m_result->rms.size() - 1);
        m_plot->xAxis->setRange(m_logFrequency ? m_result->binWidth : 0.0, top);
    }
    m_programmatic = false;
    m_emptyItem->setVisible(!ok);
    m_emptyItem->setText(m_result ? m_result->error : tr("No spectrum yet."));
    if (ok && m_result->rms.size() <= 1)
        m_emptyItem->setText(tr("Nothing to show"));
    m_status->setText(statusText());
    m_status->setStyleSheet(m_result && !m_result->ok() ? QStringLiteral("color: #b00020;") : QString());
    rebuildData();
    autoscaleValues();
    updatePeak();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SpectrumView::rebuildData()
{
    QVector<double> keys, values;
    m_columns = std::max(1, m_plot->axisRect()->width());
    if (m_result && m_result->ok() && m_result->rms.size() > 1) {
        const auto &rms = m_result->rms;
        const double bw = m_result->binWidth;
        const QCPRange range = m_plot->xAxis->range();
        const auto last = std::ptrdiff_t(rms.size()) - 1;
        // The bins in view, and one beyond each side so the line runs to the edges.
        auto first = std::ptrdiff_t(std::floor(range.lower / bw)) - 1;
        auto end = std::ptrdiff_t(std::ceil(range.upper / bw)) + 1;
        first = std::clamp<std::ptrdiff_t>(first, m_logFrequency ? 1 : 0, last);
        end = std::clamp<std::ptrdiff_t>(end, first, last);
        const std::ptrdiff_t count = end - first + 1;
        const double left = m_plot->axisRect()->left();
        if (count <= 2 * std::ptrdiff_t(m_columns)) {
            keys.reserve(count);
            values.reserve(count);
            for (std::ptrdiff_t k = first; k <= end; ++k) {
                keys.push_back(double(k) * bw);
                values.push_back(displayValue(rms[std::size_t(k)]));
            }
        } else {
            // Min and max per pixel column, in the order they occur (the same picture every bin gives).
            keys.reserve(2 * m_columns + 4);
            values.reserve(2 * m_columns + 4);
            int column = std::numeric_limits<int>::min();
            std::ptrdiff_t minK = -1, maxK = -1;
            auto flush = [&] {
                if (minK < 0)
                    return;
                const std::ptrdiff_t a = std::min(minK, maxK), b = std::max(minK, maxK);
                keys.push_back(double(a) * bw);
                values.push_back(displayValue(rms[std::size_t(a)]));
                if (b != a) {
                    keys.push_back(double(b) * bw);
                    values.push_back(displayValue(rms[std::size_t(b)]));
                }
            };
            for (std::ptrdiff_t k = first; k <= end; ++k) {
                const double px = m_plot->xAxis->coordToPixel(double(k) * bw) - left;
                const int c = int(std::floor(std::clamp(px, -1.0, double(m_columns))));
                if (c != column) {
                    flush();
                    column = c;
                    minK = maxK = k;
                } else {
                    if (rms[std::size_t(k)] < rms[std::size_t(minK)])
                        minK = k;
                    if (rms[std::size_t(k)] > rms[std::size_t(maxK)])
                        maxK = k;
                }
            }
            flush();
        }
    }
    m_points = int(keys.size());
    m_graph->setData(keys, values, true);
}

void SpectrumView::autoscaleValues()
{
    bool found = false;
    const QCPRange r = m_graph->getValueRange(found);
    if (!found) {
        m_plot->yAxis->setRange(m_scale == Scale::Decibels ? QCPRange(-120, 0) : QCPRange(0, 1));
        return;
    }
    if (m_scale == Scale::Decibels) {
        // Whole 10 dB steps, so the axis holds still while noise moves; at most 200 dB tall.
        const double top = std::ceil((r.upper + 5) / 10) * 10;
        const double bottom = std::max(std::floor((r.lower - 5) / 10) * 10, top - 200);
        m_plot->yAxis->setRange(bottom, std::max(top, bottom + 20));
        // Ticks on round decibels (10 or 20 dB apart), as on an analyser's graticule.
        const double span = m_plot->yAxis->range().size();
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(span <= 50 ? 5 : span <= 100 ? 10 : 20);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
        m_plot->yAxis->setTicker(ticker);
    } else {
        const double top = r.upper > 0 ? r.upper * 1.1 : 1.0;
        m_plot->yAxis->setRange(0, top);
    }
}

void SpectrumView::updatePeak()
{
    const QString text = m_peakShown ? peakText() : QString();
    m_peakLabel->setVisible(!text.isEmpty());
    m_tracer->setVisible(!text.isEmpty());
    m_peakLabel->setText(text);
    if (!text.isEmpty()) {
        const SpectrumPeak &p = *m_result->peak;
        m_tracer->position->setCoords(p.frequency, displayValue(p.rms));
        // The label in the top corner away from the peak, so it never hides the tone it names.
        const double x = m_plot->xAxis->coordToPixel(p.frequency);
        const QRect area = m_plot->axisRect()->rect();
        const bool right = x < area.center().x();
        m_peakLabel->position->setCoords(right ? 0.985 : 0.015, 0.03);
        m_peakLabel->setPositionAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
    }
}

} // namespace bs
