// SPDX-License-Identifier: GPL-3.0-or-later
// PandaDriver: Run / Stop, the capture settings, ARM and DISARM, and captures armed by another
// client (joined read-only, never disarmed unless asked).
#include "PandaDriver.h"

#include "SessionClock.h"

#include <cmath>

namespace bs::panda {

namespace {
const QString kClockTrigger = QStringLiteral("CLOCK1.OUT");
}

QString PandaDriver::applyParameter(const QString &key, const QVariant &value)
{
    if (!m_control.isConnected())
        return {};
    if (key == QLatin1String("data_port") || key == QLatin1String("process")) {
        if (m_running || m_inCapture)
            return tr("%1 cannot change while a capture is running").arg(key);
        // Reconnect the data port with the new option line once the value is stored.
        QMetaObject::invokeMethod(this, [this] {
            if (state() == State::Connected || state() == State::Finished) {
                setState(State::Connecting, peerText());
                connectData();
            }
        }, Qt::QueuedConnection);
        return {};
    }
    if (key == QLatin1String("capture_fields")) {
        QVector<CaptureRequest> list;
        QString error;
        if (!parseCaptureList(value.toString(), &list, &error))
            return error;
        for (const auto &c : std::as_const(list)) {
            const QString name = m_device.deviceName(c.field);
            if (const QString why = m_device.check(name.isEmpty() ? c.field : name, c.options); !why.isEmpty())
                return why;
        }
        return {};
    }
    if (key == QLatin1String("clock_period")) {
        if (m_running)
            return tr("the CLOCK1 period cannot change during a capture (the row times depend on it)");
        // Written now only when nothing runs on the PandA; otherwise at the next Run.
        if (!m_other && !m_armInProgress && !m_inCapture)
            writeClockPeriod(value.toDouble(), {});
    }
    return {};
}

void PandaDriver::writeClockPeriod(double seconds, const std::function<void(double)> &done)
{
    // A bare number is read in whatever CLOCK1.PERIOD.UNITS holds: say seconds first.
    m_control.assign(QStringLiteral("CLOCK1.PERIOD.UNITS"), QStringLiteral("s"), [this](const ControlReply &r) {
        if (r.isError())
            refuse(tr("PandA refused CLOCK1.PERIOD.UNITS=s: %1").arg(r.value));
    });
    m_control.assign(QStringLiteral("CLOCK1.PERIOD"), QString::number(seconds, 'g', 12), [this](const ControlReply &r) {
        if (r.isError())
            refuse(tr("PandA refused CLOCK1.PERIOD: %1").arg(r.value));
    });
    // The FPGA counts 8 ns ticks: the period it uses is the one it reads back.
    m_control.query(QStringLiteral("CLOCK1.PERIOD"), [this, seconds, done](const ControlReply &r) {
        bool ok = false;
        const double actual = r.isError() ? 0 : r.value.toDouble(&ok);
        // The PandA rounds to whole 8 ns ticks: what it reads back is within one tick of what was
        // written, or at worst a factor 2 for the shortest periods. Anything else (negative, inf,
        // 1e300, another value) is out of range: the row period is then unknown, not guessed.
        const bool inRange = ok && std::isfinite(actual) && actual >= 0
            && (std::abs(actual - seconds) <= 8e-9 || (actual >= seconds / 2 && actual <= seconds * 2));
        if (!inRange) {
            fail(tr("PandA %1: CLOCK1.PERIOD? answered '%2' after %3 s was written (out of range); the row "
                    "period is unknown").arg(peerText(), r.value).arg(seconds, 0, 'g', 12));
            if (done)
                done(0);
            return;
        }
        updateParameter(QStringLiteral("clock_period_actual"), actual);
        if (std::abs(actual - seconds) > 1e-9 * std::max(seconds, 1e-9))
            Q_EMIT message(tr("CLOCK1 period: asked %1 s, the PandA runs %2 s (whole 8 ns ticks)")
                               .arg(seconds, 0, 'g', 12)
                               .arg(actual, 0, 'g', 12));
        if (done)
            done(actual);
    });
}

void PandaDriver::start()
{
    arm();
}

void PandaDriver::stop()
{
    if (m_armInProgress) {
        m_stopAfterArm = true; // disarm only once the ARM turns out to be ours
        return;
    }
    if (m_running) {
        m_userStopped = true;
        disarm();
    } else if (m_other)
        stopFollowingOther();
}

void PandaDriver::arm()
{
    if (m_other) {
        if (!m_followOther) {
            m_followOther = true;
            setState(State::Running, tr("recording a capture armed by another client (read-only)"));
        }
        Q_EMIT message(tr("PandA %1 is capturing for another client: recording its rows read-only; nothing was "
                          "written or armed").arg(peerText()));
        return;
    }
    if ((state() != State::Connected && state() != State::Finished) || m_armInProgress) {
        fail(state() == State::Running || m_armInProgress ? tr("PandA %1 is already capturing").arg(peerText())
                                                          : tr("PandA %1 is not connected").arg(peerText()));
        return;
    }
    // Nothing is written before the PandA says it is idle: a capture another client armed keeps
    // its settings.
    m_armInProgress = true;
    m_stopAfterArm = false;
    m_control.query(QStringLiteral("*PCAP.STATUS"), [this](const ControlReply &r) {
        if (!m_armInProgress)
            return; // connection lost or closed meanwhile
        if (r.isError()) {
            m_armInProgress = false;
            fail(tr("PandA %1 did not report its capture state (*PCAP.STATUS?: %2); not armed").arg(peerText(), r.value));
            releaseHeldEvents();
            return;
        }
        updateParameter(QStringLiteral("pcap_status"), r.value);
        if (r.value.startsWith(QLatin1String("Busy"))) {
            m_armInProgress = false;
            joinOtherCapture(tr("PandA %1 is already armed by another client").arg(peerText()));
            releaseHeldEvents();
            return;
        }
        armWhenIdle();
    });
}

void PandaDriver::armWhenIdle()
{
    auto request = std::make_shared<ArmRequest>();
    request->rowLimit = quint64(m_params.intValue(QStringLiteral("rows")));
    sendCaptureSetup(request);
    m_control.send("*PCAP.ARM=", [this, request](const ControlReply &r) { onArmReply(r, request); });
}

void PandaDriver::sendCaptureSetup(const std::shared_ptr<ArmRequest> &request)
{
    auto report = [this](const QString &what) {
        return [this, what](const ControlReply &r) {
            if (r.isError())
                refuse(tr("PandA refused %1: %2").arg(what, r.value));
        };
    };
    auto capture = [&](const QString &standard, const QString &options) {
        const QString name = m_device.deviceName(standard);
        if (name.isEmpty()) {
            refuse(tr("%1 is not on the FPGA of PandA %2; it is not captured").arg(standard, peerText()));
            return;
        }
        if (const QString why = m_device.check(name, options); !why.isEmpty()) {
            refuse(tr("PandA %1: %2; not captured").arg(peerText(), why));
            return;
        }
        m_control.assign(name + QStringLiteral(".CAPTURE"), options, report(name + QStringLiteral(".CAPTURE=") + options));
    };
    m_control.send("*CAPTURE=", report(QStringLiteral("*CAPTURE=")));
    for (const auto &f : captureFields()) {
        const QString v = m_params.stringValue(captureKey(f.name));
        if (v != QLatin1String("No"))
            capture(QLatin1String(f.name), v);
    }
    QVector<CaptureRequest> more;
    QString error;
    if (!parseCaptureList(m_params.stringValue(QStringLiteral("capture_fields")), &more, &error))
        refuse(tr("Other capture fields: %1").arg(error));
    for (const auto &c : std::as_const(more))
        capture(c.field, c.options);

    const QString trigField = m_device.deviceName(QStringLiteral("PCAP.TRIG"));
    const QString trig = m_params.stringValue(QStringLiteral("trigger_source")).trimmed();
    if (trigField.isEmpty()) {
        refuse(tr("PandA %1 has neither PCAP.TRIG nor PCAP.CAPTURE; the trigger is left as it is").arg(peerText()));
    } else if (!trig.isEmpty()) {
        m_control.assign(trigField, trig, report(trigField + QLatin1Char('=') + trig));
        request->clockTriggers = trig == kClockTrigger;
    } else {
        // Left as it is on the PandA: read it, the time base depends on it.
        m_control.query(trigField, [request](const ControlReply &r) {
            request->clockTriggers = !r.isError() && r.value == kClockTrigger;
        });
    }
    writeClockPeriod(m_params.doubleValue(QStringLiteral("clock_period")),
                     [request](double actual) { request->clockPeriod = actual; });
}

void PandaDriver::onArmReply(const ControlReply &r, const std::shared_ptr<ArmRequest> &request)
{
    if (!m_armInProgress)
        return; // connection lost or closed meanwhile
    m_armInProgress = false;
    if (r.isError()) {
        // Nothing of ours has changed: the index, row limit and period of a capture being
        // recorded stay as they are.
        fail(tr("PandA %1 refused to arm: %2").arg(peerText(), r.value));
        if (r.value.contains(QLatin1String("already in progress")))
            joinOtherCapture(tr("another client armed PandA %1 just before this program").arg(peerText()));
        releaseHeldEvents();
        return;
    }
    m_active = *request;
    m_userStopped = false;
    m_rowIndexTime = false;
    m_streamIndex = 0;
    followSessionClock();
    m_armSessionTime = SessionClock::now();
    m_limitReached = false;
    setRunning(true);
    releaseHeldEvents();
    if (m_stopAfterArm) {
        m_stopAfterArm = false;
        disarm();
    }
}

void PandaDriver::releaseHeldEvents()
{
    auto held = std::move(m_held);
    m_held.clear();
    for (auto &ev : held)
        processEvent(ev);
    flushFrames();
}

void PandaDriver::disarm()
{
    if (!m_control.isConnected())
        return;
    if (!m_running) {
        if (m_other)
            Q_EMIT message(tr("The running capture was armed by another client and is left armed; use "
                              "'Disarm (capture armed by another client)' to stop it"));
        return;
    }
    m_control.send("*PCAP.DISARM=", [this](const ControlReply &r) {
        if (r.isError())
            fail(tr("PandA refused to disarm: %1").arg(r.value));
        // The data port's END line finishes the capture (setRunning(false) in endCapture).
        if (!m_inCapture && m_held.empty())
            setRunning(false);
    });
}

void PandaDriver::disarmOther()
{
    if (!m_control.isConnected()) {
        fail(tr("PandA %1 is not connected").arg(peerText()));
        return;
    }
    m_control.send("*PCAP.DISARM=", [this](const ControlReply &r) {
        if (r.isError())
            fail(tr("PandA refused to disarm: %1").arg(r.value));
        else
            Q_EMIT message(tr("Disarmed PandA %1 on request (including a capture armed by another client)").arg(peerText()));
    });
}

void PandaDriver::joinOtherCapture(const QString &why)
{
    const bool already = m_other;
    m_other = true;
    m_followOther = true;
    if (!already) {
        Q_EMIT message(tr("%1: recording its rows read-only. Stop does not disarm it; the action "
                          "'Disarm (capture armed by another client)' does.").arg(why));
        // Our settings (fields, trigger, clock, row limit) were not applied to this capture.
        warn(tr("%1: recording that capture as it runs, with its own fields, trigger and clock (not the "
                "settings here); its rows are placed on this session's time from their timestamps. Stop "
                "does not disarm it").arg(why));
    }
    if (state() == State::Connected || state() == State::Finished)
        setState(State::Running, tr("recording a capture armed by another client (read-only)"));
}

void PandaDriver::stopFollowingOther()
{
    flushFrames();
    if (m_inCapture && m_followOther && !m_captureIsOurs)
        publishEndMarker(false, 0);
    m_followOther = false;
    Q_EMIT message(tr("Stopped recording; the capture armed by another client is still running on PandA %1")
                       .arg(peerText()));
    if (state() == State::Running)
        setState(State::Connected, tr("capture armed by another client still running (not recorded)"));
}

void PandaDriver::refuse(const QString &text)
{
    fail(text);
    warn(text);
}

void PandaDriver::setRunning(bool running)
{
    m_running = running;
    if (running && (state() == State::Connected || state() == State::Finished))
        setState(State::Running, peerText());
    else if (!running && state() == State::Running) // a Finished capture stays Finished
        setState(State::Connected, peerText());
}

} // namespace bs::panda
