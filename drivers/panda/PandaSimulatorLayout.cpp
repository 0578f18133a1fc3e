// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorLayout.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace bs::panda {

bool SimDataOptions::parse(QByteArrayView line)
{
    const QList<QByteArray> words = line.toByteArray().simplified().split(' ');
    for (const QByteArray &w : words) {
        if (w.isEmpty())
            continue;
        if (w == "ASCII")
            format = Format::Ascii;
        else if (w == "BASE64")
            format = Format::Base64;
        else if (w == "FRAMED")
            format = Format::Framed;
        else if (w == "UNFRAMED")
            format = Format::Unframed;
        else if (w == "SCALED")
            raw = false;
        else if (w == "RAW")
            raw = true;
        else if (w == "NO_HEADER")
            noHeader = true;
        else if (w == "NO_STATUS")
            noStatus = true;
        else if (w == "ONE_SHOT")
            oneShot = true;
        else if (w == "XML")
            xml = true;
        else if (w == "BARE")
            *this = SimDataOptions { Format::Unframed, true, true, true, true, false };
        else if (w == "DEFAULT")
            *this = SimDataOptions {};
        else
            return false;
    }
    return true;
}

namespace {

QByteArray formatG12(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

QByteArray xmlEscaped(const QByteArray &s)
{
    QByteArray out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
            break;
        }
    }
    return out;
}

CaptureColumn gateColumn(const QByteArray &name, ColumnGroup group, bool oldType)
{
    CaptureColumn c;
    c.name = name;
    c.capture = "Value";
    c.source = ColumnSource::GateDuration;
    c.group = group;
    c.rawBytes = 4;
    c.unsignedRaw = oldType;
    c.scale = oldType ? 1.0 : kSecondsPerTick;
    c.units = oldType ? QByteArray() : QByteArray("s");
    return c;
}

QByteArray typeName(const CaptureColumn &c, bool raw)
{
    if (c.source == ColumnSource::Bits)
        return "uint32";
    if (!raw)
        return "double";
    if (c.rawBytes == 12)
        return "int96";
    if (c.rawBytes == 8)
        return "int64";
    return c.unsignedRaw ? "uint32" : "int32";
}

} // namespace

CaptureLayout buildCaptureLayout(const PandaSimulatorModel &model, bool oldGateType)
{
    CaptureLayout layout;
    layout.oldGateType = oldGateType;
    QVector<CaptureColumn> groups[6];
    bool meanCaptured = false;
    bool gateCaptured = false;
    QByteArray gateName = "PCAP.GATE_DURATION";

    for (const FieldRef &r : model.capturableFields()) {
        const SimFieldDef &def = model.def(r);
        const SimFieldState &st = model.state(r);
        if (def.kind == FieldKind::ExtSamples)
            gateName = model.fieldName(r);
        if (st.capture == 0)
            continue;
        CaptureColumn c;
        c.name = model.fieldName(r);
        c.capture = "Value";
        switch (def.kind) {
        case FieldKind::PosOut: {
            const int posIndex = layout.posSources.size();
            layout.posSources.append(r);
            layout.posMasks.append(st.capture);
            const bool stdDev = st.capture & (1u << int(CaptureOption::StdDev));
            for (int o = 0; o < kCaptureOptionCount; ++o) {
                // With StdDev the Mean sum goes to the StdDev group (in RAW even if Mean was not
                // asked for), right before the sum of squares.
                const bool asked = st.capture & (1u << o);
                if (!asked && !(stdDev && CaptureOption(o) == CaptureOption::Mean))
                    continue;
                CaptureColumn pc = c;
                pc.option = CaptureOption(o);
                pc.capture = captureOptionName(pc.option);
                pc.index = posIndex;
                pc.scale = st.scale;
                pc.offset = st.offset;
                pc.units = st.units;
                if (pc.option == CaptureOption::Sum) {
                    pc.group = ColumnGroup::Scaled64;
                    pc.rawBytes = 8;
                } else if (pc.option == CaptureOption::Mean) {
                    pc.group = stdDev ? ColumnGroup::StdDev : ColumnGroup::Averaged;
                    pc.rawBytes = 8;
                    pc.rawOnly = !asked;
                    meanCaptured = true;
                } else if (pc.option == CaptureOption::StdDev) {
                    pc.group = ColumnGroup::StdDev;
                    pc.rawBytes = 12;
                    layout.hasStdDev = true;
                }
                groups[int(pc.group)].append(pc);
            }
            break;
        }
        case FieldKind::ExtTimestamp:
            c.source = def.name == "TS_START" ? ColumnSource::TsStart
                : def.name == "TS_END"        ? ColumnSource::TsEnd
                                              : ColumnSource::TsTrig;
            c.group = ColumnGroup::Scaled64;
            c.rawBytes = 8;
            c.scale = kSecondsPerTick;
            c.units = "s";
            groups[int(c.group)].append(c);
            break;
        case FieldKind::ExtSamples:
            gateCaptured = true;
            groups[int(ColumnGroup::Scaled32)].append(gateColumn(c.name, ColumnGroup::Scaled32, oldGateType));
            break;
        case FieldKind::ExtBits:
            c.source = ColumnSource::Bits;
            c.group = ColumnGroup::Unscaled;
            c.index = def.name.back() - '0';
            c.unsignedRaw = true;
            groups[int(c.group)].append(c);
            break;
        default:
            break;
        }
    }

    layout.anonymousGate = meanCaptured && !gateCaptured;
    if (layout.anonymousGate)
        layout.columns.append(gateColumn(gateName, ColumnGroup::SampleCount, oldGateType));
    for (const QVector<CaptureColumn> &g : groups)
        layout.columns += g;
    for (int i = 0; i < layout.columns.size(); ++i) {
        CaptureColumn &c = layout.columns[i];
        if (c.option == CaptureOption::StdDev && c.source == ColumnSource::Pos)
            c.sumColumn = i - 1; // the Mean sum just before it
        layout.rawSampleBytes += c.rawBytes;
        if (i >= layout.firstScaledColumn() && !c.rawOnly)
            layout.scaledSampleBytes += c.source == ColumnSource::Bits ? 4 : 8;
    }
    return layout;
}

