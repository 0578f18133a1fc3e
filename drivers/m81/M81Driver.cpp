// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81Driver.h"

#include "DriverRegistry.h"
#include "M81ProtocolElements.h"

#include <QSerialPortInfo>

namespace bs::m81 {

DriverInfo M81Driver::info()
{
    DriverInfo i;
    i.type = QStringLiteral("m81");
    i.displayName = tr("Lake Shore M81-SSM");
    i.shortName = QStringLiteral("M81");
    i.defaultAddress = QStringLiteral("127.0.0.1:7777");
    i.addressHelp = tr("host[:port] (SCPI over TCP, port 7777 by default) or the USB serial device such as "
                       "/dev/ttyACM0, COM3 or the pty a simulator prints (921600 8N1, RTS/CTS)");
    i.create = [] { return std::make_unique<M81Driver>(); };
    i.checkAddress = &M81DriverLink::checkAddress;
    i.describeAddress = &M81DriverLink::describeAddress;
    i.addressSuggestions = [] {
        // Serial ports present now: Lake Shore's own USB id and the CP210x bridge first.
        QStringList first, other;
        for (const QSerialPortInfo &p : QSerialPortInfo::availablePorts()) {
            const bool lakeShore = p.hasVendorIdentifier() && p.hasProductIdentifier()
                && ((p.vendorIdentifier() == 0x1FB9 && p.productIdentifier() == 0x0704)
                    || (p.vendorIdentifier() == 0x10C4 && p.productIdentifier() == 0xEA60));
            (lakeShore ? first : other) << p.systemLocation();
        }
        return first + other;
    };
    return i;
}

M81Driver::M81Driver(QObject *parent)
    : Instrument(parent)
    , m_link(this)
    , m_pollTimer(this)
{
    buildParameters();
    m_actions = {
        {QStringLiteral("refresh"), tr("Refresh"), tr("Instrument"),
         tr("Read the modules and every setting back from the instrument")},
    };
    connect(&m_link, &Link::connected, this, &M81Driver::onLinkConnected);
    connect(&m_link, &Link::connectionLost, this, &M81Driver::onLinkLost);
    m_pollTimer.setSingleShot(true);
    m_pollTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pollTimer, &QTimer::timeout, this, &M81Driver::poll);
}

M81Driver::~M81Driver()
{
    m_link.blockSignals(true);
    m_link.close();
}

