// SPDX-License-Identifier: GPL-3.0-or-later
// Logging to on-device files (§7) and live streaming (§5, §6) of the Moku simulator. Both are
// driven by the elapsed time: what has been acquired by now is computed when someone looks (a
// request, the 20 ms tick), never buffered ahead, so memory stays bounded whatever the reader does.
#include "MokuSimulatorFormat.h"
#include "MokuSimulatorPrivate.h"
#include "MokuProtocolNdjson.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

#include <algorithm>
#include <cmath>

namespace bs::moku {

namespace {

constexpr qint64 kMaxSocketBacklog = 8 << 20;   ///< bytes queued on the bridge socket before we wait
constexpr qint64 kChunkBytes = 4 << 20;          ///< largest get_chunk payload
constexpr qint64 kLogBlock = 1 << 16;            ///< samples written to a log file at a time

QString num(double v)
{
    return QString::number(v, 'g', 10);
}

} // namespace

qint64 SimStream::due() const
{
    if (state != State::Running)
        return total;
    const qint64 n = qint64(std::floor(double(clock.nsecsElapsed()) * 1e-9 * rate));
    return total >= 0 ? std::min(n, total) : n;
}

bool SimStream::acquiring() const
{
    return state == State::Running && (total < 0 || due() < total);
}

// ---------------------------------------------------------------------------------------------
// logging

SimReply MokuSimulatorPrivate::startLogging(const QJsonObject &body, bool strict)
{
    auto invalid = [](const QString &m) { return fail(QStringLiteral("INVALID_PARAM"), m); };
    if (logging.running)
        return fail(QStringLiteral("INVALID_REQUEST"),
                    QStringLiteral("A logging session (%1) is already in progress").arg(logging.fileName));
    if (stream && stream->acquiring())
        return fail(QStringLiteral("INVALID_REQUEST"),
                    QStringLiteral("Stream %1 is running: stop_streaming first").arg(stream->id));
    const QJsonValue dur = body.value(QStringLiteral("duration"));
    const double duration = dur.isUndefined() ? 60.0 : dur.toDouble(-1);
    if (!dur.isUndefined() && !dur.isDouble())
        return invalid(QStringLiteral("duration must be a number of seconds"));
    if (!(duration > 0) || duration > 1e7)
        return invalid(QStringLiteral("Logging duration %1 s is outside 0 … 1e7 s").arg(num(duration)));
    const double delay = body.value(QStringLiteral("delay")).toDouble(0);
    if (!(delay >= 0) || delay > 1e6)
        return invalid(QStringLiteral("Logging delay %1 s is outside 0 … 1e6 s").arg(num(delay)));
    const QString source = body.value(QStringLiteral("trigger_source")).toString();
    const double level = body.value(QStringLiteral("trigger_level")).toDouble(0);
    if (QString e = checkTrigger(model, source, level); !e.isEmpty())
        return invalid(e);
    QStringList messages;
    if (body.contains(QStringLiteral("sample_rate"))) {
        double rate = body.value(QStringLiteral("sample_rate")).toDouble(-1);
        if (QString e = checkSampleRate(model, rate, enabledInputs(), false); !e.isEmpty()) {
            if (strict || !std::isfinite(rate))
                return invalid(e);
            const double c = std::clamp(rate, model.minRate, maxSampleRate(model, enabledInputs(), false));
            messages << QStringLiteral("Sample rate %1 coerced to %2 Sa/s").arg(num(rate), num(c));
            rate = c;
        }
        sampleRate = rate;
    }
    if (enabledInputs() == 0)
        return invalid(QStringLiteral("No input is enabled: enable_input first"));

    QString prefix = body.value(QStringLiteral("file_name_prefix")).toString();
    if (prefix.isEmpty())
        prefix = QStringLiteral("MokuDataLoggerData");
    if (prefix.contains(QLatin1Char('/')) || prefix.contains(QLatin1Char('\\')))
        return invalid(QStringLiteral("file_name_prefix %1 contains a path separator").arg(prefix));
    const QString target = QString::fromLatin1(model.logTarget);
    const QDateTime now = QDateTime::currentDateTime();
    QString name = QStringLiteral("%1_%2.li").arg(prefix, now.toString(QStringLiteral("yyyyMMdd_HHmmss")));
    for (int n = 2; QFile::exists(targetDir(target) + QLatin1Char('/') + name); ++n) // never overwrite a log
        name = QStringLiteral("%1_%2_%3.li").arg(prefix, now.toString(QStringLiteral("yyyyMMdd_HHmmss"))).arg(n);

    logging = SimLogging{};
    logging.fileName = name;
    logging.target = target;
    logging.prefix = prefix;
    logging.comments = body.value(QStringLiteral("comments")).toString();
    logging.mode = acquisitionMode;
    logging.rate = sampleRate;
    logging.duration = duration;
    logging.delay = delay;
    QJsonArray channels, frontends;
    for (int c = 1; c <= model.inputs; ++c) {
        const InputSettings &in = inputs[std::size_t(c - 1)];
        if (!in.enabled)
            continue;
        logging.channels.push_back(c);
        logging.signalsOf.emplace_back(outputs[std::size_t((c - 1) % model.outputs)], in, cfg.noise, cfg.seed, c);
        channels.append(c);
        frontends.append(frontendJson(c));
    }
    logging.file = std::make_unique<QFile>(targetDir(target) + QLatin1Char('/') + name);
    if (!logging.file->open(QIODevice::WriteOnly))
        return fail(QStringLiteral("UNEXPECTED_CHANGE"),
                    QStringLiteral("Cannot create %1: %2").arg(name, logging.file->errorString()));
    logging.file->write(logFileHeader({{QStringLiteral("instrument"), QStringLiteral("Datalogger")},
                                       {QStringLiteral("hardware"), QString::fromLatin1(model.hardware)},
                                       {QStringLiteral("rate"), logging.rate},
                                       {QStringLiteral("channels"), channels},
                                       {QStringLiteral("frontends"), frontends},
                                       {QStringLiteral("mode"), logging.mode},
                                       {QStringLiteral("start"), now.toString(Qt::ISODateWithMs)},
                                       {QStringLiteral("delay"), delay},
                                       {QStringLiteral("comments"), logging.comments}}));
    logging.running = true;
    logging.clock.start();
    tick->start();
    return ok(QJsonObject{{QStringLiteral("acquisition_mode"), logging.mode},
                          {QStringLiteral("comments"), logging.comments},
                          {QStringLiteral("duration"), duration},
                          {QStringLiteral("rate"), logging.rate},
                          {QStringLiteral("file_name"), name},
                          {QStringLiteral("file_name_prefix"), prefix}},
              messages);
}

void MokuSimulatorPrivate::catchUpLog()
{
    if (!logging.running || !logging.file)
        return;
    const double elapsed = double(logging.clock.nsecsElapsed()) * 1e-9 - logging.delay;
    const qint64 due = std::clamp<qint64>(qint64(std::floor(std::max(0.0, elapsed) * logging.rate)), 0, logging.total());
    while (logging.written < due) {
        const std::size_t n = std::size_t(std::min(due - logging.written, kLogBlock));
        std::vector<std::vector<double>> v(logging.signalsOf.size(), std::vector<double>(n));
        for (std::size_t c = 0; c < v.size(); ++c)
            logging.signalsOf[c].fill(logging.written, logging.rate, n, v[c].data());
        QByteArray bytes;
        appendLogRecords(bytes, v, n);
        logging.file->write(bytes);
        logging.written += qint64(n);
    }
    if (logging.written >= logging.total()) {
        logging.running = false;
        logging.file->close();
    } else {
        logging.file->flush();
    }
}

SimReply MokuSimulatorPrivate::loggingProgress()
{
    catchUpLog();
    const double elapsed = logging.clock.isValid() ? double(logging.clock.nsecsElapsed()) * 1e-9 : 0;
    const bool waiting = logging.running && elapsed < logging.delay;
    const bool complete = !logging.fileName.isEmpty() && !logging.running;
    const double remaining = logging.running ? std::max(0.0, logging.delay + logging.duration - elapsed) : 0;
    QJsonObject o;
    if (cfg.oldProgressKeys) {
        o = {{QStringLiteral("complete"), complete},
             {QStringLiteral("file_name"), logging.fileName},
             {QStringLiteral("running"), logging.running},
             {QStringLiteral("time_to_end"), std::ceil(remaining)},
             {QStringLiteral("time_to_start"), waiting ? std::ceil(logging.delay - elapsed) : 0.0},
             {QStringLiteral("words_logged"), double(logging.written * qint64(logging.channels.size()))}};
    } else {
        o = {{QStringLiteral("complete"), complete},
             {QStringLiteral("file_name"), logging.fileName},
             {QStringLiteral("running"), logging.running},
             {QStringLiteral("samples_logged"), double(logging.written)},
             {QStringLiteral("time_remaining"), std::ceil(remaining)}};
    }
    if (waiting)
        o.insert(QStringLiteral("message"),
                 QStringLiteral("Waiting for the start delay: %1 s left").arg(std::ceil(logging.delay - elapsed)));
    return ok(o);
}

SimReply MokuSimulatorPrivate::stopLogging()
{
    if (logging.running) {
        catchUpLog();
        logging.running = false;
        logging.stopped = true;
        if (logging.file)
            logging.file->close(); // the partial file stays, downloadable
    }
    return ok();
}

// ---------------------------------------------------------------------------------------------
// streaming

SimReply MokuSimulatorPrivate::startStreaming(const QJsonObject &body)
{
    auto invalid = [](const QString &m) { return fail(QStringLiteral("INVALID_PARAM"), m); };
    if (logging.running)
        return fail(QStringLiteral("INVALID_REQUEST"),
                    QStringLiteral("A logging session (%1) is in progress: stop_logging first").arg(logging.fileName));
    if (enabledInputs() == 0)
        return invalid(QStringLiteral("No input is enabled: enable_input first"));
    double rate = sampleRate;
    if (body.contains(QStringLiteral("sample_rate"))) {
        rate = body.value(QStringLiteral("sample_rate")).toDouble(-1);
        if (QString e = checkSampleRate(model, rate, enabledInputs(), true); !e.isEmpty())
            return invalid(e);
        sampleRate = rate;
    }
    double duration = -1;
    if (body.contains(QStringLiteral("duration"))) {
        duration = body.value(QStringLiteral("duration")).toDouble(-1);
        if (!(duration > 0) || duration > 1e7)
            return invalid(QStringLiteral("Streaming duration %1 s is outside 0 … 1e7 s")
                               .arg(body.value(QStringLiteral("duration")).isDouble() ? num(duration)
                                                                                     : QStringLiteral("(not a number)")));
    }
    const QString source = body.value(QStringLiteral("trigger_source")).toString();
    if (QString e = checkTrigger(model, source, body.value(QStringLiteral("trigger_level")).toDouble(0)); !e.isEmpty())
        return invalid(e);

    if (stream && stream->state == SimStream::State::Running) {
        // A new stream replaces the old one, which ends where it is (its reader gets EOS).
        stream->total = stream->due();
        stream->state = SimStream::State::Stopped;
        pumpBridge();
    }
    auto s = std::make_unique<SimStream>();
    s->id = QStringLiteral("logsink%1").arg(streamCounter++);
    s->rate = rate;
    s->total = duration > 0 ? qint64(std::floor(duration * rate + 1e-9)) : -1;
    s->perLine = std::max<qint64>(1, qint64(std::llround(cfg.lineSeconds * rate)));
    for (int c = 1; c <= model.inputs; ++c) {
        const InputSettings &in = inputs[std::size_t(c - 1)];
        if (!in.enabled)
            continue;
        s->channels.push_back(c);
        s->signalsOf.emplace_back(outputs[std::size_t((c - 1) % model.outputs)], in, cfg.noise, cfg.seed, c);
    }
    // An older stream still being delivered keeps its reader; a waiting reader takes the new one.
    if (stream && stream->bridge && !stream->endSent)
        pumpBridge();
    if (stream && stream->bridge)
        stream->bridge->disconnectFromHost();
    stream = std::move(s);
    stream->clock.start();
    stream->lastReadMs = 0;
    tick->start();
    applyPendingStreamFault();
    while (!waitingBridges.isEmpty() && !stream->bridge) {
        QPointer<QTcpSocket> w = waitingBridges.takeFirst();
        if (w && w->state() == QAbstractSocket::ConnectedState)
            attachBridge(w);
    }
    return ok(QJsonObject{{QStringLiteral("stream_id"), stream->id}});
}

SimReply MokuSimulatorPrivate::stopStreaming()
{
    if (stream && stream->state == SimStream::State::Running) {
        stream->total = stream->due();
        stream->state = SimStream::State::Stopped;
        pumpBridge();
    }
    return ok();
}

SimReply MokuSimulatorPrivate::streamStatus() const
{
    if (!stream)
        return ok(QJsonObject{{QStringLiteral("status"), QStringLiteral("STOPPED")},
                              {QStringLiteral("memory_usage"), 0},
                              {QStringLiteral("error"), QJsonValue::Null}});
    const qint64 backlog = stream->due() - stream->delivered;
    const double bound = std::max(1.0, stream->rate * cfg.streamBufferSeconds);
    const int usage = std::clamp(int(std::lround(100.0 * double(backlog) / bound)), 0, 100);
    QString status = QStringLiteral("RUNNING");
    if (stream->state == SimStream::State::Error)
        status = QStringLiteral("ERROR");
    else if (!stream->acquiring())
        status = QStringLiteral("STOPPED");
    return ok(QJsonObject{{QStringLiteral("status"), status},
                          {QStringLiteral("memory_usage"), usage},
                          {QStringLiteral("error"), stream->error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(stream->error)}});
}

void MokuSimulatorPrivate::streamError(const QString &message)
{
    if (!stream || stream->state == SimStream::State::Error)
        return;
    stream->state = SimStream::State::Error;
    stream->error = message;
    stream->total = stream->delivered;
    if (stream->bridge)
        stream->bridge->abort(); // the bridge ends without EOS, as mokucli does on an error
}

void MokuSimulatorPrivate::applyPendingStreamFault()
{
    if (pendingStreamError && stream && stream->state == SimStream::State::Running) {
        pendingStreamError = false;
        streamError(QStringLiteral("Stream error: the device's stream failed (injected fault)"));
    }
}

SimReply MokuSimulatorPrivate::getChunk(const SimCall &call)
{
    auto error = [](const QString &m) {
        SimReply r;
        r.body = QJsonDocument(QJsonObject{{QStringLiteral("error"), m}}).toJson(QJsonDocument::Compact);
        return r;
    };
    const QJsonDocument doc = QJsonDocument::fromJson(call.body);
    const QJsonValue sid = doc.object().value(QStringLiteral("stream_id"));
    QString id;
    if (sid.isObject() && sid.toObject().size() == 1)
        id = sid.toObject().begin().key(); // the client's nested form {"<id>":{"topic":"logformat0"}}
    else if (sid.isString() && cfg.acceptFlatChunkBody)
        id = sid.toString(); // the documentation's flat form (U2)
    else
        return error(QStringLiteral("get_chunk needs {\"stream_id\": {\"<id>\": {\"topic\": \"logformat0\"}}}"));
    if (!stream || stream->id != id)
        return error(QStringLiteral("No stream %1").arg(id));
    SimStream &s = *stream;
    if (s.state == SimStream::State::Error)
        return error(s.error);
    s.lastReadMs = s.clock.elapsed();
    const qint64 due = s.due();
    // One chunk = one line of data (U8), or what is left at the end; nothing yet → empty chunk.
    const qint64 maxSamples = std::max<qint64>(1, kChunkBytes / (8 * qint64(s.channels.size())));
    qint64 n = std::min(s.perLine, maxSamples);
    const bool ending = !s.acquiring();
    if (due - s.delivered < n)
        n = ending ? due - s.delivered : 0;
    SimChunk chunk;
    chunk.first = s.delivered;
    chunk.rate = s.rate;
    chunk.channels = s.channels;
    chunk.values.assign(s.channels.size(), std::vector<double>(std::size_t(n)));
    for (std::size_t c = 0; c < s.channels.size(); ++c)
        s.signalsOf[c].fill(s.delivered, s.rate, std::size_t(n), chunk.values[c].data());
    s.delivered += n;
    chunk.end = ending && s.delivered >= due;
    if (chunk.end)
        s.endSent = true;
    SimReply r;
    r.contentType = "application/octet-stream";
    r.body = encodeChunk(chunk);
    return r;
}

void MokuSimulatorPrivate::attachBridge(QTcpSocket *socket)
{
    if (stream && stream->state == SimStream::State::Error) {
        socket->abort();
        return;
    }
    if (!stream || stream->bridge || stream->endSent) {
        waitingBridges.append(socket); // served by the next stream
        return;
    }
    stream->bridge = socket;
    stream->lastReadMs = stream->clock.elapsed();
    connect(socket, &QTcpSocket::bytesWritten, this, &MokuSimulatorPrivate::pumpBridge, Qt::UniqueConnection);
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (stream && stream->bridge == socket)
            stream->lastReadMs = stream->clock.elapsed(); // nobody reads from now on
    });
    pumpBridge();
}

