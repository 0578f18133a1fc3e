// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: the gaps of the data (samples lost, a new capture, an index jump) as marked bands.
#include "ScopeView.h"

#include <TraceStore.h>

#include <QSet>
#include <qcustomplot.h>

#include <algorithm>

namespace bs {

namespace {
const QColor kGapColor(0xc6, 0x28, 0x28);
constexpr int kPixelsPerMarker = 8; // at most one marker per 8 pixels of width per stream
} // namespace

void ScopeView::clearGapMarkers()
{
    for (QCPItemRect *item : std::as_const(m_gapItems))
        m_plot->removeItem(item);
    m_gapItems.clear();
    m_gapsShown = 0;
}

void ScopeView::updateGapMarkers()
{
    // The line breaks at a gap (the store's envelope puts a NaN there); the band says why the
    // trace is missing there, also when the gap is narrower than a pixel (its edge is drawn).
    const QCPRange x = m_plot->xAxis->range();
    const int maxCount = std::max(1, m_columns / kPixelsPerMarker);
    QSet<QString> done; // stream and lane
    int used = 0;
    for (const Trace &t : std::as_const(m_traces)) {
        const QString where = t.key.instrumentId + QLatin1Char('/') + t.key.streamId + QLatin1Char('@')
            + QString::number(t.lane);
        if (done.contains(where))
            continue;
        done.insert(where);
        QCPAxisRect *rect = m_lanes[t.lane].rect;
        for (const TraceGap &g : m_store->gaps(t.key, x.lower, x.upper, maxCount)) {
            if (m_frozen && g.end > m_frozenAt)
                continue;
            if (used == m_gapItems.size()) {
                auto *item = new QCPItemRect(m_plot);
                item->setLayer(QStringLiteral("markers"));
                QColor fill = kGapColor;
                fill.setAlpha(35);
                item->setBrush(fill);
                QColor edge = kGapColor;
                edge.setAlpha(140);
                item->setPen(QPen(edge, 1, Qt::DotLine));
                item->setSelectable(false);
                m_gapItems.append(item);
            }
            QCPItemRect *item = m_gapItems[used++];
            item->setClipAxisRect(rect);
            for (QCPItemPosition *p : { item->topLeft, item->bottomRight }) {
                p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
                p->setAxisRect(rect);
                p->setTypeX(QCPItemPosition::ptPlotCoords);
                p->setTypeY(QCPItemPosition::ptAxisRectRatio);
            }
            item->topLeft->setCoords(g.start, 0.0);
            item->bottomRight->setCoords(g.end, 1.0);
            item->setVisible(true);
        }
    }
    for (int i = used; i < m_gapItems.size(); ++i)
        m_gapItems[i]->setVisible(false);
    m_gapsShown = used;
}

} // namespace bs
