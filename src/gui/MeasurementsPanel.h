// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <WindowMeasurer.h>

#include <QColor>
#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QThread;
class QTimer;
class QToolButton;

namespace bs {

class ScopeView;
class TraceSource;

/// The automatic measurements of every channel the scope shows, over the window shown or between
/// the time cursors: a table of channels × chosen measurements (minimum … edges), each value with
/// its unit and SI prefix, "—" where a measurement does not apply (with the reason in its tooltip).
/// The numbers are computed by a WindowMeasurer on a worker thread, at most 4 times a second and
/// only when the window or the data changed; the GUI thread only fills the table.
class MeasurementsPanel : public QWidget
{
    Q_OBJECT
public:
    /// A measurement the panel can show; `id` is the key used by benchscope-inspect's JSON.
    struct Kind
    {
        QString id, title, tip;
        enum class Unit { Channel, Seconds, Hertz, Percent, Count } unit;
    };
    static const QVector<Kind> &kinds();
    /// The kind with this id, or null.
    static const Kind *kind(const QString &id);
    /// The unit of a kind's values: the channel's, "s", "Hz", "%", or none for a count.
    static QString unitOf(const Kind &kind, const QString &channelUnit);
    /// A value as the table shows it: 4 significant digits and an SI prefix ("7.071 mV"), a count exactly.
    static QString formatValue(const Kind &kind, double value, const QString &channelUnit);

    MeasurementsPanel(TraceSource *store, ScopeView *scope, QWidget *parent = nullptr);
    ~MeasurementsPanel() override;

    /// The scope view whose channels and window are measured (the main window's current view).
    /// Held by a QPointer: a view deleted meanwhile leaves the panel idle, never dangling.
    ScopeView *scope() const { return m_scope; }
    void setScope(ScopeView *scope);

    QStringList columns() const { return m_columns; }
    void setColumns(const QStringList &ids);
    bool betweenCursors() const { return m_betweenCursors; }
    void setBetweenCursors(bool on);
    /// `{"type":"measurements","columns":["min",…],"range":"window"|"cursors"}`; lenient.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

    /// Posts a measurement of what the scope shows now, if anything changed (the timer calls it).
    void update();
    QTableWidget *table() const { return m_table; }
    quint64 resultsShown() const { return m_resultsShown; }
    /// The text of a cell: row = channel in the scope's order, `id` a measurement.
    QString cellText(int row, const QString &id) const;

Q_SIGNALS:
    /// Columns or range changed (saved in the session).
    void changed();

private:
    void buildColumnsMenu();
    void rebuildHeader();
    void showResult(const WindowMeasurer::ResultPtr &result);

    TraceSource *m_store;
    QPointer<ScopeView> m_scope;
    QThread *m_thread = nullptr;
    WindowMeasurer *m_measurer = nullptr;
    QTimer *m_timer = nullptr;
    QComboBox *m_range = nullptr;
    QToolButton *m_columnsButton = nullptr;
    QLabel *m_note = nullptr;
    QTableWidget *m_table = nullptr;
    QStringList m_columns;
    bool m_betweenCursors = false;
    quint64 m_serial = 0;
    quint64 m_resultsShown = 0;
    /// What the last request asked for, to skip asking again when nothing changed.
    QVector<ChannelKey> m_lastKeys;
    double m_lastFrom = 0.0, m_lastTo = -1.0;
    quint64 m_lastRevision = ~quint64(0);
    struct Info
    {
        QString label, unit;
        QColor color;
    };
    QHash<ChannelKey, Info> m_info; ///< of the channels asked for
    WindowMeasurer::ResultPtr m_shown;
};

} // namespace bs
