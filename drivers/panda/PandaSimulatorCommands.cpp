// SPDX-License-Identifier: GPL-3.0-or-later
// Line splitting and the system (`*…`) commands; entity commands are in
// PandaSimulatorEntityCommands.cpp.
#include "PandaSimulatorCommands.h"

#include <QDebug>

namespace bs::panda {
namespace {

constexpr char kIdentity[] = "PandA SW: 4.1 FPGA: 0.1.9 00000000 00000000 rootfs: BenchScope PandA simulator";

/// Splits "HEAD.REST" at the first dot.
struct Split
{
    QByteArrayView head;
    QByteArrayView rest;
    bool hasRest = false;
};

Split splitFirstDot(QByteArrayView name)
{
    const qsizetype dot = name.indexOf('.');
    if (dot < 0)
        return { name, {}, false };
    return { name.first(dot), name.sliced(dot + 1), true };
}

} // namespace

PandaSimulatorCommands::PandaSimulatorCommands(
    PandaSimulatorModel &model, PandaSimulatorCaptureControl &capture)
    : m_model(model)
    , m_fields(model)
    , m_capture(capture)
{
}

void PandaSimulatorCommands::handleLine(QByteArrayView line, ControlSession &session, QByteArray &out)
{
    if (session.swallowingTable) {
        if (line.isEmpty())
            session.swallowingTable = false;
        return;
    }
    const qsizetype before = out.size();
    dispatch(line, session).appendTo(out);
    if (m_verbose)
        qInfo().noquote() << "PandA simulator <" << line.toByteArray() << ">" << out.mid(before).trimmed();
}

Reply PandaSimulatorCommands::dispatch(QByteArrayView line, ControlSession &session)
{
    if (line.contains('\r'))
        return Reply::error("Unexpected text after command");
    const bool isSystem = line.startsWith('*');
    const QByteArrayView body = isSystem ? line.sliced(1) : line;
    qsizetype ix = 0;
    while (ix < body.size() && body[ix] != '?' && body[ix] != '=' && body[ix] != '<')
        ++ix;
    if (ix == body.size())
        return Reply::error("Unknown command");
    const QByteArrayView name = body.first(ix);
    const char op = body[ix];
    const QByteArrayView value = body.sliced(ix + 1);
    if (op == '?' && !value.isEmpty())
        return Reply::error("Unexpected text after command");
    if (op == '<') {
        // Once a table write is syntactically started its data lines are consumed up to the empty
        // line even though the target is rejected (no tables are simulated).
        session.swallowingTable = true;
        if (isSystem)
            return Reply::error("Not a table");
        Target t;
        const Reply r = parseTarget(name, t, false);
        return r.isError() ? r : Reply::error("Field is not a table");
    }
    return isSystem ? system(name, op, value, session) : entity(name, op, value);
}

Reply PandaSimulatorCommands::system(
    QByteArrayView name, char op, QByteArrayView value, ControlSession &session)
{
    if (name == "ECHO")
        return op == '?' ? Reply::error("Character ' ' expected") : Reply::error("Unknown command");
    if (name.startsWith("ECHO "))
        return op == '?' ? Reply::value(name.sliced(5).toByteArray()) : Reply::error("Unknown command");

    const Split s = splitFirstDot(name);
    const bool query = op == '?';
    const bool assign = op == '=';
    if (s.head == "PCAP" && s.hasRest)
        return pcap(s.rest, op, value);
    if (s.head == "CAPTURE")
        return capture(s.hasRest ? s.rest : QByteArrayView(), op, value);
    if (s.head == "CHANGES")
        return changes(s.hasRest ? s.rest : QByteArrayView(), op, value, session);
    if (s.head == "DESC" && s.hasRest && query)
        return describe(s.rest);
    if (s.head == "ENUMS" && s.hasRest && query)
        return enums(s.rest);
    if (s.hasRest)
        return Reply::error("Unknown command");

    if (name == "IDN" && query)
        return Reply::value(kIdentity);
    if (name == "WHO" && query)
        return Reply::list(m_capture.connectedClients());
    if (name == "CLOCK_FREQ" && query)
        return Reply::value(QByteArray::number(kClockHz));
    if (name == "BLOCKS" && query) {
        QList<QByteArray> lines;
        for (const SimBlock &b : m_model.blocks())
            lines.append(b.name + ' ' + QByteArray::number(b.count));
        return Reply::list(lines);
    }
    if ((name == "POSITIONS" || name == "BITS") && query) {
        QList<QByteArray> lines;
        for (const FieldRef &r : name == "BITS" ? m_model.bitBus() : m_model.posBus())
            lines.append(m_model.fieldName(r));
        return Reply::list(lines);
    }
    if (name == "VERBOSE" && assign) {
        if (value != "0" && value != "1")
            return Reply::error("Number out of range");
        m_verbose = value == "1";
        return Reply::ok();
    }
    if (name == "SAVESTATE" && assign)
        return Reply::ok();
    return Reply::error("Unknown command");
}

Reply PandaSimulatorCommands::pcap(QByteArrayView name, char op, QByteArrayView value)
{
    if (op == '=' && (name == "ARM" || name == "DISARM")) {
        if (!value.isEmpty())
            return Reply::error("Unexpected character after input");
        if (name == "ARM")
            return m_capture.arm();
        m_capture.disarm();
        return Reply::ok();
    }
    if (op == '?' && name == "STATUS")
        return Reply::value(m_capture.captureStatus());
    if (op == '?' && name == "CAPTURED")
        return Reply::value(QByteArray::number(m_capture.capturedSamples()));
    if (op == '?' && name == "COMPLETION")
        return Reply::value(m_capture.completion());
    return Reply::error("Invalid *PCAP field");
}

Reply PandaSimulatorCommands::capture(QByteArrayView rest, char op, QByteArrayView value)
{
    if (rest.isNull()) {
        if (op == '=') {
            if (!value.isEmpty())
                return Reply::error("Unexpected character after input");
            m_model.clearCaptures();
            return Reply::ok();
        }
        if (op != '?')
            return Reply::error("Unknown command");
        QList<QByteArray> lines;
        for (const FieldRef &r : m_model.capturableFields()) {
            const quint32 capture = m_model.state(r).capture;
            if (capture == 0)
                continue;
            const bool pos = m_model.def(r).kind == FieldKind::PosOut;
            lines.append(m_model.fieldName(r) + ' ' + (pos ? captureMaskText(capture) : QByteArray("Value")));
        }
        return Reply::list(lines);
    }
    if (op != '?')
        return Reply::error("Unknown command");
    if (rest == "*") {
        QList<QByteArray> lines;
        for (const FieldRef &r : m_model.capturableFields())
            lines.append(m_model.fieldName(r));
        return Reply::list(lines);
    }
    if (rest == "OPTIONS") {
        QList<QByteArray> lines; // StdDev only on an FPGA that has it
        for (int o = 0; o < kCaptureOptionCount; ++o)
            if (CaptureOption(o) != CaptureOption::StdDev || m_model.fpga().stdDev)
                lines.append(captureOptionName(CaptureOption(o)));
        return Reply::list(lines);
    }
    if (rest == "ENUMS")
        return Reply::list(PandaSimulatorFields::posCaptureEnums(m_model.fpga().stdDev));
    return Reply::error("Unknown command");
}

Reply PandaSimulatorCommands::changes(
    QByteArrayView group, char op, QByteArrayView value, ControlSession &session)
{
    QList<ChangeGroup> groups;
    for (int g = 0; g < kChangeGroupCount; ++g) {
        if (group.isNull() || changeGroupName(ChangeGroup(g)) == group)
            groups.append(ChangeGroup(g));
    }
    if (groups.isEmpty())
        return Reply::error("Unknown command");

    if (op == '?') {
        QList<QByteArray> lines;
        for (ChangeGroup g : std::as_const(groups)) {
            QHash<QByteArray, QByteArray> &reported = session.reported[int(g)];
            for (const auto &[name, current] : m_fields.changeValues(g)) {
                auto it = reported.find(name);
                if (it != reported.end() && *it == current)
                    continue;
                reported.insert(name, current);
                lines.append(name + '=' + current);
            }
        }
        return Reply::list(lines);
    }
    if (op != '=')
        return Reply::error("Unknown command");
    if (value != "" && value != "E" && value != "S")
        return Reply::error("Unexpected character after input");
    for (ChangeGroup g : std::as_const(groups)) {
        QHash<QByteArray, QByteArray> &reported = session.reported[int(g)];
        reported.clear();
        if (value != "S") {
            for (const auto &[name, current] : m_fields.changeValues(g))
                reported.insert(name, current);
        }
    }
    return Reply::ok();
}

} // namespace bs::panda
