// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeLegendItem: the scope's legend entry, its size and picture kept until its look changes.
#include "ScopeLegendItem.h"

#include <QPaintEngine>

namespace bs {

ScopeLegendItem::ScopeLegendItem(QCPLegend *legend, QCPAbstractPlottable *plottable)
    : QCPPlottableLegendItem(legend, plottable)
{
}

ScopeLegendItem::Look ScopeLegendItem::look(const QSize &size, qreal scale) const
{
    Look l;
    const QCPAbstractPlottable *p = mPlottable;
    if (p) {
        l.name = p->name();
        l.pen = p->pen();
        l.brush = p->brush();
    }
    if (const auto *graph = qobject_cast<const QCPGraph *>(p)) {
        l.scatterShape = int(graph->scatterStyle().shape());
        l.scatterSize = graph->scatterStyle().size();
    }
    l.font = getFont();
    l.textColor = getTextColor();
    l.iconBorder = getIconBorderPen();
    l.iconSize = mParentLegend->iconSize();
    l.iconTextPadding = mParentLegend->iconTextPadding();
    l.size = size;
    l.margins = mMargins;
    l.scale = scale;
    l.selected = mSelected;
    return l;
}

QSize ScopeLegendItem::minimumOuterSizeHint() const
{
    Look now = look(QSize(), 1.0);
    if (now != m_sizeLook) {
        m_sizeLook = std::move(now);
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
    Look now = look(mRect.size(), scale);
    if (now != m_pictureLook || m_picture.isNull()) {
        m_pictureLook = std::move(now);
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
