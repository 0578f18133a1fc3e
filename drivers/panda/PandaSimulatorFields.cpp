// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorFields.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace bs::panda {
namespace {

constexpr quint32 kMaxDelay = 31;
constexpr qint64 kMaxTimeTicks = (qint64(1) << 48) - 1;

/// PandA's checks once strtoll/strtod has read from `begin` to `end`: the number must start right
/// at the beginning (no blank) and take up the whole text.
bool wholeNumber(const char *begin, const char *end, QByteArray &error)
{
    if (end == begin || *begin == ' ' || *begin == '\t') {
        error = "Number missing";
        return false;
    }
    if (*end != '\0') {
        error = "Unexpected character after input";
        return false;
    }
    return true;
}

bool parseInteger(QByteArrayView text, qint64 &out, QByteArray &error)
{
    const QByteArray s = text.toByteArray();
    char *end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.constData(), &end, 10);
    if (!wholeNumber(s.constData(), end, error))
        return false;
    if (errno == ERANGE) {
        error = "Number out of range";
        return false;
    }
    out = v;
    return true;
}

bool parseDouble(QByteArrayView text, double &out, QByteArray &error)
{
    const QByteArray s = text.toByteArray();
    char *end = nullptr;
    const double v = std::strtod(s.constData(), &end);
    if (!wholeNumber(s.constData(), end, error))
        return false;
    out = v;
    return true;
}

/// Parses an unsigned number ≤ max into out, or returns the error reply.
Reply parseBounded(QByteArrayView text, qint64 min, qint64 max, qint64 &out)
{
    QByteArray error;
    if (!parseInteger(text, out, error))
        return Reply::error(error);
    if (out < min || out > max)
        return Reply::error("Number out of range");
    return Reply::ok();
}

} // namespace

QByteArray changeGroupName(ChangeGroup group)
{
    static const char *const names[kChangeGroupCount]
        = { "CONFIG", "BITS", "POSN", "READ", "ATTR", "TABLE", "METADATA" };
    return names[int(group)];
}

