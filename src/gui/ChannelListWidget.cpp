// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChannelListWidget.h"

#include "ChannelStyles.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace bs {

namespace {
QIcon swatchIcon(const QColor &color)
{
    QPixmap pm(28, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color.darker(140), 1));
    p.setBrush(color);
    p.drawRoundedRect(QRectF(0.5, 0.5, 27, 13), 3, 3);
    return QIcon(pm);
}
} // namespace

ChannelListWidget::ChannelListWidget(const QString &instrumentId, ChannelStyles *styles, QWidget *parent)
    : QWidget(parent)
    , m_instrumentId(instrumentId)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("Channels appear once the instrument is connected."), this);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: #555555;"));
    outer->addWidget(m_empty);
    m_grid = new QGridLayout;
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(6);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(1, 1);
    outer->addLayout(m_grid);

    m_allNone = new QWidget(this);
    auto *row = new QHBoxLayout(m_allNone);
    row->setContentsMargins(0, 2, 0, 0);
    auto *all = new QPushButton(tr("Show all"), m_allNone);
    auto *none = new QPushButton(tr("Hide all"), m_allNone);
    all->setObjectName(QStringLiteral("showAllChannels"));
    none->setObjectName(QStringLiteral("hideAllChannels"));
    row->addWidget(all);
    row->addWidget(none);
    row->addStretch(1);
    outer->addWidget(m_allNone);
    connect(all, &QPushButton::clicked, this, [this] { setAllVisible(true); });
    connect(none, &QPushButton::clicked, this, [this] { setAllVisible(false); });

    setStyles(styles);
    rebuild();
}

ChannelStyles *ChannelListWidget::styles() const
{
    return m_styles;
}

void ChannelListWidget::setStyles(ChannelStyles *styles)
{
    if (styles == m_styles && (styles == nullptr || !m_styleConnections.isEmpty()))
        return;
    for (const QMetaObject::Connection &c : std::as_const(m_styleConnections))
        disconnect(c);
    m_styleConnections.clear();
    m_styles = styles;
    if (!m_styles)
        return;
    m_styleConnections << connect(m_styles, &ChannelStyles::styleChanged, this, &ChannelListWidget::refresh)
                       << connect(m_styles, &ChannelStyles::stylesReset, this, &ChannelListWidget::refreshAll);
    for (const StreamInfo &s : std::as_const(m_streams))
        for (const ChannelInfo &c : s.channels)
            m_styles->style(ChannelStyles::keyOf(m_instrumentId, s.id, c.name), c.plotByDefault);
    refreshAll();
}

void ChannelListWidget::setInstrumentState(Instrument::State state)
{
    switch (state) {
    case Instrument::State::Connected:
    case Instrument::State::Finished:
        m_empty->setText(tr("Channels appear when the acquisition runs (Run)."));
        break;
    case Instrument::State::Running:
        m_empty->setText(tr("Channels appear with the first data."));
        break;
    default:
        m_empty->setText(tr("Channels appear once the instrument is connected."));
        break;
    }
}

QString ChannelListWidget::emptyText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

void ChannelListWidget::setStreams(const QVector<StreamInfo> &streams)
{
    if (streams == m_streams)
        return;
    m_streams = streams;
    rebuild();
}

void ChannelListWidget::rebuild()
{
    qDeleteAll(m_rowWidgets);
    m_rowWidgets.clear();
    m_rows.clear();
    m_keys.clear();
    int r = 0;
    for (const StreamInfo &s : std::as_const(m_streams)) {
        if (m_streams.size() > 1) {
            auto *header = new QLabel(
                QStringLiteral("<b>%1</b>").arg((s.name.isEmpty() ? s.id : s.name).toHtmlEscaped()), this);
            m_grid->addWidget(header, r++, 0, 1, 2);
            m_rowWidgets.append(header);
        }
        for (const ChannelInfo &c : s.channels) {
            const QString key = ChannelStyles::keyOf(m_instrumentId, s.id, c.name);
            auto *swatch = new QToolButton(this);
            swatch->setObjectName(QStringLiteral("swatch_") + key);
            swatch->setAutoRaise(true);
            swatch->setIconSize(QSize(28, 14));
            swatch->setToolTip(tr("Change the colour of %1").arg(c.name));
            auto *check = new QCheckBox(c.label(), this);
            check->setObjectName(QStringLiteral("channel_") + key);
            check->setToolTip(
                c.description.isEmpty() ? tr("Show %1 in the scope").arg(c.name) : c.description);
            m_grid->addWidget(swatch, r, 0);
            m_grid->addWidget(check, r, 1);
            ++r;
            m_rowWidgets << swatch << check;
            m_rows.insert(key, { check, swatch });
            if (m_styles)
                m_styles->style(key, c.plotByDefault); // first sight fixes the default visibility
            m_keys.append(key);
            connect(check, &QCheckBox::clicked, this, [this, key](bool on) {
                if (m_styles)
                    m_styles->setVisible(key, on);
            });
            connect(swatch, &QToolButton::clicked, this, [this, key] { pickColor(key); });
        }
    }
    m_empty->setVisible(m_keys.isEmpty());
    m_allNone->setVisible(m_keys.size() > 3);
    refreshAll();
}

void ChannelListWidget::refresh(const QString &key)
{
    const auto it = m_rows.constFind(key);
    if (it == m_rows.constEnd() || !m_styles || !it->check)
        return;
    const ChannelStyles::Style st = m_styles->style(key);
    it->check->setChecked(st.visible);
    it->swatch->setIcon(swatchIcon(st.color));
}

void ChannelListWidget::refreshAll()
{
    for (const QString &key : std::as_const(m_keys))
        refresh(key);
}

void ChannelListWidget::pickColor(const QString &key)
{
    if (!m_styles)
        return;
    const QColor c = QColorDialog::getColor(m_styles->style(key).color, this, tr("Trace colour"));
    if (c.isValid())
        m_styles->setColor(key, c);
}

void ChannelListWidget::setAllVisible(bool visible)
{
    if (!m_styles)
        return;
    for (const QString &key : std::as_const(m_keys))
        m_styles->setVisible(key, visible);
}

} // namespace bs
