// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScopeSettings.h"

#include <StreamInfo.h>
#include <TraceTypes.h>
#include <TriggerMonitor.h>

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QPoint>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QAction;
class QCPAbstractItem;
class QCPAbstractPlottable;
class QCPAxis;
class QCPAxisRect;
class QCPMarginGroup;
class QCPGraph;
class QCPRange;
class QCPItemRect;
class QCPItemText;
class QCustomPlot;
class QComboBox;
class QDoubleSpinBox;
class QToolButton;
class QMouseEvent;
class QRubberBand;
class QThread;
class QTimer;
class QToolBar;
class QWheelEvent;

namespace bs {

class ChannelScaleDialog;
class ChannelStyles;
class TimeSpanBox;
class TraceSource;
class TraceStore;
class TriggerBar;

/// The central strip chart: every visible channel of the TraceStore on the session time axis
/// ("Time [s]", one timeline for the whole session: earlier runs stay, each run's start and stop is
/// marked by a thin vertical line), stacked in lanes that share the time axis: one lane per unit
/// (default), per instrument, or one lane for all (lanes()), so that a 50 V step and a 10 mV
/// signal are each readable. Within a lane, one y axis per unit (by default the first unit on the
/// left, the second on the right, further units alternating; the side of each unit's axis can be
/// changed from the axis' right-click menu and is saved), an axis coloured like its trace when it
/// carries one channel. A compact legend "channel [unit]" above the plot packs as many columns as fit;
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
/// by a ≤ 60 Hz timer and only when the store's revision or the view changed; new data alone
/// redraws at most 30 times a second, a dense trace with a 1-pixel line without antialiasing.
class ScopeView : public QWidget
{
    Q_OBJECT
public:
    /// `store`: the live TraceStore, or a recording opened for browsing (not live: no Follow,
    /// Freeze or Triggered mode; Show All shows the whole recording).
    explicit ScopeView(TraceSource *store, QWidget *parent = nullptr);
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
    /// Freeze: the picture stops at the newest sample held now while acquisition and recording go
    /// on; zoom and pan still work on what was there. Unfreezing shows the data again (newer data
    /// that the store kept included).
    bool frozen() const { return m_frozen; }
    void setFrozen(bool on);
    QAction *freezeAction() const { return m_freezeAction; }
    /// Cursors (C): two time cursors across every lane and two value cursors in one lane, dragged
    /// with the mouse, with a read-out of t1, t2, Δt, 1/Δt and y1, y2, ΔY in the lane's unit.
    bool cursorsVisible() const { return m_cursorsOn; }
    void setCursorsVisible(bool on);
    QAction *cursorsAction() const { return m_cursorsAction; }
    /// Times of the two time cursors (seconds on the session timeline).
    QPair<double, double> timeCursors() const { return { m_cursorT[0], m_cursorT[1] }; }
    void setTimeCursors(double t1, double t2);
    /// The lane of the value cursors and their values on its first value axis.
    int valueCursorLane() const { return m_cursorLane; }
    QPair<double, double> valueCursors() const { return { m_cursorY[0], m_cursorY[1] }; }
    void setValueCursors(int lane, double y1, double y2);
    /// The read-out as shown (empty while the cursors are off).
    QString cursorReadout() const;

    /// Triggered mode (a scope): each frame is a window of Time span around a trigger on one
    /// channel, found by a TriggerMonitor on a worker thread (Auto / Normal / Single, the state
    /// shown in the trigger bar, a marker at the trigger and at the level). Roll mode (false) is the
    /// strip chart. Saved with the view.
    bool triggered() const { return m_triggered; }
    void setTriggered(bool on);
    TriggerBar *triggerBar() const { return m_triggerBar; }
    ScopeSettings::Trigger triggerSettings() const;
    void setTriggerSettings(const ScopeSettings::Trigger &trigger);
    /// The monitor's last published state (default while Roll has never been left).
    TriggerMonitor::Snapshot triggerSnapshot() const;
    /// The frame shown (Triggered mode), if any.
    std::optional<TriggerFrame> shownFrame() const { return m_frame; }

    /// A channel drawn now (visible), in legend order.
    struct ShownChannel
    {
        ChannelKey key;
        QString styleKey;
        QString label; ///< as in the legend
        QString unit;
        QColor color;
    };
    QVector<ShownChannel> shownChannels() const;
    /// The time window shown (seconds on the session timeline).
    QPair<double, double> visibleTimeRange() const;

    /// Writes the plot as it is shown (lanes, legend, marks) to `path`: PNG, SVG or PDF by its
    /// extension, at the widget's size (PNG at twice the pixels, for print). False with a message
    /// naming the file and the cause.
    bool exportImage(const QString &path, QString *error) const;

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

