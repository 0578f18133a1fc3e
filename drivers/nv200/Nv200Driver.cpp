// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200Driver.h"

#include "DriverRegistry.h"
#include "Nv200Protocol.h"

#include <QSerialPortInfo>

namespace bs::nv200 {

namespace {
constexpr int kMaxTimeouts = 3; // consecutive timeouts before the link is considered dead
const QString kRunLive = QStringLiteral("live");
const QString kRunCapture = QStringLiteral("recorder capture");
} // namespace

DriverInfo Nv200Driver::info()
{
    DriverInfo i;
    i.type = QStringLiteral("nv200");
    i.displayName = tr("piezosystem jena NV200 piezo amplifier");
    i.shortName = QStringLiteral("NV200");
    i.defaultAddress = QStringLiteral("127.0.0.1:23");
    i.addressHelp = tr("host[:port] or [IPv6]:port for the NET variant (Telnet port 23 by default), or a "
                       "serial device such as /dev/ttyUSB0, COM3 or the pty a simulator prints (115200 8N1)");
    i.create = [] { return std::make_unique<Nv200Driver>(); };
    i.checkAddress = &Nv200DriverLink::checkAddress;
    i.addressSuggestions = [] {
        // Serial ports present now, FTDI adapters (what the NV200 uses) first.
        QStringList ftdi, other;
        for (const QSerialPortInfo &p : QSerialPortInfo::availablePorts())
            (p.manufacturer() == QLatin1String("FTDI") ? ftdi : other) << p.systemLocation();
        return ftdi + other;
    };
    return i;
}

Nv200Driver::Nv200Driver(QObject *parent)
    : Instrument(parent)
    , m_link(this)
    , m_liveTimer(this)
    , m_recPoll(this)
{
    buildParameters();
    const QString rec = tr("Recorder"), awg = tr("Waveform generator");
    m_actions = {
        {QStringLiteral("step"), tr("Step"), tr("Setpoint"), tr("cl, modsrc,0, set,<step to>: starts a recording armed with autostart 'on set command'")},
        {QStringLiteral("waveform_start"), tr("Start waveform"), awg, tr("Upload the waveform table, modsrc,3, grun,1")},
        {QStringLiteral("waveform_stop"), tr("Stop waveform"), awg, tr("grun,0")},
        {QStringLiteral("arm"), tr("Arm"), rec, tr("recsrc, recast, recstr, reclen, recrun,1")},
        {QStringLiteral("read"), tr("Read"), rec, tr("Wait until the recording is finished, then read both channels")},
        {QStringLiteral("capture"), tr("Capture"), rec, tr("Arm, trigger (step or waveform, by autostart) and read")},
        {QStringLiteral("refresh"), tr("Refresh"), tr("Actuator"), tr("Read the actuator identity and status again")},
        {QStringLiteral("send_command"), tr("Send command"), tr("Connection"), tr("Send the command line as typed")},
    };
    connect(&m_link, &Link::connected, this, &Nv200Driver::onLinkConnected);
    connect(&m_link, &Link::connectionLost, this, &Nv200Driver::onLinkLost);
    connect(&m_link, &Link::receiving, this, [this](qint64 bytes) {
        if (!m_readBack || (m_progressThrottle.isValid() && m_progressThrottle.elapsed() < 100))
            return;
        m_progressThrottle.start();
        const double expected = std::max(1, m_rec.timing.length) * 8.0; // "12.345," ≈ 8 bytes a value
        const double f = (m_readingChannel + std::min(0.99, double(bytes) / expected)) / 2.0;
        Q_EMIT progress(f, tr("Reading channel %1 of the recorder…").arg(QLatin1Char(m_readingChannel ? 'B' : 'A')));
    });
    m_liveTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_liveTimer, &QTimer::timeout, this, &Nv200Driver::pollLive);
    m_recPoll.setSingleShot(true);
    connect(&m_recPoll, &QTimer::timeout, this, &Nv200Driver::pollRecorder);
    connect(this, &Instrument::errorOccurred, this, [this](const QString &m) { m_lastFailure = m; });
}

