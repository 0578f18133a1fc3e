// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoDriver.h"

#include "DriverRegistry.h"
#include "PicoProtocol.h"
#include "SessionClock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace bs::picoscope {

namespace {
constexpr std::uint32_t kInfoDriverVersion = 0, kInfoVariant = 3, kInfoSerial = 4, kInfoCalDate = 5;
} // namespace

DriverInfo PicoDriver::info()
{
    DriverInfo i;
    i.type = QStringLiteral("picoscope");
    i.displayName = tr("PicoScope (ps5000a / ps2000a, PicoSDK)");
    i.shortName = QStringLiteral("PicoScope");
    i.defaultAddress = QString();
    i.addressHelp = tr("Serial number of the unit (e.g. GR925/0147), or empty for the first unit found");
    i.addressPlaceholder = tr("serial number, or empty: the first unit found");
    i.create = [] { return std::make_unique<PicoDriver>(); };
    return i;
}

QString PicoDriver::simulatedLibraryPath(Family family)
{
    // The vendor's file name (libps5000a.so.2, the SONAME), or its unversioned symlink.
    const QStringList files{QStringLiteral("lib%1.so.2").arg(familyName(family)),
                            QStringLiteral("lib%1.so").arg(familyName(family))};
    // Next to an installed program first, so that it never picks up a build tree's copy.
    const QStringList dirs{QCoreApplication::applicationDirPath() + QStringLiteral("/../" BS_PICOSIM_INSTALL_SUBDIR),
                           QStringLiteral(BS_PICOSIM_BUILD_DIR)};
    for (const QString &dir : dirs) {
        for (const QString &file : files) {
            const QFileInfo f(QDir(dir).filePath(file));
            if (f.exists())
                return QDir::cleanPath(f.absoluteFilePath());
        }
    }
    return QDir::cleanPath(QDir(dirs.first()).filePath(files.first()));
}

PicoDriver::PicoDriver(QObject *parent)
    : Instrument(parent)
    , m_gate(new CallbackGate)
    , m_pollTimer(this)
{
    m_gate->driver = this;
    buildParameters();
    const QString unit = tr("Unit"), acq = tr("Acquisition");
    m_actions = {
        {QStringLiteral("single"), tr("Single"), acq, tr("One capture (block, rapid block) or one auto-stop stream")},
        {QStringLiteral("accept_usb_power"), tr("Continue on USB power"), unit,
         tr("ChangePowerSource: run without the DC supply; channels C and D are switched off"),
         QStringLiteral("power_choice")},
        {QStringLiteral("use_dc_power"), tr("DC supply connected"), unit,
         tr("ChangePowerSource: the DC supply is plugged in again; all channels available"),
         QStringLiteral("power_choice")},
        {QStringLiteral("flash_led"), tr("Flash LED"), unit, tr("Flash the unit's LED to find it on the bench")},
    };
    // Single shot, armed again only after a poll has run: a poll that takes longer than the
    // interval (a slow or sanitizer-instrumented machine) must never keep the timer due all the
    // time, or the events queued to this thread (Stop, close, settings) would starve behind it.
    m_pollTimer.setTimerType(Qt::PreciseTimer);
    m_pollTimer.setSingleShot(true);
    m_pollTimer.setInterval(1);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        pollStreaming();
        if (m_busy && m_activeMode == Mode::Streaming && !m_pollTimer.isActive())
            m_pollTimer.start();
    });
}

PicoDriver::~PicoDriver()
{
    {
        QMutexLocker lock(&m_gate->mutex);
        m_gate->driver = nullptr;
    }
    closeUnit();
}

