// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QThread;
class QTimer;

namespace bs {

class ScopeView;
class SpectrumSource;
class SpectrumView;
class SpectrumWorker;
class TraceSource;

/// The spectrum of one channel of the scope, as a dock of the main window: a channel list and a
/// SpectrumView. What is transformed is the time window the scope shows (its newest evenly spaced
/// samples without a gap, at most 2^20), read and transformed on a worker thread 5 times a second
/// while the dock is visible and the data or the window changed.
class SpectrumPanel : public QWidget
{
    Q_OBJECT
public:
    SpectrumPanel(TraceSource *store, ScopeView *scope, QWidget *parent = nullptr);
    ~SpectrumPanel() override;

    SpectrumView *view() const { return m_view; }
    /// The scope view whose channels and window are transformed (the main window's current
    /// view). Held by a QPointer: a view deleted meanwhile leaves the panel idle, never dangling.
    ScopeView *scope() const { return m_scope; }
    void setScope(ScopeView *scope);
    /// The channel shown (style key "inst/stream/channel name"), empty for the first one.
    QString channel() const { return m_channel; }
    void setChannel(const QString &styleKey);
    /// The view's choices plus `"channel"` (`{"type":"spectrum",…}` for the session's views).
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);
    /// Asks for a new spectrum if the channel list, window or data changed (the timer calls it).
    void update();

Q_SIGNALS:
    void changed();

private:
    TraceSource *m_store;
    QPointer<ScopeView> m_scope;
    QComboBox *m_channels = nullptr;
    SpectrumView *m_view = nullptr;
    QThread *m_thread = nullptr;
    SpectrumWorker *m_worker = nullptr;
    SpectrumSource *m_source = nullptr;
    QTimer *m_timer = nullptr;
    QString m_channel;
    QString m_lastKey;
    double m_lastFrom = 0.0, m_lastTo = -1.0;
    quint64 m_lastRevision = ~quint64(0);
};

} // namespace bs
