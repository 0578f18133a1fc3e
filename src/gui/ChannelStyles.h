// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QStringList>

namespace bs {

/// Visibility and colour of every channel, shared by the scope view and the instrument panels'
/// channel lists (GUI thread only).
///
/// Channels are named by a stable text key "<instrument>/<stream>/<channel name>" (see keyOf()),
/// so a session keeps its colours even if a device reorders its channels. Styles of channels that
/// do not exist (yet) are kept: a PandA announces its channels only after it connects.
class ChannelStyles : public QObject
{
    Q_OBJECT
public:
    struct Style
    {
        bool visible = true;
        QColor color;
    };

    explicit ChannelStyles(QObject *parent = nullptr);

    static QString keyOf(const QString &instrumentId, const QString &streamId, const QString &channelName);

    /// The style of `key`; a channel seen for the first time gets the next palette colour.
    Style style(const QString &key);
    /// As style(), but a channel seen for the first time starts visible only if `defaultVisible`.
    Style style(const QString &key, bool defaultVisible);
    bool contains(const QString &key) const { return m_styles.contains(key); }
    void setVisible(const QString &key, bool visible);
    void setColor(const QString &key, const QColor &color);

    /// `[{"key": ..., "visible": ..., "color": "#rrggbb"}, ...]` in first-seen order.
    QJsonArray toJson() const;
    /// Replaces all styles; malformed entries are skipped.
    void fromJson(const QJsonArray &channels);
    void clear();

    static QColor paletteColor(int index);

Q_SIGNALS:
    void styleChanged(const QString &key);
    /// Everything was replaced (fromJson, clear).
    void stylesReset();

private:
    QHash<QString, Style> m_styles;
    QStringList m_order;
};

} // namespace bs
