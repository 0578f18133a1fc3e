// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordController.h"

#include <CsvExport.h>
#include <Recorder.h>
#include <Workspace.h>

#include <QDir>
#include <QStandardPaths>
#include <QThread>

#include <memory>

namespace bs {

RecordController::RecordController(Recorder *recorder, Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_recorder(recorder)
    , m_workspace(workspace)
{
    if (m_recorder) {
        connect(
            m_recorder, &Recorder::stopped, this, &RecordController::onRecorderStopped, Qt::QueuedConnection);
        connect(m_recorder, &Recorder::errorOccurred, this, &RecordController::errorOccurred,
            Qt::QueuedConnection);
    }
}

RecordController::~RecordController()
{
    if (m_stopThread)
        m_stopThread->wait();
    if (m_exportThread)
        m_exportThread->wait();
}

QString RecordController::directory() const
{
    if (!m_settings.directory.isEmpty())
        return m_settings.directory;
    QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return docs.isEmpty() ? QDir::homePath() : docs;
}

QString RecordController::pathFor(const QDateTime &when) const
{
    const QString base = m_settings.baseName.trimmed().isEmpty() ? QStringLiteral("recording")
                                                                 : m_settings.baseName.trimmed();
    QString name = base + QLatin1Char('_') + when.toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (m_settings.format != QLatin1String("csv"))
        name += QStringLiteral(".h5");
    return QDir(directory()).filePath(name);
}

bool RecordController::start(const QByteArray &sessionSnapshot, QString *error)
{
    if (!m_recorder) {
        if (error)
            *error = tr("Recording is not available in this build.");
        return false;
    }
    if (m_recording || m_stopThread) {
        if (error)
            *error = tr("A recording is still being finished; try again in a moment.");
        return false;
    }
    if (!QDir().mkpath(directory())) {
        if (error)
            *error = tr("Cannot create the recording folder %1").arg(QDir::toNativeSeparators(directory()));
        return false;
    }
    RecordingOptions options = recordingOptionsFor(m_settings);
    options.path = pathFor(QDateTime::currentDateTime());
    options.sessionSnapshot = sessionSnapshot;
    if (m_workspace)
        for (const InstrumentHost *h : m_workspace->instruments())
            options.instruments.append({ h->id(), h->type(), h->name(), h->address() });
    if (m_workspace)
        m_workspace->beginTimeline(); // recording before the first Run: both start at t = 0
    if (!m_recorder->start(options, error))
        return false;
    m_path = options.path;
    if (m_workspace) // a device's own files (a Moku's downloaded log) go beside the recording
        m_workspace->setOutputFolder(options.folder());
    m_started = QDateTime::currentDateTime();
    m_recording = true;
    Q_EMIT recordingChanged(true);
    return true;
}

void RecordController::stop()
{
    if (!m_recorder || !m_recording || m_stopThread)
        return;
    // What the drivers were told before (a Stop and its run_stop event) reaches the recorder
    // first; a driver thread stuck in a call delays this by 0.5 s at most.
    if (m_workspace)
        m_workspace->waitForDriverThreads(500);
    // Recorder::stop() writes out the queue and closes the files: do it off the GUI thread.
    Recorder *recorder = m_recorder;
    m_stopThread = QThread::create([recorder] { recorder->stop(); });
    m_stopThread->setObjectName(QStringLiteral("recorder-stop"));
    connect(m_stopThread, &QThread::finished, this, [this] {
        m_stopThread->deleteLater();
        m_stopThread = nullptr;
        onRecorderStopped();
    });
    m_stopThread->start();
}

bool RecordController::exportCsv(const QString &h5Path, const QString &outDir)
{
    if (m_exportThread)
        return false;
    struct Result
    {
        bool ok = false;
        QStringList files;
        QString error;
    };
    auto result = std::make_shared<Result>();
    m_exportThread = QThread::create([h5Path, outDir, result] {
        result->ok = bs::exportCsv(h5Path, outDir, &result->files, &result->error);
    });
    m_exportThread->setObjectName(QStringLiteral("csv-export"));
    connect(m_exportThread, &QThread::finished, this, [this, result] {
        m_exportThread->deleteLater();
        m_exportThread = nullptr;
        Q_EMIT exportFinished(result->ok, result->files, result->error);
    });
    m_exportThread->start();
    return true;
}

void RecordController::onRecorderStopped()
{
    if (!m_recording || m_stopThread)
        return; // the stop thread's finished() reports it
    m_recording = false;
    if (m_workspace)
        m_workspace->setOutputFolder(QString());
    m_last.path = m_path;
    m_last.format = m_settings.format == QLatin1String("csv") ? QStringLiteral("csv") : QStringLiteral("hdf5");
    m_last.started = m_started;
    m_last.ended = QDateTime::currentDateTime();
    m_last.stats = m_recorder->stats(); // final: the writer thread has closed the files
    Q_EMIT recordingChanged(false);
    Q_EMIT finished(m_path);
}

} // namespace bs
