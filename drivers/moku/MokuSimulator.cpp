// SPDX-License-Identifier: GPL-3.0-or-later
// Request plumbing of the Moku simulator: one catch-all handler (QHttpServer::setMissingHandler,
// Qt 6.4) that copies each request, keeps its QHttpServerResponder when the answer must wait
// (deploy delay, stall) and answers it later from a timer; the envelope; ownership; the device
// endpoints (§3) and the file targets (§7).
#include "MokuSimulatorPrivate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <cmath>

namespace bs::moku {

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    default: return "OTHER";
    }
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

// ---------------------------------------------------------------------------------------------

MokuSimulator::MokuSimulator(const Config &cfg, QObject *parent)
    : QObject(parent)
    , d(new MokuSimulatorPrivate(this, cfg))
{
}

MokuSimulator::~MokuSimulator() = default;

bool MokuSimulator::start(QString *error)
{
    return d->start(error);
}

const MokuSimulator::Config &MokuSimulator::config() const
{
    return d->cfg;
}

void MokuSimulator::injectFault(Fault f)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, [this, f] { injectFault(f); }, Qt::QueuedConnection);
        return;
    }
    switch (f) {
    case Fault::None:
        d->pendingRestFault = 0;
        d->pendingStreamError = false;
        break;
    case Fault::Http502:
    case Fault::Stall:
    case Fault::TruncatedJson:
        d->pendingRestFault = int(f);
        break;
    case Fault::StreamError:
        d->pendingStreamError = true;
        d->applyPendingStreamFault();
        break;
    case Fault::OwnershipTaken:
        // Another client claims with force_connect: a new key we never see.
        d->setOwner(QByteArray::number(QRandomGenerator::global()->generate64(), 16));
        break;
    }
}

void MokuSimulator::releaseClaimAnswers()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, [this] { releaseClaimAnswers(); }, Qt::QueuedConnection);
        return;
    }
    const auto held = std::exchange(d->heldClaims, {});
    m_heldClaims = 0;
    for (const auto &[pending, reply] : held)
        d->send(pending, reply);
}

void MokuSimulatorPrivate::setOwner(const QByteArray &key)
{
    ownerKey = key;
    q->m_owned = !key.isEmpty();
}

bool MokuSimulator::faultFromName(const QString &name, Fault *out)
{
    static const QList<std::pair<QString, Fault>> names{
        {QStringLiteral("none"), Fault::None},
        {QStringLiteral("http-502"), Fault::Http502},
        {QStringLiteral("stall"), Fault::Stall},
        {QStringLiteral("truncated-json"), Fault::TruncatedJson},
        {QStringLiteral("stream-error"), Fault::StreamError},
        {QStringLiteral("ownership-taken"), Fault::OwnershipTaken}};
    for (const auto &[n, f] : names)
        if (n == name.trimmed().toLower()) {
            *out = f;
            return true;
        }
    return false;
}

QString MokuSimulator::faultName(Fault f)
{
    switch (f) {
    case Fault::None: return QStringLiteral("none");
    case Fault::Http502: return QStringLiteral("http-502");
    case Fault::Stall: return QStringLiteral("stall");
    case Fault::TruncatedJson: return QStringLiteral("truncated-json");
    case Fault::StreamError: return QStringLiteral("stream-error");
    case Fault::OwnershipTaken: return QStringLiteral("ownership-taken");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------

MokuSimulatorPrivate::MokuSimulatorPrivate(MokuSimulator *q_, const MokuSimulatorConfig &c)
    : q(q_)
    , cfg(c)
    , model(modelInfo(c.model))
{
    setParent(q_);
    tick = new QTimer(this);
    if (model.model == Model::Lab)
        model.maxRate = cfg.labMaxRate;
    resetInstrument();
    tick->setInterval(20);
    connect(tick, &QTimer::timeout, this, &MokuSimulatorPrivate::streamTick);
}

MokuSimulatorPrivate::~MokuSimulatorPrivate()
{
    // Unanswered requests (stall, deploy) are dropped without writing: their sockets go with the server.
    stalled.clear();
    deployQueue.clear();
}

bool MokuSimulatorPrivate::start(QString *error)
{
    if (server)
        return true;
    if (!storage.isValid()) {
        if (error)
            *error = QStringLiteral("cannot create the simulated device's storage: %1").arg(storage.errorString());
        return false;
    }
    for (const QString &t : targets())
        QDir(storage.path()).mkpath(t);
    const QString bits = targetDir(QStringLiteral("bitstreams"));
    auto preinstall = [&](const QString &name) {
        QFile f(bits + QLatin1Char('/') + name);
        if (f.open(QIODevice::WriteOnly))
            f.write("BenchScope simulator bitstream " + name.toUtf8() + "\n");
    };
    preinstall(QStringLiteral("01-000.bar"));
    if (cfg.instrumentBitstream)
        preinstall(QStringLiteral("01-007-00.bar"));

    server = new QHttpServer(this);
    server->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        handle(request, std::move(responder));
    });
    const quint16 p = server->listen(cfg.address, cfg.port);
    if (p == 0) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2").arg(cfg.address.toString()).arg(cfg.port);
        delete server;
        server = nullptr;
        return false;
    }
    q->m_port = p;
    if (cfg.bridgePort >= 0) {
        bridgeServer = new QTcpServer(this);
        if (!bridgeServer->listen(cfg.address, quint16(cfg.bridgePort))) {
            if (error)
                *error = QStringLiteral("cannot listen on bridge port %1:%2: %3")
                             .arg(cfg.address.toString())
                             .arg(cfg.bridgePort)
                             .arg(bridgeServer->errorString());
            return false;
        }
        q->m_bridgePort = bridgeServer->serverPort();
        connect(bridgeServer, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = bridgeServer->nextPendingConnection()) {
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
                connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); }); // a reader sends nothing we need
                attachBridge(s);
            }
        });
    }
    return true;
}