void PicoDriver::buildParameters()
{
    const QString conn = tr("Connection"), unit = tr("Unit"), acq = tr("Acquisition"), trig = tr("Trigger"),
                  gen = tr("Signal generator");
    auto readOnly = [this](const QString &key, const QString &label, const QString &group) {
        auto &s = m_params.addString(key, label, QString(), group);
        s.readOnly = true;
        s.persistent = false;
    };
    m_params.addEnum(QStringLiteral("family"), tr("Driver family"), familyNames(), familyName(Family::Ps5000a), conn)
        .toolTip = tr("ps5000a: PicoScope 5000A/B/D (FlexRes); ps2000a: PicoScope 2000A/B");
    m_params.addString(QStringLiteral("library"), tr("Library"), QString(), conn).toolTip =
        tr("Path of the PicoSDK library (libps5000a.so.2 or libps5000a.so, ps5000a.dll); empty: %1")
            .arg(PicoApi::defaultLocations(Family::Ps5000a).join(QStringLiteral(", ")));
    readOnly(QStringLiteral("library_loaded"), tr("Loaded"), conn);

    readOnly(QStringLiteral("variant"), tr("Model"), unit);
    readOnly(QStringLiteral("serial"), tr("Serial"), unit);
    readOnly(QStringLiteral("calibration_date"), tr("Calibrated"), unit);
    readOnly(QStringLiteral("driver_version"), tr("Driver version"), unit);
    readOnly(QStringLiteral("power_source"), tr("Power"), unit);
    auto &choice = m_params.addBool(QStringLiteral("power_choice"), tr("Power choice pending"), false, unit);
    choice.readOnly = true;
    choice.persistent = false;
    choice.shown = false; // enables the two power buttons while the unit waits for the user

    m_params.addEnum(QStringLiteral("resolution"), tr("Resolution"), resolutionNames(), resolutionNames().at(0), acq)
        .onlyWhen(QStringLiteral("family"), {familyName(Family::Ps5000a)})
        .toolTip = tr("ps5000a FlexRes: 15 bit allows 2 channels, 16 bit 1 channel");
    m_params.addEnum(QStringLiteral("mode"), tr("Capture mode"),
                     {QStringLiteral("block"), QStringLiteral("rapid block"), QStringLiteral("streaming")},
                     QStringLiteral("block"), acq);
    m_params.addDouble(QStringLiteral("sample_interval"), tr("Sample interval"), 1e-6, 1e-9, 10, acq,
                       QStringLiteral("s"))
        .toolTip = tr("Requested; the nearest interval the unit offers is used and shown below");
    readOnly(QStringLiteral("actual_interval"), tr("Actual interval"), acq);
    const QStringList blockModes{QStringLiteral("block"), QStringLiteral("rapid block")};
    const QStringList streaming{QStringLiteral("streaming")};
    const QStringList downsampled{QStringLiteral("block"), QStringLiteral("streaming")}; // rapid block: none
    m_params.addInt(QStringLiteral("samples"), tr("Samples per capture"), 10000, 16, 200000000, acq)
        .onlyWhen(QStringLiteral("mode"), blockModes)
        .toolTip =
        tr("Block and rapid block: pre- plus post-trigger samples per channel");
    m_params.addDouble(QStringLiteral("pre_trigger"), tr("Pre-trigger"), 10, 0, 100, acq, QStringLiteral("%"))
        .onlyWhen(QStringLiteral("mode"), blockModes);
    m_params.addEnum(QStringLiteral("downsampling"), tr("Downsampling"), ratioModeNames(), ratioModeNames().at(0), acq)
        .onlyWhen(QStringLiteral("mode"), downsampled)
        .toolTip = tr("Block mode: aggregate delivers max and min per interval; decimate keeps every n-th; "
                      "average the mean");
    m_params.addInt(QStringLiteral("downsample_ratio"), tr("Downsampling ratio"), 1, 1, 1000000, acq)
        .onlyWhen(QStringLiteral("mode"), downsampled);
    m_params.addInt(QStringLiteral("captures"), tr("Captures (rapid block)"), 10, 1, 100000, acq)
        .onlyWhen(QStringLiteral("mode"), {QStringLiteral("rapid block")})
        .toolTip =
        tr("Rapid block: triggered captures per run, each in its own memory segment");
    m_params.addBool(QStringLiteral("repeat"), tr("Repeat captures until Stop"), true, acq)
        .onlyWhen(QStringLiteral("mode"), blockModes)
        .toolTip =
        tr("Block and rapid block: Run re-arms after each capture until Stop; off: Run takes one capture "
           "(rapid block: one run of 'Captures') and then ends by itself");
    m_params.addBool(QStringLiteral("stream_auto_stop"), tr("Auto-stop (streaming)"), false, acq)
        .onlyWhen(QStringLiteral("mode"), streaming)
        .toolTip =
        tr("Streaming: stop after 'Stream length' samples (with a trigger: after the trigger); "
           "otherwise continuous until Stop");
    m_params.addInt(QStringLiteral("stream_samples"), tr("Stream length"), 1000000, 1, 4000000000LL, acq)
        .onlyWhen(QStringLiteral("mode"), streaming);
    m_params.addInt(QStringLiteral("overview_buffer"), tr("Overview buffer"), 1000000, 1000, 100000000, acq)
        .onlyWhen(QStringLiteral("mode"), streaming)
        .toolTip =
        tr("Streaming: samples per channel in the driver's ring buffer (overviewBufferSize)");

    for (int ch = 0; ch < kAnalogueChannels; ++ch)
        buildChannelParameters(ch);

    m_params.addEnum(QStringLiteral("trigger"), tr("Trigger"),
                     {QStringLiteral("none"), QStringLiteral("edge"), QStringLiteral("edge with hysteresis"),
                      QStringLiteral("window")},
                     QStringLiteral("edge"), trig)
        .toolTip = tr("edge: SetSimpleTrigger; edge with hysteresis and window: the condition/direction/"
                      "property trigger functions");
    m_params.addEnum(QStringLiteral("trigger_source"), tr("Source"),
                     {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("D"),
                      QStringLiteral("EXT")},
                     QStringLiteral("A"), trig);
    m_params.addEnum(QStringLiteral("trigger_direction"), tr("Direction"), directionNames(), QStringLiteral("rising"),
                     trig)
        .toolTip = tr("Window trigger: rising = enter, falling = exit, above = inside, below = outside");
    m_params.addDouble(QStringLiteral("trigger_level"), tr("Level"), 0, -50, 50, trig, QStringLiteral("V"));
    m_params.addDouble(QStringLiteral("trigger_level2"), tr("Lower level (window)"), -0.5, -50, 50, trig,
                       QStringLiteral("V"))
        .onlyWhen(QStringLiteral("trigger"), {QStringLiteral("window")});
    m_params.addDouble(QStringLiteral("trigger_hysteresis"), tr("Hysteresis"), 0.02, 0, 50, trig, QStringLiteral("V"))
        .onlyWhen(QStringLiteral("trigger"), {QStringLiteral("edge with hysteresis"), QStringLiteral("window")});
    m_params.addInt(QStringLiteral("trigger_auto_ms"), tr("Auto trigger after"), 100, 0, 32767, trig,
                    QStringLiteral("ms"))
        .toolTip = tr("0: wait for the trigger for ever");
    m_params.addInt(QStringLiteral("trigger_delay"), tr("Delay"), 0, 0, 8388607, trig, QStringLiteral("samples"));

    m_params.addBool(QStringLiteral("siggen_enabled"), tr("Output on"), true, gen);
    m_params.addEnum(QStringLiteral("siggen_wave"), tr("Waveform"), waveTypeNames(Family::Ps5000a),
                     QStringLiteral("sine"), gen);
    m_params.addDouble(QStringLiteral("siggen_frequency"), tr("Frequency"), 1000, 0.03, 20e6, gen, QStringLiteral("Hz"));
    m_params.addDouble(QStringLiteral("siggen_amplitude"), tr("Amplitude (peak-peak)"), 2, 0, 4, gen,
                       QStringLiteral("V"));
    m_params.addDouble(QStringLiteral("siggen_offset"), tr("Offset"), 0, -2, 2, gen, QStringLiteral("V"));
}

