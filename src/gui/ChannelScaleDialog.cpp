// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChannelScaleDialog.h"

#include "ChannelStyles.h"
#include "ScopeView.h"
#include "TimeSpanBox.h"

#include <EngineeringFormat.h>

#include <QCheckBox>
#include <QColorDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace bs {

namespace {
using ChannelScale = ScopeSettings::ChannelScale;
const QString kProblemFrame = QStringLiteral("border: 1px solid #c01818;");

void setSwatch(QPushButton *button, const QColor &color)
{
    QPixmap swatch(28, 14);
    swatch.fill(color);
    button->setIcon(QIcon(swatch));
    button->setIconSize(swatch.size());
    button->setText(color.name());
}
} // namespace

ChannelScaleDialog::ChannelScaleDialog(
    ScopeView *view, const QString &styleKey, const QString &name, const QString &unit)
    : QDialog(view)
    , m_view(view)
    , m_key(styleKey)
    , m_unit(unit)
{
    setObjectName(QStringLiteral("channelScaleDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setModal(false);
    setWindowTitle(tr("Channel %1 settings").arg(name));

    auto *layout = new QVBoxLayout(this);
    auto *top = new QFormLayout;
    m_color = new QPushButton(this);
    m_color->setObjectName(QStringLiteral("colorButton"));
    m_color->setToolTip(tr("Colour of the trace, its legend entry and its own axis"));
    top->addRow(tr("Colour"), m_color);
    m_visible = new QCheckBox(tr("Shown in the scope"), this);
    m_visible->setObjectName(QStringLiteral("visibleBox"));
    top->addRow(tr("Visible"), m_visible);
    layout->addLayout(top);

    const QString u = unit.isEmpty() ? tr("units") : unit;
    m_own = new QGroupBox(tr("Own scale (an axis of its own)"), this);
    m_own->setObjectName(QStringLiteral("ownScaleGroup"));
    m_own->setCheckable(true);
    m_own->setToolTip(tr("Off: the channel shares the axis of every %1 channel in its lane").arg(u));
    auto *form = new QFormLayout(m_own);
    m_auto = new QCheckBox(tr("Fit the axis to this channel's data"), m_own);
    m_auto->setObjectName(QStringLiteral("autoscaleBox"));
    form->addRow(tr("Autoscale"), m_auto);
    m_scale = new QLineEdit(m_own);
    m_scale->setObjectName(QStringLiteral("scaleEdit"));
    m_scale->setToolTip(
        tr("%1 per division, e.g. 5 m%2 or 0.005 (Up/Down: 1-2-5 steps); the lane has %3 divisions")
            .arg(u, EngineeringFormat::takesPrefix(unit) ? unit : QString())
            .arg(ChannelScale::kDivisions));
    form->addRow(tr("Scale (%1/div)").arg(u), m_scale);
    m_offset = new QLineEdit(m_own);
    m_offset->setObjectName(QStringLiteral("offsetEdit"));
    m_offset->setToolTip(tr("The value at the lane's centre line (Up/Down: one division)"));
    form->addRow(tr("Offset (%1)").arg(u), m_offset);
    layout->addWidget(m_own);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setStyleSheet(QStringLiteral("color: #c01818;"));
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    // Enter in a field applies the field; it must not pick a colour or close the window.
    for (QPushButton *b : findChildren<QPushButton *>())
        b->setAutoDefault(false);
    layout->addWidget(buttons);

    connect(m_color, &QPushButton::clicked, this, &ChannelScaleDialog::pickColor);
    connect(m_visible, &QCheckBox::toggled, this,
        [this](bool on) { m_view->channelStyles()->setVisible(m_key, on); });
    connect(m_own, &QGroupBox::toggled, this, &ChannelScaleDialog::applyOwn);
    connect(m_auto, &QCheckBox::toggled, this, &ChannelScaleDialog::applyAuto);
    connect(m_scale, &QLineEdit::editingFinished, this, &ChannelScaleDialog::applyScale);
    connect(m_offset, &QLineEdit::editingFinished, this, &ChannelScaleDialog::applyOffset);
    m_scale->installEventFilter(this);
    m_offset->installEventFilter(this);
    connect(m_view, &ScopeView::channelScalesChanged, this, &ChannelScaleDialog::refresh);
    connect(m_view->channelStyles(), &ChannelStyles::styleChanged, this, [this](const QString &key) {
        if (key == m_key)
            refresh();
    });
    connect(m_view->channelStyles(), &ChannelStyles::stylesReset, this, &ChannelScaleDialog::refresh);
    refresh();
}

QString ChannelScaleDialog::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

QPair<double, double> ChannelScaleDialog::effectiveScale() const
{
    const auto scale = m_view->channelScale(m_key);
    const QCPAxis *axis = m_view->channelAxis(m_key);
    if (axis && (!scale || scale->autoscale)) { // what is shown now
        const QCPRange r = axis->range();
        return { r.size() / ChannelScale::kDivisions, r.center() };
    }
    return scale ? qMakePair(scale->perDiv, scale->offset) : qMakePair(1.0, 0.0);
}

void ChannelScaleDialog::refresh()
{
    const ChannelStyles::Style style = m_view->channelStyles()->style(m_key);
    setSwatch(m_color, style.color);
    const QSignalBlocker b0(m_visible), b1(m_own), b2(m_auto);
    m_visible->setChecked(style.visible);
    const auto scale = m_view->channelScale(m_key);
    m_own->setChecked(scale.has_value());
    m_auto->setChecked(!scale || scale->autoscale);
    const bool manual = scale && !scale->autoscale;
    m_scale->setEnabled(manual);
    m_offset->setEnabled(manual);
    const auto [perDiv, offset] = effectiveScale();
    // A field being typed into keeps the user's text.
    if (!(m_scale->hasFocus() && m_scale->isModified())) {
        m_scale->setText(EngineeringFormat::format(perDiv, m_unit, 4));
        m_scale->setModified(false);
    }
    if (!(m_offset->hasFocus() && m_offset->isModified())) {
        m_offset->setText(EngineeringFormat::format(offset, m_unit, 6));
        m_offset->setModified(false);
    }
}

void ChannelScaleDialog::showProblem(QLineEdit *field, const QString &text)
{
    for (QLineEdit *f : { m_scale, m_offset })
        f->setStyleSheet(f == field && !text.isEmpty() ? kProblemFrame : QString());
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

bool ChannelScaleDialog::apply(bool autoscale, double perDiv, double offset, QLineEdit *field)
{
    QString error;
    if (!m_view->setChannelScale(m_key, ChannelScale { autoscale, perDiv, offset }, &error)) {
        showProblem(field, error + QLatin1Char(' ') + tr("Not applied."));
        return false;
    }
    if (field)
        field->setModified(false);
    showProblem(nullptr, QString());
    refresh();
    return true;
}

void ChannelScaleDialog::applyScale()
{
    if (!m_scale->isModified() && m_message->isHidden())
        return;
    QString text = m_scale->text().trimmed();
    if (text.endsWith(QLatin1String("/div")))
        text.chop(4);
    const auto v = EngineeringFormat::parse(text, m_unit);
    if (!v) {
        showProblem(m_scale,
            tr("“%1” is not a scale: type a number with or without an SI prefix, e.g. 5 m%2 or 0.005.")
                .arg(m_scale->text(), EngineeringFormat::takesPrefix(m_unit) ? m_unit : QString()));
        return;
    }
    apply(false, *v, effectiveScale().second, m_scale);
}

void ChannelScaleDialog::applyOffset()
{
    if (!m_offset->isModified() && m_message->isHidden())
        return;
    const auto v = EngineeringFormat::parse(m_offset->text(), m_unit);
    if (!v) {
        showProblem(m_offset,
            tr("“%1” is not an offset: type a number, e.g. −20 m%2 or 1.5.")
                .arg(m_offset->text(), EngineeringFormat::takesPrefix(m_unit) ? m_unit : QString()));
        return;
    }
    apply(false, effectiveScale().first, *v, m_offset);
}

void ChannelScaleDialog::applyOwn(bool on)
{
    showProblem(nullptr, QString());
    if (!on) {
        m_view->clearChannelScale(m_key);
        refresh();
        return;
    }
    // Its own axis, fitted to its own data to begin with.
    const auto [perDiv, offset] = effectiveScale();
    if (!apply(true, perDiv, offset, nullptr))
        apply(true, 1.0, 0.0, nullptr);
}

void ChannelScaleDialog::applyAuto(bool on)
{
    // Off: the range shown now becomes the scale and offset (as the view's Autoscale does).
    const auto [perDiv, offset] = effectiveScale();
    if (!apply(on, perDiv, offset, nullptr) && on)
        apply(true, 1.0, 0.0, nullptr);
}

void ChannelScaleDialog::pickColor()
{
    const QColor current = m_view->channelStyles()->style(m_key).color;
    const QColor c = QColorDialog::getColor(current, this, windowTitle());
    if (c.isValid())
        m_view->channelStyles()->setColor(m_key, c);
}

bool ChannelScaleDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress || !(watched == m_scale || watched == m_offset))
        return QDialog::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    if (key != Qt::Key_Up && key != Qt::Key_Down)
        return QDialog::eventFilter(watched, event);
    const auto [perDiv, offset] = effectiveScale();
    const bool up = key == Qt::Key_Up;
    if (watched == m_scale)
        apply(false, TimeSpanBox::step125(perDiv, up), offset, m_scale);
    else
        apply(false, perDiv, offset + (up ? perDiv : -perDiv), m_offset);
    return true;
}

} // namespace bs
