// SPDX-License-Identifier: GPL-3.0-or-later
#include "ViewDataExport.h"

#include <CsvBuffer.h>
#include <CsvFormat.h>
#include <InstrumentEvent.h>
#include <RecordingNames.h>
#include <RecordingStats.h>
#include <RecordingWriter.h>
#include <TraceSource.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <limits>

namespace bs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::ViewDataExport", text);
}

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

constexpr std::size_t SlabRows = std::size_t(1) << 18; ///< rows a slab aims at (memory per slab)
constexpr std::size_t FlushBytes = std::size_t(1) << 20;
constexpr double Inf = std::numeric_limits<double>::infinity();

/// The rows of one stream's channels in [a, b], read channel by channel.
struct Slab
{
    std::vector<double> times;
    std::vector<std::vector<double>> values; ///< per channel
    std::vector<std::size_t> gapBefore; ///< rows (> 0) with missing samples before them
};

enum class SlabStatus { Ok, Changed, Failed };

/// A capture boundary as the recording writes it: `# capture_end` / `# capture_start` lines.
MarkerEvent captureMarker(InstrumentEvent::Kind kind, double t, quint64 row)
{
    QJsonObject info;
    info.insert(QStringLiteral("event"), QString::fromLatin1(InstrumentEvent::kindName(kind)));
    info.insert(QStringLiteral("time"), t);
    return { row, t, qint32(kind), QJsonDocument(info).toJson(QJsonDocument::Compact) };
}

bool isRegular(const std::vector<double> &t, const std::vector<std::size_t> &gapBefore)
{
    const std::size_t n = std::min<std::size_t>(t.size(), 4096);
    if (n < 3)
        return false;
    const double step = t[1] - t[0];
    if (!(step > 0))
        return false;
    for (std::size_t i = 2; i < n; ++i) {
        if (std::binary_search(gapBefore.begin(), gapBefore.end(), i))
            continue;
        if (std::abs((t[i] - t[i - 1]) - step) > 1e-6 * step + 4 * std::numeric_limits<double>::epsilon() * std::abs(t[i]))
            return false;
    }
    return true;
}

} // namespace

struct ViewDataExport::StreamJob
{
    QVector<ChannelKey> keys;
    QString path; ///< the final name
    QString partial; ///< what is written: path + ".partial"
    double progressFrom = 0.0, progressTo = 1.0; ///< this stream's share of the whole
    quint64 rows = 0, gaps = 0;
};

ViewDataExport::ViewDataExport(const TraceSource *store)
    : m_store(store)
{
}

QVector<QVector<ChannelKey>> ViewDataExport::byStream(const QVector<ChannelKey> &channels)
{
    QVector<QVector<ChannelKey>> out;
    for (const ChannelKey &k : channels) {
        auto it = std::find_if(out.begin(), out.end(), [&](const QVector<ChannelKey> &s) {
            return s.front().instrumentId == k.instrumentId && s.front().streamId == k.streamId;
        });
        if (it == out.end())
            out.append({ k });
        else if (!it->contains(k))
            it->append(k);
    }
    return out;
}

bool ViewDataExport::writesFolder(const ViewDataRequest &request)
{
    return byStream(request.channels).size() != 1 || !request.path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
}

