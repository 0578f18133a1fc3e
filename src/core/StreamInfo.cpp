// SPDX-License-Identifier: GPL-3.0-or-later
#include "StreamInfo.h"

#include <QJsonArray>

namespace bs {

int StreamInfo::channelIndex(const QString &channelName) const
{
    for (int i = 0; i < channels.size(); ++i)
        if (channels[i].name == channelName)
            return i;
    return -1;
}

std::vector<SampleFormat> StreamInfo::formats() const
{
    std::vector<SampleFormat> out;
    out.reserve(std::size_t(channels.size()));
    for (const auto &c : channels)
        out.push_back(c.format);
    return out;
}

QJsonObject StreamInfo::toJson() const
{
    QJsonArray chans;
    for (const auto &c : channels) {
        QJsonObject o{{QStringLiteral("name"), c.name}, {QStringLiteral("unit"), c.unit}};
        if (!c.format.isPlainDouble()) {
            o.insert(QStringLiteral("type"), sampleTypeName(c.format.type));
            o.insert(QStringLiteral("scale"), c.format.scale);
            o.insert(QStringLiteral("offset"), c.format.offset);
        }
        chans.append(o);
    }
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("regular"), regular},
                  {QStringLiteral("nominal_rate"), nominalRate},
                  {QStringLiteral("channels"), chans}};
    if (timeChannel >= 0)
        o.insert(QStringLiteral("time_channel"), timeChannel);
    return o;
}

} // namespace bs
