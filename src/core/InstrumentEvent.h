// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <cmath>

namespace bs {

/// Something an instrument reports besides samples that belongs in the recording and the run's
/// summary: a capture began or ended, or the acquisition differs from what was asked (a setting
/// the device refused, a capture joined read-only).
///
/// Events travel like blocks: emitted on the driver thread and handed, in order with the blocks,
/// to every BlockSink (the recorder stores them at the row where they happened), and mirrored to
/// the GUI/CLI thread by InstrumentHost.
struct InstrumentEvent
{
    /// Stored in files as these codes: never renumber.
    enum class Kind : qint32 {
        CaptureStarted = 1, ///< a device capture began (PandA header, NV200 read-back, Pico block)
        CaptureEnded = 2,   ///< it ended; `complete` says whether everything it held was delivered
        Warning = 3,        ///< the acquisition is not what was asked (refused setting, ...)
        RunStarted = 4,     ///< the user (Run, benchscope-rec) started the acquisition of this instrument
        RunStopped = 5,     ///< the user stopped it
        ConnectionLost = 6, ///< the connection broke while the acquisition ran (an outage begins)
        ConnectionRestored = 7, ///< reconnected and acquiring again after ConnectionLost (the outage ends)
    };

    Kind kind = Kind::Warning;
    QString instrumentId; ///< filled in by Instrument
    QString streamId;     ///< the stream concerned; empty: every stream of the instrument
    double time = NAN;    ///< session time (s), NaN when not tied to a sample
    QString text;         ///< END reason, warning text
    bool complete = true; ///< CaptureEnded: false when the device lost data or the capture was cut short
    /// Machine-readable details kept in the file (e.g. "capture", "samples", "arm_time",
    /// "start_time", "reason").
    QJsonObject details;

    static const char *kindName(Kind k);
    /// `details` plus kind, text and complete as one JSON object (what the files store).
    QJsonObject toJson() const;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::InstrumentEvent)
