// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaDriver.h"

#include "DriverRegistry.h"
#include "PandaDriverFields.h"
#include "SessionClock.h"

#include <QHostAddress>

#include <cmath>

namespace bs::panda {

namespace {
const QString kStream = QStringLiteral("pcap");
constexpr int kDataTimeoutMs = 5000;

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

QString unitOf(const FieldInfo &f)
{
    if (f.units == QLatin1String("(null)"))
        return {};
    return f.units;
}
} // namespace

DriverInfo PandaDriver::info()
{
    DriverInfo i;
    i.type = QStringLiteral("panda");
    i.displayName = tr("PandABox (PandABlocks position capture)");
    i.defaultAddress = QStringLiteral("127.0.0.1:8888");
    i.addressHelp = tr("host[:control_port] or [IPv6]:control_port — control port 8888 by default; the data "
                       "port (parameter) is the control port + 1 unless set");
    i.create = [] { return std::make_unique<PandaDriver>(); };
    i.checkAddress = [](const QString &address) {
        QString why;
        parseHostPort(address, kDefaultControlPort, &why);
        return why;
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
                 {QStringLiteral("disarm"), tr("Disarm"), tr("Capture"), tr("Stop the capture (*PCAP.DISARM=)")},
                 {QStringLiteral("refresh"), tr("Refresh status"), tr("Status"), tr("Read *PCAP.STATUS/CAPTURED/COMPLETION")}};

    connect(&m_control, &PandaDriverControlLink::connected, this, &PandaDriver::onControlConnected);
    connect(&m_control, &PandaDriverControlLink::connectionLost, this, &PandaDriver::connectionFailed);
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
        .toolTip = tr("Period of CLOCK1 (the trigger when PCAP.TRIG = CLOCK1.OUT); also the time step used "
                      "when no timestamp is captured");
    m_params.addInt(QStringLiteral("rows"), tr("Rows per capture"), 0, 0, qint64(1) << 50, trig)
        .toolTip = tr("Disarm after this many rows; 0 captures until Stop");
    for (const auto &f : captureFields()) {
        auto &s = m_params.addEnum(captureKey(f.name), QLatin1String(f.name),
                                   f.positionOutput ? positionCaptureChoices() : extCaptureChoices(),
                                   QLatin1String(f.defaultCapture), cap);
        s.toolTip = f.positionOutput ? tr("Which values of %1 each row captures").arg(QLatin1String(f.name))
                                     : tr("Capture %1 (timestamps in s, gate duration, bit words)").arg(QLatin1String(f.name));
    }
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
    m_identified = m_dataReady = false;
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
            connectionFailed(tr("PandA at %1 refused *IDN?: %2").arg(peerText(), r.value));
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
        checkConnected();
    });
    connectData();
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
    if (!m_identified || !m_dataReady || state() != State::Connecting)
        return;
    setState(State::Connected, peerText());
    m_statusTimer.start();
    pollStatus();
}

void PandaDriver::connectionFailed(const QString &reason)
{
    // The first failure is the cause; what follows from dropping the connections is not reported.
    if (m_closing || state() == State::Error)
        return;
    flushFrames();
    const bool wasRunning = m_running;
    m_disarmOnConnect = m_disarmOnConnect || wasRunning;
    m_running = false;
    dropConnections();
    fail(wasRunning ? tr("%1 — the capture stopped; every row received so far was delivered").arg(reason) : reason);
    setState(State::Error, reason);
}

void PandaDriver::onDataLost(const QString &reason)
{
    if (m_closing)
        return;
    connectionFailed(reason);
}

