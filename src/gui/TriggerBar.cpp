// SPDX-License-Identifier: GPL-3.0-or-later
#include "TriggerBar.h"

#include "TimeSpanBox.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>

#include <cmath>

namespace bs {

namespace {
QDoubleSpinBox *valueBox(QWidget *parent, const QString &name, const QString &tip, double min)
{
    auto *b = new QDoubleSpinBox(parent);
    b->setObjectName(name);
    b->setRange(min, 1e15);
    b->setDecimals(4);
    b->setKeyboardTracking(false); // applied on Enter or when the field loses the focus
    b->setMinimumWidth(80);
    b->setToolTip(tip);
    return b;
}
} // namespace

TriggerBar::TriggerBar(QWidget *parent)
    : QToolBar(tr("Trigger"), parent)
{
    setObjectName(QStringLiteral("triggerBar"));
    // The state first, so that a narrow window never hides it.
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("triggerState"));
    m_state->setMargin(4);
    addWidget(m_state);
    addSeparator();
    addWidget(new QLabel(tr(" Trigger on "), this));
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("triggerSource"));
    m_source->setToolTip(tr("The channel whose edges start a frame"));
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    addWidget(m_source);
    m_edge = new QComboBox(this);
    m_edge->setObjectName(QStringLiteral("triggerEdge"));
    m_edge->addItem(tr("↗ Rising"), int(TriggerEdge::Rising));
    m_edge->addItem(tr("↘ Falling"), int(TriggerEdge::Falling));
    m_edge->addItem(tr("↕ Either"), int(TriggerEdge::Either));
    addWidget(m_edge);
    addWidget(new QLabel(tr(" Level "), this));
    m_level = valueBox(this, QStringLiteral("triggerLevel"), tr("The value the signal crosses to trigger"), -1e15);
    addWidget(m_level);
    m_middle = new QPushButton(tr("50 %"), this);
    m_middle->setObjectName(QStringLiteral("triggerLevelMiddle"));
    m_middle->setToolTip(tr("Set the level to the middle of the signal shown"));
    addWidget(m_middle);
    addWidget(new QLabel(tr(" Hysteresis "), this));
    m_hysteresis = valueBox(this, QStringLiteral("triggerHysteresis"),
        tr("How far the signal must come back from the level before the next edge counts: set it "
           "above the noise so that noise does not trigger"),
        0.0);
    addWidget(m_hysteresis);
    addWidget(new QLabel(tr(" Pre-trigger "), this));
    m_pre = new QDoubleSpinBox(this);
    m_pre->setObjectName(QStringLiteral("triggerPre"));
    m_pre->setRange(0, 100);
    m_pre->setDecimals(0);
    m_pre->setSuffix(QStringLiteral(" %"));
    m_pre->setKeyboardTracking(false);
    m_pre->setToolTip(tr("Share of the frame shown before the trigger"));
    addWidget(m_pre);
    addWidget(new QLabel(tr(" Holdoff "), this));
    m_holdoff = new TimeSpanBox(this);
    m_holdoff->setObjectName(QStringLiteral("triggerHoldoff"));
    m_holdoff->setRange(0, ScopeSettings::kMaxSpan);
    m_holdoff->setToolTip(tr("No new trigger until this long after the last one (0: none)"));
    addWidget(m_holdoff);
    m_sweep = new QComboBox(this);
    m_sweep->setObjectName(QStringLiteral("triggerSweep"));
    m_sweep->addItem(tr("Auto"), int(TriggerMode::Auto));
    m_sweep->addItem(tr("Normal"), int(TriggerMode::Normal));
    m_sweep->addItem(tr("Single"), int(TriggerMode::Single));
    m_sweep->setToolTip(tr("Auto: shows the signal also without triggers · Normal: only triggered frames, "
                           "the last one stays · Single: one frame, then stops until Arm"));
    addWidget(m_sweep);
    m_arm = new QPushButton(tr("Arm"), this);
    m_arm->setObjectName(QStringLiteral("triggerArm"));
    m_arm->setToolTip(tr("Wait for the next trigger (Single)"));
    addWidget(m_arm);

    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updating)
            m_wanted = m_source->currentData().toString();
        updateUnits();
        emitChanged();
    });
    connect(m_edge, &QComboBox::currentIndexChanged, this, &TriggerBar::emitChanged);
    connect(m_sweep, &QComboBox::currentIndexChanged, this, [this] {
        m_arm->setEnabled(m_sweep->currentData().toInt() == int(TriggerMode::Single));
        emitChanged();
    });
    for (QDoubleSpinBox *b : { m_level, m_hysteresis, m_pre, static_cast<QDoubleSpinBox *>(m_holdoff) })
        connect(b, &QDoubleSpinBox::valueChanged, this, &TriggerBar::emitChanged);
    connect(m_arm, &QPushButton::clicked, this, &TriggerBar::armRequested);
    connect(m_middle, &QPushButton::clicked, this, &TriggerBar::levelToMiddleRequested);
    m_arm->setEnabled(false);
}

