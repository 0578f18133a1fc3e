// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingSource.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace bs::cli {

/// The channels `benchscope-inspect` looks at: per stream, indices into its channels.
struct StreamSelection
{
    int stream = 0;
    QList<int> channels;
};

/// Every channel (no names), or those `names` address: a name is a channel's name, or
/// "<stream>/<channel>", or "<instrument>/<stream>/<channel>" (stream as in the JSON: its id,
/// `_N` from generation 2). A name found in no stream, or in more than one, is an error that
/// lists the full names to choose from.
bool selectChannels(const QList<RecordingStreamInfo> &streams, const QStringList &names,
    QList<StreamSelection> *selection, QString *error);

/// The JSON of issue 14 for the rows in [from, to]: per selected stream its rows, first/last
/// time and the gaps that overlap the range, per channel the values measured and the
/// ChannelMeasurer results (null where one does not apply). Reads each stream twice.
bool inspect(RecordingSource &source, const QList<StreamSelection> &selection, double from, double to,
    QJsonObject *json, QString *error);

/// Writes the rows in [from, to] of the selection as BenchScope CSV (the header, the rows as
/// recorded, the gap/event lines in the range, an `# end` line with the totals of the range):
/// `out` ending in `.csv` is one file (the selection must be one stream), anything else a folder
/// with one `<instrument>_<stream>[_N].csv` per stream. `written` receives the files.
bool writeCsv(RecordingSource &source, const QList<StreamSelection> &selection, double from, double to,
    const QString &out, QStringList *written, QString *error);

} // namespace bs::cli
