// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeLegendItem: the scope's legend entry, its size and picture kept until its look changes.
#include "ScopeLegendItem.h"

#include <QPaintEngine>

namespace bs {

namespace {
QString penKey(const QPen &pen)
{
    return QStringLiteral("%1/%2/%3").arg(pen.color().rgba()).arg(pen.widthF()).arg(int(pen.style()));
}
} // namespace

ScopeLegendItem::ScopeLegendItem(QCPLegend *legend, QCPAbstractPlottable *plottable)
    : QCPPlottableLegendItem(legend, plottable)
{
}

QString ScopeLegendItem::lookKey(const QSize &size, qreal scale) const
{
    const QCPAbstractPlottable *p = mPlottable;
    QString scatter;
    if (const auto *graph = qobject_cast<const QCPGraph *>(p))
        scatter = QStringLiteral("%1/%2").arg(int(graph->scatterStyle().shape())).arg(graph->scatterStyle().size());
    const QSize icon = mParentLegend->iconSize();
    return QStringList { p ? p->name() : QString(), getFont().key(), QString::number(getTextColor().rgba()),
        p ? penKey(p->pen()) : QString(), p ? QString::number(p->brush().color().rgba()) : QString(), scatter,
        penKey(getIconBorderPen()), QStringLiteral("%1x%2").arg(icon.width()).arg(icon.height()),
        QString::number(mParentLegend->iconTextPadding()), QStringLiteral("%1x%2").arg(size.width()).arg(size.height()),
        QString::number(scale), QString::number(int(mSelected)),
        QStringLiteral("%1,%2,%3,%4").arg(mMargins.left()).arg(mMargins.top()).arg(mMargins.right()).arg(mMargins.bottom()) }
        .join(QLatin1Char('|'));
}

QSize ScopeLegendItem::minimumOuterSizeHint() const
{
    const QString key = lookKey(QSize(), 1.0);
    if (key != m_sizeKey) {
        m_sizeKey = key;
        m_size = QCPPlottableLegendItem::minimumOuterSizeHint();
    }
    return m_size;
}

void ScopeLegendItem::draw(QCPPainter *painter)
{
    if (!plottable())
        return;
    const QTransform t = painter->deviceTransform();
    const bool raster = painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::Raster
        && !painter->modes().testFlag(QCPPainter::pmVectorized) && t.type() <= QTransform::TxScale
        && t.m11() == t.m22() && t.m11() > 0.0;
    if (!raster) { // SVG, PDF: real text
        QCPPlottableLegendItem::draw(painter);
        return;
    }
    const qreal scale = t.m11();
    const QString key = lookKey(mRect.size(), scale);
    if (key != m_pictureKey || m_picture.isNull()) {
        m_pictureKey = key;
        m_picture = QPixmap((QSizeF(mRect.size()) * scale).toSize());
        m_picture.setDevicePixelRatio(scale);
        m_picture.fill(Qt::transparent);
        // The stock drawing, moved to the picture's corner.
        QCPPainter p(&m_picture);
        p.setRenderHints(painter->renderHints());
        p.setModes(painter->modes());
        p.translate(-mRect.topLeft());
        QCPPlottableLegendItem::draw(&p);
        ++m_renders;
    }
    painter->drawPixmap(mRect.topLeft(), m_picture);
}

} // namespace bs
