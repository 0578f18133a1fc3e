// SPDX-License-Identifier: GPL-3.0-or-later
// PandaDriver: parameters, connection, FPGA field catalogue, status polling, close and loss of a
// connection. Arming is in PandaDriverArm.cpp, the data path in PandaDriverData.cpp.
#include "PandaDriver.h"

#include "DriverRegistry.h"

#include <QElapsedTimer>
#include <QHostAddress>

namespace bs::panda {

namespace {
constexpr int kDataTimeoutMs = 5000;
constexpr int kCloseReplyMs = 2000;     // close(): wait this long for the ARM / DISARM replies
constexpr int kDrainMs = 1500;          // lost control connection: read the data socket this long
constexpr qint64 kDrainBytes = 64 << 20; // ... and at most this much

/// The socket error in words that fit after "PandA data port host:port: ".
QString socketErrorText(QAbstractSocket::SocketError e, const QString &qtText)
{
    switch (e) {
    case QAbstractSocket::ConnectionRefusedError: return PandaDriver::tr("connection refused");
    case QAbstractSocket::RemoteHostClosedError: return PandaDriver::tr("the PandA closed the connection");
    case QAbstractSocket::HostNotFoundError: return PandaDriver::tr("host not found");
    default: return qtText;
    }
}
} // namespace

DriverInfo PandaDriver::info()
{
    DriverInfo i;
    i.type = QStringLiteral("panda");
    i.displayName = tr("PandABox (PandABlocks position capture)");
    i.shortName = QStringLiteral("PandABox");
    i.defaultAddress = QStringLiteral("127.0.0.1:8888");
    i.addressHelp = tr("host[:control_port] or [IPv6]:control_port — control port 8888 by default; the data "
                       "port (parameter) is the control port + 1 unless set");
    i.create = [] { return std::make_unique<PandaDriver>(); };
    i.checkAddress = [](const QString &address) {
        QString why;
        parseHostPort(address, kDefaultControlPort, &why);
        return why;
    };
    i.describeAddress = [](const QString &address) {
        const auto endpoint = parseHostPort(address.isEmpty() ? QStringLiteral("127.0.0.1:8888") : address,
                                            kDefaultControlPort);
        if (!endpoint)
            return QString();
        const quint16 data = defaultDataPort(endpoint->port);
        if (data == 0)
            return tr("Control port %1 has no port above it for the data: set 'Data port' in the panel")
                .arg(endpoint->port);
        return tr("Connects to %1 (control) and %2 (data: control port + 1, as on a PandABox; a "
                  "different data port is set in the panel's 'Data port')")
            .arg(endpoint->toString(), endpoint->toString(data));
    };
    return i;
}

PandaDriver::PandaDriver(QObject *parent)
    : Instrument(parent)
    , m_control(this)
    , m_data(this)
    , m_statusTimer(this)
    , m_dataTimeout(this)
{
    buildParameters();
    m_actions = {{QStringLiteral("arm"), tr("Arm"), tr("Capture"), tr("Write the capture settings and arm PCAP")},
                 {QStringLiteral("disarm"), tr("Disarm"), tr("Capture"), tr("Stop the capture this program armed (*PCAP.DISARM=)")},
                 {QStringLiteral("disarm_other"), tr("Disarm (capture armed by another client)"), tr("Capture"),
                  tr("Send *PCAP.DISARM= although another client armed the running capture")},
                 {QStringLiteral("refresh"), tr("Refresh status"), tr("Status"), tr("Read *PCAP.STATUS/CAPTURED/COMPLETION")}};

    connect(&m_control, &PandaDriverControlLink::connected, this, &PandaDriver::onControlConnected);
    connect(&m_control, &PandaDriverControlLink::connectionLost, this, &PandaDriver::onControlLost);
    connect(&m_data, &QTcpSocket::connected, this, [this] {
        m_data.setReadBufferSize(0);
        DataOptions opts;
        opts.format = DataFormat::Framed;
        opts.xml = true;
        opts.process = m_params.stringValue(QStringLiteral("process")) == QLatin1String("Scaled") ? Process::Scaled
                                                                                                   : Process::Raw;
        m_parser = std::make_unique<DataStreamParser>(opts);
        m_data.write(opts.toLine());
    });
    connect(&m_data, &QTcpSocket::readyRead, this, &PandaDriver::onDataReadyRead);
    connect(&m_data, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        onDataLost(tr("PandA data port %1: %2").arg(dataPeerText(), socketErrorText(e, m_data.errorString())));
    });
    m_dataTimeout.setSingleShot(true);
    connect(&m_dataTimeout, &QTimer::timeout, this, [this] {
        connectionFailed(tr("PandA data port %1 did not answer the option line within %2 s")
                             .arg(dataPeerText())
                             .arg(kDataTimeoutMs / 1000));
    });
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &PandaDriver::pollStatus);
}

