// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <SoftwareTrigger.h>
#include <TriggerAcquisition.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QPair>
#include <QString>

#include <optional>

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
/// `channel_scales` holds the channels with their own value axis, by channel style key:
/// `{"scope/sig/Sine":{"auto":false,"per_div":0.01,"offset":0}}` (scale in the channel's unit per
/// division, offset the value at the lane's centre line); a junk entry falls back to autoscale.
struct ScopeSettings
{
    /// A channel's own vertical scale, as on a bench scope: `perDiv` units per division over
    /// kDivisions divisions, `offset` the value at the centre line, so the axis shows
    /// offset ± kDivisions/2 · perDiv; or, with `autoscale`, an own axis fitted to the channel's data.
    struct ChannelScale
    {
        static constexpr int kDivisions = 8;
        static constexpr double kMaxMagnitude = 1e15; ///< beyond this a scale or offset is junk
        static constexpr double kMinPerDiv = 1e-15;

        bool autoscale = true;
        double perDiv = 1.0;
        double offset = 0.0;

        double lower() const { return offset - perDiv * kDivisions / 2; }
        double upper() const { return offset + perDiv * kDivisions / 2; }
        /// Empty if `perDiv` and `offset` make a usable axis, else what is wrong in the user's words.
        static QString problem(double perDiv, double offset, const QString &unit);
        QJsonObject toJson() const;
        /// A missing or unusable scale falls back to autoscale (nullopt: not an object at all).
        static std::optional<ChannelScale> fromJson(const QJsonValue &v);
        bool operator==(const ChannelScale &) const = default;
    };

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
    QMap<QString, ChannelScale> channelScales; ///< channels with their own axis, by style key

    QJsonObject toJson() const;
    static ScopeSettings fromJson(const QJsonObject &o);
};

} // namespace bs
