// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace bs {

/// Writes one CSV file per stream group of the HDF5 recording `h5Path` into `outDir` (created).
/// The files are byte-identical to what CsvWriter writes when recording the same blocks (same
/// names, header, rows, `# gap` lines and `# end` line). `writtenFiles` receives their paths.
bool exportCsv(const QString &h5Path, const QString &outDir, QStringList *writtenFiles, QString *error);

} // namespace bs
