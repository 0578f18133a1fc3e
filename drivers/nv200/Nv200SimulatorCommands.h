// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The NV200 command table (docs/protocols/nv200.md, Commands): parses one received line
// `name[,p1[,p2…]]`, applies it to the model and builds the text answer (without framing).
// Error codes follow the simulator defaults of §5 U4: unknown command 2, parameter missing 3,
// out of range 4, too many parameters 5, read-only 6, malformed number 1.
//
// Not thread-safe: used on the simulator's thread only.

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>

#include <functional>

namespace bs::nv200 {

class Nv200SimulatorModel;

/// The answer to one command line, before framing.
struct Nv200SimReply
{
    QByteArrayList lines; // empty: setter or action (XOFF XON only)
    qsizetype valuePos = -1; // where the first numeric value starts in lines[0] (-1: none)
    qsizetype valueLen = 0;
    bool silent = false; // a fault: nothing at all is sent back, not even XOFF/XON
    bool endless = false; // a fault: XOFF + lines[0] without its end, then `endlessChunk` forever
    QByteArray endlessChunk;
    QByteArrayList staleFrame; // a fault: a whole frame of another command's answer sent first

    static Nv200SimReply error(int code);
    bool isEmpty() const { return lines.isEmpty(); }
    qsizetype textSize() const;
};

class Nv200SimulatorCommands
{
public:
    explicit Nv200SimulatorCommands(Nv200SimulatorModel &model);

    /// Executes one line (without CR/LF). The model must already be advanced to "now".
    Nv200SimReply execute(QByteArrayView line);
    /// Power-up values of the stored parameters (also done by `reset`).
    void resetStored();

    QByteArrayList commandNames() const { return m_order; }

private:
    using Args = QByteArrayList;
    using Handler = std::function<Nv200SimReply(const Args &)>;

    void add(const char *name, const char *help, Handler h);
    void addInt(const char *name, const char *help, int min, int max, std::function<int()> get,
        std::function<void(int)> set);
    void addDouble(const char *name, const char *help, double min, double max,
        std::function<double()> get, std::function<void(double)> set);
    void addStoredInt(const char *name, const char *help, int min, int max, int def);
    void addStoredDouble(const char *name, const char *help, double min, double max, double def);
    void addReadOnly(const char *name, const char *help, std::function<Nv200SimReply()> get);
    void addTables();
    void addAwg();
    void addRecorder();
    void applyFilterFlags();

    Nv200SimulatorModel &m_model;
    QHash<QByteArray, Handler> m_handlers;
    QByteArrayList m_order;
    QHash<QByteArray, QByteArray> m_help;
    QHash<QByteArray, double> m_stored, m_storedDefaults;
};

} // namespace bs::nv200