Nv200Driver::~Nv200Driver()
{
    m_link.blockSignals(true);
    m_link.close();
}

void Nv200Driver::buildParameters()
{
    const QString conn = tr("Connection"), act = tr("Actuator"), sp = tr("Setpoint"), awg = tr("Waveform generator"),
                  rec = tr("Recorder"), live = tr("Live");
    auto readOnly = [this](const QString &key, const QString &label, const QString &group) {
        auto &s = m_params.addString(key, label, QString(), group);
        s.readOnly = true;
        s.persistent = false;
    };
    readOnly(QStringLiteral("device"), tr("Device"), conn);
    auto &cmd = m_params.addString(QStringLiteral("command"), tr("Command"), QString(), conn);
    cmd.persistent = false;
    cmd.toolTip = tr("A command line such as 'temp' or 'kp,2'; sent by the 'Send command' action");
    readOnly(QStringLiteral("command_reply"), tr("Answer"), conn);

    readOnly(QStringLiteral("actuator"), tr("Actuator"), act);
    readOnly(QStringLiteral("actuator_serial"), tr("Serial number"), act);
    readOnly(QStringLiteral("unit_closed_loop"), tr("Closed-loop unit"), act);
    readOnly(QStringLiteral("position_range"), tr("Position range"), act);
    readOnly(QStringLiteral("voltage_range"), tr("Voltage range"), act);
    readOnly(QStringLiteral("status"), tr("Status"), act);
    m_params.addBool(QStringLiteral("closed_loop"), tr("Closed loop"), true, act).toolTip =
        tr("cl: closed loop (position in the actuator's unit) or open loop (voltage)");

    auto &setpoint = m_params.addDouble(QStringLiteral("setpoint"), tr("Setpoint"), 0, -1e6, 1e6, sp);
    setpoint.toolTip = tr("modsrc,0 then set,<value>: µm/mrad in closed loop, V in open loop");
    setpoint.persistent = false;
    setpoint.unitKey = QStringLiteral("setpoint_unit"); // µm/mrad or V, shown next to the value
    auto &stepTo = m_params.addDouble(QStringLiteral("step_to"), tr("Step to"), 50, -1e6, 1e6, sp);
    stepTo.toolTip = tr("Target of the Step action, in the loop mode's unit");
    stepTo.unitKey = QStringLiteral("setpoint_unit");
    readOnly(QStringLiteral("setpoint_unit"), tr("Unit"), sp);

    m_params.addEnum(QStringLiteral("waveform_shape"), tr("Shape"), waveShapeNames(), QStringLiteral("sine"), awg);
    m_params.addDouble(QStringLiteral("waveform_frequency"), tr("Frequency"), 10, 0.01, 5000, awg, QStringLiteral("Hz"));
    m_params.addDouble(QStringLiteral("waveform_amplitude"), tr("Amplitude (peak-peak)"), 20, 0, 100, awg,
                       QStringLiteral("%"))
        .toolTip = tr("Peak-to-peak, in % of the loop mode's range");
    m_params.addDouble(QStringLiteral("waveform_offset"), tr("Offset (centre)"), 50, 0, 100, awg, QStringLiteral("%"));
    m_params.addInt(QStringLiteral("waveform_cycles"), tr("Cycles"), 1, 0, 65535, awg).toolTip =
        tr("gcarb: number of periods, 0 = until stopped");

    m_params.addEnum(QStringLiteral("recorder_source_a"), tr("Channel A source"), recorderSourceNames(),
                     recorderSourceNames().at(0), rec);
    m_params.addEnum(QStringLiteral("recorder_source_b"), tr("Channel B source"), recorderSourceNames(),
                     recorderSourceNames().at(1), rec);
    m_params.addEnum(QStringLiteral("recorder_autostart"), tr("Autostart"), recorderAutostartNames(),
                     recorderAutostartNames().at(1), rec)
        .toolTip = tr("recast: off starts at once when armed; otherwise arming waits for a set command "
                      "(Step) or for the waveform generator to start");
    m_params.addDouble(QStringLiteral("recorder_duration"), tr("Duration"), 50, 0.05, recorderMaxDurationMs(), rec,
                       QStringLiteral("ms"))
        .toolTip = tr("Sets stride and length as the vendor library does (6144 samples, 20 kHz base rate)");
    for (const auto &[key, label, unit] : {std::tuple{"recorder_stride", "Stride", ""},
                                           {"recorder_rate", "Sample rate", "Hz"},
                                           {"recorder_length", "Samples per channel", ""}}) {
        auto &s = m_params.addDouble(QLatin1String(key), tr(label), 0, 0, 1e9, rec, QLatin1String(unit));
        s.readOnly = true;
        s.persistent = false;
    }
    updateTiming(m_params.doubleValue(QStringLiteral("recorder_duration")));
    m_params.addEnum(QStringLiteral("run_mode"), tr("Run does"), {kRunLive, kRunCapture}, kRunLive, rec).toolTip =
        tr("live: Run polls meas and set until Stop; recorder capture: Run arms the recorder, triggers it by "
           "the autostart setting, reads it back and finishes (one capture)");

    m_params.addBool(QStringLiteral("live"), tr("Poll while running"), true, live).toolTip =
        tr("While running, poll meas and set for the live strip chart");
    m_params.addDouble(QStringLiteral("live_rate"), tr("Poll rate"), 10, 1, 50, live, QStringLiteral("Hz"));
}

