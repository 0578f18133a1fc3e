// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Settings of the Moku Datalogger simulator (MokuSimulator::Config). Every point the protocol
// notes leave unverified (docs/protocols/moku.md §9, U1…U12) has its default here and a switch,
// so that a driver can be tried against each reading of the documentation.

#include "MokuProtocolModels.h"

#include <QHostAddress>
#include <QString>

namespace bs::moku {

struct MokuSimulatorConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;         ///< REST API (the device's port 80); 0 = ephemeral
    Model model = Model::Go;
    double deployDelay = 2.0; ///< s: the first Datalogger call deploys the instrument (§4)
    /// -1: no bridge port; 0: ephemeral; N: the simulator itself serves every started stream as
    /// NDJSON on 127.0.0.1:N (the driver's "bridge address" mode, instead of launching mokucli).
    int bridgePort = -1;
    double idleTimeout = 2.0; ///< s with nobody reading a started stream → ERROR (U11)
    /// s of unread stream data the device holds; a reader further behind puts the stream in ERROR
    /// (the documentation's "error state"). Bounds what a slow reader can cost.
    double streamBufferSeconds = 10.0;
    double noise = 1e-3;      ///< V rms added to every input
    quint32 seed = 1;

    QString name = QStringLiteral("MokuSim");
    QString serial = QStringLiteral("000123");
    QString mokuOS = QStringLiteral("4.0.1");
    QString proxyVersion = QStringLiteral("2"); ///< describe.proxy_version (the client takes int() of it)

    // §4: bitstreams on the device. false: the instrument's bitstream (01-007-00.bar) is missing and
    // every Datalogger call answers NO_BIT_STREAM until it is uploaded.
    bool instrumentBitstream = true;

    // §9 switches (defaults as the notes give them)
    QString claimRefusedCode = QStringLiteral("UNEXPECTED_CHANGE"); ///< U3: claim refused (owned, no force)
    QString badKeyCode = QStringLiteral("INVALID_REQUEST");         ///< U3: missing or stale client key
    int refusalHttpStatus = 200; ///< U3: HTTP status of those two refusals (e.g. 403 to try a 4xx reading)
    bool acceptFlatChunkBody = true;  ///< U2: get_chunk also takes {"stream_id":"<id>"}
    bool acceptFileAliases = true;    ///< U5: /download_file/ and /delete_file/ besides /download/, /delete/
    double labMaxRate = 2.5e5;        ///< U6: Moku:Lab set_samplerate maximum (1e6 is the other reading)
    double lineSeconds = 0.1;         ///< U8: data per NDJSON line
    bool oldProgressKeys = false;     ///< U12: logging_progress with time_to_end/time_to_start/words_logged
    bool keyInData = true;            ///< claim_ownership also returns the key in `data` (§2.2)
    /// Tests: claim_ownership is carried out when it arrives, but answered only at
    /// MokuSimulator::releaseClaimAnswers() (a slow link: the client may close meanwhile).
    bool holdClaimAnswers = false;
};

} // namespace bs::moku
