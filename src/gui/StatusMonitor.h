// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <InstrumentHost.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

class QLabel;
class QStatusBar;
class QTimer;
class QToolButton;

namespace bs {

class Recorder;
class Workspace;

/// The permanent widgets of the status bar, updated at 2 Hz: each instrument's state (coloured),
/// total rows/s and MB/s (deltas of InstrumentHost::stats()), samples lost (device/transport
/// losses plus recorder queue drops; red when > 0) and the recording's time and file size.
/// Once a recording has ended, a "Show Files…" button next to its time and size asks for the
/// Last Recording dialog (lastRecordingRequested).
/// Object names: "instrumentStates", "rateLabel", "lostLabel", "recordLabel", "lastRecordingButton".
class StatusMonitor : public QObject
{
    Q_OBJECT
public:
    StatusMonitor(Workspace *workspace, Recorder *recorder, QStatusBar *bar, QObject *parent = nullptr);

    double rowsPerSecond() const { return m_rowsPerSecond; }
    double bytesPerSecond() const { return m_bytesPerSecond; }
    quint64 lostCount() const { return m_lost; }

    /// Starts counting losses from zero (a new acquisition).
    void resetCounters();
    /// Takes a sample of the counters now (the timer does this every 500 ms).
    void sample();

    /// "950", "12.3 k", "1.05 M": counts with a metric prefix.
    static QString formatCount(double value);

Q_SIGNALS:
    /// The user clicked the status bar's "Show Files…" of the last recording.
    void lastRecordingRequested();

private:
    void updateStates();
    void watch(InstrumentHost *host);

    Workspace *m_workspace = nullptr;
    Recorder *m_recorder = nullptr;
    QLabel *m_states = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_lostLabel = nullptr;
    QLabel *m_record = nullptr;
    QToolButton *m_lastButton = nullptr;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    QHash<QString, InstrumentStats> m_previous;
    QHash<QString, quint64> m_lostBaseline;
    quint64 m_droppedBaseline = 0;
    double m_rowsPerSecond = 0;
    double m_bytesPerSecond = 0;
    quint64 m_lost = 0;
};

} // namespace bs