void MokuSimulatorPrivate::pumpBridge()
{
    if (!stream || !stream->bridge || stream->endSent || stream->state == SimStream::State::Error)
        return;
    SimStream &s = *stream;
    QTcpSocket *sock = s.bridge;
    std::vector<double> time;
    std::vector<std::vector<double>> values(s.channels.size());
    while (sock->bytesToWrite() < kMaxSocketBacklog) {
        const qint64 due = s.due();
        const bool ending = !s.acquiring();
        qint64 n = s.perLine;
        if (due - s.delivered < n) {
            if (!ending)
                break;
            n = due - s.delivered;
        }
        if (n > 0) {
            time.resize(std::size_t(n));
            for (qint64 i = 0; i < n; ++i)
                time[std::size_t(i)] = double(s.delivered + i) / s.rate;
            std::vector<const double *> ptrs;
            for (std::size_t c = 0; c < s.channels.size(); ++c) {
                values[c].resize(std::size_t(n));
                s.signalsOf[c].fill(s.delivered, s.rate, std::size_t(n), values[c].data());
                ptrs.push_back(values[c].data());
            }
            lineBuffer.clear();
            appendStreamLine(lineBuffer, time.data(), ptrs, s.channels, std::size_t(n));
            sock->write(lineBuffer.data(), qint64(lineBuffer.size()));
            s.delivered += n;
        }
        if (ending && s.delivered >= due) {
            lineBuffer.clear();
            appendEndOfStream(lineBuffer);
            sock->write(lineBuffer.data(), qint64(lineBuffer.size()));
            s.endSent = true;
            sock->disconnectFromHost(); // after the queued bytes are out
            break;
        }
    }
}

void MokuSimulatorPrivate::streamTick()
{
    if (logging.running)
        catchUpLog();
    if (stream && stream->state != SimStream::State::Error && !stream->endSent) {
        SimStream &s = *stream;
        const qint64 nowMs = s.clock.elapsed();
        if (s.acquiring() && !s.bridge && nowMs - s.lastReadMs > qint64(cfg.idleTimeout * 1000)) {
            streamError(QStringLiteral("Stream error: nobody read stream %1 for %2 s; the device's stream buffer "
                                       "is in an error state")
                            .arg(s.id, num(cfg.idleTimeout)));
        } else {
            pumpBridge();
            if (s.state != SimStream::State::Error
                && double(s.due() - s.delivered) > s.rate * cfg.streamBufferSeconds)
                streamError(QStringLiteral("Stream error: the reader fell more than %1 s behind stream %2; the "
                                           "device's stream buffer overflowed")
                                .arg(num(cfg.streamBufferSeconds), s.id));
        }
    }
    const bool streamBusy = stream && stream->state != SimStream::State::Error && !stream->endSent;
    if (!logging.running && !streamBusy)
        tick->stop();
}

} // namespace bs::moku