QByteArray PandaSimulatorFields::formatDouble(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

QList<QByteArray> PandaSimulatorFields::posCaptureEnums(bool stdDev)
{
    QList<QByteArray> labels { "No", "Value", "Diff", "Sum", "Mean", "Min", "Max", "Min Max", "Min Max Mean" };
    if (stdDev)
        labels += { "StdDev", "Mean StdDev" };
    return labels;
}

QByteArray PandaSimulatorFields::timeText(FieldRef r) const
{
    const SimFieldState &s = m_model.state(r);
    return formatDouble(double(s.value) * kSecondsPerTick / timeUnitSeconds(s.timeUnit));
}

Reply PandaSimulatorFields::get(FieldRef r) const
{
    const SimFieldDef &d = m_model.def(r);
    const SimFieldState &s = m_model.state(r);
    switch (d.kind) {
    case FieldKind::BitOut:
    case FieldKind::PosOut:
        return Reply::value(QByteArray::number(m_model.liveValue(r)));
    case FieldKind::BitMux:
        return Reply::value(m_model.bitMuxLabels().value(s.value));
    case FieldKind::ParamEnum:
    case FieldKind::ReadEnum:
        return Reply::value(d.labels.value(s.value));
    case FieldKind::ParamUint:
    case FieldKind::ParamInt:
        return Reply::value(QByteArray::number(s.value));
    case FieldKind::ParamTime:
        return Reply::value(timeText(r));
    case FieldKind::ExtTimestamp:
    case FieldKind::ExtSamples:
    case FieldKind::ExtBits:
        break;
    }
    return Reply::error("Field not readable");
}

Reply PandaSimulatorFields::put(FieldRef r, QByteArrayView text)
{
    const SimFieldDef &d = m_model.def(r);
    SimFieldState &s = m_model.state(r);
    switch (d.kind) {
    case FieldKind::BitMux: {
        const qsizetype i = m_model.bitMuxLabels().indexOf(text.toByteArray());
        if (i < 0)
            return Reply::error("Invalid bit bus selection");
        s.value = i;
        return Reply::ok();
    }
    case FieldKind::ParamEnum: {
        const qsizetype i = d.labels.indexOf(text.toByteArray());
        if (i < 0)
            return Reply::error("Invalid enumeration value");
        s.value = i;
        return Reply::ok();
    }
    case FieldKind::ParamUint:
        return parseBounded(text, 0, d.maxValue > 0 ? d.maxValue : 0xffffffffll, s.value);
    case FieldKind::ParamInt:
        return parseBounded(text, -2147483648ll, 2147483647ll, s.value);
    case FieldKind::ParamTime: {
        double v = 0;
        QByteArray error;
        if (!parseDouble(text, v, error))
            return Reply::error(error);
        const double ticks = v * timeUnitSeconds(s.timeUnit) * double(kClockHz);
        if (!std::isfinite(ticks) || ticks < 0 || ticks > double(kMaxTimeTicks))
            return Reply::error("Time setting out of range");
        // Like the server: range-checked before rounding, then rounded to whole 8 ns ticks (a
        // period below half a tick becomes 0, which stops the clock).
        s.value = std::llround(ticks);
        return Reply::ok();
    }
    default:
        return Reply::error("Field not writeable");
    }
}

QList<QByteArray> PandaSimulatorFields::attributeNames(FieldKind kind)
{
    switch (kind) {
    case FieldKind::BitOut:
        return { "CAPTURE_WORD", "OFFSET", "INFO" };
    case FieldKind::BitMux:
        return { "DELAY", "MAX_DELAY", "INFO" };
    case FieldKind::PosOut:
        return { "CAPTURE", "SCALE", "OFFSET", "UNITS", "SCALED", "INFO" };
    case FieldKind::ExtTimestamp:
    case FieldKind::ExtSamples:
        return { "CAPTURE", "INFO" };
    case FieldKind::ExtBits:
        return { "CAPTURE", "BITS", "INFO" };
    case FieldKind::ParamUint:
        return { "MAX", "INFO" };
    case FieldKind::ParamTime:
        return { "UNITS", "RAW", "MIN", "INFO" };
    case FieldKind::ParamEnum:
    case FieldKind::ParamInt:
    case FieldKind::ReadEnum:
        break;
    }
    return { "INFO" };
}

QByteArray PandaSimulatorFields::attributeDescription(QByteArrayView attr)
{
    static const QList<QPair<QByteArray, QByteArray>> descriptions = {
        { "CAPTURE_WORD", "Name of field containing this bit" },
        { "OFFSET", "Offset" },
        { "INFO", "Class information for field" },
        { "DELAY", "Clock delay on input" },
        { "MAX_DELAY", "Maximum valid delay" },
        { "CAPTURE", "Capture options" },
        { "SCALE", "Scale factor" },
        { "UNITS", "Units string" },
        { "SCALED", "Value with scaling applied" },
        { "BITS", "Bits in this capture word" },
        { "MAX", "Maximum valid value for this field" },
        { "RAW", "Raw value in FPGA clock cycles" },
        { "MIN", "Minimum programmable time" },
    };
    for (const auto &[name, text] : descriptions) {
        if (name == attr)
            return text;
    }
    return {};
}

Reply PandaSimulatorFields::getAttribute(FieldRef r, QByteArrayView attr) const
{
    const SimFieldDef &d = m_model.def(r);
    const SimFieldState &s = m_model.state(r);
    if (attr == "INFO")
        return Reply::value(fieldKindName(d.kind));
    switch (d.kind) {
    case FieldKind::BitOut: {
        const int bus = m_model.bitBusIndex(r);
        if (attr == "CAPTURE_WORD")
            return Reply::value("PCAP.BITS" + QByteArray::number(bus / 32));
        return Reply::value(QByteArray::number(bus % 32));
    }
    case FieldKind::BitMux:
        return Reply::value(QByteArray::number(attr == "DELAY" ? s.delay : kMaxDelay));
    case FieldKind::PosOut:
        if (attr == "CAPTURE")
            return Reply::value(captureMaskText(s.capture));
        if (attr == "SCALE")
            return Reply::value(formatDouble(s.scale));
        if (attr == "OFFSET")
            return Reply::value(formatDouble(s.offset));
        if (attr == "UNITS")
            return Reply::value(s.units);
        return Reply::value(formatDouble(double(m_model.liveValue(r)) * s.scale + s.offset));
    case FieldKind::ExtBits:
        if (attr == "BITS") {
            const int word = d.name.back() - '0';
            QList<QByteArray> names;
            for (int bit = 0; bit < 32; ++bit) {
                const int bus = word * 32 + bit;
                names.append(
                    bus < m_model.bitBus().size() ? m_model.fieldName(m_model.bitBus()[bus]) : QByteArray());
            }
            return Reply::list(names);
        }
        [[fallthrough]];
    case FieldKind::ExtTimestamp:
    case FieldKind::ExtSamples:
        return Reply::value(s.capture ? "Value" : "No");
    case FieldKind::ParamUint:
        return Reply::value(QByteArray::number(d.maxValue > 0 ? d.maxValue : 0xffffffffll));
    case FieldKind::ParamTime:
        if (attr == "UNITS")
            return Reply::value(timeUnitName(s.timeUnit));
        if (attr == "RAW")
            return Reply::value(QByteArray::number(s.value));
        return Reply::value(formatDouble(kSecondsPerTick));
    default:
        break;
    }
    return Reply::error("No such attribute");
}

Reply PandaSimulatorFields::putAttribute(FieldRef r, QByteArrayView attr, QByteArrayView text)
{
    const SimFieldDef &d = m_model.def(r);
    SimFieldState &s = m_model.state(r);
    if (attr == "CAPTURE" && (d.kind == FieldKind::PosOut || isExtOut(d.kind)))
        return putCapture(r, text);
    if (d.kind == FieldKind::BitMux && attr == "DELAY") {
        qint64 v = 0;
        Reply reply = parseBounded(text, 0, kMaxDelay, v);
        if (!reply.isError())
            s.delay = quint32(v);
        return reply;
    }
    if (d.kind == FieldKind::PosOut && (attr == "SCALE" || attr == "OFFSET")) {
        double v = 0;
        QByteArray error;
        if (!parseDouble(text, v, error))
            return Reply::error(error);
        (attr == "SCALE" ? s.scale : s.offset) = v;
        return Reply::ok();
    }
    if (d.kind == FieldKind::PosOut && attr == "UNITS") {
        s.units = text.toByteArray();
        return Reply::ok();
    }
    if (d.kind == FieldKind::ParamTime && attr == "UNITS") {
        for (int u = 0; u < kTimeUnitCount; ++u) {
            if (timeUnitName(u) == text) {
                s.timeUnit = u;
                return Reply::ok();
            }
        }
        return Reply::error("Invalid time units");
    }
    if (d.kind == FieldKind::ParamTime && attr == "RAW")
        return parseBounded(text, 0, kMaxTimeTicks, s.value);
    return Reply::error("Attribute not writeable");
}

Reply PandaSimulatorFields::putCapture(FieldRef r, QByteArrayView text)
{
    SimFieldState &s = m_model.state(r);
    if (isExtOut(m_model.def(r).kind)) {
        if (text == "No" || text.isEmpty())
            s.capture = 0;
        else if (text == "Value")
            s.capture = 1;
        else
            return Reply::error("Invalid capture option");
        return Reply::ok();
    }
    quint32 mask = 0;
    for (const QByteArray &word : text.toByteArray().simplified().split(' ')) {
        if (word.isEmpty() || word == "No")
            continue;
        int option = 0;
        while (option < kCaptureOptionCount && captureOptionName(CaptureOption(option)) != word)
            ++option;
        if (option == kCaptureOptionCount || (CaptureOption(option) == CaptureOption::StdDev && !m_model.fpga().stdDev))
            return Reply::error("Unknown capture option \"" + word + '"');
        mask |= 1u << option;
    }
    s.capture = mask;
    return Reply::ok();
}

Reply PandaSimulatorFields::enumLabels(FieldRef r, QByteArrayView attr) const
{
    const SimFieldDef &d = m_model.def(r);
    if (attr.isEmpty()) {
        if (d.kind == FieldKind::ParamEnum || d.kind == FieldKind::ReadEnum)
            return Reply::list(d.labels);
        if (d.kind == FieldKind::BitMux)
            return Reply::list(m_model.bitMuxLabels());
    } else if (attr == "CAPTURE") {
        if (d.kind == FieldKind::PosOut)
            return Reply::list(posCaptureEnums(m_model.fpga().stdDev));
        if (isExtOut(d.kind))
            return Reply::list({ "No", "Value" });
    } else if (attr == "UNITS" && d.kind == FieldKind::ParamTime) {
        QList<QByteArray> units;
        for (int u = 0; u < kTimeUnitCount; ++u)
            units.append(timeUnitName(u));
        return Reply::list(units);
    }
    return Reply::error("Field has no enumeration");
}

QList<QPair<QByteArray, QByteArray>> PandaSimulatorFields::changeValues(ChangeGroup group) const
{
    QList<QPair<QByteArray, QByteArray>> values;
    const QVector<SimBlock> &blocks = m_model.blocks();
    for (int b = 0; b < blocks.size(); ++b) {
        for (int i = 0; i < blocks[b].count; ++i) {
            for (int f = 0; f < blocks[b].fields.size(); ++f) {
                const FieldRef r { b, f, i };
                const FieldKind kind = blocks[b].fields[f].kind;
                const QByteArray name = m_model.fieldName(r);
                const bool config = kind == FieldKind::BitMux || kind == FieldKind::ParamEnum
                    || kind == FieldKind::ParamUint || kind == FieldKind::ParamInt
                    || kind == FieldKind::ParamTime;
                if ((group == ChangeGroup::Config && config)
                    || (group == ChangeGroup::Bits && kind == FieldKind::BitOut)
                    || (group == ChangeGroup::Posn && kind == FieldKind::PosOut)
                    || (group == ChangeGroup::Read && kind == FieldKind::ReadEnum)) {
                    values.append({ name, get(r).text });
                } else if (group == ChangeGroup::Attr) {
                    for (const QByteArray &attr : attributeNames(kind)) {
                        const bool writable = attr == "CAPTURE" || attr == "SCALE" || attr == "UNITS"
                            || attr == "DELAY" || (attr == "OFFSET" && kind == FieldKind::PosOut);
                        if (writable)
                            values.append({ name + '.' + attr, getAttribute(r, attr).text });
                    }
                }
            }
        }
    }
    return values;
}

} // namespace bs::panda