void MokuSimulatorPrivate::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    SimCall call;
    call.method = methodName(request.method());
    QString path = request.url().path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1String("/api/")))
        call.path = path.mid(5).split(QLatin1Char('/'));
    else
        call.path = QStringList{QString()}; // not under /api: not found
    while (call.path.size() > 1 && call.path.last().isEmpty())
        call.path.removeLast(); // a trailing slash
    call.key = request.value("Moku-Client-Key");
    call.body = request.body();
    auto pending = std::make_shared<SimPending>();
    pending->socket = responder.socket();
    pending->responder = std::make_unique<QHttpServerResponder>(std::move(responder));

    const bool chunk = call.path.value(0) == QLatin1String("v2") && call.path.value(1) == QLatin1String("get_chunk");
    if (!chunk) {
        const auto fault = MokuSimulator::Fault(pendingRestFault.exchange(0));
        if (fault == MokuSimulator::Fault::Http502) {
            SimReply r;
            r.status = 502;
            r.contentType = "text/html";
            r.body = "<html><body><h1>502 Bad Gateway</h1></body></html>\n";
            send(pending, r);
            return;
        }
        if (fault == MokuSimulator::Fault::Stall) {
            stalled.append(pending);
            return;
        }
        if (fault == MokuSimulator::Fault::TruncatedJson) {
            SimReply r = dispatch(call);
            r.body = r.body.left(std::max<qsizetype>(1, r.body.size() / 2));
            r.filePath.clear();
            send(pending, r);
            return;
        }
    }
    if (cfg.holdClaimAnswers && call.path.value(0) == QLatin1String("moku")
        && call.path.value(1) == QLatin1String("claim_ownership")) {
        // Carried out now, answered when the test says (a slow link: the client may be gone).
        heldClaims.append({pending, dispatch(call)});
        q->m_heldClaims = int(heldClaims.size());
        return;
    }
    if (isDatalogger(call) && deploy != Deploy::Done) {
        // §4: the first call to the instrument deploys it, which takes a while; calls arriving
        // meanwhile wait with it, in order.
        deployQueue.emplace_back(call, pending);
        if (deploy == Deploy::No) {
            deploy = Deploy::Deploying;
            QTimer::singleShot(int(std::max(0.0, cfg.deployDelay) * 1000), this, [this] {
                deploy = Deploy::Done;
                while (!deployQueue.empty()) {
                    auto [c, p] = std::move(deployQueue.front());
                    deployQueue.pop_front();
                    process(c, p);
                }
            });
        }
        return;
    }
    process(call, pending);
}

void MokuSimulatorPrivate::process(const SimCall &call, std::shared_ptr<SimPending> pending)
{
    send(pending, dispatch(call));
}

void MokuSimulatorPrivate::send(const std::shared_ptr<SimPending> &pending, const SimReply &reply)
{
    if (!pending->socket || pending->socket->state() != QAbstractSocket::ConnectedState || !pending->responder)
        return; // the client went away while the answer waited
    QHttpServerResponder &r = *pending->responder;
    QByteArray body = reply.body;
    if (!reply.filePath.isEmpty()) {
        QFile f(reply.filePath);
        if (f.open(QIODevice::ReadOnly))
            body = f.readAll();
    }
    r.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
    r.writeHeader("Content-Type", reply.contentType);
    r.writeHeader("Content-Length", QByteArray::number(body.size()));
    if (!reply.clientKey.isEmpty())
        r.writeHeader("Moku-Client-Key", reply.clientKey);
    r.writeBody(body);
    pending->responder.reset();
}

