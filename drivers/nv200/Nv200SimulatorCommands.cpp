// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200SimulatorCommands.h"

#include "Nv200SimulatorModel.h"

#include <algorithm>
#include <cmath>

namespace bs::nv200 {
namespace {

constexpr int kErrNotSpecified = 1;
constexpr int kErrUnknown = 2;
constexpr int kErrMissing = 3;
constexpr int kErrRange = 4;
constexpr int kErrTooMany = 5;
constexpr int kErrReadOnly = 6;
constexpr int kDescWidth = 12; // `desc` is padded with spaces to this width

QByteArray fmt3(double v)
{
    if (!std::isfinite(v))
        v = 0;
    double r = std::round(v * 1000.0) / 1000.0;
    if (r == 0)
        r = 0; // no "-0.000"
    return QByteArray::number(r, 'f', 3);
}

QByteArray fmtE(double v)
{
    return QByteArray::number(v, 'e', 6);
}

bool parseNumber(const QByteArray &text, double *out)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return false;
    *out = v;
    return true;
}

/// "head,v0,v1,…" with the first value marked (for GarbleValue).
Nv200SimReply answer(const QByteArray &head, const QByteArrayList &values, bool numeric = true)
{
    Nv200SimReply r;
    QByteArray line = head;
    for (const QByteArray &v : values)
        line += ',' + v;
    if (numeric && !values.isEmpty()) {
        r.valuePos = head.size() + 1;
        r.valueLen = values.first().size();
    }
    r.lines.append(line);
    return r;
}

/// Parses args[i] as an integer in [min, max]; returns 0 or an error code.
int intArg(const QByteArrayList &args, qsizetype i, int min, int max, int *out)
{
    double v = 0;
    if (!parseNumber(args.at(i), &v))
        return kErrNotSpecified;
    if (v != std::floor(v) || v < min || v > max)
        return kErrRange;
    *out = int(v);
    return 0;
}

int doubleArg(const QByteArrayList &args, qsizetype i, double min, double max, double *out)
{
    double v = 0;
    if (!parseNumber(args.at(i), &v))
        return kErrNotSpecified;
    // Compare on the 3-decimal grid the device prints, so a read-back value is always accepted.
    if (std::round(v * 1000.0) < std::round(min * 1000.0) || std::round(v * 1000.0) > std::round(max * 1000.0))
        return kErrRange;
    *out = std::clamp(v, min, max);
    return 0;
}

/// 0 when args.size() is within [min, max], else the error code for too few / too many.
int countCheck(const QByteArrayList &args, qsizetype min, qsizetype max)
{
    if (args.size() < min)
        return kErrMissing;
    if (args.size() > max)
        return kErrTooMany;
    return 0;
}

} // namespace

Nv200SimReply Nv200SimReply::error(int code)
{
    Nv200SimReply r;
    r.lines.append("error," + QByteArray::number(code));
    return r;
}

qsizetype Nv200SimReply::textSize() const
{
    qsizetype n = 0;
    for (const QByteArray &l : lines)
        n += l.size();
    return n;
}

Nv200SimulatorCommands::Nv200SimulatorCommands(Nv200SimulatorModel &model)
    : m_model(model)
{
    addTables();
    addAwg();
    addRecorder();
    m_storedDefaults = m_stored;
}

void Nv200SimulatorCommands::resetStored()
{
    m_stored = m_storedDefaults;
    applyFilterFlags();
}

void Nv200SimulatorCommands::applyFilterFlags()
{
    m_model.setFilterFlags(m_stored.value("setlpon") != 0 || m_stored.value("poslpon") != 0,
        m_stored.value("notchon") != 0);
}

Nv200SimReply Nv200SimulatorCommands::execute(QByteArrayView line)
{
    QByteArrayList parts = line.toByteArray().split(',');
    for (QByteArray &p : parts)
        p = p.trimmed();
    const QByteArray name = parts.takeFirst();
    const auto it = m_handlers.constFind(name);
    if (it == m_handlers.constEnd())
        return Nv200SimReply::error(kErrUnknown);
    return (*it)(parts);
}

void Nv200SimulatorCommands::add(const char *name, const char *help, Handler h)
{
    const QByteArray key(name);
    m_handlers.insert(key, std::move(h));
    m_order.append(key);
    m_help.insert(key, QByteArray(help));
}

