// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SampleFormat.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <vector>

namespace bs {

/// One channel of a stream: what it is called and in which unit its values are.
struct ChannelInfo
{
    QString name;   ///< e.g. "COUNTER1.OUT.Mean", "Position"
    QString unit;   ///< e.g. "V", "µm", "s", "counts"; empty when dimensionless
    QString description;
    /// Shown in the scope when first seen; false for bookkeeping columns (timestamps, gate
    /// lengths) that are recorded but rarely worth a trace.
    bool plotByDefault = true;
    /// How its samples are stored and become values in `unit` (SampleBlock::format() of its
    /// blocks): a PicoScope's int16 ADC counts with the range's volts per count, a PandA's int32
    /// words with the field's scale and offset; plain doubles by default.
    SampleFormat format;

    QString label() const { return unit.isEmpty() ? name : name + QStringLiteral(" [") + unit + QLatin1Char(']'); }
    bool operator==(const ChannelInfo &o) const = default;
};

/// A stream is a set of channels sampled together (one time column per stream).
struct StreamInfo
{
    QString id;              ///< stable within the instrument, e.g. "pcap"
    QString name;            ///< human-readable
    QVector<ChannelInfo> channels;
    bool regular = false;    ///< true: fixed dt between samples; false: explicit time per sample
    double nominalRate = 0;  ///< samples/s when known (0 = unknown)
    /// Irregular streams whose times come from one of their own channels (a PandA's PCAP.TS_TRIG):
    /// that channel's index. Each block then carries SampleBlock::timeOffset, and its times are
    /// exactly `value(timeChannel, i) + timeOffset` (toValues(), then one addition), so a
    /// recording need not store the times besides the channel. -1: times are independent.
    int timeChannel = -1;

    int channelIndex(const QString &channelName) const;
    /// The formats of its channels, in order (SampleBlock::make()).
    std::vector<SampleFormat> formats() const;
    QJsonObject toJson() const;
    bool operator==(const StreamInfo &o) const = default;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::StreamInfo)
Q_DECLARE_METATYPE(QVector<bs::StreamInfo>)
