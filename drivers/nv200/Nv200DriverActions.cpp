// SPDX-License-Identifier: GPL-3.0-or-later
// The actions that move the actuator: a setpoint step and the arbitrary waveform generator.
#include "Nv200Driver.h"

#include "Nv200Protocol.h"

#include <cmath>

namespace bs::nv200 {

void Nv200Driver::noteTrigger(int mode, double sentAt)
{
    if (m_rec.armed && m_rec.mode == mode && m_rec.t0 < 0)
        recordingStarted(sentAt); // the recording armed with this autostart starts with this command
}

void Nv200Driver::step(std::function<void()> then, std::function<void()> failed)
{
    if (!requireReady()) {
        if (failed)
            failed();
        return;
    }
    const bool cl = m_params.boolValue(QStringLiteral("closed_loop"));
    const double target = m_params.doubleValue(QStringLiteral("step_to"));
    run({{QStringLiteral("cl,%1").arg(cl ? 1 : 0), Link::Kind::Setter,
          [this, cl](const Result &) {
              m_closedLoop = cl;
              updateParameter(QStringLiteral("setpoint_unit"), positionUnit());
              return true;
          }},
         {QStringLiteral("modsrc,0"), Link::Kind::Setter, [this](const Result &) {
              m_awgRunning = false;
              return true;
          }},
         {QStringLiteral("set,") + formatNumber(target), Link::Kind::Setter,
          [this, target](const Result &r) {
              noteTrigger(1, r.sentAt);
              updateParameter(QStringLiteral("setpoint"), target);
              return true;
          }}},
        std::move(then), std::move(failed));
}

void Nv200Driver::waveformStart(std::function<void()> then, std::function<void()> failed)
{
    if (!requireReady()) {
        if (failed)
            failed();
        return;
    }
    const int shape = int(waveShapeNames().indexOf(m_params.stringValue(QStringLiteral("waveform_shape"))));
    QString error;
    const auto table = waveformTable(WaveShape(std::max(0, shape)), m_params.doubleValue(QStringLiteral("waveform_frequency")),
                                     m_params.doubleValue(QStringLiteral("waveform_amplitude")),
                                     m_params.doubleValue(QStringLiteral("waveform_offset")), &error);
    if (!table) {
        fail(tr("NV200 waveform: %1").arg(error));
        if (failed)
            failed();
        return;
    }
    const bool cl = m_params.boolValue(QStringLiteral("closed_loop"));
    const int n = int(table->percent.size());
    std::vector<Step> steps;
    steps.reserve(std::size_t(n) + 10);
    steps.push_back({QStringLiteral("cl,%1").arg(cl ? 1 : 0), Link::Kind::Setter, [this, cl](const Result &) {
                         m_closedLoop = cl;
                         updateParameter(QStringLiteral("setpoint_unit"), positionUnit());
                         return true;
                     }});
    for (int i = 0; i < n; ++i) {
        const double pct = std::round(table->percent[std::size_t(i)] * 1000) / 1000;
        steps.push_back({QStringLiteral("gbarb,%1,%2").arg(i).arg(formatNumber(pct)), Link::Kind::Setter,
                         i % 128 == 127 ? std::function<bool(const Result &)>([this, i, n](const Result &) {
                             Q_EMIT progress(double(i + 1) / n, tr("Uploading the waveform…"));
                             return true;
                         })
                                        : std::function<bool(const Result &)>()});
    }
    for (const QString &c : {QStringLiteral("gtarb,%1").arg(table->factor), QStringLiteral("goarb,0"),
                             QStringLiteral("gsarb,0"), QStringLiteral("gearb,%1").arg(n - 1),
                             QStringLiteral("gcarb,%1").arg(m_params.intValue(QStringLiteral("waveform_cycles"))),
                             QStringLiteral("modsrc,3")})
        steps.push_back({c, Link::Kind::Setter, {}});
    const double freq = table->frequency();
    steps.push_back({QStringLiteral("grun,1"), Link::Kind::Setter, [this, freq, n, factor = table->factor](const Result &r) {
                         m_awgRunning = true;
                         noteTrigger(2, r.sentAt);
                         Q_EMIT progress(1, tr("Waveform running"));
                         Q_EMIT message(tr("Waveform generator started: %1 Hz, %2 samples × %3 µs")
                                            .arg(freq, 0, 'g', 6)
                                            .arg(n)
                                            .arg(factor * 50));
                         return true;
                     }});
    Q_EMIT progress(0, tr("Uploading the waveform…"));
    run(std::move(steps), std::move(then), std::move(failed));
}

void Nv200Driver::waveformStop()
{
    if (!requireReady())
        return;
    run({{QStringLiteral("grun,0"), Link::Kind::Setter, [this](const Result &) {
              m_awgRunning = false;
              return true;
          }}});
}

} // namespace bs::nv200
