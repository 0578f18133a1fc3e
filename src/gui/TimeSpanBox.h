// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDoubleSpinBox>

namespace bs {

/// The scope's "Time span" field: seconds shown with SI prefixes ("500 ms", "2 s", "20 µs"),
/// typed the same way or as a plain number of seconds ("0.5", "500m", "500 ms"), and stepped by
/// the arrows (or Up/Down, the wheel) in the oscilloscope's 1-2-5 sequence.
class TimeSpanBox : public QDoubleSpinBox
{
public:
    explicit TimeSpanBox(QWidget *parent = nullptr);

    QString textFromValue(double value) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &input, int &pos) const override;
    void stepBy(int steps) override;

    /// The next value of the 1-2-5 sequence above (`up`) or below `value`.
    static double step125(double value, bool up);
};

} // namespace bs
