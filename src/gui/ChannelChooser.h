// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScopeView.h"

class QComboBox;

namespace bs {

/// Keeps a channel list (a combo box of the Spectrum and Statistics docks) equal to the channels
/// a scope view shows (label as in the legend, style key as item data), rebuilt only when they
/// change, and selects `wanted` (a style key), else the first. Emits no signal of the box.
/// Returns the index selected, -1 when no channel is shown.
int syncChannelChooser(QComboBox *box, const QVector<ScopeView::ShownChannel> &shown, const QString &wanted);

} // namespace bs