void PicoDriver::buildChannelParameters(int ch)
{
    const QString group = tr("Channel %1").arg(channelLetter(ch));
    m_params.addBool(channelKey(ch, "enabled"), tr("Enabled"), ch < 2, group);
    m_params.addEnum(channelKey(ch, "coupling"), tr("Coupling"), {QStringLiteral("AC"), QStringLiteral("DC")},
                     QStringLiteral("DC"), group);
    m_params.addEnum(channelKey(ch, "range"), tr("Range"), rangeNames(0, kRangeCount - 2),
                     rangeName(ch == 0 ? 7 : 6), group)
        .toolTip = tr("± full scale of the input");
    m_params.addDouble(channelKey(ch, "offset"), tr("Analogue offset"), 0, -20, 20, group, QStringLiteral("V"))
        .toolTip = tr("Added to the input before digitising; limits depend on the range (±0.25 V up to ±200 mV, "
                      "±2.5 V up to ±2 V, ±20 V above)");
}

QString PicoDriver::channelKey(int channel, const char *what) const
{
    return QStringLiteral("%1_%2").arg(channelLetter(channel).toLower(), QLatin1String(what));
}

PicoDriver::Mode PicoDriver::mode() const
{
    const QString m = m_params.stringValue(QStringLiteral("mode"));
    if (m == QLatin1String("streaming"))
        return Mode::Streaming;
    return m == QLatin1String("rapid block") ? Mode::Rapid : Mode::Block;
}

