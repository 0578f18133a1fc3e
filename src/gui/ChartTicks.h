// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVector>

class QCategoryAxis;

namespace bs {

/// Round tick values (steps of 1, 2 or 5 × 10^n) covering [lo, hi], at most about `maxTicks`.
QVector<double> niceTicks(double lo, double hi, int maxTicks);

/// Makes a Qt Charts category axis show [lo, hi] with round ticks labelled like the instruments
/// label theirs ("−10 mV", "0 V", "2.5 kHz", "1 200": EngineeringFormat::format with `unit`): Qt
/// Charts' own value axis knows printf formats only, no SI prefixes.
void setEngineeringTicks(QCategoryAxis *axis, double lo, double hi, const QString &unit, int maxTicks);

} // namespace bs
