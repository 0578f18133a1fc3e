// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <HistogramWorker.h>
#include <MeasurementTrend.h>
#include <WindowMeasurer.h>

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <limits>

class QAreaSeries;
class QCategoryAxis;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QSpinBox;
class QThread;
class QTimer;

namespace bs {

class ScopeView;
class TraceSource;

/// The Statistics dock (issue 14): for one channel of the scope, the histogram of its samples in
/// the window shown (or between the time cursors) and the trend of a chosen measurement (one of
/// the Measurements dock's 16) over time, one point each time the window moves on, both drawn with
/// Qt Charts. The samples are binned and measured on a worker thread (HistogramWorker and
/// WindowMeasurer, newest request only), at most 4 times a second while the dock is visible; the
/// GUI thread only draws the results.
class StatisticsPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMinBins = 16, kMaxBins = 1024, kDefaultBins = 100;

    StatisticsPanel(TraceSource *store, ScopeView *scope, QWidget *parent = nullptr);
    ~StatisticsPanel() override;

    /// The channel shown (style key "inst/stream/channel name"), empty for the first one.
    QString channel() const { return m_channel; }
    void setChannel(const QString &styleKey);
    int bins() const { return m_bins; }
    void setBins(int bins);
    bool betweenCursors() const { return m_betweenCursors; }
    void setBetweenCursors(bool on);
    /// The measurement followed in the trend (an id of MeasurementsPanel::kinds()).
    QString measurement() const { return m_measurement; }
    void setMeasurement(const QString &id);
    /// Empties the trend (also done when the channel or measurement changes, or the data the
    /// trend was taken from was cleared).
    void clearTrend();
    /// `{"type":"statistics","channel","bins","measurement","range":"window"|"cursors"}`; lenient.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

    /// Asks for a new histogram and trend point if anything changed (the timer calls it).
    void update();
    /// The scope view followed (the main window's current view). Held by a QPointer: a view
    /// deleted meanwhile leaves the panel idle.
    void setScope(ScopeView *scope);

    const HistogramWorker::ResultPtr &histogram() const { return m_histogram; }
    const MeasurementTrend &trend() const { return m_trend; }
    quint64 histogramsShown() const { return m_histogramsShown; }
    QString histogramText() const;
    QString trendText() const;
    QChartView *histogramView() const { return m_histogramView; }
    QChartView *trendView() const { return m_trendView; }

protected:
    void resizeEvent(QResizeEvent *event) override;

Q_SIGNALS:
    /// A choice saved in the session changed.
    void changed();

private:
    void refreshChannels();
    void showHistogram(const HistogramWorker::ResultPtr &result);
    void drawHistogram();
    /// How many ticks an axis across `chart` gets: as many as fit, at most `most`.
    static int ticksFor(const QWidget *chart, int most);
    void addTrendPoint(const WindowMeasurer::ResultPtr &result);
    void drawTrend();
    QString channelLabel() const;

    TraceSource *m_store;
    QPointer<ScopeView> m_scope;
    QThread *m_thread = nullptr;
    HistogramWorker *m_binner = nullptr;
    WindowMeasurer *m_measurer = nullptr;
    QTimer *m_timer = nullptr;

    QComboBox *m_channels = nullptr;
    QComboBox *m_range = nullptr;
    QSpinBox *m_binsBox = nullptr;
    QComboBox *m_measurementBox = nullptr;
    QLabel *m_histogramLine = nullptr;
    QLabel *m_trendLine = nullptr;
    QChartView *m_histogramView = nullptr;
    QChart *m_histogramChart = nullptr;
    QLineSeries *m_histogramOutline = nullptr;
    QAreaSeries *m_histogramArea = nullptr;
    QCategoryAxis *m_histogramX = nullptr, *m_histogramY = nullptr;
    QChartView *m_trendView = nullptr;
    QChart *m_trendChart = nullptr;
    QLineSeries *m_trendSeries = nullptr;
    QCategoryAxis *m_trendX = nullptr, *m_trendY = nullptr;

    QString m_channel;
    int m_bins = kDefaultBins;
    bool m_betweenCursors = false;
    QString m_measurement;
    /// The channel's key, label and unit as last listed (what the requests are for).
    ChannelKey m_key;
    QString m_label, m_unit;

    quint64 m_serial = 0;
    quint64 m_histogramsShown = 0;
    HistogramWorker::ResultPtr m_histogram;
    QString m_histogramStyleKey; ///< the channel last asked for, and what it was asked with:
    double m_lastFrom = 0.0, m_lastTo = -1.0;
    int m_lastBins = 0;
    quint64 m_lastRevision = ~quint64(0);

    MeasurementTrend m_trend;
    quint64 m_trendFloor = 0; ///< results of requests up to this serial belong to an older trend
    double m_trendLastTo = -std::numeric_limits<double>::infinity(); ///< the window end last measured for the trend
    /// The newest sample held when the last point was added: data ending before it was cleared.
    double m_trendDataLast = 0.0;
    quint64 m_trendSkipped = 0; ///< windows measured where the measurement did not apply
};

} // namespace bs
