// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingSource.h"

#include "CsvRecordingSource.h"
#include "Hdf5RecordingSource.h"
#include "InstrumentEvent.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::RecordingSource", text);
}

/// HDF5 files begin with this signature (at offset 0, 512, 1024, … when a user block precedes it).
bool looksLikeHdf5(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    static const char signature[8] = { '\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n' };
    for (qint64 at = 0; at < f.size() && at <= (1 << 20); at = at ? at * 2 : 512) {
        if (!f.seek(at))
            break;
        const QByteArray head = f.read(8);
        if (head == QByteArray(signature, 8))
            return true;
    }
    return false;
}
} // namespace

QString RecordingStreamInfo::streamKey() const
{
    return header.generation > 1 ? header.streamId + QLatin1Char('_') + QString::number(header.generation)
                                 : header.streamId;
}

QString RecordingStreamInfo::key() const
{
    return header.instrumentId + QLatin1Char('/') + streamKey();
}

std::unique_ptr<RecordingSource> RecordingSource::open(const QString &path, QString *error)
{
    const QFileInfo info(path);
    const QString native = QDir::toNativeSeparators(path);
    if (!info.exists()) {
        if (error)
            *error = tr("%1 does not exist").arg(native);
        return nullptr;
    }
    if (info.isDir() || info.suffix().compare(QStringLiteral("csv"), Qt::CaseInsensitive) == 0) {
        auto csv = std::make_unique<CsvRecordingSource>();
        if (!csv->open(path, error))
            return nullptr;
        return csv;
    }
    if (!info.isReadable()) {
        if (error)
            *error = tr("Cannot read %1: permission denied").arg(native);
        return nullptr;
    }
    if (!looksLikeHdf5(path)) {
        if (error)
            *error = tr("%1 is not a BenchScope recording (neither an HDF5 file, nor a .csv file or a folder of them)")
                         .arg(native);
        return nullptr;
    }
    auto h5 = std::make_unique<Hdf5RecordingSource>();
    if (!h5->open(path, error))
        return nullptr;
    return h5;
}

bool GapCollector::breaks(qint32 markerKind)
{
    return markerKind >= 1 && markerKind <= 7 && markerKind != qint32(InstrumentEvent::Kind::Warning);
}

void GapCollector::add(quint64 row, int rank, const QString &kind, quint64 lost)
{
    Entry &e = m_gaps[row];
    e.gap.row = row;
    e.gap.lost += lost;
    if (rank > e.rank) {
        e.rank = rank;
        e.gap.kind = kind;
    }
}

void GapCollector::addLoss(const LossEvent &e)
{
    add(std::min(e.fileRow, m_rows), 3, QString::fromLatin1(csv::lossKindName(e.kind)), e.count);
}

void GapCollector::addMarker(const MarkerEvent &m)
{
    if (breaks(m.kind) && m.fileRow > 0 && m.fileRow < m_rows)
        add(m.fileRow, 2, QString::fromLatin1(InstrumentEvent::kindName(InstrumentEvent::Kind(m.kind))), 0);
}

void GapCollector::addTimeJump(quint64 row)
{
    if (row > 0 && row < m_rows)
        add(row, 1, QStringLiteral("time_jump"), 0);
}

RecordingGap *GapCollector::at(quint64 row)
{
    const auto it = m_gaps.find(row);
    return it == m_gaps.end() ? nullptr : &it->second.gap;
}

std::vector<RecordingGap> GapCollector::take()
{
    std::vector<RecordingGap> out;
    out.reserve(m_gaps.size());
    for (const auto &[row, e] : m_gaps)
        out.push_back(e.gap);
    m_gaps.clear();
    return out;
}

} // namespace bs
