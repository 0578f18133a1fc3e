// SPDX-License-Identifier: GPL-3.0-or-later
#include "ParameterEditor.h"

#include "EngineeringFormat.h"
#include "TableParameterWidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTimer>

#include <algorithm>
#include <functional>
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
        const QString range = QObject::tr("Range: %1").arg(s.rangeText());
        tip = tip.isEmpty() ? range : tip + QLatin1Char('\n') + range;
    }
    return tip;
}

/// Watches a spin box for Return and focus-out, before QAbstractSpinBox reverts text it cannot take.
class SpinBoxTextCheck : public QObject
{
public:
    SpinBoxTextCheck(QObject *parent, std::function<void()> check)
        : QObject(parent)
        , m_check(std::move(check))
    {
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::FocusOut)
            m_check();
        else if (event->type() == QEvent::KeyPress) {
            const int key = static_cast<QKeyEvent *>(event)->key();
            if (key == Qt::Key_Return || key == Qt::Key_Enter)
                m_check();
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_check;
};
} // namespace

ParameterEditor::ParameterEditor(const ParameterSpec &spec, const QVariant &value, QWidget *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_value(value)
{
    m_widget = createWidget(parent);
    m_widget->setObjectName(QStringLiteral("param_") + spec.key);
    updateToolTip();
    m_message = new QLabel(parent);
    m_message->setObjectName(QStringLiteral("paramMessage_") + spec.key);
    m_message->setWordWrap(true);
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral("color: #c01818;"));
    m_message->hide();
    if (auto *sb = qobject_cast<QAbstractSpinBox *>(m_widget.data()))
        sb->installEventFilter(new SpinBoxTextCheck(this, [this] { checkSpinBoxText(); }));
    setValue(value);
}

void ParameterEditor::updateToolTip()
{
    if (m_widget)
        m_widget->setToolTip(rangeToolTip(m_spec));
}

QString ParameterEditor::problem() const
{
    return m_message && !m_message->isHidden() ? m_message->text() : QString();
}

void ParameterEditor::showProblem(const QString &text)
{
    if (!m_message)
        return;
    m_message->setText(text);
    m_message->show();
    if (auto *t = qobject_cast<TableParameterWidget *>(m_widget.data()))
        t->setProblemFrame(true);
    else if (m_widget)
        m_widget->setStyleSheet(QStringLiteral("border: 1px solid #c01818;"));
}

void ParameterEditor::clearProblem()
{
    if (!m_message || m_message->isHidden())
        return;
    m_message->clear();
    m_message->hide();
    if (auto *t = qobject_cast<TableParameterWidget *>(m_widget.data()))
        t->setProblemFrame(false);
    else if (m_widget)
        m_widget->setStyleSheet(QString());
}

void ParameterEditor::setUnit(const QString &unit)
{
    if (unit == m_spec.unit)
        return;
    m_spec.unit = unit;
    const QString suffix = unit.isEmpty() ? QString() : QLatin1Char(' ') + unit;
    if (auto *sb = qobject_cast<QSpinBox *>(m_widget.data())) {
        const QSignalBlocker block(sb);
        sb->setSuffix(suffix);
    } else if (auto *db = qobject_cast<QDoubleSpinBox *>(m_widget.data())) {
        const QSignalBlocker block(db);
        db->setSuffix(suffix);
    }
    updateToolTip();
    setValue(m_value);
}

void ParameterEditor::submit(const QVariant &value)
{
    const QString why = ParameterSet::check(m_spec, value);
    if (!why.isEmpty()) {
        showProblem(tr("%1: %2 — the instrument keeps %3")
                        .arg(m_spec.displayName(), why, displayText(m_value)));
        if (m_kind == Kind::Table)
            setValue(m_value); // the table shows what the instrument keeps
        return;
    }
    clearProblem();
    Q_EMIT edited(m_spec.key, value);
}

