// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace bs::nv200 {

constexpr int kRecorderBufferSize = 6144;     ///< samples per channel
constexpr double kRecorderBaseRateHz = 20000; ///< 50 µs base period
constexpr double kRecorderBasePeriod = 1.0 / kRecorderBaseRateHz;
constexpr int kRecorderMaxStride = 65535;

/// Stride, sample rate and length of a recording of a given duration (spec §4.3, the vendor
/// library's set_recording_duration_ms): stride = int(ms / 1000 / 0.3072) + 1,
/// rate = 20000 / stride, length = min(ceil(rate × ms / 1000), 6144).
struct RecorderTiming
{
    int stride = 1;
    double rateHz = kRecorderBaseRateHz;
    int length = 1;

    double period() const { return double(stride) * kRecorderBasePeriod; }
};
RecorderTiming recorderTiming(double durationMs);
/// Longest duration whose stride still fits 1–65535.
double recorderMaxDurationMs();

/// `recsrc` sources 0–7, in device order.
const QStringList &recorderSourceNames();
/// Unit of a source's values: positions, setpoint and errors follow the loop mode (the
/// closed-loop unit, or V in open loop); piezo voltage is V; currents are A.
QString recorderSourceUnit(int source, bool closedLoop, const QString &closedLoopUnit,
                           const QString &openLoopUnit = QStringLiteral("V"));

/// `recast` modes 0–2: off (start on recrun,1), on the next set command, on AWG start.
const QStringList &recorderAutostartNames();

/// Values of a `recoutf,<ch>,v0,v1,…` or `recout,<ch>,<index>,v…` answer.
struct RecorderValues
{
    int channel = -1;
    int index = 0;              ///< recout only: index of the first value
    std::vector<double> values;
    QString error;              ///< empty on success

    bool ok() const { return error.isEmpty(); }
};
/// Largest size of one value in a `recoutf` answer, with its comma ("-1000.000,"): 3-decimal
/// values of every source and actuator fit.
constexpr int kRecoutfValueBytes = 10;
/// Upper estimate of the bytes of a `recoutf` answer of `values` values, framing included.
constexpr qint64 recoutfBytes(int values) { return 32 + qint64(values) * kRecoutfValueBytes; }

/// Parses a recoutf frame. `expectedChannel` must match the echoed channel. More than
/// `maxValues` values (what was asked for; the buffer holds at most 6144) is an error.
RecorderValues parseRecoutf(const QByteArray &frameText, int expectedChannel, int maxValues = kRecorderBufferSize);
/// Parses a recout frame (count values or fewer, spec U7; more than `maxValues` is an error).
RecorderValues parseRecout(const QByteArray &frameText, int expectedChannel, int expectedIndex,
                           int maxValues = kRecorderBufferSize);

} // namespace bs::nv200
