// SPDX-License-Identifier: GPL-3.0-or-later
#include "TimeSpanBox.h"

#include "EngineeringFormat.h"

#include <cmath>

namespace bs {

namespace {
const QString kSeconds = QStringLiteral("s");
} // namespace

TimeSpanBox::TimeSpanBox(QWidget *parent)
    : QDoubleSpinBox(parent)
{
    setDecimals(9); // QDoubleSpinBox rounds values to its decimals: keep down to nanoseconds
    setKeyboardTracking(false);
    setAccelerated(false);
}

QString TimeSpanBox::textFromValue(double value) const
{
    return EngineeringFormat::format(value, kSeconds, 4);
}

double TimeSpanBox::valueFromText(const QString &text) const
{
    return EngineeringFormat::parse(text, kSeconds).value_or(value());
}

QValidator::State TimeSpanBox::validate(QString &input, int &pos) const
{
    Q_UNUSED(pos)
    const auto v = EngineeringFormat::parse(input, kSeconds);
    if (v && *v >= minimum() && *v <= maximum())
        return QValidator::Acceptable;
    return QValidator::Intermediate; // while typing ("2.", "5 m"); reverted on focus-out if bad
}

double TimeSpanBox::step125(double value, bool up)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1.0;
    const double decade = std::pow(10.0, std::floor(std::log10(value)));
    static constexpr double kMantissas[] = { 1, 2, 5, 10, 20 };
    if (up) {
        for (double m : kMantissas)
            if (m * decade > value * (1 + 1e-9))
                return m * decade;
        return 20 * decade;
    }
    for (double m : { 5.0, 2.0, 1.0, 0.5 })
        if (m * decade < value * (1 - 1e-9))
            return m * decade;
    return 0.5 * decade;
}

void TimeSpanBox::stepBy(int steps)
{
    double v = value();
    for (int i = 0; i < std::abs(steps); ++i)
        v = step125(v, steps > 0);
    setValue(qBound(minimum(), v, maximum()));
    selectAll();
}

} // namespace bs