void Nv200SimulatorCommands::addInt(const char *name, const char *help, int min, int max,
    std::function<int()> get, std::function<void(int)> set)
{
    const QByteArray key(name);
    add(name, help, [=](const Args &args) -> Nv200SimReply {
        if (args.isEmpty())
            return answer(key, { QByteArray::number(get()) });
        if (args.size() > 1)
            return Nv200SimReply::error(kErrTooMany);
        int v = 0;
        if (int e = intArg(args, 0, min, max, &v))
            return Nv200SimReply::error(e);
        set(v);
        return {};
    });
}

void Nv200SimulatorCommands::addDouble(const char *name, const char *help, double min, double max,
    std::function<double()> get, std::function<void(double)> set)
{
    const QByteArray key(name);
    add(name, help, [=](const Args &args) -> Nv200SimReply {
        if (args.isEmpty())
            return answer(key, { fmt3(get()) });
        if (args.size() > 1)
            return Nv200SimReply::error(kErrTooMany);
        double v = 0;
        if (int e = doubleArg(args, 0, min, max, &v))
            return Nv200SimReply::error(e);
        set(v);
        return {};
    });
}

void Nv200SimulatorCommands::addStoredInt(const char *name, const char *help, int min, int max, int def)
{
    const QByteArray key(name);
    m_stored.insert(key, def);
    addInt(name, help, min, max, [this, key] { return int(m_stored.value(key)); },
        [this, key](int v) {
            m_stored.insert(key, v);
            applyFilterFlags();
        });
}

void Nv200SimulatorCommands::addStoredDouble(const char *name, const char *help, double min, double max, double def)
{
    const QByteArray key(name);
    m_stored.insert(key, def);
    addDouble(name, help, min, max, [this, key] { return m_stored.value(key); },
        [this, key](double v) { m_stored.insert(key, v); });
}

void Nv200SimulatorCommands::addReadOnly(const char *name, const char *help, std::function<Nv200SimReply()> get)
{
    add(name, help, [get](const Args &args) -> Nv200SimReply {
        if (!args.isEmpty())
            return Nv200SimReply::error(kErrReadOnly);
        return get();
    });
}

