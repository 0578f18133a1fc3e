// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecOptions.h"
#include "Recorder.h"
#include "Workspace.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace bs::cli {

/// One headless recording: connects every instrument of a session, records for the requested
/// time, stops, waits for the captures to end, closes the file and summarises.
class RecordingRun : public QObject
{
    Q_OBJECT
public:
    /// 0: everything asked for was recorded, nothing lost. 1: samples lost (device overrun, queue
    /// overflow, gaps, a capture the device ended incomplete). 2: failed (an instrument or the
    /// file). 3: recorded without loss, but not as asked (warnings: a refused setting, a capture
    /// joined read-only, ...). The worst applies.
    enum ExitCode { Ok = 0, SamplesLost = 1, Failed = 2, NotAsAsked = 3 };

    RecordingRun(const RecOptions &opts, const Session &session, QObject *parent = nullptr);
    ~RecordingRun() override;

    /// Starts; finished(code) is emitted once the recording is closed.
    void start();
    /// Stops early (Ctrl+C, SIGTERM: `reason` names the signal): the acquisition ends and the file
    /// is closed as usual. A run stopped so before its normal end did not record as asked: the
    /// summary says `interrupted` and the exit code is at least NotAsAsked.
    void requestStop(const QString &reason = QString());
    QJsonObject summary() const { return m_summary; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onTick();
    void stopAcquisition();
    void finish();
    void progressLine();
    bool allIdle() const;
    /// Every instrument has started (Running or Finished at least once) — or failed.
    bool allStarted() const;
    /// Every instrument has started and none is acquiring any more (its captures ended by
    /// themselves, or it failed).
    bool allDone() const;
    QStringList notStarted() const;
    int exitCode() const;
    QJsonObject buildSummary(int code) const;

    RecOptions m_opts;
    Session m_session;
    Workspace m_workspace;
    Recorder m_recorder;
    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_stopAtMs = -1;
    qint64 m_stoppingSinceMs = -1;
    qint64 m_lastProgressMs = 0;
    QStringList m_errors;
    QStringList m_warnings; ///< "<id>: <text>", in order
    bool m_instrumentFailed = false;
    bool m_done = false;
    QString m_interrupted; ///< the signal that stopped the run before its normal end
    QJsonObject m_summary;
};

} // namespace bs::cli
