// SPDX-License-Identifier: GPL-3.0-or-later
// ScopePlot: one opaque image paint buffer, copied to the widget at a repaint.
#include "ScopePlot.h"

namespace bs {

ScopePaintBuffer::ScopePaintBuffer(const QSize &size, double devicePixelRatio, const QColor &backdrop)
    : QCPAbstractPaintBuffer(size, devicePixelRatio)
    , m_backdrop(backdrop)
{
    ScopePaintBuffer::reallocateBuffer();
}

void ScopePaintBuffer::setBackdrop(const QColor &backdrop)
{
    if (backdrop == m_backdrop)
        return;
    m_backdrop = backdrop;
    reallocateBuffer(); // the format follows
}

void ScopePaintBuffer::reallocateBuffer()
{
    setInvalidated();
    const QImage::Format format = m_backdrop.isValid() ? QImage::Format_RGB32 : QImage::Format_ARGB32_Premultiplied;
    m_image = QImage((QSizeF(mSize) * mDevicePixelRatio).toSize(), format);
    m_image.setDevicePixelRatio(mDevicePixelRatio);
    m_image.fill(m_backdrop.isValid() ? m_backdrop : QColor(Qt::transparent));
}

QCPPainter *ScopePaintBuffer::startPainting()
{
    auto *painter = new QCPPainter(&m_image);
    painter->setRenderHint(QPainter::Antialiasing); // as QCustomPlot's own buffers
    return painter;
}

void ScopePaintBuffer::draw(QCPPainter *painter) const
{
    if (!painter || !painter->isActive())
        return;
    if (m_backdrop.isValid()) {
        const QPainter::CompositionMode mode = painter->compositionMode();
        painter->setCompositionMode(QPainter::CompositionMode_Source); // opaque: a copy
        painter->drawImage(QPointF(0, 0), m_image);
        painter->setCompositionMode(mode);
    } else {
        painter->drawImage(QPointF(0, 0), m_image);
    }
}

void ScopePaintBuffer::clear(const QColor &color)
{
    m_image.fill(m_backdrop.isValid() ? m_backdrop : color);
}

ScopePlot::ScopePlot(QWidget *parent)
    : QCustomPlot(parent)
{
    // QCustomPlot keeps buffers it finds in mPaintBuffers and creates only missing ones: the bottom
    // one is ours. Its backdrop follows the background brush at each repaint.
    mPaintBuffers.prepend(QSharedPointer<QCPAbstractPaintBuffer>(
        new ScopePaintBuffer(viewport().size(), bufferDevicePixelRatio(), Qt::white)));
    // QCustomPlot's "overlay" layer holds only its selection rectangle, which the scope does not use
    // (box zoom is a QRubberBand); as a buffered layer it would cost a second full-size buffer to
    // clear and blend at every replot.
    if (QCPLayer *overlay = layer(QStringLiteral("overlay")))
        removeLayer(overlay);
}

ScopePaintBuffer *ScopePlot::opaqueBuffer() const
{
    if (mPaintBuffers.size() != 1)
        return nullptr;
    auto *buffer = dynamic_cast<ScopePaintBuffer *>(mPaintBuffers.first().data());
    return buffer && buffer->backdrop().isValid() ? buffer : nullptr;
}

void ScopePlot::paintEvent(QPaintEvent *event)
{
    // The buffer's backdrop must be the background the stock repaint would fill with; a brush that
    // is not a plain opaque colour makes the buffer transparent again (the next replot redraws it).
    if (!mPaintBuffers.isEmpty())
        if (auto *buffer = dynamic_cast<ScopePaintBuffer *>(mPaintBuffers.first().data())) {
            const bool plain = mBackgroundBrush.style() == Qt::SolidPattern && mBackgroundBrush.color().alpha() == 255
                && mBackgroundPixmap.isNull();
            const QColor wanted = plain ? mBackgroundBrush.color() : QColor();
            if (buffer->backdrop() != wanted) {
                buffer->setBackdrop(wanted);
                replot(rpQueuedReplot);
            }
        }
    ScopePaintBuffer *buffer = opaqueBuffer();
    if (!buffer || !qFuzzyCompare(bufferDevicePixelRatio(), devicePixelRatioF())) {
        QCustomPlot::paintEvent(event); // also adapts the buffers to a new pixel ratio
        return;
    }
    QCPPainter painter(this);
    if (!painter.isActive())
        return;
    buffer->draw(&painter);
    ++m_opaqueRepaints;
}

} // namespace bs
