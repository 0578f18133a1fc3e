// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeLegendItem: a legend entry of the scope that lays out and draws its text once, not at every
// replot (QCustomPlot shapes every entry's text twice per replot; with a dozen channels at 30
// pictures a second that was a tenth of the GUI thread).
#pragma once

#include <qcustomplot.h>

#include <QPixmap>

#include <optional>

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
    /// Everything the entry's look depends on; a change draws it afresh. Compared field by field
    /// (cheap: the strings, fonts and pens are shared, not copied).
    struct Look {
        QString name;
        QFont font;
        QColor textColor;
        QPen pen, iconBorder;
        QBrush brush;
        int scatterShape = 0;
        double scatterSize = 0;
        QSize iconSize, size;
        int iconTextPadding = 0;
        QMargins margins;
        qreal scale = 1;
        bool selected = false;
        bool operator==(const Look &o) const = default;
    };
    Look look(const QSize &size, qreal scale) const;

    mutable std::optional<Look> m_sizeLook;
    mutable QSize m_size;
    std::optional<Look> m_pictureLook;
    QPixmap m_picture;
    int m_renders = 0;
};

} // namespace bs
