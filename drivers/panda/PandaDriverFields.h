// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QVector>

namespace bs::panda {

/// A capturable field the driver offers in its panel. `positionOutput` fields (pos_out) take any
/// combination of capture options; the others (ext_out: timestamps, gate duration, bit words)
/// take only No/Value.
struct CaptureField
{
    const char *name;        ///< "COUNTER1.OUT"
    bool positionOutput;
    const char *defaultCapture;
};

/// The standard PandABox fields offered for capture (as on a stock FPGA build).
const QVector<CaptureField> &captureFields();

/// Values of a pos_out CAPTURE enum, as `*ENUMS.<pos_out>.CAPTURE?` lists them (no StdDev).
const QStringList &positionCaptureChoices();
const QStringList &extCaptureChoices();

/// Parameter key of a field's capture setting: "capture.COUNTER1.OUT".
QString captureKey(const char *fieldName);

} // namespace bs::panda