void Nv200Driver::updateTiming(double durationMs)
{
    const RecorderTiming t = recorderTiming(durationMs);
    updateParameter(QStringLiteral("recorder_stride"), double(t.stride));
    updateParameter(QStringLiteral("recorder_rate"), t.rateHz);
    updateParameter(QStringLiteral("recorder_length"), double(t.length));
}

QString Nv200Driver::positionUnit() const
{
    return m_closedLoop ? m_unitClosedLoop : m_unitOpenLoop;
}

bool Nv200Driver::runsCapture() const
{
    return m_params.stringValue(QStringLiteral("run_mode")) == kRunCapture;
}

bool Nv200Driver::isReady() const
{
    return m_link.isOpen()
        && (state() == State::Connected || state() == State::Running || state() == State::Finished);
}

bool Nv200Driver::requireReady()
{
    if (isReady())
        return true;
    fail(tr("NV200 %1 is not connected").arg(address()));
    return false;
}

// --- connection ---------------------------------------------------------------------------------

void Nv200Driver::open()
{
    if (state() == State::Connecting || state() == State::Connected || state() == State::Running
        || state() == State::Finished)
        return;
    const QString addr = address().isEmpty() ? info().defaultAddress : address();
    m_linkConnected = false;
    m_timeouts = 0;
    m_livePolling = m_liveDue = false;
    QString error;
    if (!m_link.open(addr, &error)) {
        fail(error);
        setState(State::Error, tr("bad address"));
        return;
    }
    setState(State::Connecting, m_link.peer());
}

void Nv200Driver::close()
{
    m_liveTimer.stop();
    m_recPoll.stop();
    m_liveOn = m_waiting = m_readBack = m_livePolling = m_liveDue = false;
    m_rec.armed = false;
    m_cap.run = false; // no state change but Disconnected
    abortCapture(tr("the connection was closed before the recording was read back"));
    m_link.close();
    if (state() != State::Disconnected)
        setState(State::Disconnected);
}

void Nv200Driver::onLinkConnected()
{
    m_linkConnected = true;
    identify();
}

void Nv200Driver::onLinkLost(const QString &reason)
{
    const bool reading = m_waiting || m_readBack;
    const bool identifying = state() == State::Connecting;
    m_liveTimer.stop();
    m_recPoll.stop();
    m_liveOn = m_waiting = m_readBack = false;
    m_rec.armed = false;
    m_awgRunning = false;
    m_cap.run = false; // the state becomes Error below
    abortCapture(reason);
    QString text = reason;
    if (reading)
        text = tr("%1 — the recorder read-back was interrupted; samples already delivered are kept").arg(reason);
    else if (identifying && m_linkConnected && !m_link.isSerial())
        text = tr("%1 before answering (the NV200 accepts one client at a time: device busy?)").arg(reason);
    fail(text);
    setState(State::Error, reason);
}

