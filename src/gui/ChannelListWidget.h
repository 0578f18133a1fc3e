// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Instrument.h>

#include <StreamInfo.h>

#include <QHash>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QGridLayout;
class QLabel;
class QToolButton;

namespace bs {

class ChannelStyles;

/// The channels of one instrument: a checkbox per channel ("name [unit]") toggling its trace in
/// the scope, and a colour swatch that opens a colour picker. Reads and writes ChannelStyles.
/// Object names: "channel_<key>" (checkbox) and "swatch_<key>" (button), key as in ChannelStyles.
class ChannelListWidget : public QWidget
{
    Q_OBJECT
public:
    ChannelListWidget(const QString &instrumentId, ChannelStyles *styles, QWidget *parent = nullptr);

    void setStreams(const QVector<StreamInfo> &streams);
    /// Words of the empty list for the instrument's state: "…once the instrument is connected"
    /// only while it is not, "…when the acquisition runs (Run)" once it is.
    void setInstrumentState(Instrument::State state);
    QString emptyText() const;
    int channelCount() const { return int(m_rows.size()); }
    QStringList keys() const { return m_keys; }
    /// The styles the checkboxes and swatches read and write (the current scope view's); null: none.
    ChannelStyles *styles() const;
    void setStyles(ChannelStyles *styles);

private:
    struct Row
    {
        QPointer<QCheckBox> check;
        QPointer<QToolButton> swatch;
    };

    void rebuild();
    void refresh(const QString &key);
    void refreshAll();
    void pickColor(const QString &key);
    void setAllVisible(bool visible);

    QString m_instrumentId;
    QPointer<ChannelStyles> m_styles;
    QVector<StreamInfo> m_streams;
    QGridLayout *m_grid = nullptr;
    QLabel *m_empty = nullptr;
    QWidget *m_allNone = nullptr;
    QHash<QString, Row> m_rows;
    QStringList m_keys;
    QList<QWidget *> m_rowWidgets;
    QList<QMetaObject::Connection> m_styleConnections;
};

} // namespace bs