bool PicoDriver::ok(PicoStatus st, const char *function)
{
    if (st == kOk)
        return true;
    if (isPowerStatus(st)) {
        handlePowerStatus(st);
        return false;
    }
    fail(tr("PicoScope %1: %2").arg(m_params.stringValue(QStringLiteral("serial")),
                                   describeStatus(m_api ? m_api->functionName(function) : QLatin1String(function), st)));
    return false;
}

void PicoDriver::open()
{
    if (m_handle > 0)
        closeUnit();
    setState(State::Connecting, tr("Loading the PicoScope library…"));
    const Family family = familyFromName(m_params.stringValue(QStringLiteral("family")));
    QString error;
    m_api = PicoApi::load(family, m_params.stringValue(QStringLiteral("library")), &error);
    if (!m_api) {
        fail(error);
        setState(State::Error, error);
        return;
    }
    updateParameter(QStringLiteral("library_loaded"), m_api->fileName());
    const int resolution = family == Family::Ps5000a
        ? std::max(0, resolutionEnumFromName(m_params.stringValue(QStringLiteral("resolution"))))
        : 0;
    const QString serial = address().trimmed();
    std::int16_t handle = 0;
    const PicoStatus st = m_api->openUnit(&handle, serial.toLatin1(), resolution);
    const bool opened = handle > 0 && (st == kOk || st == kPowerSupplyNotConnected || st == kUsb3OnUsb2Port);
    if (!opened) {
        const QString which = serial.isEmpty() ? tr("no PicoScope %1 unit was found").arg(familyName(family))
                                               : tr("unit %1 was not found").arg(serial);
        const QString text = st == kNotFound || (st == kOk && handle <= 0)
            ? tr("PicoScope: %1 (%2). Is it plugged in and not open in another program?").arg(which, m_api->fileName())
            : tr("PicoScope: %1").arg(describeStatus(m_api->functionName("OpenUnit"), st));
        fail(text);
        setState(State::Error, text);
        return;
    }
    m_handle = handle;
    m_capture = 0;
    m_usbPowered = false;
    setPendingPower(0);
    readIdentity();
    if (st != kOk)
        handlePowerStatus(st);
    else if (family == Family::Ps5000a && m_api->currentPowerSource(m_handle) == kPowerSupplyNotConnected)
        m_usbPowered = true; // accepted earlier in this process
    updateParameter(QStringLiteral("power_source"), m_pendingPower ? tr("USB only: choose below")
                                                  : m_usbPowered  ? tr("USB (channels C and D off)")
                                                                  : tr("DC supply / USB 3"));
    std::int16_t maxAdc = 0;
    if (ok(m_api->maximumValue(m_handle, &maxAdc), "MaximumValue") && maxAdc > 0)
        m_maxAdc = maxAdc;
    announceStream(0);
    setState(State::Connected, tr("%1 %2").arg(m_params.stringValue(QStringLiteral("variant")),
                                             m_params.stringValue(QStringLiteral("serial"))));
}