void Nv200SimulatorCommands::addTables()
{
    Nv200SimulatorModel &m = m_model;
    const Nv200SimActuator &act = m.actuator();

    // General and identity.
    add("s", "print the command list", [this](const Args &args) -> Nv200SimReply {
        if (!args.isEmpty())
            return Nv200SimReply::error(kErrTooMany);
        Nv200SimReply r;
        for (const QByteArray &name : std::as_const(m_order))
            r.lines.append(name.leftJustified(10, ' ') + ' ' + m_help.value(name));
        return r;
    });
    add("reset", "hardware reset", [this](const Args &args) -> Nv200SimReply {
        if (!args.isEmpty())
            return Nv200SimReply::error(kErrTooMany);
        m_model.reset();
        resetStored();
        return {};
    });
    addStoredInt("fenable", "full-range sweep at power-up (0/1)", 0, 1, 0);
    addStoredDouble("sinit", "initial position after power-up, %", 0, 100, 0);
    add("set", "setpoint (V open loop, position closed loop)", [&m](const Args &args) -> Nv200SimReply {
        if (args.isEmpty())
            return answer("set", { fmt3(m.setpoint()) });
        if (args.size() > 1)
            return Nv200SimReply::error(kErrTooMany);
        double v = 0;
        if (int e = doubleArg(args, 0, m.setMin(), m.setMax(), &v))
            return Nv200SimReply::error(e);
        m.setSetpoint(v);
        return {};
    });
    add("setst", "smooth setpoint: setst,<value>,<jumptime ms>", [&m](const Args &args) -> Nv200SimReply {
        if (int e = countCheck(args, 2, 2))
            return Nv200SimReply::error(e);
        double v = 0, ms = 0;
        if (int e = doubleArg(args, 0, m.setMin(), m.setMax(), &v))
            return Nv200SimReply::error(e);
        if (int e = doubleArg(args, 1, 0, 1e6, &ms))
            return Nv200SimReply::error(e);
        m.setSetpointSmooth(v, ms);
        return {};
    });
    addReadOnly("meas", "measured position (or voltage without sensor)",
        [&m] { return answer("meas", { fmt3(m.measured()) }); });
    add("imeas", "piezo current: imeas,<0|1>", [&m](const Args &args) -> Nv200SimReply {
        if (int e = countCheck(args, 1, 1))
            return Nv200SimReply::error(e);
        int ch = 0;
        if (int e = intArg(args, 0, 0, 1, &ch))
            return Nv200SimReply::error(e);
        return answer("imeas," + QByteArray::number(ch), { fmt3(m.current(ch)) });
    });
    addStoredInt("ctrlmode", "0 PID, 1 ILC identification, 2 ILC feed-forward, 3 ILC feedback", 0, 3, 0);
    addReadOnly("temp", "heat-sink temperature, deg C", [&m] { return answer("temp", { fmt3(m.temperature()) }); });
    addReadOnly("stat", "status register", [&m] { return answer("stat", { QByteArray::number(m.status()) }); });
    addReadOnly("posmin", "lower motion limit", [&act] { return answer("posmin", { fmt3(act.posMin) }); });
    addReadOnly("posmax", "upper motion limit", [&act] { return answer("posmax", { fmt3(act.posMax) }); });
    addReadOnly("avmin", "lower voltage limit, V",
        [] { return answer("avmin", { fmt3(Nv200SimulatorModel::kAvMin) }); });
    addReadOnly("avmax", "upper voltage limit, V",
        [] { return answer("avmax", { fmt3(Nv200SimulatorModel::kAvMax) }); });
    addReadOnly("unitcl", "closed-loop unit", [&act] { return answer("unitcl", { act.unitCl }, false); });
    addReadOnly("unitol", "open-loop unit", [] { return answer("unitol", { "V" }, false); });
    addReadOnly("desc", "actuator type",
        [&act] { return answer("desc", { act.desc.leftJustified(kDescWidth, ' ') }, false); });
    addReadOnly("acserno", "actuator serial number",
        [&act] { return answer("acserno", { QByteArray::number(act.serial) }); });
    addReadOnly("acmeasure", "actuator sensor: 0 none, 1 strain gauge, 2 capacitive, 3 LVDT",
        [&act] { return answer("acmeasure", { QByteArray::number(act.sensor) }); });

    // Loop, sources, filters.
    addInt("cl", "0 open loop, 1 closed loop", 0, 1, [&m] { return m.closedLoop() ? 1 : 0; },
        [&m](int v) { m.setClosedLoop(v != 0); });
    addInt("modsrc", "setpoint source: 0 set, 1 analog, 2 SPI, 3 AWG", 0, 3, [&m] { return m.modSrc(); },
        [&m](int v) { m.setModSrc(v); });
    addStoredInt("monsrc", "monitor output source 0-7", 0, 7, 0);
    addDouble("sr", "slew rate, %/ms (2000 = off)", 0.0000008, 2000, [&m] { return m.slewRate(); },
        [&m](double v) { m.setSlewRate(v); });
    addStoredDouble("kp", "PID proportional gain", 0, 10000, 0);
    addStoredDouble("ki", "PID integral gain", 0, 10000, 200);
    addStoredDouble("kd", "PID derivative gain", 0, 10000, 0);
    addStoredDouble("tf", "PID derivative filter", 0, 10000, 0);
    m_stored.insert("pcf.0", 0);
    m_stored.insert("pcf.1", 0);
    m_stored.insert("pcf.2", 0);
    add("pcf", "feed-forward: pcf,<pos>,<vel>,<acc>", [this](const Args &args) -> Nv200SimReply {
        if (args.isEmpty())
            return answer("pcf",
                { fmtE(m_stored.value("pcf.0")), fmtE(m_stored.value("pcf.1")), fmtE(m_stored.value("pcf.2")) });
        if (int e = countCheck(args, 3, 3))
            return Nv200SimReply::error(e);
        std::array<double, 3> v {};
        for (int i = 0; i < 3; ++i) {
            if (int e = doubleArg(args, i, -1e9, 1e9, &v[size_t(i)]))
                return Nv200SimReply::error(e);
        }
        for (int i = 0; i < 3; ++i)
            m_stored.insert("pcf." + QByteArray::number(i), v[size_t(i)]);
        return {};
    });
    addStoredInt("setlpon", "setpoint low-pass on/off", 0, 1, 0);
    addStoredInt("setlpf", "setpoint low-pass cut-off, Hz", 1, 10000, 200);
    addStoredInt("poslpon", "position low-pass on/off", 0, 1, 0);
    addStoredInt("poslpf", "position low-pass cut-off, Hz", 1, 10000, 1000);
    addStoredInt("notchon", "notch filter on/off", 0, 1, 0);
    addStoredInt("notchf", "notch frequency, Hz", 1, 10000, 1000);
    m_stored.insert("notchb", 100);
    add("notchb", "notch bandwidth, Hz (<= 2 x notchf)", [this](const Args &args) -> Nv200SimReply {
        if (args.isEmpty())
            return answer("notchb", { QByteArray::number(int(m_stored.value("notchb"))) });
        if (args.size() > 1)
            return Nv200SimReply::error(kErrTooMany);
        int v = 0;
        if (int e = intArg(args, 0, 1, std::min(10000, 2 * int(m_stored.value("notchf"))), &v))
            return Nv200SimReply::error(e);
        m_stored.insert("notchb", v);
        return {};
    });

    // Trigger and SPI (stored and echoed; trgedg numbering is unverified, U10).
    addStoredInt("trgfkt", "trigger-in: 0 none, 1 AWG start, 2 AWG step, 3 AWG sync, 4 ILC sync, 5 recorder", 0, 5, 0);
    addStoredInt("trgedg", "trigger-out edge (raw number)", 0, 3, 0);
    addStoredInt("trgsrc", "trigger-out source: 0 position, 1 setpoint", 0, 1, 0);
    const double span = act.posMax - act.posMin;
    addStoredDouble("trgss", "trigger-out start position", act.posMin + 0.001, act.posMax - 0.001, act.posMin + 0.1 * span);
    addStoredDouble("trgse", "trigger-out stop position", act.posMin + 0.001, act.posMax - 0.001, act.posMin + 0.9 * span);
    addStoredDouble("trgsi", "trigger-out step size", 0, span, 0.1 * span);
    addStoredInt("trglen", "trigger-out pulse length, samples", 0, 255, 10);
    addStoredInt("spisrc", "SPI source 0-9", 0, 9, 1);
    addStoredInt("spitrg", "SPI trigger: 0 internal, 1 SPI", 0, 1, 0);
    addStoredInt("spis", "SPI format: 0 hex, 1 decimal, 2 stroke/voltage", 0, 2, 0);
}