void ParameterEditor::checkSpinBoxText()
{
    auto *sb = qobject_cast<QAbstractSpinBox *>(m_widget.data());
    if (!sb)
        return;
    QString text = sb->text();
    const QString suffix = m_spec.unit.isEmpty() ? QString() : QLatin1Char(' ') + m_spec.unit;
    if (!suffix.isEmpty() && text.endsWith(suffix))
        text.chop(suffix.size());
    else if (!m_spec.unit.isEmpty() && text.endsWith(m_spec.unit))
        text.chop(m_spec.unit.size());
    text = text.trimmed();
    if (!m_spec.specialValueText.isEmpty() && text == m_spec.specialValueText)
        return;
    int pos = 0;
    QString probe = sb->text();
    if (sb->validate(probe, pos) == QValidator::Acceptable)
        return; // the box takes it (and reports it through valueChanged)
    bool ok = false;
    const double d = sb->locale().toDouble(text, &ok);
    const QString why = ParameterSet::check(m_spec, ok ? QVariant(d) : QVariant(text));
    showProblem(tr("%1: %2 — the instrument keeps %3")
                    .arg(m_spec.displayName(),
                        why.isEmpty() ? tr("'%1' cannot be taken").arg(text) : why, displayText(m_value)));
}

int ParameterEditor::spinBoxDecimals(const ParameterSpec &s)
{
    // A value whose unit follows another setting (an M81 amplitude in V or A, an NV200 setpoint in
    // µm or V) spans decades between its units: 1 mA must not show as "0.0 A".
    if (!s.unitKey.isEmpty())
        return -1;
    // Wide ranges (a setpoint of ±10⁶ in whatever unit the device uses, 30 mHz … 20 MHz) would
    // get a spin box without decimals: "12.5" could not be typed.
    if (!std::isfinite(s.minimum) || !std::isfinite(s.maximum) || s.maximum - s.minimum >= 1e5)
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
        connect(c, &QCheckBox::clicked, this, [this](bool on) {
            clearProblem();
            Q_EMIT edited(m_spec.key, on);
        });
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
            connect(sb, &QSpinBox::valueChanged, this, [this](int v) {
                clearProblem();
                Q_EMIT edited(m_spec.key, qint64(v));
            });
            return sb;
        } else {
            m_kind = Kind::IntLineEdit;
            auto *le = new QLineEdit(parent);
            // No validator: letters are refused with a message on Return, not silently ignored.
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
            connect(sb, &QDoubleSpinBox::valueChanged, this, [this](double v) {
                clearProblem();
                Q_EMIT edited(m_spec.key, v);
            });
            return sb;
        }
        m_kind = Kind::EngineeringLineEdit;
        auto *le = new QLineEdit(parent);
        le->setPlaceholderText(EngineeringFormat::format(1e-3, m_spec.unit));
        connect(le, &QLineEdit::editingFinished, this, [this, le] { commitText(le->text()); });
        return le;
    }
    case Type::String: {
        if (m_spec.isTable()) {
            m_kind = Kind::Table;
            auto *t = new TableParameterWidget(m_spec, parent);
            connect(t, &TableParameterWidget::rowsEdited, this, [this](const QVector<QStringList> &rows) {
                const QString v = ParameterSpec::tableValue(rows);
                if (v == m_value.toString()) {
                    clearProblem();
                    return;
                }
                submit(v);
            });
            connect(t, &TableParameterWidget::refused, this, [this](const QString &why) {
                showProblem(tr("%1: %2 — the instrument keeps %3").arg(m_spec.displayName(), why, displayText(m_value)));
                QTimer::singleShot(0, this, [this] { setValue(m_value); });
            });
            return t;
        }
        m_kind = Kind::LineEdit;
        auto *le = new QLineEdit(parent);
        connect(le, &QLineEdit::editingFinished, this, [this, le] { commitText(le->text()); });
        return le;
    }
    case Type::Enum: {
        m_kind = Kind::ComboBox;
        auto *cb = new QComboBox(parent);
        m_choices = m_spec.enumValues;
        cb->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        cb->setMinimumContentsLength(8);
        guardWheel(cb);
        connect(cb, &QComboBox::activated, this,
            [this, cb](int i) {
                clearProblem();
                Q_EMIT edited(m_spec.key, cb->itemData(i));
            });
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
        QString t = text.trimmed();
        t.replace(QChar(0x2212), QLatin1Char('-')).remove(QChar(0x2009)).remove(QLatin1Char(' '));
        const qint64 n = t.toLongLong(&ok);
        if (ok)
            v = n;
    } else if (m_kind == Kind::EngineeringLineEdit) {
        if (const auto d = EngineeringFormat::parse(text, m_spec.unit))
            v = *d;
    }
    if (!v.isValid()) {
        // Not a number: say so, and keep what was typed so it can be corrected.
        const QString example = m_kind == Kind::EngineeringLineEdit
            ? EngineeringFormat::format(m_value.toDouble(), m_spec.unit)
            : displayText(m_value);
        showProblem(text.trimmed().isEmpty()
                ? tr("%1: type a number (e.g. %2) — the instrument keeps %2").arg(m_spec.displayName(), example)
                : tr("%1: '%2' is not a number (e.g. %3) — the instrument keeps %4")
                      .arg(m_spec.displayName(), text.trimmed(), example, displayText(m_value)));
        return;
    }
    if (v == m_value) {
        clearProblem();
        setValue(m_value); // reformat ("0.001" → "1 ms") without bothering the driver
        return;
    }
    submit(v);
}