PandaDriver::~PandaDriver()
{
    m_closing = true;
    dropConnections();
}

void PandaDriver::buildParameters()
{
    const QString conn = tr("Connection"), trig = tr("Trigger"), cap = tr("Capture fields"), stat = tr("Status");
    auto &dataPort = m_params.addInt(QStringLiteral("data_port"), tr("Data port"), 0, 0, 65535, conn);
    dataPort.toolTip = tr("TCP port of the PandA data server; 0: the control port + 1 (8889 beside a "
                          "PandABox's 8888)");
    dataPort.specialValueText = tr("control port + 1");
    m_params.addEnum(QStringLiteral("process"), tr("Data processing"), {QStringLiteral("Raw"), QStringLiteral("Scaled")},
                     QStringLiteral("Raw"), conn)
        .toolTip = tr("Raw: the PandA sends integer words and BenchScope scales them (fastest). "
                      "Scaled: the PandA sends doubles.");
    m_params.addString(QStringLiteral("trigger_source"), tr("PCAP.TRIG source"), QStringLiteral("CLOCK1.OUT"), trig)
        .toolTip = tr("Bit bus signal that triggers a capture row; empty leaves the PandA's setting unchanged");
    m_params.addDouble(QStringLiteral("clock_period"), tr("CLOCK1 period"), 1e-3, 1e-7, 1e4, trig, QStringLiteral("s"))
        .toolTip = tr("Period of CLOCK1 (the trigger when PCAP.TRIG = CLOCK1.OUT), written in seconds; the PandA "
                      "rounds it to 8 ns ticks (see 'Actual CLOCK1 period')");
    auto &actual = m_params.addDouble(QStringLiteral("clock_period_actual"), tr("Actual CLOCK1 period"), 0, 0, 1e6,
                                      trig, QStringLiteral("s"));
    actual.readOnly = true;
    actual.persistent = false;
    actual.toolTip = tr("CLOCK1.PERIOD read back from the PandA after writing it (a whole number of 8 ns ticks); "
                        "row times use this value");
    m_params.addInt(QStringLiteral("rows"), tr("Rows per capture"), 0, 0, qint64(1) << 50, trig)
        .toolTip = tr("Disarm after this many rows; 0 captures until Stop");
    for (const auto &f : captureFields()) {
        auto &s = m_params.addEnum(captureKey(f.name), QLatin1String(f.name),
                                   f.positionOutput ? positionCaptureChoices() : extCaptureChoices(),
                                   QLatin1String(f.defaultCapture), cap);
        s.toolTip = f.positionOutput ? tr("Which values of %1 each row captures").arg(QLatin1String(f.name))
                                     : tr("Capture %1 (timestamps in s, gate duration, bit words)").arg(QLatin1String(f.name));
    }
    m_params.addString(QStringLiteral("capture_fields"), tr("Other capture fields"), QString(), cap)
        .toolTip = tr("Any other field of the connected FPGA, as FIELD=options separated by ';', e.g. "
                      "'ADC1.OUT=Mean StdDev; COUNTER5.OUT=Value' (see 'Capturable fields')");
    auto &capturable = m_params.addString(QStringLiteral("capturable"), tr("Capturable fields"), QString(), cap);
    capturable.readOnly = true;
    capturable.persistent = false;
    capturable.toolTip = tr("What this PandA's FPGA can capture (*CAPTURE.*?) and the options it offers (*CAPTURE.OPTIONS?)");
    for (const auto &[key, label] : {std::pair{"identity", "Identity"},
                                     {"pcap_status", "PCAP status"},
                                     {"captured", "Rows captured"},
                                     {"completion", "Completion"}}) {
        auto &s = m_params.addString(QLatin1String(key), tr(label), QString(), stat);
        s.readOnly = true;
        s.persistent = false;
    }
}

QString PandaDriver::peerText() const
{
    return m_endpoint.toString();
}

quint16 PandaDriver::dataPort() const
{
    const qint64 set = m_params.intValue(QStringLiteral("data_port"));
    return set > 0 ? quint16(set) : defaultDataPort(m_endpoint.port);
}

QString PandaDriver::dataPeerText() const
{
    return m_endpoint.toString(dataPort());
}

void PandaDriver::open()
{
    if (state() == State::Connecting || state() == State::Connected || state() == State::Running)
        return;
    const QString addr = address().isEmpty() ? info().defaultAddress : address();
    QString why;
    const auto endpoint = parseHostPort(addr, kDefaultControlPort, &why);
    if (!endpoint) {
        fail(tr("PandA address '%1': %2").arg(addr, why));
        setState(State::Error, tr("bad address"));
        return;
    }
    m_endpoint = *endpoint;
    if (dataPort() == 0) {
        fail(tr("PandA address '%1': no port above control port %2 for the data port; set data_port")
                 .arg(addr)
                 .arg(m_endpoint.port));
        setState(State::Error, tr("bad address"));
        return;
    }
    m_closing = false;
    m_identified = m_dataReady = m_catalogueRead = false;
    m_armInProgress = false;
    m_other = false;
    m_followOther = true;
    m_held.clear();
    setState(State::Connecting, peerText());
    m_control.connectTo(m_endpoint);
}

