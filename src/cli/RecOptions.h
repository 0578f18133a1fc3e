// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingOptions.h"
#include "Session.h"

#include <QStringList>

namespace bs::cli {

/// The command line of `benchscope-rec`, parsed and checked.
struct RecOptions
{
    bool demo = false;
    QString sessionFile;
    QString instrumentType, address;
    QStringList sets;           ///< "key=value"
    double durationS = 10.0;
    QString output;             ///< file (hdf5) or directory (csv); default derived from the time
    RecordingOptions::Format format = RecordingOptions::Format::Hdf5;
    bool quiet = false;
    /// `--reconnect`: an instrument whose connection breaks during the run is reconnected (back-off
    /// 1, 2, 4 … 30 s) and rejoins the recording instead of failing the run; the outage makes the
    /// exit code at least 3. Without it every instrument's `auto_reconnect` is off here.
    bool reconnect = false;
    /// Split files (RecordingOptions::splitSeconds/splitBytes); negative: the session's setting.
    double splitMinutes = -1;
    double splitGB = -1;
    /// `--compression`: HDF5 compression ("none", "deflate[:LEVEL]", "lz4"); empty: none.
    QString compression;

    /// Parses `args` (without argv[0]). Returns false with a usage error.
    bool parse(const QStringList &args, QString *error);
    /// The session to record (demo sessions are built by the caller). `--set` values are typed
    /// and validated against the driver's ParameterSet; errors name the key.
    std::optional<Session> buildSession(QString *error) const;
    QString outputPath() const;

    static QString usage();
};

} // namespace bs::cli