void M81Driver::buildParameters()
{
    const QString conn = tr("Connection"), inst = tr("Instrument"), stream = tr("Stream");
    auto readOnly = [this](const QString &key, const QString &label, const QString &group) -> ParameterSpec & {
        auto &s = m_params.addString(key, label, QString(), group);
        s.readOnly = true;
        s.persistent = false;
        return s;
    };
    m_params.addDouble(QStringLiteral("timeout"), tr("Reply timeout"), 5, 0.5, 120, conn, QStringLiteral("s")).toolTip =
        tr("How long a reply may take (a TRACe:DATA:ALL? reply: how long it may pause)");
    readOnly(QStringLiteral("model"), tr("Model"), inst);
    readOnly(QStringLiteral("serial"), tr("Serial number"), inst);
    readOnly(QStringLiteral("firmware"), tr("Firmware"), inst);
    for (int n = 1; n <= kModules; ++n)
        readOnly(QStringLiteral("s%1_module").arg(n), tr("Source S%1").arg(n), inst);
    for (int n = 1; n <= kModules; ++n)
        readOnly(QStringLiteral("m%1_module").arg(n), tr("Measure M%1").arg(n), inst);

    auto &el = m_params.addString(QStringLiteral("elements"), tr("Elements"),
                                  QStringLiteral("RTIMe,1,MX,1,MY,1,MR,1"), stream);
    el.tableColumns = {tr("Element"), tr("Module")};
    el.tableChoices = {elementNames(), {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}};
    el.tableMinRows = 1;
    el.tableMaxRows = kMaxElements;
    el.toolTip = tr("TRACe:FORMat:ELEMents: up to 10 (data source, module) pairs; S… elements address the "
                    "source module, M… the measure module, RTIMe/GPIStates/GPOStates always module 1");
    m_params.addInt(QStringLiteral("rate"), tr("Rate"), 1000, 1, kMaxRate, stream, QStringLiteral("rows/s")).toolTip =
        tr("TRACe:RATE: rows per second, 1–5000");
    auto &count = m_params.addInt(QStringLiteral("count"), tr("Rows"), 0, 0, 1000000000, stream);
    count.toolTip = tr("TRACe:STARt <count>: the stream ends by itself after this many rows; 0 = until Stop");
    count.specialValueText = tr("until Stop");

    for (int n = 1; n <= kModules; ++n) {
        const QString g = tr("Measure M%1").arg(n);
        const QString p = QStringLiteral("m%1_").arg(n);
        readOnly(p + QStringLiteral("unit"), tr("Unit"), g).shown = false;
        m_params.addEnum(p + QStringLiteral("mode"), tr("Mode"), {QStringLiteral("DC"), QStringLiteral("AC"), QStringLiteral("LIA")},
                         QStringLiteral("DC"), g)
            .toolTip = tr("SENSe%1:MODE: DC, AC (RMS/peak) or LIA (lock-in)").arg(n);
        m_params.addBool(p + QStringLiteral("autorange"), tr("Auto range"), true, g).toolTip =
            tr("SENSe%1:VOLTage|CURRent:RANGe:AUTO").arg(n);
        auto &range = m_params.addDouble(p + QStringLiteral("range"), tr("Range"), 10, 0, 1000, g);
        range.unitKey = p + QStringLiteral("unit");
        range.toolTip = tr("SENSe%1:VOLTage|CURRent:RANGe: the largest level to measure (manual range)").arg(n);
        m_params.addEnum(p + QStringLiteral("reference"), tr("Reference"),
                         {QStringLiteral("S1"), QStringLiteral("S2"), QStringLiteral("S3"), QStringLiteral("RIN")},
                         QStringLiteral("S1"), g)
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("LIA")})
            .toolTip = tr("SENSe%1:LIA:RSOurce: a source module or the reference input").arg(n);
        m_params.addDouble(p + QStringLiteral("time_constant"), tr("Time constant"), 0.1, 0, 100000, g, QStringLiteral("s"))
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("LIA")})
            .toolTip = tr("SENSe%1:LIA:TIMEconstant").arg(n);
        m_params.addEnum(p + QStringLiteral("rolloff"), tr("Roll-off"),
                         {QStringLiteral("R6"), QStringLiteral("R12"), QStringLiteral("R18"), QStringLiteral("R24")},
                         QStringLiteral("R24"), g)
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("LIA")})
            .toolTip = tr("SENSe%1:LIA:ROLLoff: output filter slope, 6–24 dB/octave").arg(n);
        m_params.addDouble(p + QStringLiteral("phase_shift"), tr("Phase shift"), 0, -360, 360, g, QStringLiteral("\u00b0"))
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("LIA")})
            .toolTip = tr("SENSe%1:LIA:DPHase: reference phase shift").arg(n);
        m_params.addInt(p + QStringLiteral("harmonic"), tr("Harmonic"), 1, 1, 100000, g)
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("LIA")})
            .toolTip = tr("SENSe%1:LIA:DHARmonic: detect at this multiple of the reference frequency").arg(n);
        m_params.addBool(p + QStringLiteral("fir"), tr("FIR filter"), false, g)
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("LIA")})
            .toolTip = tr("SENSe%1:LIA:FIR:STATe: the PSD output FIR filter").arg(n);
        m_params.addDouble(p + QStringLiteral("nplc"), tr("Averaging"), 1, 0, 10000, g, QStringLiteral("PLC"))
            .onlyWhen(p + QStringLiteral("mode"), {QStringLiteral("DC"), QStringLiteral("AC")})
            .toolTip = tr("SENSe%1:NPLCycles: averaging time in power-line cycles (not in lock-in mode)").arg(n);
    }
    for (int n = 1; n <= kModules; ++n) {
        const QString g = tr("Source S%1").arg(n);
        const QString p = QStringLiteral("s%1_").arg(n);
        readOnly(p + QStringLiteral("unit"), tr("Unit"), g).shown = false;
        m_params.addEnum(p + QStringLiteral("shape"), tr("Shape"),
                         {QStringLiteral("DC"), QStringLiteral("SINUSOID"), QStringLiteral("TRIANGLE"), QStringLiteral("SQUARE")},
                         QStringLiteral("DC"), g)
            .toolTip = tr("SOURce%1:FUNCtion:SHAPe").arg(n);
        auto &amp = m_params.addDouble(p + QStringLiteral("amplitude"), tr("Amplitude"), 0, -1000, 1000, g);
        amp.unitKey = p + QStringLiteral("unit");
        amp.toolTip = tr("SOURce%1:VOLTage|CURRent:LEVel:AMPLitude (the module's unit)").arg(n);
        auto &off = m_params.addDouble(p + QStringLiteral("offset"), tr("Offset"), 0, -1000, 1000, g);
        off.unitKey = p + QStringLiteral("unit");
        off.toolTip = tr("SOURce%1:VOLTage|CURRent:LEVel:OFFSet (the module's unit)").arg(n);
        m_params.addDouble(p + QStringLiteral("frequency"), tr("Frequency"), 1000, 0, 10e6, g, QStringLiteral("Hz")).toolTip =
            tr("SOURce%1:FREQuency").arg(n);
        m_params.addBool(p + QStringLiteral("output"), tr("Output on"), false, g).toolTip = tr("SOURce%1:STATe").arg(n);
    }
}