void PandaDriver::close()
{
    if (state() == State::Disconnected)
        return;
    if (m_running && m_control.isConnected())
        m_control.send("*PCAP.DISARM=");
    flushFrames();
    m_closing = true;
    m_running = false;
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

QString PandaDriver::applyParameter(const QString &key, const QVariant &value)
{
    if (!m_control.isConnected())
        return {};
    if (key == QLatin1String("data_port") || key == QLatin1String("process")) {
        if (m_running)
            return tr("%1 cannot change while a capture is running").arg(key);
        // Reconnect the data port with the new option line once the value is stored.
        QMetaObject::invokeMethod(this, [this] {
            if (state() == State::Connected) {
                setState(State::Connecting, peerText());
                connectData();
            }
        }, Qt::QueuedConnection);
        return {};
    }
    if (key == QLatin1String("clock_period"))
        m_control.assign(QStringLiteral("CLOCK1.PERIOD"), QString::number(value.toDouble(), 'g', 12),
                         [this](const ControlReply &r) {
                             if (r.isError())
                                 fail(tr("PandA refused CLOCK1.PERIOD: %1").arg(r.value));
                         });
    return {};
}

void PandaDriver::sendCaptureSetup()
{
    auto report = [this](const QString &what) {
        return [this, what](const ControlReply &r) {
            if (r.isError())
                fail(tr("PandA refused %1: %2").arg(what, r.value));
        };
    };
    m_control.send("*CAPTURE=", report(QStringLiteral("*CAPTURE=")));
    for (const auto &f : captureFields()) {
        const QString v = m_params.stringValue(captureKey(f.name));
        if (v != QLatin1String("No"))
            m_control.assign(QLatin1String(f.name) + QStringLiteral(".CAPTURE"), v,
                             report(QLatin1String(f.name) + QStringLiteral(".CAPTURE=") + v));
    }
    const QString trig = m_params.stringValue(QStringLiteral("trigger_source")).trimmed();
    if (!trig.isEmpty())
        m_control.assign(QStringLiteral("PCAP.TRIG"), trig, report(QStringLiteral("PCAP.TRIG=") + trig));
    m_control.assign(QStringLiteral("CLOCK1.PERIOD"),
                     QString::number(m_params.doubleValue(QStringLiteral("clock_period")), 'g', 12),
                     report(QStringLiteral("CLOCK1.PERIOD")));
}

void PandaDriver::start()
{
    arm();
}

void PandaDriver::stop()
{
    disarm();
}

void PandaDriver::arm()
{
    if (state() != State::Connected) {
        fail(state() == State::Running ? tr("PandA %1 is already capturing").arg(peerText())
                                       : tr("PandA %1 is not connected").arg(peerText()));
        return;
    }
    m_clockPeriod = m_params.doubleValue(QStringLiteral("clock_period"));
    m_rowLimit = quint64(m_params.intValue(QStringLiteral("rows")));
    m_streamIndex = 0;
    sendCaptureSetup();
    m_control.send("*PCAP.ARM=", [this](const ControlReply &r) {
        if (r.isError()) {
            fail(tr("PandA refused to arm: %1").arg(r.value));
            return;
        }
        m_armSessionTime = SessionClock::now();
        m_limitReached = false;
        setRunning(true);
    });
}

void PandaDriver::disarm()
{
    if (!m_control.isConnected())
        return;
    m_control.send("*PCAP.DISARM=", [this](const ControlReply &r) {
        if (r.isError())
            fail(tr("PandA refused to disarm: %1").arg(r.value));
        // The data port's END line finishes the capture (setRunning(false) in endCapture).
        if (!m_inCapture)
            setRunning(false);
    });
}

void PandaDriver::setRunning(bool running)
{
    m_running = running;
    if (state() == State::Connected || state() == State::Running)
        setState(running ? State::Running : State::Connected, peerText());
}

void PandaDriver::invoke(const QString &action)
{
    if (action == QLatin1String("arm"))
        arm();
    else if (action == QLatin1String("disarm"))
        disarm();
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
            if (!r.isError())
                updateParameter(key, r.value);
        });
    }
}

void PandaDriver::onDataReadyRead()
{
    if (!m_parser)
        return;
    const QByteArray bytes = m_data.readAll();
    m_parser->feed(bytes.constData(), std::size_t(bytes.size()));
    DataEvent ev;
    while (m_parser->takeEvent(ev))
        handleEvent(ev);
    flushFrames();
    if (m_parser && m_parser->failed())
        connectionFailed(tr("PandA %1 sent a corrupt data stream: %2").arg(peerText(), m_parser->error()));
}

void PandaDriver::handleEvent(DataEvent &ev)
{
    switch (ev.kind) {
    case DataEvent::Kind::Ready:
        m_dataTimeout.stop();
        m_dataReady = true;
        checkConnected();
        break;
    case DataEvent::Kind::Refused:
        connectionFailed(tr("PandA data port refused the option line: %1").arg(ev.message));
        break;
    case DataEvent::Kind::Start:
        flushFrames();
        beginCapture(ev.header);
        break;
    case DataEvent::Kind::Frame:
        addFrame(ev);
        break;
    case DataEvent::Kind::End:
        flushFrames();
        endCapture(ev);
        break;
    }
}

void PandaDriver::beginCapture(const DataHeader &h)
{
    m_header = h;
    m_inCapture = true;
    m_captureRows = 0;
    // Our ARM's time if we armed, else (someone else armed) the time the header arrived.
    m_captureT0 = m_armSessionTime >= 0 ? m_armSessionTime : SessionClock::now();
    m_armSessionTime = -1;
    m_timeColumn = -1;
    StreamInfo s;
    s.id = kStream;
    s.name = tr("Position capture");
    s.regular = false;
    s.nominalRate = 1.0 / m_clockPeriod;
    for (int c = 0; c < h.fields.size(); ++c) {
        const FieldInfo &f = h.fields[c];
        ChannelInfo ch{f.column(), unitOf(f), {}};
        // Timestamps, gate lengths and bit words are recorded but not plotted unless asked for.
        ch.plotByDefault = !f.name.startsWith(QLatin1String("PCAP."));
        s.channels.append(ch);
        if (f.column() == QLatin1String("PCAP.TS_TRIG.Value"))
            m_timeColumn = c;
        else if (m_timeColumn < 0 && f.column() == QLatin1String("PCAP.TS_START.Value"))
            m_timeColumn = c;
    }
    setStreams({s});
    if (h.missed)
        Q_EMIT message(tr("PandA skipped %1 rows before this connection joined the capture").arg(h.missed));
    if (!m_running && state() == State::Connected)
        setState(State::Running, tr("armed by another client"));
}