void PicoDriver::readIdentity()
{
    QString text;
    auto info = [&](std::uint32_t what, const QString &key) {
        if (m_api->unitInfo(m_handle, what, &text) == kOk)
            updateParameter(key, text);
        return text;
    };
    const QString variant = info(kInfoVariant, QStringLiteral("variant"));
    info(kInfoSerial, QStringLiteral("serial"));
    info(kInfoCalDate, QStringLiteral("calibration_date"));
    info(kInfoDriverVersion, QStringLiteral("driver_version"));
    m_unitChannels = channelCountFromVariant(variant);
    Q_EMIT message(tr("Opened PicoScope %1, serial %2, %3 channels (%4)")
                       .arg(variant, m_params.stringValue(QStringLiteral("serial")))
                       .arg(m_unitChannels)
                       .arg(m_api->fileName()));
}

void PicoDriver::handlePowerStatus(PicoStatus st)
{
    if (st == kPowerSupplyConnected) {
        // The supply was plugged in: accepting it only adds channels, so do it at once.
        if (m_api->changePowerSource(m_handle, kPowerSupplyConnected) == kOk) {
            m_usbPowered = false;
            updateParameter(QStringLiteral("power_source"), tr("DC supply"));
            Q_EMIT message(tr("DC power supply connected: channels C and D are available again."));
        }
        return;
    }
    if (m_busy || m_running)
        endAcquisition(End::Failure, tr("power source changed"));
    setPendingPower(st);
    QString text;
    if (st == kUsb3OnUsb2Port)
        text = tr("The PicoScope is plugged into a USB 2.0 port: capture speed may be limited. Choose "
                  "'Continue on USB power' to use it on this port.");
    else if (st == kPowerSupplyUnderVoltage)
        text = tr("USB cannot power the PicoScope: connect its DC supply, then choose 'DC supply connected'.");
    else
        text = tr("The PicoScope runs on USB power only: channels C and D are unavailable. Choose 'Continue "
                  "on USB power' (A and B only) or plug in the DC supply and choose 'DC supply connected'.");
    updateParameter(QStringLiteral("power_source"), tr("USB only: choose below"));
    fail(text);
}

void PicoDriver::acceptPower(PicoStatus state)
{
    if (m_handle <= 0) {
        fail(tr("PicoScope: not connected"));
        return;
    }
    const PicoStatus st = m_api->changePowerSource(m_handle, state);
    if (st != kOk) {
        fail(state == kPowerSupplyConnected && st == kPowerSupplyRequestInvalid
                 ? tr("PicoScope: the DC supply is not connected (%1). Plug it in and try again.")
                       .arg(statusName(st))
                 : tr("PicoScope: %1").arg(describeStatus(m_api->functionName("ChangePowerSource"), st)));
        return;
    }
    setPendingPower(0);
    m_usbPowered = state == kPowerSupplyNotConnected;
    updateParameter(QStringLiteral("power_source"),
                    m_usbPowered ? tr("USB (channels C and D off)") : tr("DC supply / USB 3"));
    Q_EMIT message(m_usbPowered ? tr("Running on USB power: channels C and D are off.")
                                : tr("Power source accepted: all channels available."));
}

void PicoDriver::setPendingPower(PicoStatus st)
{
    m_pendingPower = st;
    updateParameter(QStringLiteral("power_choice"), st != 0);
}

