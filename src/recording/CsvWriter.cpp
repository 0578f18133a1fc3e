// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvWriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cmath>
#include <cstring>

#include <unistd.h>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::CsvWriter", text);
}
void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}
} // namespace

bool CsvWriter::open(const RecordingOptions &options, QString *error)
{
    m_dir = QDir(options.path).absolutePath();
    m_session = options.sessionSnapshot;
    m_origin = std::isfinite(options.timeOrigin) ? options.timeOrigin : 0.0;
    m_startTime = isoUtc(options.startWallMs());
    m_sessionStartTime = isoUtc(options.sessionStartWallMs);
    if (!QDir().mkpath(m_dir) || !QFileInfo(m_dir).isDir()) {
        setError(error, tr("Cannot create the recording directory %1").arg(QDir::toNativeSeparators(m_dir)));
        return false;
    }
    if (!QFileInfo(m_dir).isWritable()) {
        setError(error,
            tr("Cannot write into the recording directory %1: permission denied")
                .arg(QDir::toNativeSeparators(m_dir)));
        return false;
    }
    return true;
}

int CsvWriter::addStream(const StreamHeader &h, StreamLocation *where, QString *error)
{
    auto s = std::make_unique<Stream>();
    const QString name = m_names.take(csvBaseName(h.instrument.id, h.stream.id, h.generation));
    s->file.setFileName(QDir(m_dir).filePath(name + QStringLiteral(".csv")));
    s->channels = int(h.stream.channels.size());
    s->regular = h.stream.regular;
    if (where)
        *where = { s->file.fileName(), QString() };
    if (!s->file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        setError(error,
            tr("Cannot create %1: %2")
                .arg(QDir::toNativeSeparators(s->file.fileName()), s->file.errorString()));
        return -1;
    }
    CsvHeaderInfo info;
    info.version = benchScopeVersion();
    info.instrumentId = h.instrument.id;
    info.instrumentName = h.instrument.name;
    info.instrumentType = h.instrument.type;
    info.instrumentAddress = h.instrument.address;
    info.streamId = h.stream.id;
    info.streamName = h.stream.name;
    info.generation = h.generation;
    info.startTime = m_startTime;
    info.sessionStartTime = m_sessionStartTime;
    info.timeOffset = m_origin;
    info.regular = h.stream.regular;
    info.session = m_session;
    for (const ChannelInfo &c : h.stream.channels) {
        info.names << c.name;
        info.units << c.unit;
    }
    csv::appendHeader(s->buffer, info);
    s->dataStart = qint64(s->buffer.size());
    m_streams.push_back(std::move(s));
    return int(m_streams.size()) - 1;
}

CsvWriter::Stream *CsvWriter::stream(int handle, QString *error)
{
    if (handle < 0 || std::size_t(handle) >= m_streams.size() || m_streams[handle]->finished) {
        setError(error, tr("Internal error: unknown CSV stream %1").arg(handle));
        return nullptr;
    }
    return m_streams[handle].get();
}

qint64 CsvWriter::writeAll(Stream &s, const char *data, std::size_t n)
{
    const int fd = s.file.handle();
    std::size_t done = 0;
    while (done < n) {
        const ssize_t w = ::write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            break;
        }
        done += std::size_t(w);
    }
    return qint64(done);
}

void CsvWriter::cutBack(Stream &s, std::size_t done)
{
    // Keep the whole lines that end FooterRoom bytes before where the write failed: the `# end`
    // line then fits into space the file already had.
    const std::size_t limit = done > FooterRoom ? done - FooterRoom : 0;
    const char *text = s.buffer.data();
    std::size_t keep = 0;
    quint64 rows = 0;
    for (std::size_t lineStart = 0; lineStart < limit;) {
        const void *nl = std::memchr(text + lineStart, '\n', limit - lineStart);
        if (!nl)
            break;
        const std::size_t end = std::size_t(static_cast<const char *>(nl) - text) + 1;
        if (text[lineStart] != '#' && s.fileOffset + qint64(lineStart) >= s.dataStart)
            ++rows;
        keep = lineStart = end;
    }
    s.fileOffset += qint64(keep);
    s.diskRows += rows;
    if (::ftruncate(s.file.handle(), s.fileOffset) == 0)
        ::lseek(s.file.handle(), s.fileOffset, SEEK_SET);
}

