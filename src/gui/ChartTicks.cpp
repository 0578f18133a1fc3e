// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChartTicks.h"

#include <EngineeringFormat.h>

#include <QCategoryAxis>

#include <algorithm>
#include <cmath>

namespace bs {

QVector<double> niceTicks(double lo, double hi, int maxTicks)
{
    QVector<double> ticks;
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo) || maxTicks < 1)
        return ticks;
    const double raw = (hi - lo) / double(maxTicks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10.0 * magnitude;
    for (const double m : { 1.0, 2.0, 5.0 })
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    const double first = std::ceil(lo / step - 1e-9);
    for (double k = first; k * step <= hi + step * 1e-9 && ticks.size() <= maxTicks + 1; k += 1.0) {
        const double v = k * step;
        ticks.append(std::abs(v) < step * 1e-9 ? 0.0 : v); // no "−0" or "1e-17 V" at zero
    }
    return ticks;
}

void setEngineeringTicks(QCategoryAxis *axis, double lo, double hi, const QString &unit, int maxTicks)
{
    for (const QString &label : axis->categoriesLabels())
        axis->remove(label);
    const QVector<double> ticks = niceTicks(lo, hi, maxTicks);
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // Labels sit on the categories' end values; the start value below the first tick has none.
    axis->setStartValue(ticks.isEmpty() ? lo : ticks.first() - (hi - lo));
    // Enough digits to tell neighbours apart far from zero (a trend at 12 345.02 s, 12 345.04 s).
    int digits = 6;
    if (ticks.size() > 1) {
        const double step = ticks[1] - ticks[0];
        const double largest = std::max(std::abs(ticks.first()), std::abs(ticks.last()));
        if (largest > 0 && step > 0)
            digits = std::clamp(int(std::ceil(std::log10(largest / step))) + 2, 6, 12);
    }
    QString previous;
    for (const double t : ticks) {
        const QString label = EngineeringFormat::format(t, unit, digits);
        if (label != previous) // (labels must differ; round ticks give different ones)
            axis->append(label, t);
        previous = label;
    }
    axis->setRange(lo, hi);
}

} // namespace bs
