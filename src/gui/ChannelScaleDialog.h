// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace bs {

class ScopeView;

/// "Channel <name> settings": the non-modal popup of one scope channel (right-click on its legend
/// entry, its trace or its own axis). Colour and visibility (through the view's ChannelStyles, so
/// the instrument panels follow), and the channel's own vertical scale as on a bench scope:
/// "Own scale" gives the channel a value axis of its own in its lane; then "Autoscale" fits that
/// axis to this channel's data alone, or the scale in unit/div ("5 mV", "0.005", SI prefixes
/// welcome; Up/Down step 1-2-5) and the offset (the value at the lane's centre line; Up/Down move
/// it one division) set it exactly: offset ± 4 divisions. Every change applies at once (Enter or
/// leaving the field); a refused value keeps the field's text with a red frame and the reason
/// under it. Fields follow the view (zooming the axis changes the scale) unless being typed into.
class ChannelScaleDialog : public QDialog
{
    Q_OBJECT
public:
    ChannelScaleDialog(ScopeView *view, const QString &styleKey, const QString &name, const QString &unit);

    QString styleKey() const { return m_key; }
    /// The reason the last typed value was refused (empty when it was applied).
    QString message() const;

    QCheckBox *visibleBox() const { return m_visible; }
    QGroupBox *ownScaleGroup() const { return m_own; }
    QCheckBox *autoscaleBox() const { return m_auto; }
    QLineEdit *scaleEdit() const { return m_scale; }
    QLineEdit *offsetEdit() const { return m_offset; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void applyScale();
    void applyOffset();
    void applyOwn(bool on);
    void applyAuto(bool on);
    void pickColor();
    /// Scale and offset shown now: the saved ones, or the axis' range while it autoscales.
    QPair<double, double> effectiveScale() const;
    bool apply(bool autoscale, double perDiv, double offset, QLineEdit *field);
    void showProblem(QLineEdit *field, const QString &text);

    ScopeView *m_view;
    QString m_key;
    QString m_unit;
    QPushButton *m_color = nullptr;
    QCheckBox *m_visible = nullptr;
    QGroupBox *m_own = nullptr;
    QCheckBox *m_auto = nullptr;
    QLineEdit *m_scale = nullptr;
    QLineEdit *m_offset = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace bs