QString ParameterEditor::displayText(const QVariant &value) const
{
    switch (m_spec.type) {
    case ParameterSpec::Type::Bool:
        return value.toBool() ? tr("On") : tr("Off");
    case ParameterSpec::Type::Double:
        return EngineeringFormat::format(value.toDouble(), m_spec.unit, 5);
    case ParameterSpec::Type::Int:
        return EngineeringFormat::formatInteger(value.toLongLong(), m_spec.unit);
    case ParameterSpec::Type::Enum:
        return m_spec.choiceLabel(value.toString());
    default:
        return value.toString();
    }
}

void ParameterEditor::setChoices(const QStringList &values)
{
    if (m_kind != Kind::ComboBox || values == m_choices)
        return;
    m_choices = values;
    fillComboBox();
}

void ParameterEditor::fillComboBox()
{
    auto *cb = qobject_cast<QComboBox *>(m_widget.data());
    if (!cb)
        return;
    const QSignalBlocker block(cb);
    cb->clear();
    for (const QString &v : std::as_const(m_choices))
        cb->addItem(m_spec.choiceLabel(v), v);
    const QString current = m_value.toString();
    if (!current.isEmpty() && !m_choices.contains(current)) {
        // What the device holds, even when it is not on offer: shown, not choosable.
        cb->addItem(m_spec.choiceLabel(current), current);
        if (auto *model = qobject_cast<QStandardItemModel *>(cb->model()))
            if (QStandardItem *item = model->item(cb->count() - 1))
                item->setEnabled(false);
    }
    cb->setCurrentIndex(cb->findData(current));
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
        static_cast<QLineEdit *>(m_widget.data())->setText(EngineeringFormat::formatInteger(value.toLongLong()));
        break;
    case Kind::EngineeringLineEdit:
        static_cast<QLineEdit *>(m_widget.data())
            ->setText(EngineeringFormat::format(value.toDouble(), m_spec.unit));
        break;
    case Kind::LineEdit:
        static_cast<QLineEdit *>(m_widget.data())->setText(value.toString());
        break;
    case Kind::Table:
        static_cast<TableParameterWidget *>(m_widget.data())->setRows(m_spec.tableRows(value.toString()));
        break;
    case Kind::ComboBox: {
        auto *cb = static_cast<QComboBox *>(m_widget.data());
        const int i = cb->findData(value.toString());
        if (i < 0 || !m_choices.contains(value.toString()) || cb->count() != m_choices.size())
            fillComboBox(); // a value not on offer (in or out of the list)
        else
            cb->setCurrentIndex(i);
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
