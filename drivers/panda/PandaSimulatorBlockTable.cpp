// SPDX-License-Identifier: GPL-3.0-or-later
// The simulated FPGA build: which blocks exist, their fields, types, defaults and what drives them.
// Names and types follow PandABlocks-FPGA (TTLIN, INENC, COUNTER, CLOCK, PCAP); the block order is
// the registration order, which is also the `*CAPTURE?` and header column order.
#include "PandaSimulatorModel.h"

namespace bs::panda {
namespace {

SimFieldDef makeField(const char *name, int uiIndex, FieldKind kind, const char *description)
{
    SimFieldDef f;
    f.name = name;
    f.uiIndex = uiIndex;
    f.kind = kind;
    f.description = description;
    return f;
}

SimFieldDef enumField(const char *name, int uiIndex, FieldKind kind, const char *description,
    QList<QByteArray> labels, qint64 defaultIndex = 0)
{
    SimFieldDef f = makeField(name, uiIndex, kind, description);
    f.labels = std::move(labels);
    f.defaults = { defaultIndex };
    return f;
}

SimFieldDef signalField(
    const char *name, int uiIndex, FieldKind kind, const char *description, SignalKind signal)
{
    SimFieldDef f = makeField(name, uiIndex, kind, description);
    f.signal = signal;
    return f;
}

SimFieldDef posOut(const char *name, int uiIndex, const char *description, SignalKind signal, double scale,
    const char *units)
{
    SimFieldDef f = signalField(name, uiIndex, FieldKind::PosOut, description, signal);
    f.scale = scale;
    f.units = units;
    return f;
}

SimBlock makeBlock(const char *name, int count, const char *description, QVector<SimFieldDef> fields)
{
    SimBlock b;
    b.name = name;
    b.count = count;
    b.description = description;
    b.fields = std::move(fields);
    for (const SimFieldDef &f : std::as_const(b.fields)) {
        QVector<SimFieldState> states(count);
        for (int i = 0; i < count; ++i) {
            SimFieldState &s = states[i];
            if (!f.defaults.isEmpty())
                s.value = f.defaults.value(i, f.defaults.constLast());
            s.scale = f.scale;
            s.offset = f.offset;
            s.units = f.units;
        }
        b.states.append(states);
    }
    return b;
}

} // namespace

QVector<SimBlock> pandaSimulatorBlockTable(const SimFpga &fpga)
{
    const QList<QByteArray> noLabels;
    QVector<SimBlock> blocks;

    blocks.append(makeBlock("TTLIN", 6, "TTL input",
        { signalField("VAL", 1, FieldKind::BitOut, "TTL input value", SignalKind::Ttl),
            enumField(
                "TERM", 0, FieldKind::ParamEnum, "Select TTL input termination", { "High-Z", "50-Ohm" }) }));

    blocks.append(makeBlock("INENC", 2, "Input encoder",
        { posOut("VAL", 0, "Current position", SignalKind::Encoder, 0.001, "mm") }));

    SimFieldDef start = makeField("START", 0, FieldKind::ParamInt, "Counter start value");
    start.defaults = { 0 };
    SimFieldDef step = makeField("STEP", 1, FieldKind::ParamInt, "Up/Down step size");
    step.defaults = { 1, 2, 3, 4, 5, 6, 7, 8 };
    blocks.append(makeBlock("COUNTER", qBound(1, fpga.counters, 8), "Up/Down pulse counter",
        { start, step,
            posOut("OUT", 2, "Current value (counts PCAP triggers)", SignalKind::Counter, 1.0, "") }));

    // Optional blocks of bigger FPGA builds; their outputs follow the encoder signals.
    if (fpga.adcs > 0)
        blocks.append(makeBlock("ADC", fpga.adcs, "Analogue input",
            { posOut("OUT", 0, "ADC input value", SignalKind::Encoder, 40.0 / 4294967296.0, "V") }));
    if (fpga.qdecs > 0)
        blocks.append(makeBlock("QDEC", fpga.qdecs, "Quadrature decoder",
            { posOut("OUT", 0, "Quadrature count", SignalKind::Encoder, 1.0, "") }));
    if (fpga.pgens > 0)
        blocks.append(makeBlock("PGEN", fpga.pgens, "Position generator",
            { posOut("OUT", 0, "Current sample", SignalKind::Encoder, 1.0, "") }));

    SimFieldDef period = makeField("PERIOD", 0, FieldKind::ParamTime, "Period of clock output");
    period.defaults = { kClockHz / 1000, kClockHz / 10 }; // CLOCK1 1 ms, CLOCK2 100 ms
    blocks.append(makeBlock("CLOCK", 2, "Configurable clock",
        { period, signalField("OUT", 1, FieldKind::BitOut, "Clock output", SignalKind::Clock) }));

    // bit_mux defaults are indices into PandaSimulatorModel::bitMuxLabels(): 1 = ONE; TRIG is
    // fixed up to CLOCK1.OUT once the bus exists.
    SimFieldDef shift
        = makeField("SHIFT_SUM", 4, FieldKind::ParamUint, "Shift sum/samples data, use if > 2^32 samples");
    shift.maxValue = 8;
    shift.defaults = { 0 };
    const bool old = fpga.oldPcapNames;
    blocks.append(makeBlock("PCAP", 1, "Position capture control",
        { enumField("ENABLE", 0, FieldKind::BitMux, "Data capture enable", noLabels, 1),
            enumField("GATE", 1, FieldKind::BitMux, "Data capture gate", noLabels, 1),
            enumField(old ? "CAPTURE" : "TRIG", 2, FieldKind::BitMux, "Trigger for data capture", noLabels, 0),
            enumField(old ? "CAPTURE_EDGE" : "TRIG_EDGE", 3, FieldKind::ParamEnum,
                "Which edge of capture input signal triggers capture", { "Rising", "Falling", "Either" }),
            shift,
            enumField("HEALTH", 5, FieldKind::ReadEnum, "Status of capture",
                { "OK", "Capture events too close together", "Samples overflow" }),
            signalField("ACTIVE", 6, FieldKind::BitOut, "Data capture in progress", SignalKind::Active),
            makeField(
                "TS_START", 7, FieldKind::ExtTimestamp, "Timestamp of first gate high in current capture"),
            makeField(
                "TS_END", 8, FieldKind::ExtTimestamp, "Timestamp of last gate high +1 in current capture"),
            makeField(old ? "TS_CAPTURE" : "TS_TRIG", 9, FieldKind::ExtTimestamp, "Timestamp of capture event"),
            makeField(old ? "SAMPLES" : "GATE_DURATION", 10, FieldKind::ExtSamples,
                "Number of gated samples in the current capture"),
            makeField("BITS0", 11, FieldKind::ExtBits, "Quadrant 0 of bit_bus"),
            makeField("BITS1", 12, FieldKind::ExtBits, "Quadrant 1 of bit_bus"),
            makeField("BITS2", 13, FieldKind::ExtBits, "Quadrant 2 of bit_bus"),
            makeField("BITS3", 14, FieldKind::ExtBits, "Quadrant 3 of bit_bus") }));
    return blocks;
}

} // namespace bs::panda