void Nv200SimulatorCommands::addAwg()
{
    Nv200SimulatorModel &m = m_model;
    auto &g = m.awg();
    constexpr int last = Nv200SimulatorModel::kAwgSize - 1;
    addInt("grun", "AWG 0 stop / 1 start", 0, 1, [&g] { return g.running ? 1 : 0; },
        [&m](int v) { m.setAwgRunning(v != 0); });
    addInt("gsarb", "AWG loop start index", 0, last, [&g] { return g.start; }, [&g](int v) { g.start = v; });
    addInt("gearb", "AWG loop end index", 0, last, [&g] { return g.end; }, [&g](int v) { g.end = v; });
    addInt("goarb", "AWG start (offset) index", 0, last, [&g] { return g.offset; }, [&g](int v) { g.offset = v; });
    addInt("gcarb", "AWG cycles, 0 = infinite", 0, 65535, [&g] { return g.cycles; }, [&g](int v) { g.cycles = v; });
    addInt("gtarb", "AWG output factor (x 50 us)", 1, 65535, [&g] { return g.factor; }, [&g](int v) { g.factor = v; });
    addReadOnly("giarb", "AWG current index", [&g] { return answer("giarb", { QByteArray::number(g.index) }); });

    // gbarb (percent of the current mode's range) and gparb (loop units) share the buffer.
    auto buffer = [&m, &g, last](const char *name, bool percent) {
        const QByteArray key(name);
        return [&m, &g, key, percent, last](const Args &args) -> Nv200SimReply {
            if (int e = countCheck(args, 1, 2))
                return Nv200SimReply::error(e);
            int idx = 0;
            if (int e = intArg(args, 0, 0, last, &idx))
                return Nv200SimReply::error(e);
            double &slot = g.buffer[size_t(idx)];
            if (args.size() == 1)
                return answer(key + ',' + QByteArray::number(idx), { fmt3(percent ? slot : m.percentToUnits(slot)) });
            double v = 0;
            if (int e = doubleArg(args, 1, percent ? 0.0 : m.setMin(), percent ? 100.0 : m.setMax(), &v))
                return Nv200SimReply::error(e);
            slot = percent ? v : m.unitsToPercent(v);
            return {};
        };
    };
    add("gbarb", "AWG buffer: gbarb,<idx>[,<percent>]", buffer("gbarb", true));
    add("gparb", "AWG buffer: gparb,<idx>[,<position>]", buffer("gparb", false));
    add("gsave", "AWG buffer to EEPROM", [&g](const Args &args) -> Nv200SimReply {
        if (!args.isEmpty())
            return Nv200SimReply::error(kErrTooMany);
        g.saved = g.buffer;
        return {};
    });
    add("gload", "AWG buffer from EEPROM", [&g](const Args &args) -> Nv200SimReply {
        if (!args.isEmpty())
            return Nv200SimReply::error(kErrTooMany);
        g.buffer = g.saved;
        return {};
    });
}