void TriggerBar::emitChanged()
{
    if (!m_updating)
        Q_EMIT triggerChanged();
}

void TriggerBar::updateUnits()
{
    const int i = m_source->currentIndex();
    const QString unit = i >= 0 ? m_source->itemData(i, Qt::UserRole + 1).toString() : QString();
    const QString suffix = unit.isEmpty() ? QString() : QLatin1Char(' ') + unit;
    m_level->setSuffix(suffix);
    m_hysteresis->setSuffix(suffix);
}

void TriggerBar::setSources(const QVector<Source> &sources)
{
    m_updating = true;
    const QString keep = m_wanted.isEmpty() ? m_source->currentData().toString() : m_wanted;
    m_source->clear();
    for (const Source &s : sources) {
        m_source->addItem(s.label, s.styleKey); // the label names the unit, as in the legend
        m_source->setItemData(m_source->count() - 1, s.unit, Qt::UserRole + 1);
    }
    const int at = m_source->findData(keep);
    m_source->setCurrentIndex(at >= 0 ? at : 0);
    updateUnits();
    // The channel asked for is not there (yet): the first one serves until it comes back. No
    // triggerChanged(): the list follows the data, the user changed nothing (the session stays
    // unmodified); the view applies the source after updating the list.
    m_updating = false;
}

ScopeSettings::Trigger TriggerBar::trigger() const
{
    ScopeSettings::Trigger t;
    t.channel = m_source->count() > 0 ? m_source->currentData().toString() : m_wanted;
    t.settings.edge = TriggerEdge(m_edge->currentData().toInt());
    t.settings.level = m_level->value();
    t.settings.hysteresis = m_hysteresis->value();
    t.settings.holdoff = m_holdoff->value();
    t.prePercent = m_pre->value();
    t.sweep = TriggerMode(m_sweep->currentData().toInt());
    return t;
}

void TriggerBar::setTrigger(const ScopeSettings::Trigger &t)
{
    m_updating = true;
    m_wanted = t.channel;
    if (const int at = m_source->findData(t.channel); at >= 0)
        m_source->setCurrentIndex(at);
    m_edge->setCurrentIndex(m_edge->findData(int(t.settings.edge)));
    m_sweep->setCurrentIndex(m_sweep->findData(int(t.sweep)));
    m_arm->setEnabled(t.sweep == TriggerMode::Single);
    m_level->setValue(t.settings.level);
    m_hysteresis->setValue(t.settings.hysteresis);
    m_holdoff->setValue(t.settings.holdoff);
    m_pre->setValue(t.prePercent);
    updateUnits();
    m_updating = false;
}

void TriggerBar::setState(const QString &text, const QColor &color)
{
    if (m_state->text() != text)
        m_state->setText(text);
    const QString style = QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(color.name());
    if (m_state->styleSheet() != style)
        m_state->setStyleSheet(style);
}

QString TriggerBar::stateText() const
{
    return m_state->text();
}

} // namespace bs