QStringList ViewDataExport::plannedFiles(const ViewDataRequest &request)
{
    const QVector<QVector<ChannelKey>> streams = byStream(request.channels);
    if (!writesFolder(request))
        return { request.path };
    QString dir = request.path;
    if (dir.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
        dir.chop(4);
    NameAllocator names;
    QStringList files;
    for (const QVector<ChannelKey> &s : streams)
        files << QDir(dir).filePath(names.take(csvBaseName(s.front().instrumentId, s.front().streamId, 1)) + QStringLiteral(".csv"));
    return files;
}

ViewDataResult ViewDataExport::run(const ViewDataRequest &request, const Progress &progress) const
{
    ViewDataResult result;
    const QVector<QVector<ChannelKey>> streams = byStream(request.channels);
    if (streams.isEmpty()) {
        result.error = tr("No channel is shown: there is nothing to export.");
        return result;
    }
    if (!std::isfinite(request.from) || !std::isfinite(request.to) || request.from > request.to) {
        result.error = tr("The time range %1 s … %2 s cannot be exported.").arg(request.from).arg(request.to);
        return result;
    }
    const QStringList files = plannedFiles(request);
    QString createdDir;
    if (writesFolder(request)) {
        const QString dir = QFileInfo(files.front()).absolutePath();
        const QFileInfo d(dir);
        if (d.exists() && !d.isDir()) {
            result.error = tr("Cannot create the folder %1: a file of that name is in the way.").arg(native(dir));
            return result;
        }
        if (!d.exists()) {
            if (!QDir().mkpath(dir)) {
                result.error = tr("Cannot create the folder %1 (is its parent writable?)").arg(native(dir));
                return result;
            }
            createdDir = dir;
        }
    }

    std::vector<StreamJob> jobs(std::size_t(streams.size()));
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        jobs[i].keys = streams[qsizetype(i)];
        jobs[i].path = files[qsizetype(i)];
        jobs[i].partial = files[qsizetype(i)] + QStringLiteral(".partial");
        jobs[i].progressFrom = double(i) / double(jobs.size());
        jobs[i].progressTo = double(i + 1) / double(jobs.size());
    }
    auto cleanUp = [&] {
        for (const StreamJob &j : jobs)
            QFile::remove(j.partial);
        if (!createdDir.isEmpty())
            QDir().rmdir(createdDir); // only when empty
    };
    bool canceled = false;
    auto report = [&](double f) {
        if (!canceled && progress && !progress(std::clamp(f, 0.0, 1.0)))
            canceled = true;
        return !canceled;
    };
    for (StreamJob &job : jobs) {
        if (!writeStream(request, job, report, result)) {
            cleanUp();
            result.canceled = canceled;
            if (canceled)
                result.error = tr("The export was cancelled; no file was kept.");
            return result;
        }
    }
    // Every stream is complete: give the files their names.
    for (const StreamJob &job : jobs) {
        if (QFileInfo::exists(job.path) && !QFile::remove(job.path)) {
            result.error = tr("Cannot replace %1: the file cannot be removed (is it open elsewhere, or read-only?)").arg(native(job.path));
            cleanUp();
            result.files.clear();
            return result;
        }
        if (!QFile::rename(job.partial, job.path)) {
            result.error = tr("Cannot rename %1 to %2").arg(native(job.partial), native(job.path));
            cleanUp();
            result.files.clear();
            return result;
        }
        result.files << job.path;
        result.rows += job.rows;
        result.gaps += job.gaps;
    }
    report(1.0);
    result.ok = true;
    return result;
}