bool M81Driver::isReady() const
{
    return m_link.isOpen()
        && (state() == State::Connected || state() == State::Running || state() == State::Finished);
}

bool M81Driver::requireReady()
{
    if (isReady())
        return true;
    fail(tr("M81 %1 is not connected").arg(address()));
    return false;
}

// --- sequences ----------------------------------------------------------------------------------

void M81Driver::run(std::vector<Step> steps, std::function<void()> done, std::function<void()> failed)
{
    auto seq = std::make_shared<Sequence>();
    seq->steps = std::move(steps);
    seq->done = std::move(done);
    seq->failed = std::move(failed);
    runStep(seq);
}

void M81Driver::runStep(const std::shared_ptr<Sequence> &seq)
{
    if (seq->at >= seq->steps.size()) {
        if (seq->done)
            seq->done();
        return;
    }
    const Step &step = seq->steps[seq->at];
    m_link.send(step.command, [this, seq](const Result &r) {
        const Step &s = seq->steps[seq->at];
        const bool gone = r.status == Result::Status::Lost || r.status == Result::Status::Cancelled;
        bool goOn = false;
        if (!r.ok() && (!s.handlesErrors || gone))
            report(r);
        else
            goOn = s.onReply ? s.onReply(r) : true;
        if (!goOn) {
            if (seq->failed)
                seq->failed();
            return;
        }
        ++seq->at;
        runStep(seq);
    });
}

QString M81Driver::scpiFailure(const Result &r) const
{
    return tr("M81 at %1: '%2' failed: %3").arg(m_link.peer(), r.command, r.error);
}

bool M81Driver::report(const Result &r, const QString &context)
{
    using S = Result::Status;
    const QString prefix = context.isEmpty() ? QString() : context + QStringLiteral(": ");
    switch (r.status) {
    case S::Ok: return true;
    case S::DeviceError: fail(prefix + scpiFailure(r)); return false;
    case S::Timeout:
    case S::Invalid: fail(prefix + r.error); return false;
    case S::Lost: if (state() != State::Error) fail(prefix + r.error); return false;
    case S::Cancelled: return false;
    }
    return false;
}

// --- connection ---------------------------------------------------------------------------------

void M81Driver::open()
{
    if (state() == State::Connecting || isReady())
        return;
    const QString addr = address().isEmpty() ? info().defaultAddress : address();
    m_link.setTimeoutMs(int(m_params.doubleValue(QStringLiteral("timeout")) * 1000));
    m_link.setConnectTimeoutMs(m_link.timeoutMs());
    QString error;
    if (!m_link.open(addr, &error)) {
        fail(error);
        setState(State::Error, tr("bad address"));
        return;
    }
    setState(State::Connecting, m_link.peer());
}

void M81Driver::close()
{
    m_pollTimer.stop();
    if (m_stream.active)
        abortStream(tr("the connection was closed"));
    m_link.close();
    if (state() != State::Disconnected)
        setState(State::Disconnected);
}

