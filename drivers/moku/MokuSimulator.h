// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Liquid Instruments Moku simulator with the Datalogger deployed (docs/protocols/moku.md): the
// device's HTTP REST API (Qt HTTP Server) — ownership, device endpoints, every Datalogger
// operation under /api/datalogger/ and /api/slot1/datalogger/, logging to on-device files, the
// file targets, /api/v2/get_chunk and /api/v2/hwstate — and, optionally, the NDJSON stream on a
// bridge port (what `mokucli stream` would serve). Product code: used by `benchscope-sim moku`,
// the demo bench and the Moku tests; the vendor's Python client must work against it unchanged.
//
// Time: stream samples and logged samples are computed from the elapsed time on the session clock
// whenever someone reads (no timer per sample): sample k is at k / rate exactly, whatever the load.
//
// Threading: the object and everything it owns live on one thread (run it with SimulatorThread:
// start() on that thread). port(), bridgePort() and injectFault() are thread-safe.

#include "MokuSimulatorConfig.h"

#include <QObject>

#include <atomic>

namespace bs::moku {

class MokuSimulatorPrivate;

class MokuSimulator : public QObject
{
    Q_OBJECT
public:
    using Config = MokuSimulatorConfig;
    enum class Fault {
        None,           ///< clears a fault not yet applied
        Http502,        ///< the next REST call is answered 502 (API server missing)
        Stall,          ///< the next REST call is never answered
        TruncatedJson,  ///< the next REST call's reply is cut in the middle of its JSON
        StreamError,    ///< the running (or next) stream goes to ERROR: bridge closed without EOS
        OwnershipTaken, ///< another client claims with force_connect: our key becomes stale
    };
    Q_ENUM(Fault)

    explicit MokuSimulator(const Config &cfg = {}, QObject *parent = nullptr);
    ~MokuSimulator() override;

    /// Listens (REST and, if configured, the bridge port). False and a message if a port cannot
    /// be bound.
    bool start(QString *error = nullptr);
    const Config &config() const;

    /// Actual ports after start() (0 before; bridgePort() 0 without a bridge).
    quint16 port() const { return m_port.load(); }
    quint16 bridgePort() const { return m_bridgePort.load(); }

    /// Thread-safe; applies at the next chance (see Fault).
    Q_INVOKABLE void injectFault(bs::moku::MokuSimulator::Fault f);
    /// Thread-safe: sends the answers of the claims held back (Config::holdClaimAnswers).
    Q_INVOKABLE void releaseClaimAnswers();
    /// Thread-safe: whether a client owns the simulated Moku now.
    bool isOwned() const { return m_owned.load(); }
    /// Thread-safe: how many claims wait for releaseClaimAnswers().
    int heldClaims() const { return m_heldClaims.load(); }
    /// Command-line names: none, http-502, stall, truncated-json, stream-error, ownership-taken.
    static bool faultFromName(const QString &name, Fault *out);
    static QString faultName(Fault f);

private:
    friend class MokuSimulatorPrivate;
    MokuSimulatorPrivate *d; ///< a child: moves to the simulator's thread with it
    std::atomic<quint16> m_port{0};
    std::atomic<quint16> m_bridgePort{0};
    std::atomic<bool> m_owned{false};
    std::atomic<int> m_heldClaims{0};
};

} // namespace bs::moku
