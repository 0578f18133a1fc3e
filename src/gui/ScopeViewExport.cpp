// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: the picture of the plot as PNG, SVG or PDF.
#include "ScopeView.h"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace bs {

bool ScopeView::exportImage(const QString &path, QString *error) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = m_plot->width();
    const int h = m_plot->height();
    const QString name = QFileInfo(path).fileName();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = m_plot->savePng(path, w, h, 2.0);
    } else if (suffix == QLatin1String("pdf")) {
        ok = m_plot->savePdf(path, w, h, QCP::epNoCosmetic, QStringLiteral("BenchScope"), name);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(name);
        svg.setDescription(tr("BenchScope scope view"));
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            m_plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
        // QSvgGenerator reports no write error: check that something reached the file.
        ok = ok && QFileInfo(path).size() > 0;
    } else {
        if (error)
            *error = tr("%1: choose a file ending in .png, .svg or .pdf").arg(name);
        return false;
    }
    if (!ok && error)
        *error = tr("Could not write the picture to %1 (is the folder writable and the disk not full?)")
                     .arg(QFileInfo(path).absoluteFilePath());
    return ok;
}

} // namespace bs
