// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qt>

class QCPAxisRect;
class QCPItemText;
class QCustomPlot;

namespace bs {

/// A text over a plot area, not clipped to it: placed on `rect` at (x, y) as fractions of its
/// size ((0, 0) top left, (0.5, 0.5) the centre) and anchored there by `anchor`. The empty-state
/// texts, the Frozen tag and the cursor read-out are such texts; callers set font and colours.
QCPItemText *addOverlayText(QCustomPlot *plot, QCPAxisRect *rect, double x, double y, Qt::Alignment anchor);

} // namespace bs
