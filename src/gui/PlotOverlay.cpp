// SPDX-License-Identifier: GPL-3.0-or-later
#include "PlotOverlay.h"

#include <qcustomplot.h>

namespace bs {

QCPItemText *addOverlayText(QCustomPlot *plot, QCPAxisRect *rect, double x, double y, Qt::Alignment anchor)
{
    auto *item = new QCPItemText(plot);
    item->setClipToAxisRect(false);
    item->position->setType(QCPItemPosition::ptAxisRectRatio);
    item->position->setAxisRect(rect);
    item->position->setCoords(x, y);
    item->setPositionAlignment(anchor);
    item->setSelectable(false);
    return item;
}

} // namespace bs