QByteArray renderHeader(const CaptureLayout &layout, const SimDataOptions &options, const HeaderInfo &info)
{
    static const char *const formatNames[] = { "ASCII", "Base64", "Framed", "Unframed" };
    const bool xml = options.xml;
    QByteArray out;
    out.reserve(256 + 128 * layout.columns.size());

    // The <data> attributes, in their fixed order.
    QList<QPair<QByteArray, QByteArray>> attrs;
    if (!info.armTime.isEmpty()) {
        attrs.append({ "arm_time", info.armTime });
        attrs.append({ "start_time", info.startTime });
    }
    attrs.append({ "missed", QByteArray::number(info.missed) });
    attrs.append({ "process", QByteArray(options.raw ? "Raw" : "Scaled") });
    attrs.append({ "format", QByteArray(formatNames[int(options.format)]) });
    if (options.format != SimDataOptions::Format::Ascii)
        attrs.append({ "sample_bytes", QByteArray::number(layout.sampleBytes(options.raw)) });

    if (xml) {
        out += "<header>\n<data";
        for (const auto &[name, value] : std::as_const(attrs))
            out += ' ' + name + "=\"" + value + '"';
        out += " />\n<fields>\n";
    } else {
        for (const auto &[name, value] : std::as_const(attrs))
            out += name + ": " + value + '\n';
        out += "fields:\n";
    }

    for (int i = options.raw ? 0 : layout.firstScaledColumn(); i < layout.columns.size(); ++i) {
        const CaptureColumn &c = layout.columns[i];
        if (c.rawOnly && !options.raw)
            continue;
        const QByteArray type = typeName(c, options.raw);
        const bool scaled = c.source != ColumnSource::Bits;
        if (xml) {
            out += "<field name=\"" + c.name + "\" type=\"" + type + "\" capture=\"" + c.capture + '"';
            if (scaled)
                out += " scale=\"" + formatG12(c.scale) + "\" offset=\"" + formatG12(c.offset) + "\" units=\""
                    + xmlEscaped(c.units) + '"';
            out += " />\n";
        } else {
            out += ' ' + c.name + ' ' + type + ' ' + c.capture;
            if (scaled)
                out += " scale: " + formatG12(c.scale) + " offset: " + formatG12(c.offset)
                    + " units: " + c.units;
            out += '\n';
        }
    }
    if (xml)
        out += "</fields>\n</header>\n";
    out += '\n';
    return out;
}

QByteArray isoTimeNow()
{
    using namespace std::chrono;
    const auto ns = duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
    const std::time_t secs = std::time_t(ns / 1'000'000'000);
    std::tm tm {};
    gmtime_r(&secs, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%4d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, long(ns % 1'000'000'000));
    return buf;
}

} // namespace bs::panda
