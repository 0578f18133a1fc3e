// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The SCPI command set of the simulated M81-SSM (docs/protocols/lakeshore-m81.md §2–9, §13):
// executes one received line and builds the one answer line, if any.
//
// A line is cut into program units at `;` (with or without a following `:`); a unit without a
// leading `:` that is no command on its own is also tried under the path of the unit before it
// (SCPI's relative headers). Headers match in short or long form and any case, with numeric
// suffixes (SOURce2, SENSe3). The replies of every query of the line are joined by `;` into one
// answer; a line without a query (or whose queries all failed) has no answer. An error is queued
// as `code,"message;unit;"` and the failing query answers nothing.
//
// The command table is built in two files: M81SimulatorCommands.cpp (dispatch, IEEE 488.2,
// SYSTem, STATus, FETCh/READ, TRACe), M81SimulatorCommandsModules.cpp (SOURce<n>, SENSe<n>) and
// M81SimulatorCommandsInstrument.cpp (STATistics, INPut/OUTPut:REFerence, OUTPut:MONitor,
// CALibration, SYSTem:LFRequency).
//
// Not thread-safe: simulator thread only.

#include "M81SimulatorConfig.h"
#include "M81SimulatorErrorQueue.h"
#include "M81SimulatorModules.h"
#include "M81SimulatorScpi.h"
#include "M81SimulatorStream.h"

#include <QByteArray>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace bs::m81 {

struct M81SimAnswer
{
    bool present = false;  // false: nothing is sent back
    QByteArray text;       // without CR LF
    bool streamData = false; // the line had a TRACe:DATA:ALL? that returned rows
};

class M81SimulatorCommands
{
public:
    /// `clockNs` gives the device's time (monotonic ns).
    M81SimulatorCommands(const M81SimulatorConfig &cfg, std::function<qint64()> clockNs);

    /// Executes one line (without its line end; not empty).
    M81SimAnswer execute(QByteArrayView line);

    /// Queues an error as if `command` had caused it (fault injection).
    void pushError(int code, QByteArrayView command);

    /// Thread-safe fault injection: the next TRACe:DATA:ALL? that returns rows loses the second
    /// half of its last row (the decoded reply is no whole number of rows).
    void armTruncatedRow() { m_truncateArmed.store(true); }
    /// Thread-safe: the next TRACe:DATA:ALL? of a running stream (or with rows buffered) queues
    /// -230 "Data corrupt or stale;TRACe:DATA:ALL?;" and answers as usual.
    void armStreamError() { m_errorArmed.store(true); }
    /// Thread-safe: both of the above withdrawn if not applied yet.
    void disarmFaults()
    {
        m_truncateArmed.store(false);
        m_errorArmed.store(false);
    }

    M81SimulatorStream &stream() { return m_stream; }
    M81SimulatorModules &modules() { return m_modules; }
    const M81SimulatorErrorQueue &errors() const { return m_errors; }
    int operationCondition() const;
    int questionableCondition() const;

private:
    struct Keyword
    {
        QByteArray name;
        bool optional = false;
        bool suffix = false; // a numeric suffix may follow (default 1)
    };
    /// One program unit being executed.
    struct Call
    {
        const scpi::Unit &unit;
        std::vector<int> suffixes; // one per suffix keyword of the pattern, in order
        int suffix(size_t i = 0) const { return i < suffixes.size() ? suffixes[i] : 1; }
        const QByteArrayList &params() const { return unit.params; }
    };
    using Reply = std::optional<QByteArray>;
    using Handler = std::function<Reply(Call &)>;
    struct Entry
    {
        std::vector<Keyword> path;
        bool query = false;
        bool common = false;
        Handler handler;
    };

    void add(const char *pattern, Handler h);
    bool match(const Entry &e, const QByteArrayList &words, std::vector<int> &suffixes) const;
    const Entry *find(const scpi::Unit &u, const QByteArrayList &words, std::vector<int> &suffixes) const;
    Reply run(const scpi::Unit &u, QByteArrayList &path);
    void updateStatus();

    // Helpers for handlers: each queues the error and returns false / nullopt on failure.
    Reply fail(int code, const Call &c);
    bool params(const Call &c, int min, int max);
    std::optional<double> numberParam(const Call &c, double min, double max);
    std::optional<bool> boolParam(const Call &c);
    /// The choice `c`'s single parameter names among `choices` (SCPI keywords, e.g. "SINusoid");
    /// the index, or nullopt (-224).
    std::optional<int> choiceParam(const Call &c, std::initializer_list<const char *> choices);
    M81SourceModule *sourceOf(const Call &c);
    M81MeasureModule *measureOf(const Call &c);
    /// (mnemonic, module) pairs of ELEMents / FETCh? / READ?; nullopt after queuing an error.
    std::optional<QList<M81StreamElement>> elementPairs(const Call &c, int maxPairs, bool readOnly);

    void addSystem();
    void addStatus();
    void addTrace();
    void addFetch();
    void addSourceModules();  // M81SimulatorCommandsModules.cpp
    void addMeasureModules(); // M81SimulatorCommandsModules.cpp
    void addInstrument();     // M81SimulatorCommandsInstrument.cpp
    void addSetting(const char *pattern, std::function<Reply(Call &)> get, std::function<bool(Call &)> set);

    const M81SimulatorConfig &m_cfg;
    std::function<qint64()> m_clockNs;
    M81SimulatorModules m_modules;
    M81SimulatorStream m_stream;
    M81SimulatorErrorQueue m_errors;
    std::vector<Entry> m_entries;
    /// Instrument-wide settings of §9 (reference input/output, monitor output).
    struct InstrumentSettings
    {
        QByteArray refEdge = "RISING";
        QByteArray refOutSource = "S1";
        bool refOutOn = false;
        QByteArray monitorMode = "M1";
        bool monitorOn = false;
        double monitorLevel = 0;
    } m_instrument;
    int m_esr = 0, m_ese = 0, m_sre = 0;
    int m_opCondition = 0, m_opEvent = 0, m_opEnable = 0;
    int m_quesCondition = 0, m_quesEvent = 0, m_quesEnable = 0;
    bool m_fixturePending = false; // the fixture's test vector is due at the next DATA:ALL?
    QByteArray m_lastRow; // U14: the last row of the previous DATA:ALL?
    std::atomic<bool> m_truncateArmed { false };
    std::atomic<bool> m_errorArmed { false };
    bool m_streamReplied = false; // a DATA:ALL? of the line being executed returned bytes
    QByteArray m_heldBack; // U9: the part of a row held back to the next DATA:ALL?
};

} // namespace bs::m81