void PandaDriver::onControlConnected()
{
    if (m_disarmOnConnect) {
        // Our capture broke with the connection; the PandA is probably still armed. Disarm it
        // before the data port joins, so the new connection does not pick up a stale capture.
        m_disarmOnConnect = false;
        m_control.send("*PCAP.DISARM=", [this](const ControlReply &r) {
            if (r.isError())
                fail(tr("PandA refused to disarm the interrupted capture: %1").arg(r.value));
            else
                Q_EMIT message(tr("Disarmed the capture interrupted by the lost connection"));
            identifyAndConnectData();
        });
        return;
    }
    identifyAndConnectData();
}

void PandaDriver::identifyAndConnectData()
{
    m_control.query(QStringLiteral("*IDN"), [this](const ControlReply &r) {
        if (r.isError()) {
            // A broken link (timeout, hostile bytes) already names the cause; only a device's ERR
            // is a refusal.
            connectionFailed(m_control.isConnected() ? tr("PandA at %1 refused *IDN?: %2").arg(peerText(), r.value)
                                                     : r.value);
            return;
        }
        const auto id = parseIdentity(r.value);
        if (!id) {
            connectionFailed(tr("%1 is not a PandA: *IDN? answered '%2'").arg(peerText(), r.value));
            return;
        }
        updateParameter(QStringLiteral("identity"),
                        tr("SW %1, FPGA %2, rootfs %3").arg(id->software, id->fpga, id->rootfs));
        Q_EMIT message(tr("Connected to PandA %1 (SW %2, FPGA %3)").arg(peerText(), id->software, id->fpga));
        m_identified = true;
        readFieldCatalogue();
    });
    connectData();
}

void PandaDriver::readFieldCatalogue()
{
    m_device.clear();
    m_control.queryList(QStringLiteral("PCAP.*"), [this](const ControlReply &r) {
        if (!r.isError())
            m_device.setPcapFields(r.lines);
    });
    m_control.queryList(QStringLiteral("*CAPTURE.OPTIONS"), [this](const ControlReply &r) {
        if (!r.isError())
            m_device.setOptions(r.lines);
    });
    m_control.queryList(QStringLiteral("*CAPTURE.*"), [this](const ControlReply &r) {
        if (r.isError()) {
            Q_EMIT message(tr("PandA %1 did not list its capturable fields (*CAPTURE.*?: %2); using the standard set")
                               .arg(peerText(), r.value));
        } else {
            m_device.setCapturable(r.lines);
            updateParameter(QStringLiteral("capturable"),
                            tr("%1 — options: %2").arg(m_device.summary(), m_device.options().join(QLatin1Char(' '))));
            if (m_device.oldPcapNames())
                Q_EMIT message(tr("PandA %1 uses the older PCAP names (PCAP.CAPTURE, TS_CAPTURE, SAMPLES); "
                                  "the standard settings are written under those names").arg(peerText()));
        }
        m_catalogueRead = true;
        checkConnected();
    });
}

void PandaDriver::connectData()
{
    m_dataReady = false;
    m_inCapture = false;
    m_data.blockSignals(true);
    m_data.abort();
    m_data.blockSignals(false);
    m_data.connectToHost(m_endpoint.host, dataPort());
    m_dataTimeout.start(kDataTimeoutMs);
}

void PandaDriver::checkConnected()
{
    if (!m_identified || !m_catalogueRead || !m_dataReady || state() != State::Connecting)
        return;
    // Connected first (a Run that waited for the connection then finds the other client's capture
    // and joins it), then Running if such a capture is being recorded.
    setState(State::Connected, peerText());
    if (m_other && m_followOther)
        setState(State::Running, tr("recording a capture armed by another client (read-only)"));
    m_statusTimer.start();
    pollStatus();
}

void PandaDriver::onControlLost(const QString &reason)
{
    if (m_closing)
        return;
    // The data port may still hold rows and the END of the capture: read them first. Queued, so
    // that the control socket is not torn down inside its own error signal.
    QMetaObject::invokeMethod(this, [this, reason] {
        if (m_closing || state() == State::Error || state() == State::Disconnected)
            return;
        drainData(kDrainMs, kDrainBytes);
        connectionFailed(reason);
    }, Qt::QueuedConnection);
}

