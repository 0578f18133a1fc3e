// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChannelStyles.h"

#include <QJsonObject>

#include <array>

namespace bs {

ChannelStyles::ChannelStyles(QObject *parent)
    : QObject(parent)
{
}

QString ChannelStyles::keyOf(const QString &instrumentId, const QString &streamId, const QString &channelName)
{
    return instrumentId + QLatin1Char('/') + streamId + QLatin1Char('/') + channelName;
}

QColor ChannelStyles::paletteColor(int index)
{
    // Distinct, readable on white; the first ten are the familiar "tab10" colours.
    static constexpr std::array<QRgb, 14> kPalette { 0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd,
        0x8c564b, 0xe377c2, 0x17becf, 0x7f7f7f, 0xbcbd22, 0x393b79, 0xad494a, 0x637939, 0x843c39 };
    return QColor::fromRgb(kPalette[std::size_t(index) % kPalette.size()]);
}

ChannelStyles::Style ChannelStyles::style(const QString &key)
{
    return style(key, true);
}

ChannelStyles::Style ChannelStyles::style(const QString &key, bool defaultVisible)
{
    auto it = m_styles.find(key);
    if (it != m_styles.end())
        return *it;
    Style s;
    s.visible = defaultVisible;
    s.color = paletteColor(int(m_order.size()));
    m_styles.insert(key, s);
    m_order.append(key);
    return s;
}

void ChannelStyles::setVisible(const QString &key, bool visible)
{
    Style s = style(key);
    if (s.visible == visible)
        return;
    s.visible = visible;
    m_styles.insert(key, s);
    Q_EMIT styleChanged(key);
}

void ChannelStyles::setColor(const QString &key, const QColor &color)
{
    Style s = style(key);
    if (!color.isValid() || s.color == color)
        return;
    s.color = color;
    m_styles.insert(key, s);
    Q_EMIT styleChanged(key);
}

QJsonArray ChannelStyles::toJson() const
{
    QJsonArray a;
    for (const QString &key : m_order) {
        const Style &s = m_styles[key];
        a.append(QJsonObject { { QStringLiteral("key"), key }, { QStringLiteral("visible"), s.visible },
            { QStringLiteral("color"), s.color.name() } });
    }
    return a;
}

void ChannelStyles::fromJson(const QJsonArray &channels)
{
    m_styles.clear();
    m_order.clear();
    for (const QJsonValue &v : channels) {
        const QJsonObject o = v.toObject();
        const QString key = o.value(QStringLiteral("key")).toString();
        if (key.isEmpty() || m_styles.contains(key))
            continue;
        Style s;
        s.visible = o.value(QStringLiteral("visible")).toBool(true);
        s.color = QColor(o.value(QStringLiteral("color")).toString());
        if (!s.color.isValid())
            s.color = paletteColor(int(m_order.size()));
        m_styles.insert(key, s);
        m_order.append(key);
    }
    Q_EMIT stylesReset();
}

void ChannelStyles::clear()
{
    m_styles.clear();
    m_order.clear();
    Q_EMIT stylesReset();
}

} // namespace bs
