// SPDX-License-Identifier: GPL-3.0-or-later
#include "TraceTypes.h"

namespace bs {

QString ChannelKey::toString() const
{
    return instrumentId + QLatin1Char('/') + streamId + QLatin1Char('/') + QString::number(channel);
}

std::optional<ChannelKey> ChannelKey::fromString(const QString &text)
{
    const qsizetype chSep = text.lastIndexOf(QLatin1Char('/'));
    if (chSep <= 0)
        return std::nullopt;
    const qsizetype streamSep = text.lastIndexOf(QLatin1Char('/'), chSep - 1);
    if (streamSep <= 0 || streamSep + 1 >= chSep)
        return std::nullopt;
    bool ok = false;
    const int ch = text.mid(chSep + 1).toInt(&ok);
    if (!ok || ch < 0)
        return std::nullopt;
    return ChannelKey { text.left(streamSep), text.mid(streamSep + 1, chSep - streamSep - 1), ch };
}

} // namespace bs
