// SPDX-License-Identifier: GPL-3.0-or-later
// EnvelopeGraph: a QCPGraph that rasterises a dense min/max envelope itself, as one vertical span
// of pixels per pixel column, instead of Qt stroking a polyline that zig-zags through every column.
#pragma once

#include <qcustomplot.h>

#include <QImage>
#include <vector>

namespace bs {

/// The scope's trace. On a raster device with a 1-pixel, solid, non-antialiased pen (what the scope
/// gives a dense trace) the line is drawn as the pixels a polyline through the points would cover,
/// column by column: each pixel column gets the vertical span of the line's pieces inside it, written
/// straight into the image painted on (the scope's ScopePaintBuffer) or, on another device, into an
/// image of the plot area that is drawn once. Anything else (antialiased or wide pens, vector exports
/// such as SVG and PDF, a rotated or sheared painter) goes the stock QCPGraph way. A lone point
/// between two breaks is drawn as a dot (the polyline would leave it out).
class EnvelopeGraph : public QCPGraph
{
public:
    EnvelopeGraph(QCPAxis *keyAxis, QCPAxis *valueAxis);

    /// How many draws took the span path so far (for tests and benchmarks).
    int spanDraws() const { return m_spanDraws; }

protected:
    void drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const override;

private:
    bool canDrawSpans(QCPPainter *painter) const;
    /// Into an image of the clip, drawn over the device (a QPixmap, a translucent pen).
    void drawSpans(QCPPainter *painter, const QVector<QPointF> &lines) const;
    /// Straight into the image painted on (the scope's ScopePaintBuffer), for an opaque pen.
    void drawSpansInto(QImage &image, QCPPainter *painter, const QVector<QPointF> &lines) const;
    QRect deviceClip(QCPPainter *painter) const;
    /// Fills m_top/m_bottom (and m_filled) with the columns of `lines` inside `clip` (device
    /// pixels); returns the box the spans lie in, in the clip's pixels (empty: nothing to draw).
    QRect columnsOf(QCPPainter *painter, const QVector<QPointF> &lines, const QRect &clip) const;
    /// Writes the spans of `box` into pixels whose clip corner is at `origin`.
    void writeSpans(QRgb *origin, qsizetype stride, const QRect &box, QRgb color) const;

    mutable QImage m_image; ///< drawSpans()'s image (the clip's size in device pixels), reused
    mutable QVector<QPointF> m_points; ///< the points in the clip's device pixels
    mutable std::vector<int> m_top, m_bottom; ///< per pixel column of the clip: the span drawn
    mutable qint64 m_filled = 0; ///< pixels in the spans
    mutable int m_spanDraws = 0;
};

/// The pixels, column by column, that a 1-pixel polyline through `points` (device pixels, NaN = a
/// break) covers inside `[0, width) × [0, height)`: `top[c] <= bottom[c]` for a column with pixels,
/// `top[c] > bottom[c]` for none. In each column it crosses, a steep segment lights the rows between
/// its heights at the column's two borders, a flat one (slope ≤ 1) the row at its middle there.
/// Pure, so it is tested apart from any painter.
void rasteriseColumns(const QPointF *points, qsizetype count, int width, int height, std::vector<int> &top,
    std::vector<int> &bottom);

} // namespace bs
