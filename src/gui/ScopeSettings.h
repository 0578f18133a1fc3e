// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
/// every unit's axis, `y_sides` the side of every unit's axis. Reading is lenient: a missing or
/// mistyped member keeps its default.
struct ScopeSettings
{
    static inline const QString kType = QStringLiteral("scope");
    static constexpr double kMinSpan = 1e-6;
    static constexpr double kMaxSpan = 7 * 86400.0;

    double spanSeconds = 10.0;
    bool follow = true;
    bool yAuto = true;
    QString primaryUnit; ///< unit of the left axis when saved
    QMap<QString, QPair<double, double>> yRanges; ///< manual range per unit
    QMap<QString, bool> axisOnRight; ///< side of each unit's axis (true: right)
    QJsonArray channels; ///< ChannelStyles::toJson()

    QJsonObject toJson() const;
    static ScopeSettings fromJson(const QJsonObject &o);
};

} // namespace bs
