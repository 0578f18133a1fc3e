// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <RecordingStats.h>
#include <Session.h>

#include <QDateTime>
#include <QObject>
#include <QPointer>

class QThread;

namespace bs {

class Recorder;
class Workspace;

/// What the last recording left on disk, for Record ▸ Last Recording (LastRecordingDialog).
struct LastRecording
{
    QString path; ///< the .h5 file or CSV folder asked for (split recordings: the base of the parts)
    QString format; ///< "hdf5" or "csv"
    QDateTime started, ended;
    RecorderStats stats; ///< the recorder's final counters (files: what was written)
    bool isValid() const { return !path.isEmpty(); }
};

/// Starts and stops recordings for the main window: names the file
/// (`<base>_<yyyyMMdd-HHmmss>.h5`, or a folder of that name for CSV) in the session's recording
/// folder or the Documents location, fills RecordingOptions from the workspace, and stops the
/// recorder on a helper thread (stop() waits for the queue to drain, which must not freeze the GUI).
class RecordController : public QObject
{
    Q_OBJECT
public:
    RecordController(Recorder *recorder, Workspace *workspace, QObject *parent = nullptr);
    ~RecordController() override;

    bool isAvailable() const { return m_recorder != nullptr; }
    bool isRecording() const { return m_recording; }
    bool isStopping() const { return m_stopThread != nullptr; }
    QString currentPath() const { return m_path; }
    /// The recording that ended last (invalid before the first one has ended).
    const LastRecording &lastRecording() const { return m_last; }

    SessionRecording settings() const { return m_settings; }
    void setSettings(const SessionRecording &settings) { m_settings = settings; }

    /// The folder recordings go to: the settings' directory, else Documents (else home).
    QString directory() const;
    /// Where a recording started at `when` would be written.
    QString pathFor(const QDateTime &when) const;

    /// Starts a recording; `sessionSnapshot` is stored in the file. False with a message on error.
    bool start(const QByteArray &sessionSnapshot, QString *error);
    /// Asks the recorder to finish; `recordingChanged(false)` follows when the files are closed.
    void stop();

    /// Converts the HDF5 recording `h5Path` into CSV files in `outDir` on a helper thread;
    /// `exportFinished` reports the result. False if an export is already running.
    bool exportCsv(const QString &h5Path, const QString &outDir);
    bool isExporting() const { return m_exportThread != nullptr; }

Q_SIGNALS:
    void recordingChanged(bool recording);
    void errorOccurred(const QString &message);
    /// A recording was closed; `path` is the file or folder written (lastRecording() has the rest).
    void finished(const QString &path);
    void exportFinished(bool ok, const QStringList &files, const QString &error);

private:
    void onRecorderStopped();

    Recorder *m_recorder = nullptr;
    Workspace *m_workspace = nullptr;
    SessionRecording m_settings;
    QString m_path;
    QDateTime m_started;
    LastRecording m_last;
    bool m_recording = false;
    QThread *m_stopThread = nullptr;
    QThread *m_exportThread = nullptr;
};

} // namespace bs
