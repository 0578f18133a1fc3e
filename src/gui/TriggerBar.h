// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScopeSettings.h"

#include <QToolBar>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace bs {

class TimeSpanBox;

/// The trigger controls of a Triggered scope view, in a tool bar under the view's own: source
/// channel, edge, level and hysteresis (in the source's unit), pre-trigger share, holdoff, sweep
/// (Auto / Normal / Single), Arm (Single) and "50 %" (level to the middle of the visible signal),
/// and the trigger's state in words. Fields being typed into are never rewritten.
class TriggerBar : public QToolBar
{
    Q_OBJECT
public:
    struct Source
    {
        QString styleKey; ///< "inst/stream/channel name"
        QString label; ///< shown in the list (as in the legend: "Name: channel [unit]")
        QString unit;
    };

    explicit TriggerBar(QWidget *parent = nullptr);

    /// The channels that can be triggered on (the view's visible ones); keeps the chosen one if it
    /// is still there, else takes the first (until the chosen one comes back). Emits nothing.
    void setSources(const QVector<Source> &sources);
    /// The settings shown (the source by style key).
    ScopeSettings::Trigger trigger() const;
    void setTrigger(const ScopeSettings::Trigger &trigger);
    /// The state in words ("Waiting for trigger…", "Triggered · 1 234 frames", …) and its colour.
    void setState(const QString &text, const QColor &color);
    QString stateText() const;

Q_SIGNALS:
    /// The user changed a setting.
    void triggerChanged();
    /// Arm pressed: take the next frame (Single).
    void armRequested();
    /// "50 %" pressed: the view sets the level to the middle of the source's visible range.
    void levelToMiddleRequested();

private:
    void updateUnits();
    void emitChanged();

    QComboBox *m_source = nullptr;
    QComboBox *m_edge = nullptr;
    QDoubleSpinBox *m_level = nullptr;
    QDoubleSpinBox *m_hysteresis = nullptr;
    QDoubleSpinBox *m_pre = nullptr;
    TimeSpanBox *m_holdoff = nullptr;
    QComboBox *m_sweep = nullptr;
    QPushButton *m_arm = nullptr;
    QPushButton *m_middle = nullptr;
    QLabel *m_state = nullptr;
    QString m_wanted; ///< style key asked for before its channel exists
    bool m_updating = false;
};

} // namespace bs