void Nv200Driver::identify(int attempt)
{
    m_link.send(QString(), Link::Kind::Query, [this, attempt](const Result &r) {
        if (r.status == Result::Status::Lost || r.status == Result::Status::Cancelled)
            return; // reported by onLinkLost / we closed
        const QString device = r.ok() ? promptDevice(r.text) : QString();
        // A serial line may still carry the end of an answer to the previous connection (the
        // device finishes what it was sending): that frame is no answer to our empty line, ask again.
        if (!device.contains(QLatin1String("NV200")) && r.status != Result::Status::Timeout && attempt < 2) {
            identify(attempt + 1);
            return;
        }
        if (!device.contains(QLatin1String("NV200"))) {
            const QString why = r.status == Result::Status::Timeout
                ? tr("%1 is not an NV200: no XON-terminated answer to an empty line within %2 s")
                      .arg(m_link.peer())
                      .arg(m_link.timeoutMs(Link::Kind::Query) / 1000.0)
                : tr("%1 is not an NV200: it answered '%2' to an empty line")
                      .arg(m_link.peer(), escapedText(r.text));
            m_link.close();
            fail(why);
            setState(State::Error, why);
            return;
        }
        m_device = device;
        updateParameter(QStringLiteral("device"), device);
        readIdentity(
            [this] {
                setState(State::Connected, m_link.peer());
                refreshStreams();
                Q_EMIT message(tr("Connected to %1 at %2: actuator %3 #%4, %5")
                                   .arg(m_device, m_link.peer(), m_params.stringValue(QStringLiteral("actuator")),
                                        m_params.stringValue(QStringLiteral("actuator_serial")),
                                        m_params.stringValue(QStringLiteral("position_range"))));
            },
            [this] {
                if (state() != State::Connecting)
                    return;
                m_link.close();
                setState(State::Error, tr("identification failed"));
            });
    });
}

void Nv200Driver::readIdentity(std::function<void()> done, std::function<void()> failed)
{
    auto text = [this](const char *key) {
        return [this, key = QLatin1String(key)](const Result &r) {
            updateParameter(key, r.reply.fields.join(QLatin1Char(',')));
            return true;
        };
    };
    auto range = std::make_shared<std::array<double, 4>>();
    auto num = [this, range](int i) {
        return [this, range, i](const Result &r) {
            const auto v = numberOf(r);
            if (v)
                (*range)[std::size_t(i)] = *v;
            return v.has_value();
        };
    };
    std::vector<Step> steps{
        {QStringLiteral("desc"), Link::Kind::Query, text("actuator")},
        {QStringLiteral("acserno"), Link::Kind::Query, text("actuator_serial")},
        {QStringLiteral("unitcl"), Link::Kind::Query,
         [this](const Result &r) {
             m_unitClosedLoop = r.reply.field(0).isEmpty() ? QStringLiteral("\u00b5m") : r.reply.field(0);
             updateParameter(QStringLiteral("unit_closed_loop"), m_unitClosedLoop);
             return true;
         }},
        {QStringLiteral("unitol"), Link::Kind::Query,
         [this](const Result &r) {
             m_unitOpenLoop = r.reply.field(0).isEmpty() ? QStringLiteral("V") : r.reply.field(0);
             return true;
         }},
        {QStringLiteral("posmin"), Link::Kind::Query, num(0)},
        {QStringLiteral("posmax"), Link::Kind::Query, num(1)},
        {QStringLiteral("avmin"), Link::Kind::Query, num(2)},
        {QStringLiteral("avmax"), Link::Kind::Query,
         [this, range, n = num(3)](const Result &r) {
             if (!n(r))
                 return false;
             const auto &v = *range;
             m_ranges = v;
             m_rangesKnown = true;
             updateParameter(QStringLiteral("position_range"),
                             tr("%1 … %2 %3").arg(formatNumber(v[0]), formatNumber(v[1]), m_unitClosedLoop));
             updateParameter(QStringLiteral("voltage_range"),
                             tr("%1 … %2 %3").arg(formatNumber(v[2]), formatNumber(v[3]), m_unitOpenLoop));
             return true;
         }},
        {QStringLiteral("cl"), Link::Kind::Query,
         [this](const Result &r) {
             const auto v = numberOf(r);
             if (!v)
                 return false;
             m_closedLoop = *v != 0;
             updateParameter(QStringLiteral("closed_loop"), m_closedLoop);
             updateParameter(QStringLiteral("setpoint_unit"), positionUnit());
             return true;
         }},
        {QStringLiteral("set"), Link::Kind::Query,
         [this](const Result &r) {
             const auto v = numberOf(r);
             if (v)
                 updateParameter(QStringLiteral("setpoint"), *v);
             return v.has_value();
         }},
        {QStringLiteral("stat"), Link::Kind::Query,
         [this](const Result &r) {
             const auto v = numberOf(r);
             if (v)
                 updateParameter(QStringLiteral("status"), statusFlags(quint32(*v)).join(QStringLiteral(", ")));
             return v.has_value();
         }},
    };
    run(std::move(steps), std::move(done), std::move(failed));
}

