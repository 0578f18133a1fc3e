// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScopeSettings.h"

#include <QObject>

#include <cmath>

namespace bs {

namespace {
bool validRange(double lo, double hi)
{
    return std::isfinite(lo) && std::isfinite(hi) && lo < hi;
}
} // namespace

QString ScopeSettings::lanesName(Lanes l)
{
    switch (l) {
    case Lanes::PerInstrument:
        return QStringLiteral("instrument");
    case Lanes::Single:
        return QStringLiteral("single");
    case Lanes::PerUnit:
        break;
    }
    return QStringLiteral("unit");
}

ScopeSettings::Lanes ScopeSettings::lanesFromName(const QString &name, Lanes fallback)
{
    for (Lanes l : { Lanes::PerUnit, Lanes::PerInstrument, Lanes::Single })
        if (lanesName(l) == name)
            return l;
    return fallback;
}

namespace {
const QStringList kEdges { QStringLiteral("rising"), QStringLiteral("falling"), QStringLiteral("either") };
const QStringList kSweeps { QStringLiteral("auto"), QStringLiteral("normal"), QStringLiteral("single") };
} // namespace

QJsonObject ScopeSettings::Trigger::toJson() const
{
    return QJsonObject { { QStringLiteral("channel"), channel },
        { QStringLiteral("edge"), kEdges.value(int(settings.edge)) }, { QStringLiteral("level"), settings.level },
        { QStringLiteral("hysteresis"), settings.hysteresis }, { QStringLiteral("holdoff_s"), settings.holdoff },
        { QStringLiteral("pre_percent"), prePercent }, { QStringLiteral("sweep"), kSweeps.value(int(sweep)) } };
}

ScopeSettings::Trigger ScopeSettings::Trigger::fromJson(const QJsonObject &o)
{
    Trigger t;
    t.channel = o.value(QStringLiteral("channel")).toString();
    if (const auto e = kEdges.indexOf(o.value(QStringLiteral("edge")).toString()); e >= 0)
        t.settings.edge = TriggerEdge(e);
    if (const auto s = kSweeps.indexOf(o.value(QStringLiteral("sweep")).toString()); s >= 0)
        t.sweep = TriggerMode(s);
    const double level = o.value(QStringLiteral("level")).toDouble(t.settings.level);
    if (std::isfinite(level))
        t.settings.level = level;
    const double hysteresis = o.value(QStringLiteral("hysteresis")).toDouble(t.settings.hysteresis);
    if (std::isfinite(hysteresis) && hysteresis >= 0)
        t.settings.hysteresis = hysteresis;
    const double holdoff = o.value(QStringLiteral("holdoff_s")).toDouble(t.settings.holdoff);
    if (std::isfinite(holdoff) && holdoff >= 0 && holdoff <= kMaxSpan)
        t.settings.holdoff = holdoff;
    const double pre = o.value(QStringLiteral("pre_percent")).toDouble(t.prePercent);
    if (std::isfinite(pre) && pre >= 0 && pre <= 100)
        t.prePercent = pre;
    return t;
}

QString ScopeSettings::ChannelScale::problem(double perDiv, double offset, const QString &unit)
{
    const QString u = unit.isEmpty() ? QString() : QLatin1Char(' ') + unit;
    if (!std::isfinite(perDiv) || !(perDiv > 0))
        return QObject::tr("The scale must be a number above zero%1/div.").arg(u);
    if (perDiv > kMaxMagnitude || perDiv < kMinPerDiv)
        return QObject::tr("The scale must lie between 1e-15 and 1e15%1/div.").arg(u);
    if (!std::isfinite(offset) || std::abs(offset) > kMaxMagnitude)
        return QObject::tr("The offset must be a number between −1e15 and 1e15%1.").arg(u);
    if (perDiv * kDivisions < std::abs(offset) * 1e-12) // below what a double resolves at that offset
        return QObject::tr("The scale is too fine for an offset of %1%2: at most 12 digits apart.").arg(offset).arg(u);
    return QString();
}

QJsonObject ScopeSettings::ChannelScale::toJson() const
{
    return QJsonObject { { QStringLiteral("auto"), autoscale }, { QStringLiteral("per_div"), perDiv },
        { QStringLiteral("offset"), offset } };
}

std::optional<ScopeSettings::ChannelScale> ScopeSettings::ChannelScale::fromJson(const QJsonValue &v)
{
    if (!v.isObject())
        return std::nullopt;
    const QJsonObject o = v.toObject();
    ChannelScale c;
    const QJsonValue perDiv = o.value(QStringLiteral("per_div"));
    const QJsonValue offset = o.value(QStringLiteral("offset"));
    const bool usable = perDiv.isDouble() && (offset.isDouble() || offset.isUndefined())
        && problem(perDiv.toDouble(), offset.toDouble(0.0), QString()).isEmpty();
    if (usable) {
        c.perDiv = perDiv.toDouble();
        c.offset = offset.toDouble(0.0);
    }
    // Without a usable scale the channel keeps its own axis, fitted to its data.
    c.autoscale = !usable || o.value(QStringLiteral("auto")).toBool(false);
    return c;
}

QJsonObject ScopeSettings::toJson() const
{
    QJsonObject o { { QStringLiteral("type"), kType }, { QStringLiteral("span_s"), spanSeconds },
        { QStringLiteral("follow"), follow }, { QStringLiteral("y_auto"), yAuto },
        { QStringLiteral("lanes"), lanesName(lanes) }, { QStringLiteral("channels"), channels },
        { QStringLiteral("mode"), triggered ? QStringLiteral("triggered") : QStringLiteral("roll") },
        { QStringLiteral("trigger"), trigger.toJson() } };
    const auto primary = yRanges.constFind(primaryUnit);
    if (primary != yRanges.constEnd()) {
        o.insert(QStringLiteral("y_min"), primary->first);
        o.insert(QStringLiteral("y_max"), primary->second);
    }
    QJsonObject ranges;
    for (auto it = yRanges.constBegin(); it != yRanges.constEnd(); ++it)
        ranges.insert(it.key(), QJsonArray { it->first, it->second });
    if (!ranges.isEmpty())
        o.insert(QStringLiteral("y_ranges"), ranges);
    QJsonObject sides;
    for (auto it = axisOnRight.constBegin(); it != axisOnRight.constEnd(); ++it)
        sides.insert(it.key(), it.value() ? QStringLiteral("right") : QStringLiteral("left"));
    if (!sides.isEmpty())
        o.insert(QStringLiteral("y_sides"), sides);
    if (!primaryUnit.isNull())
        o.insert(QStringLiteral("y_unit"), primaryUnit);
    QJsonObject scales;
    for (auto it = channelScales.constBegin(); it != channelScales.constEnd(); ++it)
        scales.insert(it.key(), it->toJson());
    if (!scales.isEmpty())
        o.insert(QStringLiteral("channel_scales"), scales);
    return o;
}

ScopeSettings ScopeSettings::fromJson(const QJsonObject &o)
{
    ScopeSettings s;
    const double span = o.value(QStringLiteral("span_s")).toDouble(s.spanSeconds);
    if (std::isfinite(span) && span >= kMinSpan && span <= kMaxSpan)
        s.spanSeconds = span;
    s.follow = o.value(QStringLiteral("follow")).toBool(s.follow);
    s.yAuto = o.value(QStringLiteral("y_auto")).toBool(s.yAuto);
    s.lanes = lanesFromName(o.value(QStringLiteral("lanes")).toString(), s.lanes);
    s.triggered = o.value(QStringLiteral("mode")).toString() == QLatin1String("triggered");
    s.trigger = Trigger::fromJson(o.value(QStringLiteral("trigger")).toObject());
    s.primaryUnit = o.value(QStringLiteral("y_unit")).toString();
    const QJsonObject ranges = o.value(QStringLiteral("y_ranges")).toObject();
    for (auto it = ranges.begin(); it != ranges.end(); ++it) {
        const QJsonArray a = it.value().toArray();
        if (a.size() == 2 && a[0].isDouble() && a[1].isDouble()
            && validRange(a[0].toDouble(), a[1].toDouble()))
            s.yRanges.insert(it.key(), { a[0].toDouble(), a[1].toDouble() });
    }
    const QJsonObject sides = o.value(QStringLiteral("y_sides")).toObject();
    for (auto it = sides.begin(); it != sides.end(); ++it) {
        const QString side = it.value().toString();
        if (side == QLatin1String("left") || side == QLatin1String("right"))
            s.axisOnRight.insert(it.key(), side == QLatin1String("right"));
    }
    const QJsonValue lo = o.value(QStringLiteral("y_min"));
    const QJsonValue hi = o.value(QStringLiteral("y_max"));
    if (lo.isDouble() && hi.isDouble() && validRange(lo.toDouble(), hi.toDouble())
        && !s.yRanges.contains(s.primaryUnit))
        s.yRanges.insert(s.primaryUnit, { lo.toDouble(), hi.toDouble() });
    s.channels = o.value(QStringLiteral("channels")).toArray();
    const QJsonObject scales = o.value(QStringLiteral("channel_scales")).toObject();
    for (auto it = scales.begin(); it != scales.end(); ++it)
        if (const auto c = ChannelScale::fromJson(it.value()); c && !it.key().isEmpty())
            s.channelScales.insert(it.key(), *c);
    return s;
}

} // namespace bs
