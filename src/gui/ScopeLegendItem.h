// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeLegendItem: a legend entry of the scope that lays out and draws its text once, not at every
// replot (QCustomPlot shapes every entry's text twice per replot; with a dozen channels at 30
// pictures a second that was a tenth of the GUI thread).
#pragma once

#include <qcustomplot.h>

#include <QPixmap>

namespace bs {

class ScopeLegendItem : public QCPPlottableLegendItem
{
public:
    ScopeLegendItem(QCPLegend *legend, QCPAbstractPlottable *plottable);

    /// How many times the entry was drawn afresh (not from its kept picture), for tests.
    int renders() const { return m_renders; }

protected:
    void draw(QCPPainter *painter) override;
    QSize minimumOuterSizeHint() const override;

private:
    /// Everything the entry's look depends on; a change draws it afresh.
    QString lookKey(const QSize &size, qreal scale) const;

    mutable QString m_sizeKey;
    mutable QSize m_size;
    QString m_pictureKey;
    QPixmap m_picture;
    int m_renders = 0;
};

} // namespace bs
