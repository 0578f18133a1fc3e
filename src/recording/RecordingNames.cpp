// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingNames.h"

#include <QDateTime>

#ifndef BENCHSCOPE_VERSION
#define BENCHSCOPE_VERSION "0.1.0"
#endif

namespace bs {

QString benchScopeVersion()
{
    return QStringLiteral(BENCHSCOPE_VERSION);
}

QString isoUtc(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString NameAllocator::take(const QString &base)
{
    QString name = base;
    for (int k = 2; m_used.contains(name); ++k)
        name = base + QLatin1Char('_') + QString::number(k);
    m_used.insert(name);
    return name;
}

QString sanitizeFileName(const QString &s)
{
    QString out;
    out.reserve(s.size());
    for (QChar c : s) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'.' || c == u'-' || c == u'_';
        out += ok ? c : QLatin1Char('_');
    }
    if (out.isEmpty() || out == QLatin1String(".") || out == QLatin1String(".."))
        out = QStringLiteral("_") + out;
    return out;
}

QString sanitizeH5Name(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('/'), QLatin1Char('_'));
    if (out.isEmpty() || out == QLatin1String("."))
        out = QStringLiteral("_") + out;
    return out;
}

QString csvBaseName(const QString &instrumentId, const QString &streamId, int generation)
{
    QString base = sanitizeFileName(instrumentId) + QLatin1Char('_') + sanitizeFileName(streamId);
    if (generation > 1)
        base += QLatin1Char('_') + QString::number(generation);
    return base;
}

QString h5StreamBaseName(const QString &streamId, int generation)
{
    QString base = sanitizeH5Name(streamId);
    if (generation > 1)
        base += QLatin1Char('_') + QString::number(generation);
    return base;
}

} // namespace bs

namespace bs {

QString recordingPartPath(const QString &path, int part)
{
    const QString number = QStringLiteral("_%1").arg(part, 3, 10, QLatin1Char('0'));
    for (const QLatin1String ext : { QLatin1String(".h5"), QLatin1String(".hdf5") })
        if (path.endsWith(ext, Qt::CaseInsensitive))
            return path.left(path.size() - ext.size()) + number + path.right(ext.size());
    QString p = path;
    while (p.size() > 1 && (p.endsWith(QLatin1Char('/')) || p.endsWith(QLatin1Char('\\'))))
        p.chop(1);
    return p + number;
}

} // namespace bs
