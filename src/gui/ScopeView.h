// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScopeSettings.h"

#include <StreamInfo.h>
#include <TraceTypes.h>

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QWidget>

class QAction;
class QCPAxis;
class QCPGraph;
class QCPItemText;
class QCustomPlot;
class QDoubleSpinBox;
class QMouseEvent;
class QTimer;
class QToolBar;
class QWheelEvent;

namespace bs {

class ChannelStyles;
class TraceStore;

/// The central strip chart: every visible channel of the TraceStore on the session time axis
/// ("Time [s]", seconds since Run), one y axis per unit (left: first unit, right: second, further
/// units alternate left/right), a legend "channel [unit]" above the plot.
///
/// Follow mode shows the last `span` seconds (a fresh acquisition fills the screen from the left,
/// then rolls). Mouse: wheel zooms time, Ctrl+wheel zooms the value axes, drag pans time,
/// Shift+drag pans the value axes; zooming/panning time turns Follow off, on the value axes it
/// turns Autoscale off; a double-click turns both back on.
///
/// Data comes only from TraceStore::envelope() with one column per pixel of the plot width, pulled
/// by a ≤ 60 Hz timer and only when the store's revision or the view changed.
class ScopeView : public QWidget
{
    Q_OBJECT
public:
    explicit ScopeView(TraceStore *store, QWidget *parent = nullptr);
    ~ScopeView() override;

    ChannelStyles *channelStyles() const { return m_styles; }
    QCustomPlot *plot() const { return m_plot; }
    QToolBar *controls() const { return m_controls; }

    double span() const { return m_span; }
    void setSpan(double seconds);
    bool follow() const { return m_follow; }
    void setFollow(bool on);
    bool yAuto() const { return m_yAuto; }
    void setYAuto(bool on);
    /// Manual range of the left (first unit's) axis; turns autoscale off.
    void setYRange(double lower, double upper);
    /// Shows the whole history held by the store (turns Follow off).
    void showAll();

    QAction *followAction() const { return m_followAction; }
    QAction *autoScaleAction() const { return m_autoYAction; }
    QAction *showAllAction() const { return m_showAllAction; }

    /// `{"type":"scope", ...}` for the session's views array (see ScopeSettings).
    QJsonObject saveState() const;
    /// Restores a saved view; unknown or missing members keep their defaults, styles of channels
    /// that do not exist are kept for when they appear.
    void restoreState(const QJsonObject &state);

    /// The name shown for an instrument in the legend when several instruments are plotted
    /// (default: its id).
    void setInstrumentName(const QString &instrumentId, const QString &name);

    /// Tells the empty-state text whether an acquisition is running.
    void setAcquisitionRunning(bool running);
    /// Text shown over the empty plot (only when the store has no channel at all).
    QString emptyText() const;

    /// Pulls new data and replots now if anything changed; returns whether it replotted. The
    /// timer calls this; tests may call it directly.
    bool refresh();
    /// Pixel columns of the last pull (= plot area width) and the most points any trace got.
    int columns() const { return m_columns; }
    int maxPointsPerTrace() const { return m_maxPoints; }
    quint64 replotCount() const { return m_replots; }
    int traceCount() const { return int(m_traces.size()); }

Q_SIGNALS:
    void followChanged(bool on);
    void yAutoChanged(bool on);
    void spanChanged(double seconds);

private:
    struct Trace
    {
        ChannelKey key;
        QString styleKey;
        ChannelInfo info;
        QCPGraph *graph = nullptr;
        QCPAxis *axis = nullptr;
    };

    void buildControls();
    void setupPlot();
    void rebuildGraphs();
    QCPAxis *axisForUnit(const QString &unit);
    QString legendName(const Trace &t, bool multiInstrument) const;
    void updateLegendWrap();
    void updateXRange();
    void fetchData();
    void autoscale();
    void updateEmptyText();
    void syncControls();
    void storeManualRanges();
    void onMousePress(QMouseEvent *event);
    void onMouseMove(QMouseEvent *event);
    void onMouseWheel(QWheelEvent *event);

    TraceStore *m_store = nullptr;
    ChannelStyles *m_styles = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPItemText *m_emptyItem = nullptr;
    QToolBar *m_controls = nullptr;
    QTimer *m_timer = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_autoYAction = nullptr;
    QAction *m_showAllAction = nullptr;
    QDoubleSpinBox *m_spanBox = nullptr;
    QDoubleSpinBox *m_yMinBox = nullptr;
    QDoubleSpinBox *m_yMaxBox = nullptr;

    QVector<Trace> m_traces;
    QVector<QPair<QString, QCPAxis *>> m_axes; ///< unit → value axis, left axis first
    QList<QCPAxis *> m_extraAxes;
    QList<QMetaObject::Connection> m_axisConnections;
    QMap<QString, QPair<double, double>> m_manualRanges;
    QHash<QString, QString> m_instrumentNames;
    QString m_savedPrimaryUnit;

    double m_span = 10.0;
    bool m_follow = true;
    bool m_yAuto = true;
    bool m_running = false;
    bool m_dirty = true;
    bool m_graphsDirty = true;
    bool m_programmatic = false;
    bool m_hasPoints = false;
    bool m_dragInPlot = false;
    quint64 m_revision = 0;
    quint64 m_layoutRevision = ~quint64(0);
    int m_columns = 0;
    int m_maxPoints = 0;
    quint64 m_replots = 0;
};

} // namespace bs