bool ViewDataExport::writeStream(const ViewDataRequest &request, StreamJob &job,
    const std::function<bool(double)> &progress, ViewDataResult &result) const
{
    const QVector<ChannelKey> &keys = job.keys;
    const ChannelKey &key0 = keys.front();
    const QString streamName = key0.instrumentId + QLatin1Char('/') + key0.streamId;

    // The header: the channels as the store describes them, the rest from the workspace.
    CsvHeaderInfo header;
    header.version = benchScopeVersion();
    header.instrumentId = key0.instrumentId;
    header.streamId = key0.streamId;
    header.startTime = isoUtc(request.sessionStartWallMs);
    header.sessionStartTime = header.startTime;
    header.timeOffset = 0.0; // time_s is the session time the scope shows
    header.session = request.session;
    const StreamInfo *announced = nullptr;
    if (const auto inst = request.instruments.constFind(key0.instrumentId); inst != request.instruments.constEnd()) {
        header.instrumentName = inst->name;
        header.instrumentType = inst->type;
        header.instrumentAddress = inst->address;
        for (const StreamInfo &s : inst->streams)
            if (s.id == key0.streamId)
                announced = &s;
    }
    if (announced)
        header.streamName = announced->name;
    std::vector<bool> asFloat; // float32 identity channels: written as the shortest float text
    for (const ChannelKey &k : keys) {
        const std::optional<ChannelInfo> info = m_store->channelInfo(k);
        if (!info) {
            result.error = tr("The channel %1 is no longer held by the display (cleared or removed).").arg(k.toString());
            return false;
        }
        header.names << info->name;
        header.units << info->unit;
        asFloat.push_back(info->format.type == SampleType::Float32 && info->format.isIdentity());
    }

    QFile file(job.partial);
    // Unbuffered: the text is gathered in 1 MiB pieces here, and a failed write reports its
    // own cause (a full disk, a file-size limit) rather than a later flush's.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        result.error = tr("Cannot create %1: %2").arg(native(job.path), file.errorString());
        return false;
    }
    CsvBuffer text(FlushBytes + (std::size_t(1) << 16));
    auto flush = [&](bool force) {
        if (!force && text.size() < FlushBytes)
            return true;
        if (text.size() && file.write(text.data(), qint64(text.size())) != qint64(text.size())) {
            const int e = errno;
            result.error = tr("Cannot write %1: %2")
                               .arg(native(job.path), e ? QString::fromLocal8Bit(std::strerror(e)) : file.errorString());
            return false;
        }
        text.clear();
        return true;
    };

    // Rows held now: later appends (t beyond the newest time held) are not ours.
    const TimeRange held = m_store->timeRange(key0);
    // Slabs start at the oldest row held, not at an empty stretch before it.
    const double lo = held.isValid() ? std::max(request.from, held.first) : request.from;
    const double hi = held.isValid() ? std::min(request.to, held.last) : lo - 1.0;
    StreamRecordStats totals;
    bool headerDone = false;
    double resolution = csv::timeResolution(0.0);
    auto writeHeader = [&](const Slab *first) {
        bool regular = announced && announced->regular;
        double dt = 0.0;
        if (first && first->times.size() >= 2) {
            if (!announced)
                regular = isRegular(first->times, first->gapBefore);
            dt = first->times[1] - first->times[0];
        } else if (announced && announced->nominalRate > 0) {
            dt = 1.0 / announced->nominalRate;
        }
        header.regular = regular;
        resolution = csv::timeResolution(regular ? dt : 0.0);
        csv::appendHeader(text, header);
        headerDone = true;
    };

    // One slab: channel 0 gives times and gaps, the others must have the same times.
    Slab slab;
    slab.values.resize(std::size_t(keys.size()));
    auto readSlab = [&](double a, double b) {
        slab.times.clear();
        slab.gapBefore.clear();
        for (auto &v : slab.values)
            v.clear();
        bool pendingGap = false;
        const SampleReadStatus st0 = m_store->readSamples(
            key0, a, b,
            [&](const double *t, const double *v, std::size_t n) {
                if (pendingGap && !slab.times.empty())
                    slab.gapBefore.push_back(slab.times.size());
                pendingGap = false;
                slab.times.insert(slab.times.end(), t, t + n);
                slab.values[0].insert(slab.values[0].end(), v, v + n);
            },
            [&] { pendingGap = true; });
        if (!st0.found || st0.restarted) {
            result.error = tr("The display data of %1 was cleared or restarted while it was being exported; nothing was kept.").arg(streamName);
            return SlabStatus::Failed;
        }
        if (st0.lost) {
            result.error = tr("The oldest display data of %1 was discarded (display memory limit) while it was being exported; export a shorter range.").arg(streamName);
            return SlabStatus::Failed;
        }
        for (qsizetype c = 1; c < keys.size(); ++c) {
            std::vector<double> &vals = slab.values[std::size_t(c)];
            std::size_t at = 0;
            bool same = true;
            const SampleReadStatus st = m_store->readSamples(keys[c], a, b, [&](const double *t, const double *v, std::size_t n) {
                if (same && at + n <= slab.times.size() && std::equal(t, t + n, slab.times.begin() + qsizetype(at)))
                    vals.insert(vals.end(), v, v + n);
                else
                    same = false;
                at += n;
            });
            if (!st.found || st.restarted || st.lost) {
                result.error = tr("The display data of %1 changed while it was being exported (cleared, restarted or discarded); nothing was kept.").arg(streamName);
                return SlabStatus::Failed;
            }
            if (!same || at != slab.times.size())
                return SlabStatus::Changed;
        }
        return SlabStatus::Ok;
    };

    // Missing samples between `before` and `after` (the rows on either side): the lines a
    // recording writes there, with what the store knows of the loss.
    // `known` is in time order, as the gaps are met: `knownAt` moves forward through it.
    std::size_t knownAt = 0;
    auto writeGap = [&](const std::vector<TraceGap> &known, double before, double after) {
        auto from = known.begin() + qsizetype(std::min(knownAt, known.size()));
        while (from != known.end() && from->end < after)
            ++from;
        auto g = from;
        while (g != known.end() && g->end == after && g->start != before)
            ++g;
        if (g != known.end() && (g->end != after || g->start != before))
            g = known.end();
        knownAt = std::size_t((g != known.end() ? g + 1 : from) - known.begin());
        const quint64 row = totals.samples;
        bool lossLine = true;
        LossEvent e { row, after, row, 0, LossKind::DeviceOverflow };
        if (g != known.end()) {
            if (g->kinds & GapNewCapture) {
                csv::appendMarker(text, captureMarker(InstrumentEvent::Kind::CaptureEnded, before, row));
                csv::appendMarker(text, captureMarker(InstrumentEvent::Kind::CaptureStarted, after, row));
                lossLine = (g->kinds & (GapDeviceLoss | GapIndexJump)) != 0;
            }
            if (g->kinds & GapDeviceLoss) {
                if (g->lostKnown && g->lost > 0)
                    e = { row, after, row, g->lost, LossKind::DeviceLost };
            } else if (g->kinds & GapIndexJump) {
                e = { row, after, row, g->lost, LossKind::IndexGap };
            }
        }
        if (lossLine) {
            csv::appendEvent(text, e);
            countLoss(e, totals);
        }
        ++job.gaps;
    };
    // Was a gap between the last row written (at `before`) and the first of the next slab?
    auto gapAcross = [&](double before, double after) {
        bool pending = false, across = false;
        double last = NAN;
        m_store->readSamples(
            key0, before, after,
            [&](const double *t, const double *, std::size_t n) {
                if (pending && last == before && t[0] == after)
                    across = true;
                pending = false;
                last = t[n - 1];
            },
            [&] { pending = true; });
        return across;
    };

    double lastWritten = NAN;
    std::vector<csv::CsvColumn> cols(std::size_t(keys.size()));
    std::vector<std::vector<float>> floats(std::size_t(keys.size()));
    double width = hi > lo ? (hi - lo) / 64.0 : 0.0;
    for (double a = lo; hi >= lo && a <= hi;) {
        double b = hi - a <= width ? hi : a + width;
        if (!(b > a) && a < hi)
            b = std::nextafter(a, Inf);
        // The oldest rows go first when the display's memory is full: rows of the range must
        // not vanish unnoticed before they are read.
        if (const TimeRange now = m_store->timeRange(key0); !now.isValid() || now.first > a) {
            result.error = tr("The display data of %1 was cleared, or its oldest part discarded (display memory limit), while it was being exported; export a shorter or later range.").arg(streamName);
            return false;
        }
        SlabStatus status = SlabStatus::Changed;
        for (int attempt = 0; attempt < 4 && status == SlabStatus::Changed; ++attempt)
            status = readSlab(a, b);
        if (status == SlabStatus::Changed)
            result.error = tr("The display data of %1 kept changing while it was being exported; nothing was kept.").arg(streamName);
        if (status != SlabStatus::Ok)
            return false;
        const std::size_t n = slab.times.size();
        if (!headerDone && n)
            writeHeader(&slab);
        if (n) {
            const std::vector<TraceGap> known = m_store->gaps(key0, a, std::nextafter(b, Inf), int(slab.gapBefore.size()) + 16);
            knownAt = 0;
            // Channel columns: doubles as the display holds them; float32 channels as floats.
            for (std::size_t c = 0; c < cols.size(); ++c) {
                if (asFloat[c]) {
                    floats[c].assign(slab.values[c].begin(), slab.values[c].end());
                    cols[c] = { reinterpret_cast<const std::byte *>(floats[c].data()), SampleFormat::of(SampleType::Float32) };
                } else {
                    cols[c] = { reinterpret_cast<const std::byte *>(slab.values[c].data()), SampleFormat() };
                }
            }
            std::size_t i = 0;
            auto gapIt = slab.gapBefore.begin();
            if (!std::isnan(lastWritten) && gapAcross(lastWritten, slab.times[0]))
                writeGap(known, lastWritten, slab.times[0]);
            while (i < n) {
                const std::size_t end = gapIt == slab.gapBefore.end() ? n : *gapIt;
                if (end > i) {
                    std::vector<csv::CsvColumn> at(cols);
                    for (std::size_t c = 0; c < at.size(); ++c)
                        at[c].data += i * (asFloat[c] ? sizeof(float) : sizeof(double));
                    csv::appendRowsAt(text, at.data(), int(at.size()), end - i, slab.times.data() + i, resolution);
                    totals.samples += end - i;
                    if (!flush(false))
                        return false;
                }
                i = end;
                if (gapIt != slab.gapBefore.end()) {
                    writeGap(known, slab.times[i - 1], slab.times[i]);
                    ++gapIt;
                }
            }
            lastWritten = slab.times[n - 1];
        }
        if (!progress(job.progressFrom + (job.progressTo - job.progressFrom) * (hi > lo ? (b - lo) / (hi - lo) : 1.0)))
            return false;
        if (b >= hi)
            break;
        a = std::nextafter(b, Inf);
        // The next slab aims at SlabRows rows at this one's density.
        width *= n ? std::clamp(double(SlabRows) / double(n), 0.25, 4.0) : 4.0;
    }
    if (!headerDone)
        writeHeader(nullptr);
    csv::appendEnd(text, totals);
    if (!flush(true) || !file.flush()) {
        if (result.error.isEmpty())
            result.error = tr("Cannot write %1: %2").arg(native(job.path), file.errorString());
        return false;
    }
    file.close();
    if (file.error() != QFileDevice::NoError) {
        result.error = tr("Cannot write %1: %2").arg(native(job.path), file.errorString());
        return false;
    }
    job.rows = totals.samples;
    return true;
}

} // namespace bs
