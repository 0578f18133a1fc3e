// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvExport.h"

#include "CsvFormat.h"
#include "Hdf5RecordingReader.h"
#include "RecordingNames.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace bs {

namespace {

constexpr quint64 SlabRows = 64 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::CsvExport", text);
}

using Stream = Hdf5RecordingReader::Stream;

class CsvOut
{
public:
    explicit CsvOut(const QString &path)
        : m_file(path)
    {
    }
    bool open() { return m_file.open(QIODevice::WriteOnly | QIODevice::Truncate); }
    CsvBuffer &text() { return m_text; }
    bool put(bool force = false)
    {
        if (!force && m_text.size() < (1u << 20))
            return true;
        const bool ok = m_file.write(m_text.data(), qint64(m_text.size())) == qint64(m_text.size());
        m_text.clear();
        return ok;
    }
    bool finish() { return put(true) && m_file.flush(); }
    QString errorString() const { return m_file.errorString(); }

private:
    QFile m_file;
    CsvBuffer m_text { (1 << 20) + (1 << 16) };
};

/// Appends rows [first, end) whose values start at `cols` (regular: times from the segments).
void appendRange(CsvBuffer &out, const Stream &d, const std::vector<csv::CsvColumn> &cols, const double *times,
    quint64 first, quint64 end, std::size_t *seg)
{
    const int channels = int(cols.size());
    if (times) {
        csv::appendRows(out, cols.data(), channels, end - first, times, Segment(), first);
        return;
    }
    std::vector<csv::CsvColumn> piece(cols.size());
    for (quint64 row = first; row < end;) {
        while (*seg + 1 < d.segments.size() && d.segments[*seg + 1].fileRow <= row)
            ++*seg;
        const quint64 pieceEnd
            = *seg + 1 < d.segments.size() ? std::min<quint64>(end, d.segments[*seg + 1].fileRow) : end;
        const Segment s = *seg < d.segments.size() ? d.segments[*seg] : Segment();
        for (std::size_t c = 0; c < cols.size(); ++c)
            piece[c] = { cols[c].data + (row - first) * sampleTypeSize(cols[c].format.type), cols[c].format };
        csv::appendRows(out, piece.data(), channels, pieceEnd - row, nullptr, s, row);
        row = pieceEnd;
    }
}

/// Writes the comment lines stored before `row` (all of them when `row` is past the end):
/// markers first, then losses — the order CsvWriter writes them in.
void appendComments(CsvBuffer &out, const Stream &d, quint64 row, std::size_t *mk, std::size_t *ev)
{
    for (; *mk < d.markers.size() && d.markers[*mk].fileRow <= row; ++*mk)
        csv::appendMarker(out, d.markers[*mk]);
    for (; *ev < d.events.size() && d.events[*ev].fileRow <= row; ++*ev)
        csv::appendEvent(out, d.events[*ev]);
}

/// Writes the CSV of stream `index`; on failure `error` says why.
bool writeStream(const Hdf5RecordingReader &r, int index, CsvOut &out, QString *error)
{
    const Stream &d = r.streams()[index];
    csv::appendHeader(out.text(), csvHeaderOf(r, index));
    const std::size_t channels = std::size_t(d.channels.size());
    std::vector<std::vector<std::byte>> buffers(channels);
    std::vector<csv::CsvColumn> cols(channels);
    std::vector<double> times;
    std::size_t ev = 0, mk = 0, seg = 0;
    for (quint64 row = 0; row < d.rows;) {
        appendComments(out.text(), d, row, &mk, &ev);
        quint64 end = std::min<quint64>(d.rows, row + SlabRows);
        if (ev < d.events.size())
            end = std::min<quint64>(end, d.events[ev].fileRow);
        if (mk < d.markers.size())
            end = std::min<quint64>(end, d.markers[mk].fileRow);
        for (std::size_t c = 0; c < channels; ++c) {
            const SampleFormat &f = d.channels[int(c)].format;
            buffers[c].resize(std::size_t(end - row) * sampleTypeSize(f.type));
            if (!r.readRaw(index, int(c), row, end - row, buffers[c].data(), error))
                return false;
            cols[c] = { buffers[c].data(), f };
        }
        if (!d.regular) {
            times.resize(std::size_t(end - row));
            if (!r.readTimes(index, row, end - row, times.data(), error))
                return false;
        }
        appendRange(out.text(), d, cols, d.regular ? nullptr : times.data(), row, end, &seg);
        if (!out.put()) {
            *error = out.errorString();
            return false;
        }
        row = end;
    }
    appendComments(out.text(), d, std::numeric_limits<quint64>::max(), &mk, &ev);
    csv::appendEnd(out.text(), d.totals);
    if (!out.finish()) {
        *error = out.errorString();
        return false;
    }
    return true;
}

} // namespace

CsvHeaderInfo csvHeaderOf(const Hdf5RecordingReader &r, int index)
{
    const Hdf5RecordingReader::Stream &d = r.streams()[index];
    CsvHeaderInfo h;
    h.version = r.benchScopeVersion();
    h.startTime = r.startTime();
    h.sessionStartTime = r.sessionStartTime();
    h.timeOffset = r.sessionTimeOffset();
    h.session = r.session();
    h.instrumentId = d.instrumentId;
    h.instrumentName = d.instrumentName;
    h.instrumentType = d.instrumentType;
    h.instrumentAddress = d.instrumentAddress;
    h.streamId = d.streamId;
    h.streamName = d.streamName;
    h.generation = d.generation;
    h.regular = d.regular;
    for (const Hdf5RecordingReader::Channel &c : d.channels) {
        h.names << c.name;
        h.units << c.unit;
    }
    return h;
}

bool exportCsv(const QString &h5Path, const QString &outDir, QStringList *writtenFiles, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    Hdf5RecordingReader reader;
    QString why;
    if (!reader.open(h5Path, &why))
        return fail(why);
    if (!QDir().mkpath(outDir))
        return fail(tr("Cannot create the directory %1").arg(QDir::toNativeSeparators(outDir)));
    NameAllocator names;
    for (int i = 0; i < reader.streams().size(); ++i) {
        const Stream &d = reader.streams()[i];
        const QString path = QDir(outDir).filePath(
            names.take(csvBaseName(d.instrumentId, d.streamId, d.generation)) + QStringLiteral(".csv"));
        CsvOut out(path);
        if (!out.open())
            return fail(tr("Cannot create %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()));
        if (!writeStream(reader, i, out, &why))
            return fail(tr("Cannot export %1 to %2: %3").arg(d.group, QDir::toNativeSeparators(path), why));
        if (writtenFiles)
            writtenFiles->append(path);
    }
    return true;
}

} // namespace bs