void M81Driver::onLinkLost(const QString &reason)
{
    m_pollTimer.stop();
    if (m_stream.active)
        abortStream(reason);
    fail(state() == State::Running || m_stream.ending
             ? tr("%1 — the stream was cut; every row received before is kept").arg(reason)
             : reason);
    setState(State::Error, reason);
}

void M81Driver::onLinkConnected()
{
    auto notM81 = [this](const QString &why) {
        m_link.close();
        fail(why);
        setState(State::Error, why);
    };
    // *IDN? goes without the error check (the vendor's client does the same).
    m_link.send(QStringLiteral("*IDN?"), [this, notM81](const Result &r) {
        if (r.status == Result::Status::Lost || r.status == Result::Status::Cancelled)
            return;
        if (!r.ok()) {
            notM81(tr("%1 is not an M81: %2").arg(m_link.peer(), r.error));
            return;
        }
        QString why;
        const auto id = parseIdentity(r.line, &why);
        if (!id) {
            notM81(tr("%1 is not an M81: *IDN? reply %2").arg(m_link.peer(), why));
            return;
        }
        m_identity = *id;
        updateParameter(QStringLiteral("model"), QStringLiteral("%1 %2").arg(id->manufacturer, id->model));
        updateParameter(QStringLiteral("serial"),
                        id->optionSerial.isEmpty() ? id->serial : id->serial + QLatin1Char('/') + id->optionSerial);
        updateParameter(QStringLiteral("firmware"), id->firmware);
        if (id->manufacturer.compare(QLatin1String("LSCI"), Qt::CaseInsensitive) != 0)
            warn(tr("%1 identifies as '%2', not as a Lake Shore (LSCI) instrument").arg(m_link.peer(), escapedText(r.line)));
        std::vector<Step> steps{{QStringLiteral("SYSTem:ERRor:CLEar"), {}}};
        for (Step &s : moduleSteps())
            steps.push_back(std::move(s));
        run(std::move(steps), [this] {
            // Settings given while disconnected (a session's, --set) go to the instrument first.
            std::vector<Step> writes;
            const std::set<QString> unsent = std::exchange(m_unsent, {});
            for (const QString &key : unsent) {
                // A manual range only matters without autorange (writing it turns autorange off).
                if (key.endsWith(QLatin1String("_range"))
                    && m_params.boolValue(key.left(3) + QStringLiteral("autorange")))
                    continue;
                const QString cmd = setCommand(key, m_params.value(key));
                if (!cmd.isEmpty())
                    writes.push_back({cmd, [this, key](const Result &r) {
                                          if (!r.ok())
                                              refuseParameter(key, scpiFailure(r));
                                          return true;
                                      },
                                      true});
            }
            for (Step &s : readBackAll())
                writes.push_back(std::move(s));
            run(std::move(writes), [this] {
                if (state() != State::Connecting)
                    return;
                setState(State::Connected, m_link.peer());
                std::vector<Element> elements;
                if (checkStreamSettings(&elements).isEmpty())
                    setStreams({streamInfo(elements)});
                Q_EMIT message(tr("Connected to %1 %2 #%3 (firmware %4) at %5")
                                   .arg(m_identity.manufacturer, m_identity.model, m_identity.serial,
                                        m_identity.firmware, m_link.peer()));
            }, [this] {
                if (state() == State::Connecting) {
                    m_link.close();
                    setState(State::Error, tr("reading the settings failed"));
                }
            });
        }, [this] {
            if (state() == State::Connecting) {
                m_link.close();
                setState(State::Error, tr("identification failed"));
            }
        });
    });
}

