// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Control-port request handling (spec §2): splits a line into target, operator (`?`, `=`, `<`) and
// value, dispatches system (`*…`) and entity (`BLOCKn.FIELD[.ATTR]`) commands, and produces exactly
// one reply per request in the server's words. No I/O: the caller feeds lines and writes replies.

#include "PandaSimulatorFields.h"

#include <QHash>

namespace bs::panda {

/// What the command handler needs from the capture side (implemented by PandaSimulator).
class PandaSimulatorCaptureControl
{
public:
    virtual ~PandaSimulatorCaptureControl() = default;
    /// `*PCAP.ARM=`: OK or one of the §2.6 errors.
    virtual Reply arm() = 0;
    /// `*PCAP.DISARM=` (always OK).
    virtual void disarm() = 0;
    /// `*PCAP.STATUS?` value: "Busy|Idle <readers> <readers taking data>".
    virtual QByteArray captureStatus() const = 0;
    /// `*PCAP.CAPTURED?`: samples in the current or last capture.
    virtual quint64 capturedSamples() const = 0;
    /// `*PCAP.COMPLETION?`: Busy, Ok, Disarmed, Framing error, ...
    virtual QByteArray completion() const = 0;
    /// `*WHO?` lines: "<ISO time> config|data <ip:port>".
    virtual QList<QByteArray> connectedClients() const = 0;
};

/// Per-connection state of a control client.
struct ControlSession
{
    bool swallowingTable = false; // after a table write: lines are data until an empty line
    QHash<QByteArray, QByteArray> reported[kChangeGroupCount]; // what *CHANGES last reported
};

class PandaSimulatorCommands
{
public:
    PandaSimulatorCommands(PandaSimulatorModel &model, PandaSimulatorCaptureControl &capture);

    /// Handles one request line (LF removed) and appends its reply to `out` (nothing for the data
    /// lines of a table write).
    void handleLine(QByteArrayView line, ControlSession &session, QByteArray &out);
    bool verbose() const { return m_verbose; }

private:
    /// Result of parsing `BLOCK[n][.FIELD[.ATTR]]`.
    struct Target
    {
        int block = -1;
        int instance = -1; // 0-based; -1 = no number given
        int field = -1;
        bool fieldList = false; // BLOCK.*
        bool hasAttr = false;
        bool attrList = false; // BLOCK.FIELD.*
        QByteArray attr;
        FieldRef ref() const { return { block, field, instance < 0 ? 0 : instance }; }
    };
    Reply parseTarget(QByteArrayView name, Target &t, bool numberOptional) const;

    Reply dispatch(QByteArrayView line, ControlSession &session);
    Reply system(QByteArrayView name, char op, QByteArrayView value, ControlSession &session);
    Reply pcap(QByteArrayView name, char op, QByteArrayView value);
    Reply capture(QByteArrayView name, char op, QByteArrayView value);
    Reply describe(QByteArrayView target) const;
    Reply enums(QByteArrayView target) const;
    Reply changes(QByteArrayView group, char op, QByteArrayView value, ControlSession &session);
    Reply entity(QByteArrayView name, char op, QByteArrayView value);

    PandaSimulatorModel &m_model;
    PandaSimulatorFields m_fields;
    PandaSimulatorCaptureControl &m_capture;
    bool m_verbose = false;
};

} // namespace bs::panda
