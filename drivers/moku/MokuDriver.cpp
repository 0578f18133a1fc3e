// SPDX-License-Identifier: GPL-3.0-or-later
// Connection, ownership, identity, the sequence runner and the actions.
#include "MokuDriver.h"

#include "DriverRegistry.h"
#include "MokuDriverParameters.h"
#include "MokuDriverRequests.h"

#include <QEventLoop>
#include <QJsonObject>

namespace bs::moku {

DriverInfo MokuDriver::info()
{
    DriverInfo i;
    i.type = QStringLiteral("moku");
    i.displayName = tr("Liquid Instruments Moku Datalogger");
    i.shortName = QStringLiteral("Moku");
    i.defaultAddress = QStringLiteral("192.168.73.1");
    i.addressHelp = tr("host[:port] of the Moku's REST API (HTTP, port 80 by default); an IPv6 address in "
                       "brackets, e.g. [fe80::1%eth0]");
    i.create = [] { return std::make_unique<MokuDriver>(); };
    i.collapsedGroups = {tr("Logging")}; // the on-device log: opened when wanted, the panel stays short
    i.checkAddress = &MokuDriver::checkAddress;
    i.describeAddress = [](const QString &address) {
        const auto hp = parseHostPort(address, kDefaultPort);
        return hp ? tr("REST API at http://%1/api/").arg(hp->toString()) : QString();
    };
    return i;
}

QString MokuDriver::checkAddress(const QString &address)
{
    QString error;
    if (!parseHostPort(address, kDefaultPort, &error))
        return tr("Moku address %1: %2").arg(address, error);
    return {};
}

MokuDriver::MokuDriver(QObject *parent)
    : Instrument(parent)
    , m_rest(this)
    , m_bridge(this)
    , m_logTimer(this)
    , m_endWarning(this)
{
    addParameters(m_params, m_actions);
    m_logTimer.setSingleShot(true);
    connect(&m_logTimer, &QTimer::timeout, this, &MokuDriver::pollLog);
    m_endWarning.setSingleShot(true);
    connect(&m_endWarning, &QTimer::timeout, this, &MokuDriver::armEndWarning);
    connect(&m_bridge, &MokuDriverBridge::bytesReceived, this, &MokuDriver::onBridgeBytes);
    connect(&m_bridge, &MokuDriverBridge::closed, this, &MokuDriver::onBridgeClosed);
    connect(&m_bridge, &MokuDriverBridge::failed, this, &MokuDriver::onBridgeFailed);
    connect(&m_rest, &MokuDriverRest::downloadProgress, this, [this](qint64 received, qint64 total) {
        Q_EMIT progress(total > 0 ? double(received) / double(total) : -1,
                        tr("Downloading %1 (%2 kB)…").arg(m_log.fileName).arg(received / 1000));
    });
}

MokuDriver::~MokuDriver()
{
    // Best effort, bounded: the Moku must not stay owned by a program that is gone.
    m_closing = true;
    ++m_generation;
    settleClaim();
    m_bridge.blockSignals(true);
    m_bridge.close();
    m_rest.cancelAll();
    if (m_stream.active && !m_stream.id.isEmpty())
        m_rest.postBlocking(kDataloggerPath + QStringLiteral("stop_streaming"), 2000);
    relinquish();
}

int MokuDriver::timeoutMs() const
{
    return int(m_params.doubleValue(QStringLiteral("timeout")) * 1000);
}

bool MokuDriver::isReady() const
{
    return m_owned && m_model
        && (state() == State::Connected || state() == State::Running || state() == State::Finished);
}

bool MokuDriver::requireReady()
{
    if (isReady())
        return true;
    fail(tr("The Moku at %1 is not connected").arg(m_rest.peer().isEmpty() ? address() : m_rest.peer()));
    return false;
}

void MokuDriver::setOwnedByOther(bool owned)
{
    updateParameter(QStringLiteral("owned_by_other"), owned);
}

// --- requests -----------------------------------------------------------------------------------

MokuDriver::Request MokuDriver::deviceGet(const QString &op) const
{
    Request r;
    r.verb = "GET";
    r.path = QStringLiteral("moku/") + op;
    r.body = Request::Body::None;
    r.timeoutMs = timeoutMs();
    return r;
}

MokuDriver::Request MokuDriver::datalogger(const QString &op, const QJsonObject &body) const
{
    Request r;
    r.path = kDataloggerPath + op;
    r.json = body;
    r.timeoutMs = timeoutMs();
    return r;
}

MokuDriver::Request MokuDriver::dataloggerGet(const QString &op) const
{
    Request r = datalogger(op, {});
    r.verb = "GET";
    r.body = Request::Body::None;
    return r;
}

MokuDriver::Request MokuDriver::dataloggerNoBody(const QString &op) const
{
    Request r = datalogger(op, {});
    r.body = Request::Body::None;
    return r;
}

// --- sequences ----------------------------------------------------------------------------------

void MokuDriver::run(std::vector<Step> steps, std::function<void()> done, std::function<void(const Result &)> failed)
{
    auto seq = std::make_shared<Sequence>();
    seq->steps = std::move(steps);
    seq->done = std::move(done);
    seq->failed = std::move(failed);
    seq->generation = m_generation;
    runStep(seq);
}

void MokuDriver::runStep(const std::shared_ptr<Sequence> &seq)
{
    if (seq->generation != m_generation)
        return;
    if (seq->at >= seq->steps.size()) {
        if (seq->done)
            seq->done();
        return;
    }
    const Step &step = seq->steps[seq->at];
    Request request = step.make ? step.make() : step.request;
    // The first Datalogger call loads the instrument on the Moku ("a deploy will be triggered"):
    // it may take seconds, shown as progress with its own timeout.
    const bool deploying = !m_deployed && request.path.startsWith(kDataloggerPath);
    if (deploying) {
        request.timeoutMs = std::max(request.timeoutMs,
                                     int(m_params.doubleValue(QStringLiteral("deploy_timeout")) * 1000));
        Q_EMIT progress(-1, tr("Loading the Datalogger on the Moku…"));
    }
    m_rest.call(request, [this, seq, deploying](const Result &r) {
        if (seq->generation != m_generation)
            return;
        if (deploying && r.http != 0) {
            m_deployed = true;
            Q_EMIT progress(1, r.ok() ? tr("Datalogger loaded") : tr("Loading the Datalogger failed"));
        } else if (deploying) {
            Q_EMIT progress(1, tr("Loading the Datalogger failed"));
        }
        const Step &s = seq->steps[seq->at];
        // Transport failures and a lost ownership end every sequence; device refusals may be
        // handled by the step.
        const bool fatal = !r.ok() && (r.http == 0 || ownershipLost(r));
        bool goOn = false;
        if (!r.ok() && (!s.handlesErrors || fatal)) {
            if (seq->failed)
                seq->failed(r);
            else if (fatal)
                connectionFailed(r.error, ownershipLost(r));
            else
                fail(r.error);
            return;
        }
        goOn = s.onReply ? s.onReply(r) : true;
        if (!goOn)
            return;
        ++seq->at;
        runStep(seq);
    });
}

bool MokuDriver::ownershipLost(const Result &r)
{
    // U3: a request whose key is no longer valid; UNEXPECTED_CHANGE when another client took over.
    // The refusal comes as HTTP 200 with the envelope, or (another reading of U3) as 401/403.
    if (r.ok())
        return false;
    const bool refusedStatus = r.http == 401 || r.http == 403;
    if (r.http != 200 && !refusedStatus)
        return false;
    const QString code = r.reply.code;
    if (refusedStatus && code.isEmpty())
        return true;
    if (code == QLatin1String("INVALID_REQUEST") || code == QLatin1String("UNEXPECTED_CHANGE")) {
        const QString said = joinMessages(r.reply.messages).toLower();
        return code == QLatin1String("UNEXPECTED_CHANGE") || said.contains(QLatin1String("owner"))
            || said.contains(QLatin1String("key")) || said.contains(QLatin1String("claim"));
    }
    return false;
}

// --- connection ---------------------------------------------------------------------------------

void MokuDriver::open()
{
    if (state() == State::Connecting || isReady())
        return;
    connectTo(m_params.boolValue(QStringLiteral("force_connect")));
}

void MokuDriver::connectTo(bool force)
{
    const QString addr = address().isEmpty() ? info().defaultAddress : address();
    QString error;
    const auto hp = parseHostPort(addr, kDefaultPort, &error);
    if (!hp) {
        fail(tr("Moku address %1: %2").arg(addr, error));
        setState(State::Error, tr("bad address"));
        return;
    }
    if (m_claimAnswered) // closing: waiting for the answer to the last claim
        return;
    ++m_generation;
    settleClaim(); // an earlier claim still on its way
    m_closing = false;
    m_rest.cancelAll();
    m_rest.setEndpoint(*hp);
    m_rest.setKey(QString());
    m_owned = false;
    m_deployed = false;
    m_model = nullptr;
    setState(State::Connecting, m_rest.peer());
    Request claim;
    claim.path = QStringLiteral("moku/claim_ownership");
    claim.json = claimBody(force);
    claim.timeoutMs = timeoutMs();
    const quint64 gen = m_generation;
    m_claiming = true;
    m_rest.call(claim, [this, gen, force](const Result &r) {
        m_claiming = false;
        if (m_claimAnswered)
            m_claimAnswered();
        if (gen != m_generation) {
            // Closed (or connecting anew) while the claim was on its way: a Moku it made ours is
            // given back at once.
            const QString key = r.ok() ? claimKey(QByteArray(m_rest.key().toUtf8()), r.reply.data) : QString();
            if (!key.isEmpty()) {
                m_rest.setKey(key);
                m_owned = true;
                relinquish();
            }
            return;
        }
        if (r.http == 0 || r.http >= 500) { // not reached, or not an answer about ownership
            fail(r.error);
            setState(State::Error, r.timedOut ? tr("no answer") : tr("not reachable"));
            return;
        }
        if (!r.ok()) {
            // U3: any refusal of a claim means another client owns the Moku.
            setOwnedByOther(true);
            fail(tr("Moku at %1: %2").arg(m_rest.peer(), r.error));
            setState(State::Error, tr("owned by another client"));
            return;
        }
        const QString key = claimKey(QByteArray(m_rest.key().toUtf8()), r.reply.data);
        if (key.isEmpty()) {
            fail(tr("The Moku at %1 accepted the claim but gave no client key (no Moku-Client-Key header, "
                    "no key in data)")
                     .arg(m_rest.peer()));
            setState(State::Error, tr("no client key"));
            return;
        }
        m_rest.setKey(key);
        m_owned = true;
        setOwnedByOther(false);
        if (force)
            Q_EMIT message(tr("Took the Moku at %1 over from the client that owned it").arg(m_rest.peer()));
        afterClaim();
    });
}

void MokuDriver::afterClaim()
{
    auto model = std::make_shared<const ModelInfo *>(nullptr);
    std::vector<Step> steps{
        {deviceGet(QStringLiteral("describe")),
         [this, model](const Result &r) {
             const QJsonObject d = r.object();
             const auto pv = proxyVersion(d.value(QStringLiteral("proxy_version")));
             if (!pv || *pv != 2) {
                 connectionFailed(tr("The Moku at %1 speaks API version %2; this driver needs version 2 "
                                     "(MokuOS 4.0.1 or later)")
                                      .arg(m_rest.peer(),
                                           d.value(QStringLiteral("proxy_version")).toVariant().toString()));
                 return false;
             }
             const QString hw = d.value(QStringLiteral("hardware")).toString();
             *model = findModel(hw);
             if (!*model) {
                 connectionFailed(tr("The Moku at %1 is a “%2”; the driver knows Moku:Go, Moku:Lab, Moku:Pro and "
                                     "Moku:Delta")
                                      .arg(m_rest.peer(), hw));
                 return false;
             }
             m_model = *model;
             updateParameter(QStringLiteral("model"), QString::fromLatin1(m_model->hardware));
             QString os = d.value(QStringLiteral("mokuOS")).toVariant().toString();
             if (os.isEmpty())
                 os = d.value(QStringLiteral("version")).toVariant().toString();
             updateParameter(QStringLiteral("mokuos"), os);
             return true;
         }},
        {deviceGet(QStringLiteral("name")),
         [this](const Result &r) {
             updateParameter(QStringLiteral("name"), field(r.reply.data, QStringLiteral("name")).toVariant().toString());
             return true;
         },
         true},
        {deviceGet(QStringLiteral("serial_number")),
         [this](const Result &r) {
             updateParameter(QStringLiteral("serial"),
                             field(r.reply.data, QStringLiteral("serial_number")).toVariant().toString());
             return true;
         },
         true},
    };
    run(std::move(steps), [this] {
        // The settings depend on the model: built now that it is known.
        run(connectSteps(), [this] {
            if (state() != State::Connecting)
                return;
            updateStreams();
            setState(State::Connected, m_rest.peer());
            Q_EMIT message(tr("Connected to %1 “%2” #%3 (MokuOS %4) at %5")
                               .arg(m_params.stringValue(QStringLiteral("model")),
                                    m_params.stringValue(QStringLiteral("name")),
                                    m_params.stringValue(QStringLiteral("serial")),
                                    m_params.stringValue(QStringLiteral("mokuos")), m_rest.peer()));
        }, [this](const Result &r) { connectionFailed(r.error, ownershipLost(r)); });
    }, [this](const Result &r) { connectionFailed(r.error, ownershipLost(r)); });
}

void MokuDriver::relinquish()
{
    if (!m_owned)
        return;
    m_owned = false;
    const QString why = m_rest.postBlocking(QStringLiteral("moku/relinquish_ownership"),
                                            std::min(timeoutMs(), 3000));
    if (!why.isEmpty() && !m_closing)
        Q_EMIT message(tr("Releasing the Moku at %1 failed: %2").arg(m_rest.peer(), why));
    m_rest.setKey(QString());
}

void MokuDriver::settleClaim()
{
    if (!m_claiming || m_claimAnswered) // nothing on its way, or already waiting for it
        return;
    // The claim's answer comes through the event loop: a local one, for this answer only (a
    // reply to nothing else is outstanding, and the state stays Connecting, so a Connect
    // clicked meanwhile is not taken as a second connection).
    Q_EMIT message(tr("Waiting for the Moku at %1 to answer the claim, to give it back…").arg(m_rest.peer()));
    QEventLoop wait;
    QTimer limit;
    limit.setSingleShot(true);
    connect(&limit, &QTimer::timeout, &wait, &QEventLoop::quit);
    m_claimAnswered = [&wait] { wait.quit(); };
    limit.start(kClaimWaitMs);
    if (m_claiming)
        wait.exec(QEventLoop::ExcludeUserInputEvents);
    m_claimAnswered = nullptr;
    if (m_claiming) { // no answer in time: nothing to give back under a key we do not know
        m_claiming = false;
        Q_EMIT message(tr("The Moku at %1 did not answer the claim within %2 s; if it became ours, "
                          "it stays owned until another client takes it over")
                           .arg(m_rest.peer())
                           .arg(kClaimWaitMs / 1000.0));
    }
}

void MokuDriver::connectionFailed(const QString &message, bool lost)
{
    ++m_generation;
    m_logTimer.stop();
    m_log.polling = false;
    m_log.active = false; // whatever the Moku still logs; the file name stays for Download log
    m_starting = false;
    m_rest.cancelAll();
    if (m_stream.active)
        endStream(tr("Stream cut: %1").arg(message), false, false);
    m_bridge.close();
    if (lost) {
        m_owned = false; // not ours any more: nothing to give back
        setOwnedByOther(true);
    } else {
        relinquish();
    }
    fail(message);
    setState(State::Error, lost ? tr("owned by another client") : message.left(80));
}

void MokuDriver::close()
{
    if (m_claimAnswered) // a close already waits for the claim's answer (and then closes)
        return;
    ++m_generation;
    m_closing = true;
    settleClaim();
    m_logTimer.stop();
    m_log = Log{};
    m_starting = false;
    m_rest.cancelAll();
    if (m_stream.active) {
        m_bridge.blockSignals(true);
        m_bridge.close();
        m_bridge.blockSignals(false);
        if (m_owned && !m_stream.id.isEmpty())
            m_rest.postBlocking(kDataloggerPath + QStringLiteral("stop_streaming"), std::min(timeoutMs(), 3000));
        endStream(tr("Stopped: the connection was closed"), false, m_stream.lost == 0);
    }
    m_bridge.close();
    relinquish();
    m_model = nullptr;
    m_closing = false;
    if (state() != State::Disconnected)
        setState(State::Disconnected);
}

// --- actions ------------------------------------------------------------------------------------

void MokuDriver::invoke(const QString &action)
{
    if (action == QLatin1String("take_over")) {
        if (isReady()) {
            Q_EMIT message(tr("Already connected to the Moku at %1").arg(m_rest.peer()));
            return;
        }
        if (state() == State::Connecting)
            return;
        connectTo(true);
        return;
    }
    if (action == QLatin1String("log_start")) {
        startLog();
        return;
    }
    if (action == QLatin1String("log_stop")) {
        stopLog();
        return;
    }
    if (action == QLatin1String("log_download")) {
        if (!requireReady())
            return;
        const QString name = m_log.fileName.isEmpty() ? QString() : m_log.fileName;
        if (name.isEmpty()) {
            fail(tr("No log file to download yet: start a log first"));
            return;
        }
        downloadLog(name);
        return;
    }
    if (action == QLatin1String("save_settings")) {
        saveSettings();
        return;
    }
    if (action == QLatin1String("load_settings")) {
        loadSettings();
        return;
    }
    if (action == QLatin1String("sync_phase")) {
        if (!requireReady())
            return;
        run({{dataloggerNoBody(QStringLiteral("sync_output_phase")),
              [this](const Result &) {
                  Q_EMIT message(tr("Output phases synchronised"));
                  return true;
              }}});
        return;
    }
    Instrument::invoke(action);
}

} // namespace bs::moku
