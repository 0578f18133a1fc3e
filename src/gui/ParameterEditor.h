// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ParameterSet.h>

#include <QLabel>
#include <QObject>
#include <QPointer>
#include <QVariant>

class QWidget;

namespace bs {

/// The editing widget of one driver parameter, chosen from its ParameterSpec:
/// Bool → QCheckBox, Int → QSpinBox (QLineEdit beyond 32 bits), Double → QDoubleSpinBox with the
/// unit as suffix (an engineering-notation QLineEdit such as "100 µs" when the range spans many
/// decades), String → QLineEdit (committed on editingFinished), a table String
/// (ParameterSpec::isTable()) → TableParameterWidget (every cell change, Add and Remove sends the
/// whole table), Enum → QComboBox (showing each choice's label, ParameterSpec::enumLabels, and
/// sending its value), read-only → QLabel.
///
/// User edits are reported by `edited()`; values from the device arrive through setValue(), which
/// never emits `edited()` — so a value the driver refuses snaps back to the one it keeps.
///
/// What is typed is checked against the spec where it is typed: text that is not a number, or a
/// number outside the limits, is not sent; the field keeps the text, gets a red frame and the
/// message label below it (messageLabel(), "paramMessage_<key>") says what is wrong in the user's
/// words ("CLOCK1 period: −5 ms is outside 100 ns … 10 000 s"). A refusal by the instrument is shown
/// there too (showProblem()); the message goes when the next value is typed. The widget's object
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
        Table,
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
    /// The unit shown after the value (for a spec whose unit follows another parameter, e.g. the
    /// NV200's µm in closed loop and V in open loop).
    void setUnit(const QString &unit);
    QString unit() const { return m_spec.unit; }
    /// Enum: the values offered (ParameterSet::choices(), e.g. what the connected model accepts),
    /// in this order. A current value not among them stays in the list, greyed out, so that the
    /// field never shows something the device does not hold.
    void setChoices(const QStringList &values);
    /// Enum: the values offered now.
    QStringList choices() const { return m_choices; }

    /// The red message under the field (hidden while there is nothing wrong); the panel puts it in
    /// the form below the field.
    QLabel *messageLabel() const { return m_message; }
    QString problem() const;
    void showProblem(const QString &text);
    void clearProblem();

    /// Decimals a QDoubleSpinBox needs for this spec, or -1 when an engineering line edit suits it
    /// better (range over many decades, values below what 6 decimals show, or a unit that follows
    /// another setting).
    static int spinBoxDecimals(const ParameterSpec &spec);

Q_SIGNALS:
    void edited(const QString &key, const QVariant &value);

private:
    QWidget *createWidget(QWidget *parent);
    QString displayText(const QVariant &value) const;
    void commitText(const QString &text);
    /// Checks `value` against the spec; emits edited() if it passes, else shows why.
    void submit(const QVariant &value);
    /// A spin box left with text it cannot take (out of its range): says why instead of the silent
    /// revert of QAbstractSpinBox.
    void checkSpinBoxText();
    void updateToolTip();
    void fillComboBox();

    ParameterSpec m_spec;
    QStringList m_choices; ///< Enum: offered values
    Kind m_kind = Kind::Label;
    QVariant m_value;
    QPointer<QWidget> m_widget;
    QPointer<QLabel> m_message;
};

} // namespace bs
