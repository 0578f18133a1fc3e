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
    enum ExitCode { Ok = 0, SamplesLost = 1, Failed = 2 };

    RecordingRun(const RecOptions &opts, const Session &session, QObject *parent = nullptr);
    ~RecordingRun() override;

    /// Starts; finished(code) is emitted once the recording is closed.
    void start();
    /// Stops early (Ctrl+C): the acquisition ends and the file is closed as usual.
    void requestStop() { stopAcquisition(); }
    QJsonObject summary() const { return m_summary; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onTick();
    void stopAcquisition();
    void finish();
    void progressLine();
    bool allIdle() const;
    QJsonObject buildSummary(int code) const;

    RecOptions m_opts;
    Session m_session;
    Workspace m_workspace;
    Recorder m_recorder;
    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_stopAtMs = -1;
    qint64 m_stoppingSinceMs = -1;
    QStringList m_errors;
    bool m_instrumentFailed = false;
    bool m_done = false;
    QJsonObject m_summary;
};

} // namespace bs::cli