// --- command sequences ------------------------------------------------------------------------------

void Nv200Driver::run(std::vector<Step> steps, std::function<void()> done, std::function<void()> failed)
{
    auto seq = std::make_shared<Sequence>();
    seq->steps = std::move(steps);
    seq->done = std::move(done);
    seq->failed = std::move(failed);
    runStep(seq);
}

void Nv200Driver::runStep(const std::shared_ptr<Sequence> &seq)
{
    if (seq->at >= seq->steps.size()) {
        if (seq->done)
            seq->done();
        return;
    }
    const Step &s = seq->steps[seq->at];
    m_link.send(s.command, s.kind, [this, seq](const Result &r) {
        const Step &s = seq->steps[seq->at];
        if (!report(r) || (s.onReply && !s.onReply(r))) {
            if (seq->failed)
                seq->failed();
            return;
        }
        ++seq->at;
        runStep(seq);
    });
}

bool Nv200Driver::report(const Result &r)
{
    using S = Result::Status;
    if (r.status != S::Timeout)
        m_timeouts = 0;
    switch (r.status) {
    case S::Ok:
        return true;
    case S::DeviceError:
        fail(tr("NV200: '%1' refused: %2 (error %3)")
                 .arg(r.command, errorMeaning(r.reply.errorCode))
                 .arg(r.reply.errorCode));
        return false;
    case S::Timeout:
        fail(r.error);
        if (++m_timeouts >= kMaxTimeouts && m_link.isOpen()) {
            m_timeouts = 0;
            const QString reason = tr("%1 stopped answering (%2 commands in a row timed out)").arg(m_link.peer()).arg(kMaxTimeouts);
            m_link.close();
            onLinkLost(reason);
        }
        return false;
    case S::Lost:
        if (state() != State::Error)
            fail(r.error);
        return false;
    case S::Cancelled:
        return false;
    case S::Invalid:
        fail(r.error);
        return false;
    }
    return false;
}

std::optional<double> Nv200Driver::numberOf(const Result &r, int field)
{
    const auto v = r.reply.number(field);
    if (!v)
        fail(tr("NV200: garbled answer to '%1': '%2'").arg(r.command, escapedText(r.text)));
    return v;
}

void Nv200Driver::sendRaw(const QString &line)
{
    if (!requireReady())
        return;
    m_link.send(line.trimmed(), Link::Kind::Raw, [this](const Result &r) {
        if (!report(r))
            return;
        // Escaped: a device's control bytes never reach a terminal or a log raw.
        const QString text = escapedText(r.text, 4096);
        updateParameter(QStringLiteral("command_reply"), text);
        Q_EMIT message(tr("NV200 %1 → %2").arg(r.command, text.isEmpty() ? tr("(no text)") : text));
    });
}