void PandaDriver::drainData(int ms, qint64 maxBytes)
{
    if (!m_parser || m_draining)
        return;
    m_draining = true;
    QElapsedTimer clock;
    clock.start();
    qint64 total = 0;
    while (m_parser && !m_parser->failed() && total < maxBytes) {
        if (m_data.bytesAvailable() > 0) {
            const QByteArray bytes = m_data.read(qMin<qint64>(m_data.bytesAvailable(), maxBytes - total));
            total += bytes.size();
            m_parser->feed(bytes.constData(), std::size_t(bytes.size()));
            DataEvent ev;
            while (m_parser && m_parser->takeEvent(ev))
                handleEvent(ev);
            flushFrames();
            continue;
        }
        // Done when nothing of a capture is outstanding, or the socket is closed and empty.
        const bool waitingForEnd = m_inCapture || !m_held.empty();
        const qint64 left = ms - clock.elapsed();
        if (!waitingForEnd || m_data.state() != QAbstractSocket::ConnectedState || left <= 0)
            break;
        m_data.waitForReadyRead(int(left));
    }
    m_draining = false;
}

void PandaDriver::connectionFailed(const QString &reason)
{
    // The first failure is the cause; what follows from dropping the connections is not reported.
    if (m_closing || state() == State::Error)
        return;
    flushFrames();
    const bool wasRunning = m_running || m_armInProgress;
    const bool captureCut = m_inCapture;
    if (m_inCapture)
        publishEndMarker(false, 0); // closes the capture; the error below says it was cut off
    m_inCapture = false;
    m_disarmOnConnect = m_disarmOnConnect || m_running;
    m_running = false;
    m_armInProgress = false;
    m_other = false;
    m_held.clear();
    dropConnections();
    m_parser.reset(); // frees what a hostile data port made it hold (a long line, a header)
    fail(captureCut || wasRunning
             ? tr("%1 — the capture stopped before its END; every row received so far was delivered").arg(reason)
             : reason);
    setState(State::Error, reason);
}

void PandaDriver::onDataLost(const QString &reason)
{
    if (m_closing || m_draining)
        return;
    connectionFailed(reason);
}

void PandaDriver::close()
{
    if (state() == State::Disconnected)
        return;
    if (m_control.isConnected() && (m_running || m_armInProgress)) {
        // An unanswered ARM decides whether the capture is ours: wait for it, then disarm ours
        // and wait for that reply too, so the PandA is not left armed by a closed program.
        if (m_armInProgress)
            m_control.waitForReplies(kCloseReplyMs);
        if (m_running) {
            bool disarmed = false;
            m_control.send("*PCAP.DISARM=", [&disarmed](const ControlReply &r) { disarmed = !r.isError(); });
            if (!m_control.waitForReplies(kCloseReplyMs) || !disarmed)
                fail(tr("PandA %1 did not confirm the DISARM sent on close; it may still be armed").arg(peerText()));
            else
                drainData(kCloseReplyMs, kDrainBytes); // the rows up to the DISARM and the END
        }
    }
    flushFrames();
    m_closing = true;
    m_running = false;
    m_armInProgress = false;
    m_other = false;
    m_inCapture = false;
    m_held.clear();
    dropConnections();
    m_parser.reset();
    setState(State::Disconnected);
}

void PandaDriver::dropConnections()
{
    m_statusTimer.stop();
    m_dataTimeout.stop();
    m_data.blockSignals(true); // no error signal for a disconnect we asked for
    m_data.abort();
    m_data.blockSignals(false);
    m_control.disconnectFromHost();
}

void PandaDriver::invoke(const QString &action)
{
    if (action == QLatin1String("arm"))
        arm();
    else if (action == QLatin1String("disarm"))
        disarm();
    else if (action == QLatin1String("disarm_other"))
        disarmOther();
    else if (action == QLatin1String("refresh"))
        pollStatus();
    else
        Instrument::invoke(action);
}

void PandaDriver::pollStatus()
{
    if (!m_control.isConnected() || m_control.pending() > 8)
        return;
    for (const auto &[cmd, key] : {std::pair{"*PCAP.STATUS", "pcap_status"},
                                   {"*PCAP.CAPTURED", "captured"},
                                   {"*PCAP.COMPLETION", "completion"}}) {
        m_control.query(QLatin1String(cmd), [this, key = QLatin1String(key)](const ControlReply &r) {
            if (r.isError())
                return;
            updateParameter(key, r.value);
            // Another client's capture that ended before its header reached us.
            if (key == QLatin1String("pcap_status") && m_other && !m_inCapture && m_held.empty()
                && r.value.startsWith(QLatin1String("Idle"))) {
                m_other = false;
                m_followOther = true;
                if (state() == State::Running && !m_running)
                    setState(State::Connected, tr("the capture armed by another client has ended"));
            }
        });
    }
}

} // namespace bs::panda
