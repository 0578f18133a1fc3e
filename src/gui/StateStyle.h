// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Instrument.h>

#include <QColor>
#include <QString>

class QLabel;

namespace bs {

/// How an instrument state is shown everywhere (panel, status bar): one colour per state, so a
/// technician can tell at a glance which instrument is running, idle or in trouble.
namespace StateStyle {

QColor color(Instrument::State state);
/// Shows "● <text>" in the state's colour on `label`.
void apply(QLabel *label, Instrument::State state, const QString &text);

} // namespace StateStyle
} // namespace bs
