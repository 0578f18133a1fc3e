// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <SoftwareTrigger.h>
#include <TriggerAcquisition.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QPair>
#include <QString>

namespace bs {

/// What a scope view remembers in the session's `views` array:
/// `{"type":"scope","span_s":10,"follow":true,"y_auto":true,"y_min":-1,"y_max":1,
///   "y_ranges":{"V":[-1,1],"µm":[0,80]},"y_sides":{"V":"left","µm":"right"},
///   "channels":[{"key":...,"visible":...,"color":...}]}`.
/// `y_min`/`y_max` are the range of the first (left) axis; `y_ranges` holds the manual range of
/// every value axis (keyed by unit; by "instrument/unit" when lanes are per instrument), `y_sides`
/// the side of every unit's axis, `lanes` how channels are stacked ("unit": one lane per unit,
/// "instrument": one lane per instrument, "single": all in one lane). Reading is lenient: a missing
/// or mistyped member keeps its default. `mode` is "roll" (strip chart) or "triggered" (scope),
/// `trigger` the software trigger: `{"channel":"inst/stream/ch","edge":"rising"|"falling"|"either",
/// "level":0.5,"hysteresis":0.01,"holdoff_s":0,"pre_percent":50,"sweep":"auto"|"normal"|"single"}`.
struct ScopeSettings
{
    /// The software trigger of a Triggered view, as the user set it.
    struct Trigger
    {
        QString channel; ///< ChannelKey::toString() of the source; empty: the first channel shown
        TriggerSettings settings;
        double prePercent = 50.0;
        TriggerMode sweep = TriggerMode::Auto;

        QJsonObject toJson() const;
        static Trigger fromJson(const QJsonObject &o);
        bool operator==(const Trigger &) const = default;
    };

    enum class Lanes { PerUnit, PerInstrument, Single };
    static QString lanesName(Lanes l);
    static Lanes lanesFromName(const QString &name, Lanes fallback);

    static inline const QString kType = QStringLiteral("scope");
    static constexpr double kMinSpan = 1e-6;
    static constexpr double kMaxSpan = 7 * 86400.0;

    double spanSeconds = 10.0;
    bool follow = true;
    bool yAuto = true;
    Lanes lanes = Lanes::PerUnit;
    bool triggered = false; ///< mode: false roll, true triggered
    Trigger trigger;
    QString primaryUnit; ///< unit of the left axis when saved
    QMap<QString, QPair<double, double>> yRanges; ///< manual range per unit
    QMap<QString, bool> axisOnRight; ///< side of each unit's axis (true: right)
    QJsonArray channels; ///< ChannelStyles::toJson()

    QJsonObject toJson() const;
    static ScopeSettings fromJson(const QJsonObject &o);
};

} // namespace bs
