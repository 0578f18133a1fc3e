// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Hdf5Util.h"

namespace bs::h5 {

/// Names and record types of the HDF5 recording layout (README.md), shared by writer and export.
inline constexpr const char *TimeDataset = "time";
inline constexpr const char *SegmentsDataset = "segments";
inline constexpr const char *TimeOffsetsDataset = "time_offsets";
inline constexpr const char *EventsDataset = "events";
inline constexpr const char *EventKindNames = "1=queue_overflow,2=device_lost,3=index_gap,4=device_overflow,5=format_mismatch";
inline constexpr const char *MarkersDataset = "markers";
inline constexpr const char *MarkerKindNames = "1=capture_start,2=capture_end,3=warning,4=run_start,5=run_stop,"
                                               "6=connection_lost,7=connection_restored";
inline constexpr const char *FormatName = "benchscope-recording";
/// 5: a min/max overview of every stream's channels in its sub-group `overview` (Hdf5Overview.h).
/// 4: an irregular stream whose times come from one of its channels (StreamInfo::timeChannel, a
/// PandA's PCAP.TS_TRIG) has no `time` dataset but attribute `time_channel` and `time_offsets`.
/// 3: each channel in its native type (int8..float64) with attributes scale and offset
/// (value = raw × scale + offset), optional compression, loss kind 5 (format_mismatch).
/// 2: times are relative to the recording's start (root attrs start_time, session_start_time,
/// session_time_offset), Run/Stop/outage markers and their totals. 1: times on the session timeline.
inline constexpr qint64 FormatVersion = 5;

struct SegmentRecord
{
    quint64 fileRow;
    quint64 sampleIndex;
    double t0;
    double dt;
};

/// From `fileRow` on, time = value of the time channel + `offset` − session_time_offset.
struct TimeOffsetRecord
{
    quint64 fileRow;
    double offset;
};

struct EventRecord
{
    quint64 fileRow;
    double time;
    quint64 sampleIndex;
    quint64 count;
    qint32 kind;
};

/// A capture boundary or warning; `info` is a UTF-8 JSON object (variable-length string).
struct MarkerRecord
{
    quint64 fileRow;
    double time;
    qint32 kind;
    const char *info;
};

/// In-memory (native, padded) and on-disk (little-endian, packed) compound types.
Id segmentType(bool onDisk);
Id timeOffsetType(bool onDisk);
Id eventType(bool onDisk);
/// On disk `info` follows `kind` at offset 20 (HDF5 keeps the strings in the global heap).
Id markerType(bool onDisk);

} // namespace bs::h5