void PicoDriver::closeUnit()
{
    m_pollTimer.stop();
    if (m_api && m_handle > 0) {
        if (m_busy)
            m_api->stop(m_handle);
        m_api->closeUnit(m_handle);
    }
    m_handle = 0;
    m_busy = false;
    m_running = false;
    m_inputs.clear();
    if (m_pendingPower)
        setPendingPower(0);
}

void PicoDriver::close()
{
    stop(); // a capture in progress ends as by Stop (what the unit took is kept)
    closeUnit();
    setState(State::Disconnected);
}

void PicoDriver::invoke(const QString &action)
{
    if (action == QLatin1String("single")) {
        m_single = true;
        start();
    } else if (action == QLatin1String("accept_usb_power")) {
        acceptPower(m_pendingPower == kUsb3OnUsb2Port ? kUsb3OnUsb2Port : kPowerSupplyNotConnected);
    } else if (action == QLatin1String("use_dc_power")) {
        acceptPower(kPowerSupplyConnected);
    } else if (action == QLatin1String("flash_led")) {
        if (m_handle > 0)
            ok(m_api->flashLed(m_handle, 3), "FlashLed");
    } else {
        Instrument::invoke(action);
    }
}

QString PicoDriver::fastestIntervalProblem(double seconds) const
{
    const Family family = familyFromName(m_params.stringValue(QStringLiteral("family")));
    const int bits = family == Family::Ps5000a
        ? resolutionBits(resolutionEnumFromName(m_params.stringValue(QStringLiteral("resolution"))))
        : 8;
    int channels = 0;
    for (int ch = 0; ch < kAnalogueChannels; ++ch)
        channels += m_params.boolValue(channelKey(ch, "enabled")) ? 1 : 0;
    // The published timebase tables (protocols §8.1, §14.5): the fastest interval of the
    // family and resolution; on a ps5000a at 8 bit the 1 ns timebase takes one channel only.
    std::uint32_t fastestTb = 0;
    while (fastestTb < 8 && tableIntervalSeconds(family, bits, fastestTb) <= 0)
        ++fastestTb;
    if (family == Family::Ps5000a && bits == 8 && fastestTb == 0 && channels > 1)
        fastestTb = 1;
    const double fastest = tableIntervalSeconds(family, bits, fastestTb);
    if (fastest <= 0 || seconds >= fastest * (1 - 1e-9))
        return {};
    return tr("Sample interval: %1 is faster than the %2 the %3 offers with %4 channel(s) enabled%5")
        .arg(formatInterval(seconds), formatInterval(fastest), familyName(family))
        .arg(channels)
        .arg(family == Family::Ps5000a ? tr(" at %1 bit").arg(bits) : QString());
}

QString PicoDriver::applyParameter(const QString &key, const QVariant &value)
{
    if (key == QLatin1String("sample_interval"))
        if (const QString why = fastestIntervalProblem(value.toDouble()); !why.isEmpty())
            return why; // refused where it is typed, not at Run
    if (key == QLatin1String("family") || key == QLatin1String("library")) {
        if (m_handle > 0)
            Q_EMIT message(tr("The new library is used at the next Connect."));
        return {};
    }
    // Everything else is sent to the unit when an acquisition starts; a running one restarts.
    // (`repeat` is read after each capture: off, the capture in progress is the last.)
    if (m_running && m_handle > 0 && !key.startsWith(QLatin1String("stream_")) && key != QLatin1String("repeat")) {
        const bool single = m_single;
        endAcquisition();
        m_single = single;
        QMetaObject::invokeMethod(this, &PicoDriver::start, Qt::QueuedConnection);
    }
    return {};
}