void PandaDriver::addFrame(DataEvent &ev)
{
    if (!m_inCapture || ev.rows == 0)
        return;
    if (m_limitReached)
        return; // rows beyond the requested count, after our DISARM
    if (m_rowLimit && m_captureRows + ev.rows >= m_rowLimit) {
        const std::size_t keep = std::size_t(m_rowLimit - m_captureRows);
        const int cols = int(m_header.fields.size());
        std::vector<double> cut(std::size_t(cols) * keep);
        for (int c = 0; c < cols; ++c)
            std::copy_n(ev.values.begin() + std::ptrdiff_t(std::size_t(c) * ev.rows), keep,
                        cut.begin() + std::ptrdiff_t(std::size_t(c) * keep));
        ev.values = std::move(cut);
        ev.rows = keep;
        m_limitReached = true;
        disarm();
    }
    m_captureRows += ev.rows;
    if (ev.rows)
        m_pendingFrames.push_back(std::move(ev));
}

void PandaDriver::flushFrames()
{
    if (m_pendingFrames.empty())
        return;
    const int cols = int(m_header.fields.size());
    std::size_t rows = 0;
    for (const auto &f : m_pendingFrames)
        rows += f.rows;
    auto block = std::make_shared<SampleBlock>();
    block->streamId = kStream;
    block->channelCount = cols;
    block->sampleCount = rows;
    block->firstIndex = m_streamIndex;
    if (m_pendingFrames.size() == 1) {
        block->values = std::move(m_pendingFrames.front().values); // no copy on the common path
    } else {
        block->values.resize(std::size_t(cols) * rows);
        std::size_t at = 0;
        for (const auto &f : m_pendingFrames) {
            for (int c = 0; c < cols; ++c)
                std::copy_n(f.values.begin() + std::ptrdiff_t(std::size_t(c) * f.rows), f.rows,
                            block->values.begin() + std::ptrdiff_t(std::size_t(c) * rows + at));
            at += f.rows;
        }
    }
    m_pendingFrames.clear();
    block->times.resize(rows);
    if (m_timeColumn >= 0) {
        const double *ts = block->channel(m_timeColumn);
        for (std::size_t i = 0; i < rows; ++i)
            block->times[i] = m_captureT0 + ts[i];
    } else {
        const quint64 first = m_captureRows - rows;
        for (std::size_t i = 0; i < rows; ++i)
            block->times[i] = m_captureT0 + double(first + i) * m_clockPeriod;
    }
    block->t0 = block->times.front();
    if (block->firstIndex == 0)
        block->flags |= SampleBlock::StartOfCapture;
    m_streamIndex += rows;
    publish(block);
}

void PandaDriver::endCapture(const DataEvent &ev)
{
    m_inCapture = false;
    const bool error = isErrorReason(ev.endReason);
    const quint64 missing = ev.endSamples > m_captureRows && !m_limitReached ? ev.endSamples - m_captureRows : 0;
    // A zero-row block carries the end-of-capture marker (and the loss, if any) to the sinks.
    auto marker = std::make_shared<SampleBlock>();
    marker->streamId = kStream;
    marker->channelCount = int(m_header.fields.size());
    marker->firstIndex = m_streamIndex;
    marker->t0 = SessionClock::now();
    marker->flags = SampleBlock::EndOfCapture | (error ? SampleBlock::Overflow : 0u)
        | (missing ? SampleBlock::DataLost : 0u);
    marker->lostBefore = missing;
    marker->times.clear();
    publish(marker);

    const QString text = tr("Capture ended after %1 rows: %2").arg(ev.endSamples).arg(ev.endReasonText);
    Q_EMIT message(text);
    if (error)
        fail(tr("PandA %1: capture ended with '%2'; the %3 rows received are kept")
                 .arg(peerText(), ev.endReasonText)
                 .arg(m_captureRows));
    else if (missing)
        fail(tr("PandA %1 reported %2 rows but %3 arrived").arg(peerText()).arg(ev.endSamples).arg(m_captureRows));
    m_running = false;
    if (state() == State::Running)
        setState(State::Connected, text);
    pollStatus();
}

} // namespace bs::panda