SimReply MokuSimulatorPrivate::ok(const QJsonValue &data, const QStringList &messages)
{
    SimReply r;
    QJsonObject o{{QStringLiteral("success"), true},
                  {QStringLiteral("data"), data},
                  {QStringLiteral("code"), QJsonValue::Null},
                  {QStringLiteral("messages"), messages.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                  : QJsonValue(QJsonArray::fromStringList(messages))}};
    r.body = json(o);
    return r;
}

SimReply MokuSimulatorPrivate::fail(const QString &code, const QString &message, const QJsonValue &data)
{
    SimReply r;
    QJsonObject o{{QStringLiteral("success"), false},
                  {QStringLiteral("data"), data},
                  {QStringLiteral("code"), code},
                  {QStringLiteral("messages"), QJsonArray{message}}};
    r.body = json(o);
    return r;
}

SimReply MokuSimulatorPrivate::notFound(const QString &what)
{
    SimReply r;
    r.status = 404;
    r.contentType = "text/plain";
    r.body = QStringLiteral("Not found: %1\n").arg(what).toUtf8();
    return r;
}

SimReply MokuSimulatorPrivate::refusal(const QString &code, const QString &message) const
{
    SimReply r = fail(code, message);
    r.status = cfg.refusalHttpStatus;
    return r;
}

SimReply MokuSimulatorPrivate::dispatch(const SimCall &call)
{
    const QString group = call.path.value(0);
    if (group == QLatin1String("v2")) {
        if (call.path.size() == 2 && call.path[1] == QLatin1String("get_chunk"))
            return getChunk(call);
        if (call.path.size() == 2 && call.path[1] == QLatin1String("hwstate"))
            return hwstate(call);
        return notFound(call.path.join(QLatin1Char('/')));
    }
    if (targets().contains(group))
        return files(call);

    // JSON body: empty means no parameters; null values mean "not given".
    QJsonObject body;
    const bool rawBody = isDatalogger(call) && call.path.last() == QLatin1String("load_settings");
    if (!rawBody && !call.body.trimmed().isEmpty()) {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(call.body, &err);
        if (err.error != QJsonParseError::NoError)
            return fail(QStringLiteral("INVALID_REQUEST"),
                        QStringLiteral("The request body is not JSON (%1 at byte %2)").arg(err.errorString()).arg(err.offset));
        if (doc.isObject())
            body = doc.object();
        else if (!doc.isNull())
            return fail(QStringLiteral("INVALID_REQUEST"), QStringLiteral("The request body must be a JSON object"));
        for (auto it = body.begin(); it != body.end();) {
            if (it.value().isNull())
                it = body.erase(it);
            else
                ++it;
        }
    }
    if (group == QLatin1String("moku"))
        return device(call, body);
    if (isDatalogger(call)) {
        if (const QString e = checkKey(call); !e.isEmpty())
            return refusal(cfg.badKeyCode, e);
        if (!QFile::exists(targetDir(QStringLiteral("bitstreams")) + QStringLiteral("/01-007-00.bar")))
            return fail(QStringLiteral("NO_BIT_STREAM"),
                        QStringLiteral("The Datalogger's bitstream (01-007-00.bar) is not on the Moku: "
                                       "upload it or open the instrument once in the desktop app"));
        const bool slotted = group.startsWith(QLatin1String("slot"));
        const QString op = call.path.value(slotted ? 2 : 1);
        if (op.isEmpty() || call.path.size() == (slotted ? 2 : 1))
            return ok(); // GET /api/slot1/datalogger: deploy (multi-instrument form)
        if (call.path.size() > (slotted ? 3 : 2))
            return notFound(call.path.join(QLatin1Char('/')));
        return datalogger(call, op, body);
    }
    return notFound(call.path.join(QLatin1Char('/')));
}

bool MokuSimulatorPrivate::isDatalogger(const SimCall &call) const
{
    const QString g = call.path.value(0);
    if (g == QLatin1String("datalogger"))
        return true;
    return g == QLatin1String("slot1") && call.path.value(1) == QLatin1String("datalogger");
}

QString MokuSimulatorPrivate::checkKey(const SimCall &call) const
{
    if (call.key.isEmpty())
        return QStringLiteral("No Moku-Client-Key: claim ownership first");
    if (call.key != ownerKey)
        return ownerKey.isEmpty()
                   ? QStringLiteral("Client key %1 is not valid: nobody owns the Moku, claim ownership first")
                         .arg(QString::fromLatin1(call.key))
                   : QStringLiteral("Client key %1 is not valid: another client has taken ownership of the Moku")
                         .arg(QString::fromLatin1(call.key));
    return {};
}