// --- actions and parameters ---------------------------------------------------------------------

void Nv200Driver::invoke(const QString &action)
{
    if (action.startsWith(QLatin1String("raw:"))) {
        sendRaw(action.mid(4));
        return;
    }
    if (action == QLatin1String("send_command"))
        sendRaw(m_params.stringValue(QStringLiteral("command")));
    else if (action == QLatin1String("refresh")) {
        if (requireReady())
            readIdentity([this] { refreshStreams(); }, {});
    } else if (action == QLatin1String("step"))
        step();
    else if (action == QLatin1String("waveform_start"))
        waveformStart();
    else if (action == QLatin1String("waveform_stop"))
        waveformStop();
    else if (action == QLatin1String("arm"))
        arm();
    else if (action == QLatin1String("read"))
        read();
    else if (action == QLatin1String("capture"))
        capture();
    else
        Instrument::invoke(action);
}

QString Nv200Driver::applyParameter(const QString &key, const QVariant &value)
{
    if (key == QLatin1String("recorder_duration")) {
        updateTiming(value.toDouble());
        return {};
    }
    if (key == QLatin1String("live") || key == QLatin1String("live_rate")) {
        QMetaObject::invokeMethod(this, &Nv200Driver::updateLiveTimer, Qt::QueuedConnection); // after the store
        return {};
    }
    if (!isReady())
        return {};
    if (key == QLatin1String("closed_loop")) {
        const bool cl = value.toBool();
        m_link.send(QStringLiteral("cl,%1").arg(cl ? 1 : 0), Link::Kind::Setter, [this, cl](const Result &r) {
            if (report(r)) {
                m_closedLoop = cl;
                updateParameter(QStringLiteral("setpoint_unit"), positionUnit());
                refreshStreams();
            } else {
                updateParameter(QStringLiteral("closed_loop"), m_closedLoop);
            }
        });
    } else if (key == QLatin1String("setpoint")) {
        // Refused where it is typed when the actuator's range (read on connect) excludes it.
        if (m_rangesKnown) {
            const double lo = m_closedLoop ? m_ranges[0] : m_ranges[2];
            const double hi = m_closedLoop ? m_ranges[1] : m_ranges[3];
            const double x = value.toDouble();
            if (x < lo || x > hi)
                return tr("Setpoint: %1 %4 is outside the actuator's %2 … %3 %4 (%5)")
                    .arg(formatNumber(x), formatNumber(lo), formatNumber(hi), positionUnit(),
                         m_closedLoop ? tr("closed loop") : tr("open loop"));
        }
        const QString v = formatNumber(value.toDouble());
        run({{QStringLiteral("modsrc,0"), Link::Kind::Setter, {}},
             {QStringLiteral("set,") + v, Link::Kind::Setter, [this](const Result &r) {
                  m_awgRunning = false;
                  noteTrigger(1, r.sentAt);
                  return true;
              }}},
            {}, [this, v] {
                // The device refused (the error names its reason): show the setpoint it really
                // holds, not the one typed.
                Q_EMIT parameterRefused(QStringLiteral("setpoint"),
                                        tr("Setpoint: the NV200 refused %1 %2").arg(v, positionUnit()));
                run({{QStringLiteral("set"), Link::Kind::Query, [this](const Result &r) {
                    if (const auto held = numberOf(r))
                        updateParameter(QStringLiteral("setpoint"), *held);
                    return true;
                }}});
            });
    } else if (key == QLatin1String("recorder_source_a") || key == QLatin1String("recorder_source_b")) {
        QMetaObject::invokeMethod(this, &Nv200Driver::refreshStreams, Qt::QueuedConnection);
    }
    return {};
}

void Nv200Driver::refreshStreams()
{
    if (m_device.isEmpty())
        return;
    announceStreams({recorderStream(m_rec.armed ? m_rec : recordingFromParameters()), liveStream()});
}

} // namespace bs::nv200