    /// How channels are stacked (saved in the view).
    ScopeSettings::Lanes lanes() const { return m_laneMode; }
    void setLanes(ScopeSettings::Lanes lanes);
    /// Lanes shown after the last rebuild (1 when nothing is plotted), top to bottom.
    int laneCount() const { return int(m_lanes.size()); }
    QCPAxisRect *laneRect(int lane) const;
    /// The lane a channel ("inst/stream/channel" style key) is drawn in, or -1.
    int laneOfChannel(const QString &styleKey) const;

    /// Side of the value axis of `unit` (true: right). Units never plotted are on the left.
    bool axisOnRight(const QString &unit) const { return m_axisSides.value(unit, false); }
    void setAxisOnRight(const QString &unit, bool right);
    /// The (first) value axis showing `unit` now, or null.
    QCPAxis *axisForUnitIfShown(const QString &unit) const;

    /// Per channel (style key) vertical scale, as on a bench scope (ScopeViewChannelScale.cpp): a
    /// channel with its own scale gets its own value axis in its lane ("<channel> [unit]", in the
    /// trace's colour), showing offset ± 4 divisions of `perDiv`, or fitted to that channel's data
    /// alone when `autoscale`; the lane then shows its 8 divisions as grid lines. Channels without
    /// one share their unit's axis. Zooming or panning such an axis sets its scale and offset.
    std::optional<ScopeSettings::ChannelScale> channelScale(const QString &styleKey) const;
    /// Gives the channel its own axis with `scale`; a scale that is not a number above zero (or an
    /// offset that is not finite) is refused: false with the reason in `error`, nothing changed.
    bool setChannelScale(const QString &styleKey, const ScopeSettings::ChannelScale &scale, QString *error = nullptr);
    /// Back to the axis shared by the channels of its unit.
    void clearChannelScale(const QString &styleKey);
    /// The value axis a shown channel is drawn on now (its own or its unit's), or null.
    QCPAxis *channelAxis(const QString &styleKey) const;
    /// Opens (or raises) the non-modal "Channel <name> settings" popup: colour, visible, own scale
    /// (autoscale, unit/div, offset). Right-click on a legend entry, a trace or a channel's axis.
    ChannelScaleDialog *openChannelSettings(const QString &styleKey);

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
    /// timer calls this while the view is visible (a dock tabbed behind another costs nothing);
    /// tests may call it directly.
    bool refresh();
    /// Pixel columns of the last pull (= plot area width) and the most points any trace got.
    int columns() const { return m_columns; }
    int maxPointsPerTrace() const { return m_maxPoints; }
    quint64 replotCount() const { return m_replots; }
    int traceCount() const { return int(m_traces.size()); }
    /// Gap markers drawn at the last refresh.
    int gapMarkerCount() const { return m_gapsShown; }

Q_SIGNALS:
    void followChanged(bool on);
    void yAutoChanged(bool on);
    void frozenChanged(bool on);
    /// A cursor moved, or the cursors were turned on or off.
    void cursorsChanged();
    /// Roll/Triggered or a trigger setting changed (saved in the session's view).
    void triggerChanged();
    void spanChanged(double seconds);
    /// An axis changed side (saved in the session's view).
    void axisSidesChanged();
    /// The lane arrangement changed (saved in the session's view).
    void lanesChanged();
    /// A channel's own scale was set, changed or removed (saved in the session's view).
    void channelScalesChanged();
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
        int lane = 0;
    };
    struct Lane
    {
        QString key; ///< unit, instrument id, or empty (single lane)
        QCPAxisRect *rect = nullptr;
    };

    void buildControls();
    /// refresh(); `paced` (the timer): data-only changes at most every kDataRefreshMs.
    bool refreshNow(bool paced);
    void dropLiveControls();
    void setupPlot();
    void rebuildGraphs();
    void resetLanes();
    QString laneKeyOf(const Trace &t) const;
    int laneFor(const QString &laneKey);
    void styleLane(QCPAxisRect *rect);
    void onLaneXRangeChanged(const QCPRange &range);
    /// The lane whose plot area holds `pos`, or -1.
    int laneAt(const QPoint &pos) const;
    /// The lane the mouse was pressed in (lane 0 if none).
    QCPAxisRect *pressedLane() const;
    /// Key of a value axis' range: its unit, with the instrument when lanes are per instrument.
    QString axisKey(int lane, const QString &unit) const;
    QCPAxis *axisFor(int lane, const QString &unit);
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
    void rebuildCursors();
    void updateCursorItems();
    /// The cursor line (0, 1: time; 2, 3: value) within grabbing distance of `pos`, or -1.
    int cursorAt(const QPoint &pos) const;
    void dragCursor(int which, const QPoint &pos);
    QCPAxis *cursorValueAxis() const;
    void buildTrigger();
    void applyTrigger();
    /// In Triggered mode: takes the monitor's newest frame and state; true if the picture changes.
    bool pullTriggerFrame();
    void rebuildTriggerItems();
    /// A band over every gap (missing samples) of each stream shown, in the lanes of its traces.
    void updateGapMarkers();
    void clearGapMarkers();
    void updateTriggerItems();
    void setLevelToMiddle();
    const Trace *triggerTrace() const;
    /// A new value axis in `lane` (key in m_axes, side remembered under `sideKey`).
    QCPAxis *addValueAxis(int lane, const QString &key, const QString &sideKey, const QString &unit);
    // ScopeViewChannelScale.cpp
    QCPAxis *ownAxisFor(const Trace &t);
    void applyChannelScales();
    void onChannelAxisRangeChanged(const QString &styleKey, const QCPRange &range);
    bool channelAxisAutoscaled(const QCPAxis *axis) const;
    bool anyManualChannelScale() const;
    void autoscaleAllChannels();
    void restoreChannelScales(const QMap<QString, ScopeSettings::ChannelScale> &scales);
    /// The channel (style key) whose legend entry, trace or own axis is at `pos`, or empty.
    QString channelAt(const QPoint &pos) const;
    /// "Small", or "pico1: Small" when several instruments are in the legend.
    QString channelTitle(const QString &styleKey) const;