// ---------------------------------------------------------------------------------------------
// /api/moku/*

SimReply MokuSimulatorPrivate::claim(const SimCall &call, const QJsonObject &body)
{
    // Documented defaults: force_connect true, ignore_busy false, persist_state false.
    const bool force = body.value(QStringLiteral("force_connect")).toBool(true);
    const bool ignoreBusy = body.value(QStringLiteral("ignore_busy")).toBool(false);
    const bool persist = body.value(QStringLiteral("persist_state")).toBool(false);
    const bool sameOwner = !ownerKey.isEmpty() && call.key == ownerKey;
    if (!ownerKey.isEmpty() && !sameOwner && !force)
        return refusal(cfg.claimRefusedCode, QStringLiteral("Moku is owned by another client"));
    if (!sameOwner && !ignoreBusy && logging.running)
        return refusal(cfg.claimRefusedCode,
                       QStringLiteral("Moku is busy: a logging session (%1) is in progress; claim with ignore_busy "
                                      "to proceed")
                           .arg(logging.fileName));
    if (!sameOwner) {
        setOwner(QByteArray::number(QRandomGenerator::global()->generate64() ^ ++keyCounter, 16));
        if (!persist)
            resetInstrument();
    }
    SimReply r = ok(cfg.keyInData ? QJsonValue(QString::fromLatin1(ownerKey)) : QJsonValue(QJsonValue::Null));
    r.clientKey = ownerKey;
    return r;
}

QJsonObject MokuSimulatorPrivate::describe() const
{
    QJsonObject bits;
    const QDir dir(targetDir(QStringLiteral("bitstreams")));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            bits.insert(name, QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()));
    }
    return {{QStringLiteral("mokuOS"), cfg.mokuOS},
            {QStringLiteral("version"), cfg.mokuOS + QStringLiteral(".1")},
            {QStringLiteral("hardware"), QString::fromLatin1(model.hardware)},
            {QStringLiteral("proxy_version"), cfg.proxyVersion},
            {QStringLiteral("bitstreams"), bits}};
}

SimReply MokuSimulatorPrivate::device(const SimCall &call, const QJsonObject &body)
{
    const QString op = call.path.value(1);
    if (op == QLatin1String("claim_ownership"))
        return call.path.size() == 2 ? claim(call, body) : notFound(call.path.join(QLatin1Char('/')));
    if (op == QLatin1String("relinquish_ownership")) {
        if (const QString e = checkKey(call); !e.isEmpty())
            return refusal(cfg.badKeyCode, e);
        setOwner({});
        return ok();
    }
    if (call.path.size() == 3 && op == QLatin1String("platform")) {
        if (const QString e = checkKey(call); !e.isEmpty())
            return refusal(cfg.badKeyCode, e);
        bool isInt = false;
        const int id = call.path[2].toInt(&isInt);
        static const QList<QList<int>> ids{{1, 2, 3}, {1, 2, 3}, {1, 4}, {1, 3, 8}};
        if (!isInt || !ids[int(model.model)].contains(id))
            return fail(QStringLiteral("INVALID_PARAM"),
                        QStringLiteral("%1 has no platform %2").arg(QString::fromLatin1(model.hardware), call.path[2]));
        platformId = id;
        return ok();
    }
    if (call.path.size() != 2)
        return notFound(call.path.join(QLatin1Char('/')));
    const QString hw = QString::fromLatin1(model.hardware);
    if (op == QLatin1String("describe"))
        return ok(describe());
    if (op == QLatin1String("name"))
        return ok(cfg.name);
    if (op == QLatin1String("serial_number"))
        return ok(cfg.serial);
    if (op == QLatin1String("summary"))
        return ok(QStringLiteral("%1 %2 (serial %3), MokuOS %4, simulated by BenchScope; platform %5, Datalogger in slot 1")
                      .arg(hw, cfg.name, cfg.serial, cfg.mokuOS)
                      .arg(platformId));
    if (op == QLatin1String("calibration_date"))
        return ok(QStringLiteral("2024-01-01"));
    if (op == QLatin1String("mokuos_version"))
        return ok(cfg.mokuOS);
    if (op == QLatin1String("get_configuration"))
        return ok(QJsonObject{{QStringLiteral("name"), cfg.name}, {QStringLiteral("network"), QStringLiteral("dhcp")}});
    if (op == QLatin1String("get_external_clock"))
        return ok(QJsonObject{{QStringLiteral("enable"), false}});
    if (op == QLatin1String("get_blended_clock"))
        return ok(QJsonObject{{QStringLiteral("freq_ref_enable"), false}, {QStringLiteral("sync_ref_enable"), false}});
    if (op == QLatin1String("get_power_supplies")) {
        QJsonArray supplies;
        if (model.model == Model::Go)
            for (int i = 1; i <= 4; ++i)
                supplies.append(QJsonObject{{QStringLiteral("id"), i},
                                            {QStringLiteral("enable"), false},
                                            {QStringLiteral("set_voltage"), 0.0},
                                            {QStringLiteral("set_current"), 0.0},
                                            {QStringLiteral("actual_voltage"), 0.0},
                                            {QStringLiteral("actual_current"), 0.0}});
        return ok(supplies);
    }
    return notFound(call.path.join(QLatin1Char('/')));
}

