// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The simulated PandA's configuration: blocks, fields, their types and current values, the bit and
// position buses, the capture settings, and the live values of outputs. Plain data, no I/O; owned
// and used on the simulator's thread only.

#include "PandaSimulatorSignals.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QVector>

namespace bs::panda {

enum class FieldKind : quint8 {
    BitOut,
    BitMux,
    PosOut,
    ExtTimestamp,
    ExtSamples,
    ExtBits,
    ParamEnum,
    ParamUint,
    ParamInt,
    ParamTime,
    ReadEnum,
};

/// Type string as listed by `BLOCK.*?` and `.INFO?` ("bit_out", "param enum", "ext_out bits", ...).
QByteArray fieldKindName(FieldKind kind);
bool isExtOut(FieldKind kind);

/// What drives an output field. Encoder: INENC1 is a 1 Hz sine, INENC2 a ramp (PandaSimulatorSignals.h).
enum class SignalKind : quint8 { None, Ttl, Clock, Active, Encoder, Counter };

/// pos_out capture options, bit = 1 << option; the enum order is the canonical read-back order.
enum class CaptureOption : quint8 { Value, Diff, Sum, Min, Max, Mean, StdDev };
inline constexpr int kCaptureOptionCount = 7;
QByteArray captureOptionName(CaptureOption option);
/// Canonical read-back of a pos_out mask: "No" or the option names in canonical order.
QByteArray captureMaskText(quint32 mask);

/// Time units of `param time` fields, index = stored unit.
inline constexpr int kTimeUnitCount = 4;
QByteArray timeUnitName(int unit); // min, s, ms, us
double timeUnitSeconds(int unit);

struct SimFieldDef
{
    QByteArray name;
    int uiIndex = 0;
    FieldKind kind = FieldKind::ParamUint;
    QByteArray description;
    QList<QByteArray> labels; // enum labels (param enum / read enum)
    qint64 maxValue = 0; // param uint
    SignalKind signal = SignalKind::None;
    QVector<qint64> defaults; // per instance (the last entry repeats); enum index, number, ticks
    double scale = 1.0; // pos_out defaults
    double offset = 0.0;
    QByteArray units;
};

struct SimFieldState
{
    qint64 value = 0; // enum index, number, time in ticks, bit_mux index into bitMuxLabels()
    quint32 capture = 0; // pos_out: option mask; ext_out: 1 = Value
    double scale = 1.0;
    double offset = 0.0;
    QByteArray units;
    quint32 delay = 0; // bit_mux DELAY
    int timeUnit = 1; // param time: index for timeUnitName()
};

struct SimBlock
{
    QByteArray name;
    int count = 1;
    QByteArray description;
    QVector<SimFieldDef> fields;
    QVector<QVector<SimFieldState>> states; // [field][instance]
};

/// A field instance: block index, field index, instance (0-based).
struct FieldRef
{
    int block = -1;
    int field = -1;
    int instance = 0;
    bool isValid() const { return block >= 0 && field >= 0; }
    friend bool operator==(const FieldRef &, const FieldRef &) = default;
};

/// Which blocks the simulated FPGA has (`*BLOCKS?`, `*CAPTURE.*?` follow it).
struct SimFpga
{
    int counters = 3; // COUNTER1..n (1-8)
    int adcs = 0;     // ADC1..n, pos_out OUT in volts
    int qdecs = 0;    // QDEC1..n, pos_out OUT
    int pgens = 0;    // PGEN1..n, pos_out OUT
    /// Older server: PCAP.CAPTURE / CAPTURE_EDGE / TS_CAPTURE / SAMPLES instead of TRIG /
    /// TRIG_EDGE / TS_TRIG / GATE_DURATION (spec §3.2).
    bool oldPcapNames = false;
    bool stdDev = false; // the FPGA offers the StdDev capture option
};

/// The block/field definitions of the simulated PandA (the "FPGA build"), states at defaults.
QVector<SimBlock> pandaSimulatorBlockTable(const SimFpga &fpga = {});

class PandaSimulatorModel
{
public:
    explicit PandaSimulatorModel(const SimFpga &fpga = {});
    const SimFpga &fpga() const { return m_fpga; }
    /// PCAP trigger fields under this FPGA's names ("TRIG" or "CAPTURE", ...).
    QByteArrayView trigName() const { return m_fpga.oldPcapNames ? "CAPTURE" : "TRIG"; }
    QByteArrayView trigEdgeName() const { return m_fpga.oldPcapNames ? "CAPTURE_EDGE" : "TRIG_EDGE"; }

