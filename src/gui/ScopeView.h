// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScopeSettings.h"

#include <StreamInfo.h>
#include <TraceTypes.h>

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QPoint>
#include <QSet>
#include <QWidget>

class QAction;
class QCPAbstractItem;
class QCPAbstractPlottable;
class QCPAxis;
class QCPGraph;
class QCPRange;
class QCPItemText;
class QCustomPlot;
class QDoubleSpinBox;
class QToolButton;
class QMouseEvent;
class QRubberBand;
class QTimer;
class QToolBar;
class QWheelEvent;

namespace bs {

class ChannelStyles;
class TimeSpanBox;
class TraceStore;

/// The central strip chart: every visible channel of the TraceStore on the session time axis
/// ("Time [s]", one timeline for the whole session: earlier runs stay, each run's start and stop is
/// marked by a thin vertical line), one y axis per unit (by default the first unit on the left, the
/// second on the right, further units alternating; the side of each unit's axis can be changed
/// from the axis' right-click menu and is saved), an axis coloured like its trace when it carries
/// one channel. A compact legend "channel [unit]" above the plot packs as many columns as fit;
/// clicking an entry hides/shows the channel (hidden ones stay listed, greyed).
///
/// Follow mode shows the last `span` seconds (a fresh acquisition fills the screen from the left,
/// then rolls). The Time span field always shows the width really displayed (zooming changes it);
/// a field the user is typing into is never rewritten by the live updates. Mouse and keys: see
/// gestureHelp(): wheel zooms time, Ctrl+wheel the value axes, drag pans time, Shift+drag the value
/// axes, right-drag or Ctrl+drag zooms to a box, Backspace/Esc goes back one zoom step, Home shows
/// all, double-click turns Follow and Autoscale back on (said in the status bar, undone by
/// Backspace). Zooming/panning time turns Follow off, the value axes Autoscale off.
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
    /// Back to the view before the last box zoom, Show All or double-click (Backspace on the plot).
    QAction *zoomBackAction() const { return m_zoomBackAction; }
    /// Goes back one step of the zoom history; false if there is none.
    bool zoomBack();
    int zoomHistoryDepth() const { return int(m_zoomHistory.size()); }
    /// Zooms to the rectangle `pixels` of the plot widget (what a right-drag selects): the time
    /// axis always; the value axes too when the box is at least 5 pixels high.
    void zoomToBox(const QRect &pixels);

    /// The mouse and key gestures of the plot, one per line (tooltip of the "?" button).
    static QString gestureHelp();

    /// A Run or Stop on the session timeline, drawn as a thin vertical line with a label.
    struct RunMarker
    {
        double time = 0.0;
        bool started = true;
    };
    /// Adds a marker; a marker of the same kind less than 1 s after the previous one is the same
    /// Run/Stop reported by another instrument (or by the window and the instrument) and merged.
    void addRunMarker(double time, bool started);
    void clearRunMarkers();
    const QVector<RunMarker> &runMarkers() const { return m_markers; }

    /// Side of the value axis of `unit` (true: right). Units never plotted are on the left.
    bool axisOnRight(const QString &unit) const { return m_axisSides.value(unit, false); }
    void setAxisOnRight(const QString &unit, bool right);
    /// The value axis showing `unit` now, or null.
    QCPAxis *axisForUnitIfShown(const QString &unit) const;

    /// `{"type":"scope", ...}` for the session's views array (see ScopeSettings).
    QJsonObject saveState() const;
    /// Restores a saved view; unknown or missing members keep their defaults, styles of channels
    /// that do not exist are kept for when they appear. Run/Stop marks and the zoom history are
    /// dropped (a new or opened session starts a new timeline).
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
    /// An axis changed side (saved in the session's view).
    void axisSidesChanged();
    /// A short text for the status bar (what a double-click or box zoom did, ...).
    void statusMessage(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Trace
    {
        ChannelKey key;
        QString styleKey;
        ChannelInfo info;
        QCPGraph *graph = nullptr;
        QCPAxis *axis = nullptr;
        int order = 0; ///< position in the store's channel list (legend order)
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
    void onMouseRelease(QMouseEvent *event);
    void onMouseWheel(QWheelEvent *event);
    void onDoubleClick(QMouseEvent *event);
    void onXRangeChanged(const QCPRange &range);
    void toggleLegendItemAt(const QPoint &pos);
    void showContextMenu(const QPoint &pos);
    void rebuildMarkers();
    void updateAxisVisibility();

    struct ViewState
    {
        double xLower = 0.0, xUpper = 0.0, span = 0.0;
        bool follow = true, yAuto = true;
        QMap<QString, QPair<double, double>> yRanges;
    };
    void pushZoomHistory();

    TraceStore *m_store = nullptr;
    ChannelStyles *m_styles = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPItemText *m_emptyItem = nullptr;
    QToolBar *m_controls = nullptr;
    QTimer *m_timer = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_autoYAction = nullptr;
    QAction *m_showAllAction = nullptr;
    QAction *m_zoomBackAction = nullptr;
    QToolButton *m_helpButton = nullptr;
    TimeSpanBox *m_spanBox = nullptr;
    QDoubleSpinBox *m_yMinBox = nullptr;
    QDoubleSpinBox *m_yMaxBox = nullptr;

    QVector<Trace> m_traces;
    QVector<QPair<QString, QCPAxis *>> m_axes; ///< unit → value axis, left axis first
    QList<QCPAxis *> m_extraAxes;
    QList<QMetaObject::Connection> m_axisConnections;
    QMap<QString, QPair<double, double>> m_manualRanges;
    QHash<QString, QString> m_instrumentNames;
    QString m_savedPrimaryUnit;
    QMap<QString, bool> m_axisSides; ///< unit → on the right
    QHash<QCPAbstractPlottable *, QString> m_legendKeys; ///< graph → style key (hidden ones too)
    QSet<QString> m_everShown; ///< style keys plotted at some time: listed in the legend when hidden
    QVector<RunMarker> m_markers;
    QList<QCPAbstractItem *> m_markerItems;
    QVector<ViewState> m_zoomHistory;
    QRubberBand *m_band = nullptr;
    QPoint m_pressPos;

    double m_span = 10.0;
    bool m_follow = true;
    bool m_yAuto = true;
    bool m_running = false;
    bool m_dirty = true;
    bool m_graphsDirty = true;
    bool m_programmatic = false;
    bool m_hasPoints = false;
    bool m_dragInPlot = false;
    bool m_boxing = false;
    bool m_pressOnLegend = false;
    bool m_markersDirty = false;
    quint64 m_revision = 0;
    quint64 m_layoutRevision = ~quint64(0);
    int m_columns = 0;
    int m_maxPoints = 0;
    quint64 m_replots = 0;
};

} // namespace bs