SimReply MokuSimulatorPrivate::hwstate(const SimCall &call)
{
    const QJsonObject o = QJsonDocument::fromJson(call.body).object();
    const QString power = o.value(QStringLiteral("power")).toString();
    SimReply r;
    if (power != QLatin1String("shutdown") && power != QLatin1String("reboot")) {
        r.status = 400;
        r.body = json({{QStringLiteral("error"), QStringLiteral("power must be \"shutdown\" or \"reboot\"")}});
        return r;
    }
    r.body = json({{QStringLiteral("power"), power}});
    // The simulated device keeps serving (also after "shutdown"); it forgets the owner and the
    // instrument state, a running log ends (its partial file stays), a running stream fails, and
    // the next Datalogger call deploys again.
    setOwner({});
    stopLogging();
    streamError(QStringLiteral("Stream error: the Moku was asked to %1").arg(power));
    resetInstrument();
    deploy = deployQueue.empty() ? Deploy::No : deploy;
    return r;
}

// ---------------------------------------------------------------------------------------------
// file targets (§7): no client key needed

QStringList MokuSimulatorPrivate::targets() const
{
    const QString storageTarget = QString::fromLatin1(model.logTarget);
    QStringList t{storageTarget, QStringLiteral("bitstreams"), QStringLiteral("logs"), QStringLiteral("tmp")};
    if (model.model == Model::Pro || model.model == Model::Delta)
        t << QStringLiteral("persist");
    return t;
}

QString MokuSimulatorPrivate::targetDir(const QString &target) const
{
    return storage.path() + QLatin1Char('/') + target;
}

SimReply MokuSimulatorPrivate::files(const SimCall &call)
{
    const QString target = call.path.value(0);
    const QString op = call.path.value(1);
    const QDir dir(targetDir(target));
    if (call.path.size() == 2 && op == QLatin1String("list")) {
        if (logging.running)
            catchUpLog();
        return ok(QJsonArray::fromStringList(dir.entryList(QDir::Files, QDir::Name)));
    }
    if (call.path.size() != 3)
        return notFound(call.path.join(QLatin1Char('/')));
    const QString name = call.path[2];
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        return fail(QStringLiteral("INVALID_PARAM"), QStringLiteral("'%1' is not a file name").arg(name));
    const QString path = dir.filePath(name);
    const bool download = op == QLatin1String("download") || (cfg.acceptFileAliases && op == QLatin1String("download_file"));
    const bool remove = op == QLatin1String("delete") || (cfg.acceptFileAliases && op == QLatin1String("delete_file"));
    if (download) {
        if (logging.running && name == logging.fileName)
            catchUpLog();
        if (!QFile::exists(path))
            return fail(QStringLiteral("INVALID_PARAM"), QStringLiteral("No file %1 in %2").arg(name, target));
        SimReply r;
        r.contentType = "application/octet-stream";
        r.filePath = path;
        return r;
    }
    if (remove) {
        if (!QFile::exists(path))
            return fail(QStringLiteral("INVALID_PARAM"), QStringLiteral("No file %1 in %2").arg(name, target));
        if (logging.running && name == logging.fileName && target == logging.target)
            return fail(QStringLiteral("INVALID_REQUEST"), QStringLiteral("%1 is being logged to").arg(name));
        QFile::remove(path);
        return ok();
    }
    if (op == QLatin1String("upload")) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(call.body) != call.body.size())
            return fail(QStringLiteral("UNEXPECTED_CHANGE"), QStringLiteral("Cannot store %1: %2").arg(name, f.errorString()));
        return ok();
    }
    return notFound(call.path.join(QLatin1Char('/')));
}

} // namespace bs::moku
