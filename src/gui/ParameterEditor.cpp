// SPDX-License-Identifier: GPL-3.0-or-later
#include "ParameterEditor.h"

#include "EngineeringFormat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

namespace {
constexpr double kIntMin = double(std::numeric_limits<int>::min());
constexpr double kIntMax = double(std::numeric_limits<int>::max());

/// Stops an unfocused spin box or combo box from eating the wheel while the user scrolls the
/// panel (a classic way to change a setting by accident).
class WheelGuard : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Wheel) {
            auto *w = qobject_cast<QWidget *>(watched);
            if (w && !w->hasFocus()) {
                event->ignore();
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

void guardWheel(QWidget *w)
{
    w->setFocusPolicy(Qt::StrongFocus);
    w->installEventFilter(new WheelGuard(w));
}

QString rangeToolTip(const ParameterSpec &s)
{
    QString tip = s.toolTip;
    if ((s.type == ParameterSpec::Type::Int || s.type == ParameterSpec::Type::Double)
        && std::isfinite(s.minimum) && std::isfinite(s.maximum)) {
        const QString range = QObject::tr("Range: %1 … %2")
                                  .arg(EngineeringFormat::format(s.minimum, s.unit),
                                      EngineeringFormat::format(s.maximum, s.unit));
        tip = tip.isEmpty() ? range : tip + QLatin1Char('\n') + range;
    }
    return tip;
}
} // namespace

ParameterEditor::ParameterEditor(const ParameterSpec &spec, const QVariant &value, QWidget *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_value(value)
{
    m_widget = createWidget(parent);
    m_widget->setObjectName(QStringLiteral("param_") + spec.key);
    m_widget->setToolTip(rangeToolTip(spec));
    setValue(value);
}

int ParameterEditor::spinBoxDecimals(const ParameterSpec &s)
{
    if (!std::isfinite(s.minimum) || !std::isfinite(s.maximum) || s.maximum - s.minimum > 1e9)
        return -1;
    const double span = s.maximum - s.minimum;
    int decimals = span > 0 ? std::clamp(4 - int(std::floor(std::log10(span))), 0, 6) : 3;
    // The smallest non-zero magnitude that must be shown exactly.
    for (double v : { s.minimum, s.maximum, s.defaultValue.toDouble() }) {
        if (v == 0.0)
            continue;
        while (decimals <= 6
            && std::abs(std::round(v * std::pow(10.0, decimals)) / std::pow(10.0, decimals) - v)
                > std::abs(v) * 1e-9)
            ++decimals;
    }
    return decimals > 6 ? -1 : decimals;
}

QWidget *ParameterEditor::createWidget(QWidget *parent)
{
    using Type = ParameterSpec::Type;
    const QString suffix = m_spec.unit.isEmpty() ? QString() : QLatin1Char(' ') + m_spec.unit;
    if (m_spec.readOnly) {
        m_kind = Kind::Label;
        auto *l = new QLabel(parent);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setWordWrap(true); // long read-backs (device identity) wrap instead of widening the panel
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        return l;
    }
    switch (m_spec.type) {
    case Type::Bool: {
        m_kind = Kind::CheckBox;
        auto *c = new QCheckBox(parent);
        connect(c, &QCheckBox::clicked, this, [this](bool on) { Q_EMIT edited(m_spec.key, on); });
        return c;
    }
    case Type::Int:
        if (m_spec.minimum >= kIntMin && m_spec.maximum <= kIntMax) {
            m_kind = Kind::SpinBox;
            auto *sb = new QSpinBox(parent);
            sb->setRange(int(m_spec.minimum), int(m_spec.maximum));
            sb->setSpecialValueText(m_spec.specialValueText);
            sb->setSuffix(suffix);
            sb->setKeyboardTracking(false);
            sb->setAccelerated(true);
            guardWheel(sb);
            connect(
                sb, &QSpinBox::valueChanged, this, [this](int v) { Q_EMIT edited(m_spec.key, qint64(v)); });
            return sb;
        } else {
            m_kind = Kind::IntLineEdit;
            auto *le = new QLineEdit(parent);
            le->setValidator(
                new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-?[0-9]{0,19}")), le));
            connect(le, &QLineEdit::editingFinished, this, [this, le] { commitText(le->text()); });
            return le;
        }
    case Type::Double: {
        const int decimals = spinBoxDecimals(m_spec);
        if (decimals >= 0) {
            m_kind = Kind::DoubleSpinBox;
            auto *sb = new QDoubleSpinBox(parent);
            sb->setDecimals(decimals);
            sb->setRange(m_spec.minimum, m_spec.maximum);
            const double span = m_spec.maximum - m_spec.minimum;
            sb->setSingleStep(span > 0 ? std::pow(10.0, std::floor(std::log10(span)) - 2) : 1.0);
            sb->setSuffix(suffix);
            sb->setKeyboardTracking(false);
            sb->setAccelerated(true);
            guardWheel(sb);
            connect(
                sb, &QDoubleSpinBox::valueChanged, this, [this](double v) { Q_EMIT edited(m_spec.key, v); });
            return sb;
        }
        m_kind = Kind::EngineeringLineEdit;
        auto *le = new QLineEdit(parent);
        le->setPlaceholderText(EngineeringFormat::format(1e-3, m_spec.unit));
        connect(le, &QLineEdit::editingFinished, this, [this, le] { commitText(le->text()); });
        return le;
    }
    case Type::String: {
        m_kind = Kind::LineEdit;
        auto *le = new QLineEdit(parent);
        connect(le, &QLineEdit::editingFinished, this, [this, le] { commitText(le->text()); });
        return le;
    }
    case Type::Enum: {
        m_kind = Kind::ComboBox;
        auto *cb = new QComboBox(parent);
        cb->addItems(m_spec.enumValues);
        cb->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        cb->setMinimumContentsLength(8);
        guardWheel(cb);
        connect(cb, &QComboBox::activated, this,
            [this, cb](int i) { Q_EMIT edited(m_spec.key, cb->itemText(i)); });
        return cb;
    }
    }
    return new QLabel(parent);
}

void ParameterEditor::commitText(const QString &text)
{
    auto *le = qobject_cast<QLineEdit *>(m_widget.data());
    if (!le)
        return;
    QVariant v;
    if (m_kind == Kind::LineEdit) {
        v = text;
    } else if (m_kind == Kind::IntLineEdit) {
        bool ok = false;
        const qint64 n = text.trimmed().toLongLong(&ok);
        if (ok)
            v = n;
    } else if (m_kind == Kind::EngineeringLineEdit) {
        if (const auto d = EngineeringFormat::parse(text, m_spec.unit))
            v = *d;
    }
    if (!v.isValid()) {
        setValue(m_value); // not a number: show the device's value again
        return;
    }
    if (v == m_value) {
        setValue(m_value); // reformat ("0.001" → "1 ms") without bothering the driver
        return;
    }
    Q_EMIT edited(m_spec.key, v);
}

QString ParameterEditor::displayText(const QVariant &value) const
{
    switch (m_spec.type) {
    case ParameterSpec::Type::Bool:
        return value.toBool() ? tr("On") : tr("Off");
    case ParameterSpec::Type::Double:
        return EngineeringFormat::format(value.toDouble(), m_spec.unit, 5);
    case ParameterSpec::Type::Int:
        return m_spec.unit.isEmpty() ? QString::number(value.toLongLong())
                                     : QString::number(value.toLongLong()) + QLatin1Char(' ') + m_spec.unit;
    default:
        return value.toString();
    }
}

void ParameterEditor::setValue(const QVariant &value)
{
    m_value = value;
    if (!m_widget)
        return;
    const QSignalBlocker block(m_widget);
    switch (m_kind) {
    case Kind::CheckBox:
        static_cast<QCheckBox *>(m_widget.data())->setChecked(value.toBool());
        break;
    case Kind::SpinBox:
        static_cast<QSpinBox *>(m_widget.data())->setValue(value.toInt());
        break;
    case Kind::DoubleSpinBox:
        static_cast<QDoubleSpinBox *>(m_widget.data())->setValue(value.toDouble());
        break;
    case Kind::IntLineEdit:
        static_cast<QLineEdit *>(m_widget.data())->setText(QString::number(value.toLongLong()));
        break;
    case Kind::EngineeringLineEdit:
        static_cast<QLineEdit *>(m_widget.data())
            ->setText(EngineeringFormat::format(value.toDouble(), m_spec.unit));
        break;
    case Kind::LineEdit:
        static_cast<QLineEdit *>(m_widget.data())->setText(value.toString());
        break;
    case Kind::ComboBox: {
        auto *cb = static_cast<QComboBox *>(m_widget.data());
        cb->setCurrentIndex(cb->findText(value.toString()));
        break;
    }
    case Kind::Label: {
        auto *l = static_cast<QLabel *>(m_widget.data());
        l->setText(displayText(value));
        // A form row does not grow by itself when a wrapped read-back needs more lines.
        // heightForWidth() is -1 for a label that does not wrap: nothing to grow then.
        if (const int h = l->width() > 0 ? l->heightForWidth(l->width()) : -1; h > 0)
            l->setMinimumHeight(h);
        break;
    }
    }
}

} // namespace bs