void Nv200SimulatorCommands::addRecorder()
{
    Nv200SimulatorModel &m = m_model;
    auto &rec = m.recorder();
    add("recsrc", "recorder source: recsrc,<ch>[,<0-7>]", [&rec](const Args &args) -> Nv200SimReply {
        if (int e = countCheck(args, 1, 2))
            return Nv200SimReply::error(e);
        int ch = 0;
        if (int e = intArg(args, 0, 0, 1, &ch))
            return Nv200SimReply::error(e);
        if (args.size() == 1)
            return answer("recsrc," + QByteArray::number(ch), { QByteArray::number(rec.source[size_t(ch)]) });
        int src = 0;
        if (int e = intArg(args, 1, 0, 7, &src))
            return Nv200SimReply::error(e);
        rec.source[size_t(ch)] = src;
        return {};
    });
    addInt("recast", "recorder autostart: 0 off, 1 on set, 2 on grun", 0, 2, [&rec] { return rec.autoStart; },
        [&rec](int v) { rec.autoStart = v; });
    addInt("recstr", "recorder stride", 1, 65535, [&rec] { return rec.stride; }, [&rec](int v) { rec.stride = v; });
    addInt("reclen", "recorder length, 0 = ring", 0, Nv200SimulatorModel::kRecorderSize,
        [&rec] { return rec.length; }, [&rec](int v) { rec.length = v; });
    addInt("recrun", "recorder 1 start/arm, 0 stop", 0, 1, [&m] { return m.recorderBusy() ? 1 : 0; },
        [&m](int v) { m.setRecorderRunning(v != 0); });
    addReadOnly("recidx", "recorder write index", [&m] { return answer("recidx", { QByteArray::number(m.recorderIndex()) }); });
    add("recout", "recorder values: recout,<ch>,<index>,<count>", [&m](const Args &args) -> Nv200SimReply {
        if (int e = countCheck(args, 3, 3))
            return Nv200SimReply::error(e);
        const int len = m.readoutLength();
        int ch = 0, idx = 0, count = 0;
        if (int e = intArg(args, 0, 0, 1, &ch))
            return Nv200SimReply::error(e);
        if (int e = intArg(args, 1, 0, len - 1, &idx))
            return Nv200SimReply::error(e);
        if (int e = intArg(args, 2, 1, len - idx, &count))
            return Nv200SimReply::error(e);
        QByteArrayList values;
        values.reserve(count);
        for (int i = 0; i < count; ++i)
            values.append(fmt3(m.recorded(ch, idx + i)));
        return answer("recout," + QByteArray::number(ch) + ',' + QByteArray::number(idx), values);
    });
    add("recoutf", "recorder buffer: recoutf,<ch>", [&m](const Args &args) -> Nv200SimReply {
        if (int e = countCheck(args, 1, 1))
            return Nv200SimReply::error(e);
        int ch = 0;
        if (int e = intArg(args, 0, 0, 1, &ch))
            return Nv200SimReply::error(e);
        const int len = m.readoutLength();
        QByteArrayList values;
        values.reserve(len);
        for (int i = 0; i < len; ++i)
            values.append(fmt3(m.recorded(ch, i)));
        return answer("recoutf," + QByteArray::number(ch), values);
    });
}

} // namespace bs::nv200
