// SPDX-License-Identifier: GPL-3.0-or-later
// EnvelopeGraph: dense traces drawn as one vertical span of pixels per pixel column.
#include "EnvelopeGraph.h"

#include <QPaintEngine>

#include <algorithm>
#include <cmath>

namespace bs {

namespace {
/// The pixel row or column holding coordinate `c`, kept within [-1, limit] so that far-off
/// values (a trace well outside its axis) neither overflow nor wrap.
int cell(double c, int limit)
{
    if (!(c >= 0.0))
        return -1;
    if (c >= double(limit))
        return limit;
    return int(c);
}

/// Adds the rows from `y0` to `y1` to column `column`'s span, clipped to the image.
void addSpan(int column, double y0, double y1, int width, int height, std::vector<int> &top, std::vector<int> &bottom)
{
    if (column < 0 || column >= width)
        return;
    int a = cell(std::min(y0, y1), height);
    int b = cell(std::max(y0, y1), height);
    if (b < 0 || a >= height) // wholly above or below
        return;
    a = std::max(a, 0);
    b = std::min(b, height - 1);
    top[std::size_t(column)] = std::min(top[std::size_t(column)], a);
    bottom[std::size_t(column)] = std::max(bottom[std::size_t(column)], b);
}

/// Row by row over columns [first, first + count) of rows [topRow, bottomRow]: the pixels inside their
/// column's span get `color`. No pointer aliases another, so GCC vectorises the inner loop.
void fillRows(QRgb *origin, qsizetype stride, const int *__restrict top, const int *__restrict bottom, int first,
    int count, int topRow, int bottomRow, QRgb color)
{
    for (int y = topRow; y <= bottomRow; ++y) {
        QRgb *__restrict row = reinterpret_cast<QRgb *>(reinterpret_cast<uchar *>(origin) + y * stride) + first;
        for (int i = 0; i < count; ++i) {
            const QRgb inside = QRgb(0) - QRgb((top[i] <= y) & (y <= bottom[i])); // all ones or zero
            row[i] = (row[i] & ~inside) | (color & inside);
        }
    }
}

bool finite(const QPointF &p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}
} // namespace

void rasteriseColumns(const QPointF *points, qsizetype count, int width, int height, std::vector<int> &top,
    std::vector<int> &bottom)
{
    top.assign(std::size_t(std::max(width, 0)), height);
    bottom.assign(std::size_t(std::max(width, 0)), -1);
    for (qsizetype i = 0; i < count; ++i) {
        const QPointF &p = points[i];
        if (!finite(p))
            continue;
        const bool hasNext = i + 1 < count && finite(points[i + 1]);
        const bool hasPrevious = i > 0 && finite(points[i - 1]);
        if (!hasNext) {
            if (!hasPrevious) // a lone point between breaks: a dot
                addSpan(cell(p.x(), width), p.y(), p.y(), width, height, top, bottom);
            continue;
        }
        QPointF a = p, b = points[i + 1];
        if (b.x() < a.x())
            std::swap(a, b);
        // Column by column, the part of the segment inside it: what a line rasteriser lights there.
        const double first = std::max(std::floor(a.x()), 0.0);
        const double last = std::min(std::floor(b.x()), double(width) - 1.0);
        const double slope = b.x() > a.x() ? (b.y() - a.y()) / (b.x() - a.x()) : 0.0;
        for (double c = first; c <= last; c += 1.0) {
            if (b.x() == a.x()) {
                addSpan(int(c), a.y(), b.y(), width, height, top, bottom);
                continue;
            }
            const double x0 = std::max(a.x(), c), x1 = std::min(b.x(), c + 1.0);
            if (std::abs(slope) <= 1.0) { // a flat piece: one row per column, as a line rasteriser
                const double y = a.y() + slope * ((x0 + x1) / 2 - a.x());
                addSpan(int(c), y, y, width, height, top, bottom);
            } else {
                addSpan(int(c), a.y() + slope * (x0 - a.x()), a.y() + slope * (x1 - a.x()), width, height, top, bottom);
            }
        }
    }
}

EnvelopeGraph::EnvelopeGraph(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPGraph(keyAxis, valueAxis)
{
}

bool EnvelopeGraph::canDrawSpans(QCPPainter *painter) const
{
    const QPen pen = painter->pen();
    if (pen.style() != Qt::SolidLine || pen.widthF() > 1.0 || painter->testRenderHint(QPainter::Antialiasing))
        return false;
    if (painter->modes().testFlag(QCPPainter::pmVectorized) || !painter->paintEngine()
        || painter->paintEngine()->type() != QPaintEngine::Raster)
        return false;
    const QTransform t = painter->deviceTransform();
    return t.type() <= QTransform::TxScale && t.m11() > 0.0 && t.m11() == t.m22();
}

void EnvelopeGraph::drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const
{
    if (painter->pen().style() == Qt::NoPen || painter->pen().color().alpha() == 0)
        return;
    applyDefaultAntialiasingHint(painter);
    if (!canDrawSpans(painter)) {
        QCPGraph::drawLinePlot(painter, lines);
        return;
    }
    QPaintDevice *device = painter->device();
    if (device && device->devType() == QInternal::Image && painter->pen().color().alpha() == 255) {
        auto *image = static_cast<QImage *>(device);
        if (image->format() == QImage::Format_RGB32 || image->format() == QImage::Format_ARGB32_Premultiplied) {
            drawSpansInto(*image, painter, lines);
            return;
        }
    }
    drawSpans(painter, lines);
}

QRect EnvelopeGraph::deviceClip(QCPPainter *painter) const
{
    return painter->deviceTransform().mapRect(QRectF(clipRect())).toAlignedRect();
}

QRect EnvelopeGraph::columnsOf(QCPPainter *painter, const QVector<QPointF> &lines, const QRect &clip) const
{
    // The points in the clip's pixels (device pixels, its corner at 0, 0).
    const QTransform toDevice = painter->deviceTransform();
    m_points.resize(lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i)
        m_points[i] = toDevice.map(lines[i]) - QPointF(clip.topLeft());
    rasteriseColumns(m_points.constData(), m_points.size(), clip.width(), clip.height(), m_top, m_bottom);
    // The box the spans lie in, and how much of it they fill.
    int first = clip.width(), last = -1, topRow = clip.height(), bottomRow = -1;
    m_filled = 0;
    for (int c = 0; c < clip.width(); ++c) {
        const int t = m_top[std::size_t(c)], b = m_bottom[std::size_t(c)];
        if (t > b)
            continue;
        first = std::min(first, c);
        last = c;
        topRow = std::min(topRow, t);
        bottomRow = std::max(bottomRow, b);
        m_filled += b - t + 1;
    }
    return last < first ? QRect() : QRect(first, topRow, last - first + 1, bottomRow - topRow + 1);
}

void EnvelopeGraph::writeSpans(QRgb *origin, qsizetype stride, const QRect &box, QRgb color) const
{
    if (m_filled * 4 >= qint64(box.width()) * box.height()) {
        // A dense picture (a zig-zag over the lane's height): row by row, each pixel of the box
        // once, in memory order, instead of one cache line per pixel down each column.
        fillRows(origin, stride, m_top.data() + box.left(), m_bottom.data() + box.left(), box.left(), box.width(),
            box.top(), box.bottom(), color);
        return;
    }
    for (int c = box.left(); c <= box.right(); ++c)
        for (int y = m_top[std::size_t(c)]; y <= m_bottom[std::size_t(c)]; ++y)
            reinterpret_cast<QRgb *>(reinterpret_cast<uchar *>(origin) + y * stride)[c] = color;
}

void EnvelopeGraph::drawSpansInto(QImage &image, QCPPainter *painter, const QVector<QPointF> &lines) const
{
    // An opaque pen on an image (the scope's own paint buffer): the pixels are written in place.
    const QRect clip = deviceClip(painter).intersected(image.rect());
    if (clip.isEmpty())
        return;
    const QRect box = columnsOf(painter, lines, clip);
    const qsizetype stride = image.bytesPerLine();
    if (!box.isEmpty())
        writeSpans(reinterpret_cast<QRgb *>(image.bits() + clip.top() * stride) + clip.left(), stride, box,
            qPremultiply(painter->pen().color().rgba()));
    ++m_spanDraws;
}

void EnvelopeGraph::drawSpans(QCPPainter *painter, const QVector<QPointF> &lines) const
{
    // Another device (a QPixmap of an export) or a translucent pen: the spans are written into an
    // image of the clip, transparent elsewhere, which is drawn over the device.
    const QTransform toDevice = painter->deviceTransform();
    const QRect clip = deviceClip(painter);
    if (clip.isEmpty())
        return;
    const QRect box = columnsOf(painter, lines, clip);
    if (!box.isEmpty()) {
        if (m_image.size() != clip.size())
            m_image = QImage(clip.size(), QImage::Format_ARGB32_Premultiplied);
        const qsizetype stride = m_image.bytesPerLine();
        auto *origin = reinterpret_cast<QRgb *>(m_image.bits());
        for (int y = box.top(); y <= box.bottom(); ++y) // clear only what is drawn from
            std::fill_n(reinterpret_cast<QRgb *>(reinterpret_cast<uchar *>(origin) + y * stride) + box.left(),
                box.width(), QRgb(0));
        writeSpans(origin, stride, box, qPremultiply(painter->pen().color().rgba()));
        painter->drawImage(toDevice.inverted().mapRect(QRectF(box.translated(clip.topLeft()))), m_image, QRectF(box));
    }
    ++m_spanDraws;
}

} // namespace bs