    struct ViewState
    {
        double xLower = 0.0, xUpper = 0.0, span = 0.0;
        bool follow = true, yAuto = true;
        QMap<QString, QPair<double, double>> yRanges;
        QMap<QString, ScopeSettings::ChannelScale> channelScales;
    };
    void pushZoomHistory();

    TraceSource *m_store = nullptr;
    TraceStore *m_liveStore = nullptr; ///< the same object when it is the live store (Triggered mode)
    ChannelStyles *m_styles = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPItemText *m_emptyItem = nullptr;
    QToolBar *m_controls = nullptr;
    QTimer *m_timer = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_autoYAction = nullptr;
    QAction *m_showAllAction = nullptr;
    QAction *m_zoomBackAction = nullptr;
    QAction *m_freezeAction = nullptr;
    QCPItemText *m_frozenItem = nullptr;
    QAction *m_cursorsAction = nullptr;
    bool m_cursorsOn = false;
    bool m_cursorsPlaced = false; ///< positions chosen (first turned on, or set)
    double m_cursorT[2] = { 0.0, 0.0 };
    double m_cursorY[2] = { 0.0, 0.0 };
    int m_cursorLane = 0;
    int m_draggedCursor = -1;
    QList<QCPAbstractItem *> m_cursorItems; ///< time lines (one per lane and cursor), value lines, read-out
    QCPItemText *m_cursorText = nullptr;
    QComboBox *m_modeBox = nullptr;
    TriggerBar *m_triggerBar = nullptr;
    QThread *m_triggerThread = nullptr;
    TriggerMonitor *m_monitor = nullptr;
    bool m_triggered = false;
    quint64 m_triggerPublication = ~quint64(0);
    std::optional<TriggerFrame> m_frame;
    std::optional<ChannelKey> m_appliedChannel;
    ScopeSettings::Trigger m_appliedTrigger;
    double m_appliedSpan = 0.0;
    bool m_triggerApplied = false;
    QList<QCPAbstractItem *> m_triggerItems; ///< trigger time line per lane, its label, level line
    QList<QCPItemRect *> m_gapItems; ///< reused from one refresh to the next (hidden when unused)
    int m_gapsShown = 0;
    QToolButton *m_helpButton = nullptr;
    TimeSpanBox *m_spanBox = nullptr;
    QDoubleSpinBox *m_yMinBox = nullptr;
    QDoubleSpinBox *m_yMaxBox = nullptr;

    QVector<Trace> m_traces;
    QVector<QPair<QString, QCPAxis *>> m_axes; ///< axisKey → value axis, left axis of lane 0 first
    QHash<QCPAxis *, QString> m_axisUnits; ///< value axis → its unit
    QVector<Lane> m_lanes;
    QCPMarginGroup *m_marginGroup = nullptr;
    QComboBox *m_lanesBox = nullptr;
    ScopeSettings::Lanes m_laneMode = ScopeSettings::Lanes::PerUnit;
    int m_pressLane = -1;
    bool m_syncingX = false;
    QList<QCPAxis *> m_extraAxes;
    QList<QMetaObject::Connection> m_axisConnections;
    QMap<QString, QPair<double, double>> m_manualRanges;
    QHash<QString, QString> m_instrumentNames;
    QString m_savedPrimaryUnit;
    QMap<QString, bool> m_axisSides; ///< unit (or style key of a channel's own axis) → on the right
    QMap<QString, ScopeSettings::ChannelScale> m_channelScales; ///< style key → own scale
    QHash<QCPAxis *, QString> m_channelAxes; ///< a channel's own value axis → its style key
    QPointer<ChannelScaleDialog> m_channelDialog;
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
    bool m_frozen = false;
    double m_frozenAt = 0.0; ///< newest sample time when frozen
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
    QElapsedTimer m_sinceReplot; ///< since the last replot (data-only replots are paced by it)
    static constexpr int kDataRefreshMs = 33;
};

} // namespace bs
