// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200SimulatorModel.h"

#include <QString>

#include <algorithm>
#include <cmath>

namespace bs::nv200 {
namespace {

constexpr double kTickS = double(Nv200SimulatorModel::kTickNs) * 1e-9;
constexpr double kAmpTauS = 0.2e-3; // amplifier output (voltage) time constant
constexpr double kMechTauS = 1.5e-3; // actuator (position behind voltage) time constant
constexpr double kOpenLoopStroke = 1.2; // full voltage range moves 1.2 × the closed-loop range
constexpr double kSlewOff = 2000.0; // %/ms; this value (or more) disables the slew limit
constexpr double kSettleEps = 1e-9;

const double kAmpAlpha = 1.0 - std::exp(-kTickS / kAmpTauS);
const double kMechAlpha = 1.0 - std::exp(-kTickS / kMechTauS);

quint64 splitMix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace

Nv200SimActuator actuatorByName(const QString &name)
{
    Nv200SimActuator a;
    a.unitCl = QByteArray("\xB5m");
    const QString upper = name.trimmed().toUpper();
    if (upper == QLatin1String("PSH20")) {
        a.desc = "PSH20";
        a.posMax = 20;
        a.serial = 20417;
        a.capacitanceF = 1.8e-6;
    } else if (upper == QLatin1String("TT2")) {
        a.desc = "TT2";
        a.unitCl = "mrad";
        a.posMax = 2;
        a.sensor = 2;
        a.serial = 31002;
        a.capacitanceF = 0.9e-6;
    } else {
        a.desc = upper.isEmpty() ? QByteArray("TRITOR100SG") : upper.toLatin1();
        a.serial = 123456;
    }
    return a;
}

Nv200SimulatorModel::Nv200SimulatorModel(const Nv200SimActuator &actuator)
    : m_act(actuator)
{
    reset();
}

void Nv200SimulatorModel::reset()
{
    m_cl = false;
    m_modSrc = 0;
    m_set = 0;
    m_slew = kSlewOff;
    m_volt = m_prevVolt = 0;
    m_pos = olPosition(0);
    m_ramped = m_pos;
    m_rampTicks = m_rampDone = 0;
    m_lowPassOn = m_notchOn = false;
    m_awg = Awg {};
    m_rec = Recorder {};
    for (auto &d : m_rec.data)
        d.assign(kRecorderSize, 0.0);
}

double Nv200SimulatorModel::olPosition(double volts) const
{
    return m_act.posMin
        + (volts - kAvMin) / (kAvMax - kAvMin) * kOpenLoopStroke * (m_act.posMax - m_act.posMin);
}

double Nv200SimulatorModel::olVolts(double pos) const
{
    return kAvMin
        + (pos - m_act.posMin) / (kOpenLoopStroke * (m_act.posMax - m_act.posMin)) * (kAvMax - kAvMin);
}

double Nv200SimulatorModel::noise(quint64 salt, double amplitude) const
{
    const quint64 h = splitMix(quint64(m_tick) * 4 + salt);
    return amplitude * (double(h >> 11) * 0x1.0p-53 * 2.0 - 1.0);
}

void Nv200SimulatorModel::setClosedLoop(bool on)
{
    if (on == m_cl)
        return;
    // Bumpless: keep the demanded position, expressed in the new mode's unit.
    const double pos = m_cl ? m_set : olPosition(m_set);
    m_cl = on;
    m_set = std::clamp(toLoopUnits(pos), setMin(), setMax());
    m_rampTicks = m_rampDone = 0;
}

void Nv200SimulatorModel::setSetpoint(double value)
{
    m_rampTicks = m_rampDone = 0;
    m_set = value;
    if (m_rec.state == RecState::Armed && m_rec.autoStart == 1)
        startRecording();
}

void Nv200SimulatorModel::setSetpointSmooth(double value, double ms)
{
    const qint64 ticks = std::llround(std::max(0.0, ms) * 1e-3 / kTickS);
    if (ticks <= 0) {
        setSetpoint(value);
        return;
    }
    m_rampFrom = m_set;
    m_rampTo = value;
    m_rampTicks = ticks;
    m_rampDone = 0;
    if (m_rec.state == RecState::Armed && m_rec.autoStart == 1)
        startRecording();
}

void Nv200SimulatorModel::setAwgRunning(bool run)
{
    if (!run) {
        m_awg.running = false;
        return;
    }
    m_awg.running = true;
    m_awg.index = m_awg.offset;
    m_awg.cyclesDone = 0;
    m_awg.ticksToNext = 0; // first sample on the next tick
    if (m_rec.state == RecState::Armed && m_rec.autoStart == 2)
        startRecording();
}

void Nv200SimulatorModel::setRecorderRunning(bool run)
{
    if (run) {
        if (m_rec.autoStart == 0)
            startRecording();
        else
            m_rec.state = RecState::Armed;
    } else if (m_rec.state == RecState::Armed) {
        m_rec.state = RecState::Idle;
    } else if (m_rec.state == RecState::Recording) {
        m_rec.state = RecState::Done;
    }
}

void Nv200SimulatorModel::startRecording()
{
    m_rec.state = RecState::Recording;
    m_rec.runStride = std::max(1, m_rec.stride);
    m_rec.runLength = std::clamp(m_rec.length, 0, kRecorderSize);
    m_rec.ticksRecorded = 0;
    m_rec.samples = 0;
    for (auto &d : m_rec.data)
        std::fill(d.begin(), d.end(), 0.0);
}

int Nv200SimulatorModel::recorderIndex() const
{
    if (m_rec.runLength == 0)
        return int(m_rec.samples % kRecorderSize);
    return int(m_rec.samples);
}

int Nv200SimulatorModel::readoutLength() const
{
    return m_rec.length == 0 ? kRecorderSize : std::min(m_rec.length, kRecorderSize);
}

double Nv200SimulatorModel::recorded(int ch, int i) const
{
    if (ch < 0 || ch > 1 || i < 0 || i >= kRecorderSize)
        return 0.0;
    qint64 idx = i;
    if (m_rec.runLength == 0 && m_rec.samples > kRecorderSize)
        idx = (m_rec.samples + i) % kRecorderSize; // ring: oldest first
    return m_rec.data[size_t(ch)][size_t(idx)];
}

double Nv200SimulatorModel::measured() const
{
    if (m_act.sensor == 0)
        return m_volt + noise(1, 0.002);
    const double n = noise(0, 0.003 * (m_act.posMax - m_act.posMin) / 100.0);
    return toLoopUnits(m_pos + n);
}

double Nv200SimulatorModel::current(int channel) const
{
    const double i1 = m_act.capacitanceF * (m_volt - m_prevVolt) / kTickS;
    return channel == 0 ? i1 : 0.98 * i1; // channel 2: the other amplifier half, 2 % mismatch
}

double Nv200SimulatorModel::temperature() const
{
    const double minutes = double(m_tick) * kTickS / 60.0;
    return 34.2 + 0.4 * std::sin(minutes * 2.0 * M_PI / 10.0) + noise(2, 0.02);
}

double Nv200SimulatorModel::sourceValue(int src) const
{
    switch (src) {
    case 0: return measured();
    case 1: return m_set;
    case 2: return m_volt + noise(1, 0.002);
    case 3: return m_set - measured();
    case 4: return std::abs(m_set - measured());
    case 5: return m_pos + noise(0, 0.003 * (m_act.posMax - m_act.posMin) / 100.0);
    case 6: return current(0);
    case 7: return current(1);
    default: return 0.0;
    }
}

int Nv200SimulatorModel::status() const
{
    int s = 1; // actuator connected
    s |= (std::min(m_act.sensor, 3) & 3) << 1;
    if (m_cl)
        s |= 1 << 3;
    if (m_lowPassOn)
        s |= 1 << 4;
    if (m_notchOn)
        s |= 1 << 5;
    const double vDemand = olVolts(m_ramped);
    if (vDemand <= kAvMin + 1e-9)
        s |= 1 << 14;
    if (vDemand >= kAvMax - 1e-9)
        s |= 1 << 15;
    return s;
}

bool Nv200SimulatorModel::settled() const
{
    if (m_awg.running || m_rec.state == RecState::Recording || m_rampTicks > 0)
        return false;
    const double demand = m_cl ? m_set : olPosition(m_set);
    const double v = std::clamp(olVolts(demand), kAvMin, kAvMax);
    return std::abs(m_ramped - demand) < kSettleEps && std::abs(m_volt - v) < kSettleEps
        && std::abs(m_prevVolt - v) < kSettleEps && std::abs(m_pos - olPosition(v)) < kSettleEps;
}

bool Nv200SimulatorModel::isActive() const
{
    return !settled();
}

void Nv200SimulatorModel::advanceTo(qint64 tick)
{
    while (m_tick < tick) {
        if (settled()) {
            // Nothing changes any more: snap to the exact end state and skip the idle time.
            const double demand = m_cl ? m_set : olPosition(m_set);
            m_ramped = demand;
            m_volt = m_prevVolt = std::clamp(olVolts(demand), kAvMin, kAvMax);
            m_pos = olPosition(m_volt);
            m_tick = tick;
            return;
        }
        step();
    }
}

void Nv200SimulatorModel::awgTick()
{
    if (--m_awg.ticksToNext > 0)
        return;
    m_awg.ticksToNext = std::max(1, m_awg.factor);
    if (m_awg.cyclesDone < 0) { // the last sample of the last cycle has been held for its period
        m_awg.running = false;
        return;
    }
    const int idx = std::clamp(m_awg.index, 0, kAwgSize - 1);
    if (m_modSrc == 3)
        m_set = percentToUnits(m_awg.buffer[size_t(idx)]);
    if (idx == m_awg.end) {
        ++m_awg.cyclesDone;
        if (m_awg.cycles != 0 && m_awg.cyclesDone >= m_awg.cycles)
            m_awg.cyclesDone = -1; // stop when this sample's period is over
        else
            m_awg.index = m_awg.start;
    } else {
        m_awg.index = (idx + 1) % kAwgSize;
    }
}

void Nv200SimulatorModel::step()
{
    ++m_tick;
    if (m_awg.running)
        awgTick();
    if (m_rampTicks > 0) {
        ++m_rampDone;
        m_set = m_rampFrom + (m_rampTo - m_rampFrom) * double(m_rampDone) / double(m_rampTicks);
        if (m_rampDone >= m_rampTicks)
            m_rampTicks = m_rampDone = 0;
    }

    // The recorder samples the state at the start of the tick, after this tick's inputs (set,
    // AWG): sample 0 of a recording triggered by `set` or `grun` shows the new setpoint and the
    // position still at its old value.
    if (m_rec.state == RecState::Recording) {
        const qint64 n = m_rec.ticksRecorded++;
        if (n % m_rec.runStride == 0) {
            const size_t slot = size_t(m_rec.samples % kRecorderSize);
            for (int ch = 0; ch < 2; ++ch)
                m_rec.data[size_t(ch)][slot] = sourceValue(m_rec.source[size_t(ch)]);
            ++m_rec.samples;
        }
        if (m_rec.runLength > 0 && m_rec.ticksRecorded >= qint64(m_rec.runLength) * m_rec.runStride)
            m_rec.state = RecState::Done;
    }

    // Demand (closed-loop unit), slew-limited, then amplifier and mechanics as first-order lags.
    const double demand = m_cl ? m_set : olPosition(m_set);
    if (m_slew >= kSlewOff) {
        m_ramped = demand;
    } else {
        const double range = (m_act.posMax - m_act.posMin) * (m_cl ? 1.0 : kOpenLoopStroke);
        const double maxStep = m_slew / 100.0 * range * (kTickS * 1e3);
        m_ramped += std::clamp(demand - m_ramped, -maxStep, maxStep);
    }
    const double vDemand = std::clamp(olVolts(m_ramped), kAvMin, kAvMax);
    m_prevVolt = m_volt;
    m_volt += kAmpAlpha * (vDemand - m_volt);
    m_pos += kMechAlpha * (olPosition(m_volt) - m_pos);
}

} // namespace bs::nv200
