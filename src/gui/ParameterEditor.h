// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ParameterSet.h>

#include <QObject>
#include <QPointer>
#include <QVariant>

class QWidget;

namespace bs {

/// The editing widget of one driver parameter, chosen from its ParameterSpec:
/// Bool → QCheckBox, Int → QSpinBox (QLineEdit beyond 32 bits), Double → QDoubleSpinBox with the
/// unit as suffix (an engineering-notation QLineEdit such as "100 µs" when the range spans many
/// decades), String → QLineEdit (committed on editingFinished), Enum → QComboBox, read-only → QLabel.
///
/// User edits are reported by `edited()`; values from the device arrive through setValue(), which
/// never emits `edited()` — so a value the driver refuses simply snaps back. The widget's object
/// name is "param_<key>".
class ParameterEditor : public QObject
{
    Q_OBJECT
public:
    enum class Kind {
        CheckBox,
        SpinBox,
        IntLineEdit,
        DoubleSpinBox,
        EngineeringLineEdit,
        LineEdit,
        ComboBox,
        Label
    };

    ParameterEditor(const ParameterSpec &spec, const QVariant &value, QWidget *parent);

    QString key() const { return m_spec.key; }
    const ParameterSpec &spec() const { return m_spec; }
    Kind kind() const { return m_kind; }
    QWidget *widget() const { return m_widget; }
    /// The value the device last reported.
    QVariant value() const { return m_value; }
    /// Shows a value read back from the device (no `edited()`).
    void setValue(const QVariant &value);

    /// Decimals a QDoubleSpinBox needs for this spec, or -1 when an engineering line edit suits it
    /// better (range over many decades, or values below what 6 decimals show).
    static int spinBoxDecimals(const ParameterSpec &spec);

Q_SIGNALS:
    void edited(const QString &key, const QVariant &value);

private:
    QWidget *createWidget(QWidget *parent);
    QString displayText(const QVariant &value) const;
    void commitText(const QString &text);

    ParameterSpec m_spec;
    Kind m_kind = Kind::Label;
    QVariant m_value;
    QPointer<QWidget> m_widget;
};

} // namespace bs
