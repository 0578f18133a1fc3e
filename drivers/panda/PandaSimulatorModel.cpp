// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorModel.h"

namespace bs::panda {

QByteArray fieldKindName(FieldKind kind)
{
    switch (kind) {
    case FieldKind::BitOut:
        return "bit_out";
    case FieldKind::BitMux:
        return "bit_mux";
    case FieldKind::PosOut:
        return "pos_out";
    case FieldKind::ExtTimestamp:
        return "ext_out timestamp";
    case FieldKind::ExtSamples:
        return "ext_out samples";
    case FieldKind::ExtBits:
        return "ext_out bits";
    case FieldKind::ParamEnum:
        return "param enum";
    case FieldKind::ParamUint:
        return "param uint";
    case FieldKind::ParamInt:
        return "param int";
    case FieldKind::ParamTime:
        return "param time";
    case FieldKind::ReadEnum:
        return "read enum";
    }
    return {};
}

bool isExtOut(FieldKind kind)
{
    return kind == FieldKind::ExtTimestamp || kind == FieldKind::ExtSamples || kind == FieldKind::ExtBits;
}

QByteArray captureOptionName(CaptureOption option)
{
    static const char *const names[kCaptureOptionCount] = { "Value", "Diff", "Sum", "Min", "Max", "Mean", "StdDev" };
    return names[int(option)];
}

QByteArray captureMaskText(quint32 mask)
{
    QByteArray text;
    for (int i = 0; i < kCaptureOptionCount; ++i) {
        if (mask & (1u << i)) {
            if (!text.isEmpty())
                text += ' ';
            text += captureOptionName(CaptureOption(i));
        }
    }
    return text.isEmpty() ? QByteArray("No") : text;
}

QByteArray timeUnitName(int unit)
{
    static const char *const names[kTimeUnitCount] = { "min", "s", "ms", "us" };
    return names[unit];
}

double timeUnitSeconds(int unit)
{
    static const double seconds[kTimeUnitCount] = { 60.0, 1.0, 1e-3, 1e-6 };
    return seconds[unit];
}

PandaSimulatorModel::PandaSimulatorModel(const SimFpga &fpga)
    : m_fpga(fpga)
    , m_blocks(pandaSimulatorBlockTable(fpga))
{
    m_epoch.start();
    buildBuses();
    // PCAP.TRIG defaults to CLOCK1.OUT.
    state(ref("PCAP", 0, trigName())).value = m_bitMuxLabels.indexOf("CLOCK1.OUT");
}

void PandaSimulatorModel::buildBuses()
{
    m_bitMuxLabels = { "ZERO", "ONE" };
    for (int b = 0; b < m_blocks.size(); ++b) {
        const SimBlock &block = m_blocks[b];
        for (int i = 0; i < block.count; ++i) {
            for (int f = 0; f < block.fields.size(); ++f) {
                const FieldRef r { b, f, i };
                switch (block.fields[f].kind) {
                case FieldKind::BitOut:
                    m_bitBus.append(r);
                    m_bitMuxLabels.append(fieldName(r));
                    break;
                case FieldKind::PosOut:
                    m_posBus.append(r);
                    m_capturable.append(r);
                    break;
                case FieldKind::ExtTimestamp:
                case FieldKind::ExtSamples:
                case FieldKind::ExtBits:
                    m_capturable.append(r);
                    break;
                default:
                    break;
                }
            }
        }
    }
}

int PandaSimulatorModel::blockIndex(QByteArrayView name) const
{
    for (int b = 0; b < m_blocks.size(); ++b) {
        if (m_blocks[b].name == name)
            return b;
    }
    return -1;
}

int PandaSimulatorModel::fieldIndex(int block, QByteArrayView name) const
{
    const QVector<SimFieldDef> &fields = m_blocks[block].fields;
    for (int f = 0; f < fields.size(); ++f) {
        if (fields[f].name == name)
            return f;
    }
    return -1;
}

FieldRef PandaSimulatorModel::ref(QByteArrayView block, int instance, QByteArrayView field) const
{
    const int b = blockIndex(block);
    if (b < 0 || instance < 0 || instance >= m_blocks[b].count)
        return {};
    const int f = fieldIndex(b, field);
    return f < 0 ? FieldRef {} : FieldRef { b, f, instance };
}

QByteArray PandaSimulatorModel::instanceName(int block, int instance) const
{
    const SimBlock &b = m_blocks[block];
    return b.count == 1 ? b.name : b.name + QByteArray::number(instance + 1);
}

QByteArray PandaSimulatorModel::fieldName(FieldRef r) const
{
    return instanceName(r.block, r.instance) + '.' + def(r).name;
}

bool PandaSimulatorModel::anythingCaptured() const
{
    for (const FieldRef &r : m_capturable) {
        if (state(r).capture != 0)
            return true;
    }
    return false;
}

void PandaSimulatorModel::clearCaptures()
{
    for (const FieldRef &r : std::as_const(m_capturable))
        state(r).capture = 0;
}

void PandaSimulatorModel::setCaptureActive(bool active, qint64 armAbsTick)
{
    m_active = active;
    if (active) {
        m_armAbsTick = armAbsTick;
        m_triggerCount = 0;
    }
}

qint64 PandaSimulatorModel::liveValue(FieldRef r) const
{
    const qint64 now = nowTicks();
    return signalValue(r, now, now - m_armAbsTick, m_triggerCount, m_liveRng);
}

qint64 PandaSimulatorModel::signalValue(
    FieldRef r, qint64 absTick, qint64 relTick, qint64 triggers, SimRandom &rng) const
{
    switch (def(r).signal) {
    case SignalKind::Ttl:
        return ttlLevel(r.instance + 1, absTick) ? 1 : 0;
    case SignalKind::Clock:
        return clockLevel(clockPeriodTicks(r.instance), m_active ? relTick : absTick) ? 1 : 0;
    case SignalKind::Active:
        return m_active ? 1 : 0;
    case SignalKind::Encoder:
        return r.instance == 0 ? encoderSine(absTick, rng) : encoderRamp(absTick);
    case SignalKind::Counter: {
        const qint64 start = state(ref("COUNTER", r.instance, "START")).value;
        const qint64 step = state(ref("COUNTER", r.instance, "STEP")).value;
        return qint32(quint32(quint64(start + step * triggers)));
    }
    case SignalKind::None:
        break;
    }
    return 0;
}

qint64 PandaSimulatorModel::clockPeriodTicks(int instance) const
{
    return state(ref("CLOCK", instance, "PERIOD")).value;
}

void PandaSimulatorModel::setClockPeriodTicks(int instance, qint64 ticks)
{
    state(ref("CLOCK", instance, "PERIOD")).value = ticks;
}

FieldRef PandaSimulatorModel::muxSource(QByteArrayView field) const
{
    const qint64 index = state(ref("PCAP", 0, field)).value;
    return index >= 2 ? m_bitBus.value(index - 2) : FieldRef {};
}

qint64 PandaSimulatorModel::edgePeriodTicks(FieldRef source) const
{
    if (!source.isValid())
        return 0; // ZERO / ONE never toggle
    switch (def(source).signal) {
    case SignalKind::Clock:
        return clockPeriodTicks(source.instance);
    case SignalKind::Ttl:
        return 2 * ttlHalfPeriodTicks(source.instance + 1);
    default:
        return 0;
    }
}

qint64 PandaSimulatorModel::triggerPeriodTicks() const
{
    if (state(ref("PCAP", 0, "ENABLE")).value == 0)
        return 0; // ENABLE = ZERO: nothing is ever captured
    const qint64 period = edgePeriodTicks(muxSource(trigName()));
    const bool either = state(ref("PCAP", 0, trigEdgeName())).value == 2;
    return either ? (period + 1) / 2 : period;
}

bool PandaSimulatorModel::gateOpen() const
{
    return state(ref("PCAP", 0, "GATE")).value != 0;
}

int PandaSimulatorModel::shiftSum() const
{
    return int(state(ref("PCAP", 0, "SHIFT_SUM")).value);
}

} // namespace bs::panda