std::vector<M81Driver::Step> M81Driver::moduleSteps()
{
    auto channels = std::make_shared<std::array<int, 2>>(std::array<int, 2>{kModules, kModules});
    std::vector<Step> steps;
    for (int kind = 0; kind < 2; ++kind) {
        const QString sub = kind == 0 ? QStringLiteral("SOURce") : QStringLiteral("SENSe");
        steps.push_back({sub + QStringLiteral(":NCHannels?"), [channels, kind](const Result &r) {
                             const auto v = parseNumber(r.value());
                             (*channels)[std::size_t(kind)] = v ? std::clamp(int(*v), 0, kModules) : kModules;
                             return true;
                         }});
    }
    for (int kind = 0; kind < 2; ++kind) {
        const bool source = kind == 0;
        const QString sub = source ? QStringLiteral("SOURce") : QStringLiteral("SENSe");
        for (int n = 1; n <= kModules; ++n) {
            const QString key = (source ? QStringLiteral("s%1_module") : QStringLiteral("m%1_module")).arg(n);
            Module &m = (source ? m_sources : m_measures)[std::size_t(n - 1)];
            // A slot without a module answers -241 "Hardware missing": not fitted, not a failure.
            steps.push_back({QStringLiteral("%1%2:MODel?").arg(sub).arg(n),
                             [this, &m, key, n, kind, channels](const Result &r) {
                                 m = Module{};
                                 if (n > (*channels)[std::size_t(kind)] || r.queue.hardwareMissing()) {
                                     updateParameter(key, tr("not fitted"));
                                     return true;
                                 }
                                 if (!r.ok())
                                     return report(r);
                                 m.fitted = true;
                                 m.model = unquote(r.value());
                                 m.current = m.model.startsWith(QLatin1String("CM"), Qt::CaseInsensitive)
                                     || m.model.startsWith(QLatin1String("CS"), Qt::CaseInsensitive)
                                     || m.model.startsWith(QLatin1String("BCS"), Qt::CaseInsensitive);
                                 updateParameter(key, m.model);
                                 return true;
                             },
                             true});
            steps.push_back({QStringLiteral("%1%2:NAME?").arg(sub).arg(n), [this, &m, key](const Result &r) {
                                 if (!m.fitted)
                                     return true;
                                 if (r.ok()) {
                                     m.name = unquote(r.value());
                                     if (!m.name.isEmpty())
                                         updateParameter(key, QStringLiteral("%1 \u201c%2\u201d").arg(m.model, m.name));
                                 }
                                 return true;
                             },
                             true});
            if (source)
                steps.push_back({QStringLiteral("SOURce%1:FUNCtion:MODE?").arg(n), [this, &m](const Result &r) {
                                     if (m.fitted && r.ok()) {
                                         const QString mode = unquote(r.value()).toUpper();
                                         if (mode.startsWith(QLatin1String("CURR")))
                                             m.current = true;
                                         else if (mode.startsWith(QLatin1String("VOLT")))
                                             m.current = false;
                                     }
                                     updateUnits();
                                     return true;
                                 },
                                 true});
        }
    }
    steps.push_back({QStringLiteral("SYSTem:ERRor:CLEar"), [this](const Result &) {
                         updateUnits();
                         return true;
                     }});
    return steps;
}

// --- actions and parameters ---------------------------------------------------------------------

void M81Driver::invoke(const QString &action)
{
    if (action == QLatin1String("refresh")) {
        if (!requireReady())
            return;
        std::vector<Step> steps = moduleSteps();
        for (Step &s : readBackAll())
            steps.push_back(std::move(s));
        run(std::move(steps));
        return;
    }
    Instrument::invoke(action);
}

QString M81Driver::applyParameter(const QString &key, const QVariant &value)
{
    if (key == QLatin1String("timeout")) {
        m_link.setTimeoutMs(int(value.toDouble() * 1000));
        return {};
    }
    if (key == QLatin1String("elements") || key == QLatin1String("rate")) {
        if (state() == State::Running)
            return tr("%1 cannot change while streaming (Stop first)").arg(m_params.spec(key)->displayName());
        QMetaObject::invokeMethod(this, [this] {
            std::vector<Element> elements;
            if (!m_stream.active && checkStreamSettings(&elements).isEmpty())
                setStreams({streamInfo(elements)});
        }, Qt::QueuedConnection);
        return {};
    }
    if (!isModuleSetting(key))
        return {};
    if (!isReady()) {
        m_unsent.insert(key);
        return {};
    }
    // Written after the value is stored (the read-back then corrects it).
    QMetaObject::invokeMethod(this, [this, key, value] { writeSetting(key, value); }, Qt::QueuedConnection);
    return {};
}

} // namespace bs::m81