void PicoDriver::start()
{
    const bool single = std::exchange(m_single, false);
    if (m_handle <= 0) {
        fail(tr("PicoScope: not connected"));
        return;
    }
    if (powerDecisionPending()) {
        handlePowerStatus(m_pendingPower);
        return;
    }
    if (m_busy)
        endAcquisition();
    if (const QString why = fastestIntervalProblem(m_params.doubleValue(QStringLiteral("sample_interval")));
        !why.isEmpty()) { // e.g. a channel enabled after the interval was typed
        updateParameter(QStringLiteral("actual_interval"), tr("none (not started)"));
        fail(tr("PicoScope: not started: %1").arg(why));
        return;
    }
    if (!configure()) {
        // What was shown belongs to an earlier run; this one has none.
        updateParameter(QStringLiteral("actual_interval"), tr("none (not started)"));
        return;
    }
    m_running = true;
    m_single = single;
    m_index = 0;
    m_overflowEvents = 0;
    m_activeMode = mode();
    m_runStart = -1;
    const bool started = m_activeMode == Mode::Streaming ? runStreaming() : runBlock();
    if (!started) {
        m_running = false;
        updateParameter(QStringLiteral("actual_interval"), tr("none (not started)"));
        return;
    }
    setState(State::Running);
}

void PicoDriver::stop()
{
    if (!m_running && !m_busy)
        return;
    if (m_busy && m_activeMode == Mode::Rapid) {
        // Keep the captures that completed before Stop (GetNoOfCaptures, §10.2 step 5).
        m_api->stop(m_handle);
        std::uint32_t completed = 0;
        // (All of them: the run ended just before Stop, its BlockReady is still queued.)
        if (m_api->noOfCaptures(m_handle, &completed) == kOk && completed > 0 && completed <= m_captures) {
            const std::uint32_t all = m_captures;
            m_captures = completed;
            m_readyAt = SessionClock::now();
            readRapid();
            m_captures = all;
            Q_EMIT message(tr("Stopped: %1 of %2 captures kept").arg(completed).arg(all));
            // Cut short by Stop: nothing the unit captured was lost, so it is not a loss (the
            // reason says how many of the captures asked for were taken).
            if (completed < all)
                closeCapture(tr("stopped after %1 of %2 captures").arg(completed).arg(all), true);
        }
    }
    endAcquisition();
}

void PicoDriver::endAcquisition(End how, const QString &detail)
{
    m_pollTimer.stop();
    if (m_busy && m_api && m_handle > 0) {
        if (m_activeMode == Mode::Streaming)
            drainStreaming(); // what the unit sampled before Stop is kept
        m_api->stop(m_handle);
    }
    m_busy = false;
    m_running = false;
    m_single = false;
    if (m_captureOpen) {
        QString reason = detail;
        if (reason.isEmpty())
            reason = how == End::ByItself ? tr("complete")
                : m_captureSegments == 0  ? tr("stopped before a capture completed")
                                          : tr("stopped");
        closeCapture(reason, how != End::Failure && m_captureLost == 0);
    }
    if (m_handle > 0)
        setState(how == End::ByItself ? State::Finished : State::Connected, detail);
}

void PicoDriver::openCapture(double time)
{
    m_captureOpen = true;
    m_captureSamples = 0;
    m_captureSegments = 0;
    m_captureLost = 0;
    m_captureEnd = time;
    const QString modeName = m_activeMode == Mode::Streaming ? QStringLiteral("streaming")
        : m_activeMode == Mode::Rapid                        ? QStringLiteral("rapid block")
                                                             : QStringLiteral("block");
    captureStarted(QStringLiteral("scope"), time,
                   QJsonObject{{QStringLiteral("capture"), ++m_capture}, {QStringLiteral("mode"), modeName}});
}

void PicoDriver::closeCapture(const QString &reason, bool complete)
{
    if (!m_captureOpen)
        return;
    m_captureOpen = false;
    QJsonObject details{{QStringLiteral("capture"), m_capture}, {QStringLiteral("samples"), double(m_captureSamples)}};
    if (m_activeMode == Mode::Rapid) {
        details.insert(QStringLiteral("segments"), double(m_captureSegments));
        details.insert(QStringLiteral("segments_requested"), double(m_captures));
    }
    if (m_captureLost > 0)
        details.insert(QStringLiteral("lost"), double(m_captureLost));
    captureEnded(QStringLiteral("scope"), m_captureEnd, reason, complete, details);
}

} // namespace bs::picoscope
