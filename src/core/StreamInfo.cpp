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

QJsonObject StreamInfo::toJson() const
{
    QJsonArray chans;
    for (const auto &c : channels)
        chans.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("unit"), c.unit}});
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("regular"), regular},
            {QStringLiteral("nominal_rate"), nominalRate},
            {QStringLiteral("channels"), chans}};
}

} // namespace bs