bool CsvWriter::writeOut(Stream &s, QString *error)
{
    if (s.failed) {
        s.buffer.clear();
        s.bufferedRows = 0;
        return false;
    }
    const qint64 done = writeAll(s, s.buffer.data(), s.buffer.size());
    if (done == qint64(s.buffer.size())) {
        s.fileOffset += done;
        m_fileBytes += done;
        s.diskRows += s.bufferedRows;
        s.bufferedRows = 0;
        s.buffer.clear();
        return true;
    }
    const int e = errno;
    s.failed = true;
    const qint64 before = s.fileOffset;
    cutBack(s, std::size_t(done));
    m_fileBytes += s.fileOffset - before;
    s.buffer.clear();
    s.bufferedRows = 0;
    setError(error,
        tr("Cannot write %1: %2")
            .arg(QDir::toNativeSeparators(s.file.fileName()), QString::fromLocal8Bit(std::strerror(e))));
    return false;
}

quint64 CsvWriter::rowsOnDisk(int handle) const
{
    if (handle < 0 || std::size_t(handle) >= m_streams.size())
        return 0;
    const Stream &s = *m_streams[std::size_t(handle)];
    return s.failed ? s.diskRows : s.rows;
}

void CsvWriter::appendPending(Stream &s)
{
    for (const MarkerEvent &m : s.pendingMarkers)
        csv::appendMarker(s.buffer, m);
    for (const LossEvent &e : s.pendingLosses)
        csv::appendEvent(s.buffer, e);
    s.pendingMarkers.clear();
    s.pendingLosses.clear();
}

bool CsvWriter::write(int handle, const SampleBlock &b, const Segment *newSegment, QString *error)
{
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    if (s->failed)
        return false;
    if (b.sampleCount)
        appendPending(*s);
    if (newSegment)
        s->segment = *newSegment;
    const int channels = std::min(s->channels, b.channelCount);
    std::vector<csv::CsvColumn> cols(std::size_t(std::max(channels, 1)));
    std::vector<double> times; // recording time: 0 at the recording's start
    if (!s->regular) {
        times.resize(b.sampleCount);
        for (std::size_t i = 0; i < b.sampleCount; ++i)
            times[i] = b.time(i) - m_origin;
    }
    const double *t = s->regular ? nullptr : times.data();
    // Format in pieces so that the buffer stays near its size.
    const std::size_t step = std::max<std::size_t>(1, BufferBytes / (std::size_t(channels + 1) * 24));
    for (std::size_t first = 0; first < b.sampleCount; first += step) {
        const std::size_t n = std::min(step, b.sampleCount - first);
        for (int c = 0; c < channels; ++c)
            cols[std::size_t(c)] = { b.rawData(c) + first * sampleTypeSize(b.format(c).type), b.format(c) };
        csv::appendRows(
            s->buffer, cols.data(), channels, n, t ? t + first : nullptr, s->segment, s->rows + first);
        s->bufferedRows += n;
        if (s->buffer.size() >= BufferBytes && !writeOut(*s, error))
            return false;
    }
    s->rows += b.sampleCount;
    return !s->failed;
}

bool CsvWriter::addEvent(int handle, const LossEvent &event, QString *error)
{
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    s->pendingLosses.push_back(event);
    return !s->failed;
}

bool CsvWriter::addMarker(int handle, const MarkerEvent &marker, QString *error)
{
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    s->pendingMarkers.push_back(marker);
    return !s->failed;
}

bool CsvWriter::finishStream(int handle, const StreamRecordStats &totals, QString *error)
{
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    appendPending(*s);
    bool ok = writeOut(*s, error); // the rows first: the `# end` line counts what reached the file
    StreamRecordStats t = totals;
    if (s->diskRows < t.samples) {
        t.droppedSamples += t.samples - s->diskRows;
        t.samples = s->diskRows;
    }
    s->buffer.clear();
    csv::appendEnd(s->buffer, t);
    const qint64 done = writeAll(*s, s->buffer.data(), s->buffer.size());
    if (done == qint64(s->buffer.size())) {
        s->fileOffset += done;
        m_fileBytes += done;
    } else {
        const int e = errno;
        [[maybe_unused]] const int r = ::ftruncate(s->file.handle(), s->fileOffset); // no half `# end` line
        if (ok)
            setError(error,
                tr("Cannot write %1: %2")
                    .arg(QDir::toNativeSeparators(s->file.fileName()), QString::fromLocal8Bit(std::strerror(e))));
        ok = false;
        s->failed = true;
    }
    s->buffer.clear();
    s->file.close();
    s->finished = true;
    return ok;
}

bool CsvWriter::flush(QString *error)
{
    bool ok = true;
    for (auto &s : m_streams)
        if (!s->finished && !s->buffer.empty())
            ok = writeOut(*s, ok ? error : nullptr) && ok;
    return ok;
}

bool CsvWriter::close(QString *error)
{
    return flush(error);
}

} // namespace bs
