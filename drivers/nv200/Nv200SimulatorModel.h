// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The simulated NV200/D amplifier with its actuator, arbitrary waveform generator (AWG) and
// two-channel data recorder (docs/protocols/nv200.md, Data recorder). Pure state machine, no I/O and no
// clock of its own: the owner advances it to "now" in whole 50 µs control ticks (advanceTo), so a
// recording, a step response or an AWG period is exact in simulated time and reproducible.
//
// Units: the actuator position is kept in the closed-loop unit (µm or mrad). In open loop the
// setpoint and every "position" the device reports are in volts (position expressed as the voltage
// that produces it), as the spec says for `set`, `meas` and recorder sources 0/1.
//
// Not thread-safe: used on the simulator's thread only.

#include <QByteArray>
#include <QtGlobal>

#include <array>
#include <vector>

namespace bs::nv200 {

/// Fixed data of one actuator type (the simulator knows a few, see actuatorByName).
struct Nv200SimActuator
{
    QByteArray desc; // `desc`, without padding
    QByteArray unitCl; // latin-1, e.g. "\xB5m"
    double posMin = 0, posMax = 100; // closed-loop range
    int sensor = 1; // `acmeasure`: 0 none, 1 strain gauge, 2 capacitive, 3 LVDT
    int serial = 0; // `acserno`
    double capacitanceF = 1.5e-6; // piezo capacitance (currents = C·dV/dt)
};

/// TRITOR100SG (100 µm, strain gauge), PSH20 (20 µm, strain gauge), TT2 (2 mrad tilt,
/// capacitive); any other name is a 100 µm strain-gauge actuator called that.
Nv200SimActuator actuatorByName(const QString &name);

class Nv200SimulatorModel
{
public:
    static constexpr qint64 kTickNs = 50'000; // 20 kHz control/recorder base period
    static constexpr int kRecorderSize = 6144;
    static constexpr int kAwgSize = 1024;
    static constexpr double kAvMin = -20.0, kAvMax = 130.0;

    enum class RecState { Idle, Armed, Recording, Done };

    explicit Nv200SimulatorModel(const Nv200SimActuator &actuator);

    /// Back to power-up state (also `reset`); the simulated clock keeps running.
    void reset();
    /// Runs the 20 kHz loop up to `tick` (ticks since the clock started). Never goes backwards.
    /// Settled idle periods are skipped in O(1).
    void advanceTo(qint64 tick);
    qint64 tick() const { return m_tick; }
    /// True while something evolves without commands (AWG, recorder, setpoint ramp, settling).
    bool isActive() const;

    const Nv200SimActuator &actuator() const { return m_act; }

    // Loop and setpoint.
    bool closedLoop() const { return m_cl; }
    void setClosedLoop(bool on);
    int modSrc() const { return m_modSrc; }
    void setModSrc(int src) { m_modSrc = src; }
    /// Setpoint range of the current loop mode (position range or avmin..avmax).
    double setMin() const { return m_cl ? m_act.posMin : kAvMin; }
    double setMax() const { return m_cl ? m_act.posMax : kAvMax; }
    double setpoint() const { return m_set; }
    /// `set`: new setpoint (loop units, caller checked the range); triggers a recorder armed with
    /// recast=1.
    void setSetpoint(double value);
    /// `setst`: linear ramp to value over ms milliseconds (rounded to ticks).
    void setSetpointSmooth(double value, double ms);
    double slewRate() const { return m_slew; } // %/ms of the range; ≥ 2000 = off
    void setSlewRate(double percentPerMs) { m_slew = percentPerMs; }

    // Measurements (at the current tick, with the sensor noise of that tick).
    double measured() const; // `meas`: position (loop units) or voltage without sensor
    double position() const { return m_pos; } // closed-loop unit, noise-free
    double voltage() const { return m_volt; }
    double current(int channel) const; // A
    double temperature() const;
    int status() const;
    void setFilterFlags(bool lowPass, bool notch) { m_lowPassOn = lowPass, m_notchOn = notch; }

    // AWG.
    struct Awg
    {
        std::array<double, kAwgSize> buffer {}; // % of the current mode's range
        std::array<double, kAwgSize> saved {}; // "EEPROM"
        int start = 0, end = kAwgSize - 1, offset = 0; // gsarb, gearb, goarb
        int cycles = 1; // gcarb, 0 = infinite
        int factor = 1; // gtarb
        int index = 0; // giarb
        bool running = false;
        int cyclesDone = 0;
        qint64 ticksToNext = 0;
    };
    Awg &awg() { return m_awg; }
    const Awg &awg() const { return m_awg; }
    /// `grun,1` / `grun,0`. Starting also starts a recorder armed with recast=2.
    void setAwgRunning(bool run);
    /// Buffer value in % ↔ loop units of the current mode.
    double percentToUnits(double pct) const { return setMin() + pct / 100.0 * (setMax() - setMin()); }
    double unitsToPercent(double v) const { return (v - setMin()) / (setMax() - setMin()) * 100.0; }

    // Recorder.
    struct Recorder
    {
        std::array<int, 2> source { 0, 2 }; // recsrc
        int autoStart = 0; // recast
        int stride = 1; // recstr
        int length = 500; // reclen, 0 = ring
        RecState state = RecState::Idle;
        int runStride = 1, runLength = 500; // copies taken at the start of a recording
        qint64 ticksRecorded = 0; // ticks since the start of the running recording
        qint64 samples = 0; // samples stored (may exceed the buffer in ring mode)
        std::array<std::vector<double>, 2> data;
    };
    Recorder &recorder() { return m_rec; }
    const Recorder &recorder() const { return m_rec; }
    /// `recrun,1` (start or arm according to recast) / `recrun,0` (stop).
    void setRecorderRunning(bool run);
    bool recorderBusy() const { return m_rec.state == RecState::Armed || m_rec.state == RecState::Recording; }
    int recorderIndex() const; // `recidx`: next write position
    /// Number of values that `recoutf` returns: reclen, or the buffer size for the ring.
    int readoutLength() const;
    /// Value i of channel ch in read-out order (oldest first); 0 where nothing was recorded.
    double recorded(int ch, int i) const;
    /// Value of recorder source src at the current tick (with noise).
    double sourceValue(int src) const;

private:
    void step();
    void startRecording();
    void awgTick();
    double olPosition(double volts) const; // position (closed-loop unit) produced by a voltage
    double olVolts(double pos) const; // inverse of olPosition
    double toLoopUnits(double pos) const { return m_cl ? pos : olVolts(pos); }
    double noise(quint64 salt, double amplitude) const;
    bool settled() const;

    Nv200SimActuator m_act;
    qint64 m_tick = 0;
    bool m_cl = false;
    int m_modSrc = 0;
    double m_set = 0; // setpoint in loop units (as set/echoed)
    double m_slew = 2000;
    double m_ramped = 0; // slew-limited demand, closed-loop unit
    double m_volt = 0, m_prevVolt = 0; // piezo voltage now and one tick ago
    double m_pos = 0; // actuator position, closed-loop unit
    double m_rampFrom = 0, m_rampTo = 0;
    qint64 m_rampTicks = 0, m_rampDone = 0;
    bool m_lowPassOn = false, m_notchOn = false;
    Awg m_awg;
    Recorder m_rec;
};

} // namespace bs::nv200
