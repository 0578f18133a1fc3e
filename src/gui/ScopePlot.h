// SPDX-License-Identifier: GPL-3.0-or-later
// ScopePlot: the scope's QCustomPlot, painting through one opaque image buffer.
#pragma once

#include <qcustomplot.h>

#include <QImage>

namespace bs {

/// A QCustomPlot paint buffer held as a QImage. The bottom buffer is cleared to the plot's
/// background colour instead of transparent, so the widget's picture is a plain copy of it: no
/// background fill and no blending at every repaint. Being an image, it also lets a trace
/// (EnvelopeGraph) write its pixels straight into it.
class ScopePaintBuffer : public QCPAbstractPaintBuffer
{
public:
    ScopePaintBuffer(const QSize &size, double devicePixelRatio, const QColor &backdrop);

    QCPPainter *startPainting() override;
    void draw(QCPPainter *painter) const override;
    void clear(const QColor &color) override;

    /// The colour it is cleared to (opaque), or an invalid colour for a transparent buffer.
    QColor backdrop() const { return m_backdrop; }
    void setBackdrop(const QColor &backdrop);
    const QImage &image() const { return m_image; }

protected:
    void reallocateBuffer() override;

private:
    QImage m_image;
    QColor m_backdrop;
};

/// The scope's plot: QCustomPlot with a ScopePaintBuffer as its bottom paint buffer and without the
/// buffered "overlay" layer. While that is the only buffer (no buffered layer is added), a repaint
/// copies it to the widget; otherwise QCustomPlot paints as usual. Exports (toPixmap, savePng, savePdf) are QCustomPlot's own.
class ScopePlot : public QCustomPlot
{
public:
    explicit ScopePlot(QWidget *parent = nullptr);

    /// How many repaints copied the opaque buffer (for tests and benchmarks).
    int opaqueRepaints() const { return m_opaqueRepaints; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    ScopePaintBuffer *opaqueBuffer() const;
    int m_opaqueRepaints = 0;
};

} // namespace bs
