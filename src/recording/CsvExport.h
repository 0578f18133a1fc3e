// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CsvFormat.h"

#include <QString>
#include <QStringList>

namespace bs {

class Hdf5RecordingReader;

/// The CSV header of stream `index` of an open HDF5 recording: the header a CSV recording of the
/// same stream starts with (used by the export and by RecordingSource).
CsvHeaderInfo csvHeaderOf(const Hdf5RecordingReader &reader, int index);

/// Writes one CSV file per stream group of the HDF5 recording `h5Path` into `outDir` (created).
/// The files are byte-identical to what CsvWriter writes when recording the same blocks (same
/// names, header, rows, `# gap` lines and `# end` line). `writtenFiles` receives their paths.
bool exportCsv(const QString &h5Path, const QString &outDir, QStringList *writtenFiles, QString *error);

} // namespace bs
