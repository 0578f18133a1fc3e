// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QString>

namespace bs {

/// Version string stored in every recording.
QString benchScopeVersion();

/// "2024-05-01T10:00:00.123Z" for milliseconds since the Unix epoch.
QString isoUtc(qint64 msSinceEpoch);

/// Hands out unique names: `base`, then `base_2`, `base_3`, ... Writers and the CSV export use
/// the same allocation order so that they produce the same names.
class NameAllocator
{
public:
    explicit NameAllocator(QSet<QString> reserved = {})
        : m_used(std::move(reserved))
    {
    }
    QString take(const QString &base);

private:
    QSet<QString> m_used;
};

/// Characters safe in a file name: letters, digits, '.', '-', '_' (others become '_').
QString sanitizeFileName(const QString &s);
/// An HDF5 link name: no '/', not "." or empty.
QString sanitizeH5Name(const QString &s);
/// "<instrument>_<stream>[_<generation>]" before allocation and the ".csv" extension.
QString csvBaseName(const QString &instrumentId, const QString &streamId, int generation);
/// Part `part` (1, 2, …) of a split recording at `path`: `rec.h5` → `rec_001.h5`, a CSV folder
/// `rec` → `rec_001` (the extension kept when `path` has one of `.h5`/`.hdf5`).
QString recordingPartPath(const QString &path, int part);
/// "<stream>[_<generation>]" before allocation.
QString h5StreamBaseName(const QString &streamId, int generation);

} // namespace bs