    const QVector<SimBlock> &blocks() const { return m_blocks; }
    int blockIndex(QByteArrayView name) const;
    int fieldIndex(int block, QByteArrayView name) const;
    /// Looks up BLOCK / instance (0-based) / FIELD; returns an invalid ref if unknown.
    FieldRef ref(QByteArrayView block, int instance, QByteArrayView field) const;
    const SimFieldDef &def(FieldRef r) const { return m_blocks[r.block].fields[r.field]; }
    SimFieldState &state(FieldRef r) { return m_blocks[r.block].states[r.field][r.instance]; }
    const SimFieldState &state(FieldRef r) const { return m_blocks[r.block].states[r.field][r.instance]; }
    /// "COUNTER1" or "PCAP" (no number for single-instance blocks).
    QByteArray instanceName(int block, int instance) const;
    /// "COUNTER1.OUT", "PCAP.TS_START".
    QByteArray fieldName(FieldRef r) const;

    /// bit_out fields in bit-bus order (all in PCAP.BITS0, bit = bus index).
    const QVector<FieldRef> &bitBus() const { return m_bitBus; }
    /// pos_out fields in position-bus order.
    const QVector<FieldRef> &posBus() const { return m_posBus; }
    /// bit_mux choices: "ZERO", "ONE", then the bit-bus names.
    const QList<QByteArray> &bitMuxLabels() const { return m_bitMuxLabels; }
    int bitBusIndex(FieldRef r) const { return m_bitBus.indexOf(r); }
    /// Every pos_out and ext_out field in registration (block, instance, field) order.
    const QVector<FieldRef> &capturableFields() const { return m_capturable; }
    bool anythingCaptured() const;
    void clearCaptures();

    // --- live device state -----------------------------------------------------------------------
    /// Ticks since the simulator was created (the FPGA's free-running time).
    qint64 nowTicks() const { return m_epoch.nsecsElapsed() / 8; }
    void setCaptureActive(bool active, qint64 armAbsTick);
    bool captureActive() const { return m_active; }
    qint64 armAbsTick() const { return m_armAbsTick; }
    /// PCAP triggers counted in the current/last capture (COUNTERn.OUT = START + STEP × count).
    void setTriggerCount(qint64 count) { m_triggerCount = count; }
    qint64 triggerCount() const { return m_triggerCount; }
    /// Current value of a bit_out (0/1) or pos_out (counts).
    qint64 liveValue(FieldRef r) const;
    /// Value of a bit_out / pos_out at a capture instant: absolute tick, tick since arm, triggers.
    qint64 signalValue(FieldRef r, qint64 absTick, qint64 relTick, qint64 triggers, SimRandom &rng) const;

    // --- trigger path ------------------------------------------------------------------------------
    qint64 clockPeriodTicks(int instance) const;
    void setClockPeriodTicks(int instance, qint64 ticks);
    /// Ticks between PCAP triggers from PCAP.TRIG / TRIG_EDGE / ENABLE; 0 = no triggers.
    qint64 triggerPeriodTicks() const;
    /// False when PCAP.GATE is ZERO (gate never open: gate duration 0, Mean undefined).
    bool gateOpen() const;
    int shiftSum() const;

private:
    void buildBuses();
    FieldRef muxSource(QByteArrayView field) const; // PCAP bit_mux source, invalid for ZERO/ONE
    qint64 edgePeriodTicks(FieldRef source) const; // ticks between rising edges, 0 = none

    SimFpga m_fpga;
    QVector<SimBlock> m_blocks;
    QVector<FieldRef> m_bitBus;
    QVector<FieldRef> m_posBus;
    QVector<FieldRef> m_capturable;
    QList<QByteArray> m_bitMuxLabels;
    QElapsedTimer m_epoch;
    bool m_active = false;
    qint64 m_armAbsTick = 0;
    qint64 m_triggerCount = 0;
    mutable SimRandom m_liveRng { 0x5EED };
};

} // namespace bs::panda
