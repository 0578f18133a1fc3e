// SPDX-License-Identifier: GPL-3.0-or-later
// On-device logging (start_logging, logging_progress, stop_logging), the log file's download from
// the model's storage, its conversion through `mokucli convert` (never decoded here), and the
// Moku's own settings file (save_settings / load_settings).
#include "MokuDriver.h"

#include "MokuDriverRequests.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

#include <cmath>

namespace bs::moku {

namespace {

constexpr qint64 kMaxSettingsFile = 16 << 20;

/// `folder/name`, or `folder/name (2)…` when that file exists already.
QString freePath(const QString &folder, const QString &name)
{
    const QFileInfo f(name);
    QString path = QDir(folder).filePath(name);
    for (int i = 2; QFileInfo::exists(path); ++i)
        path = QDir(folder).filePath(QStringLiteral("%1 (%2).%3").arg(f.completeBaseName()).arg(i).arg(f.suffix()));
    return path;
}

} // namespace

void MokuDriver::startLog()
{
    if (!requireReady())
        return;
    if (m_log.active) {
        fail(tr("A log is already running on the Moku (%1)").arg(m_log.fileName));
        return;
    }
    const ModelInfo &m = *m_model;
    const double rate = m_params.doubleValue(QStringLiteral("rate"));
    QString why = checkSampleRate(m, rate, int(enabledInputs(m_params, m).size()), false);
    if (why.isEmpty())
        why = checkTrigger(m, m_params.stringValue(QStringLiteral("trigger_source")),
                           m_params.doubleValue(QStringLiteral("trigger_level")));
    if (why.isEmpty() && enabledInputs(m_params, m).isEmpty())
        why = tr("enable at least one input to log");
    if (!why.isEmpty()) {
        fail(tr("Cannot start the log: %1").arg(why));
        return;
    }
    run({{datalogger(QStringLiteral("start_logging"), startLoggingBody(m_params)), [this](const Result &r) {
              const QJsonObject d = r.object();
              m_log = Log{};
              m_log.active = true;
              m_log.fileName = d.value(QStringLiteral("file_name")).toString();
              m_log.duration = m_params.intValue(QStringLiteral("log_duration"));
              Q_EMIT progress(0, tr("Logging on the Moku…"));
              Q_EMIT message(tr("Logging to %1 on the Moku's %2 storage for %3 s")
                                 .arg(m_log.fileName, QString::fromLatin1(m_model->logTarget))
                                 .arg(m_log.duration));
              m_log.polling = true;
              m_logTimer.start(kLogPollMs);
              return true;
          }}});
}

void MokuDriver::stopLog()
{
    if (!requireReady())
        return;
    if (!m_log.active) {
        fail(tr("No log is running on the Moku"));
        return;
    }
    m_log.stopRequested = true;
    run({{dataloggerGet(QStringLiteral("stop_logging")), [this](const Result &) {
              Q_EMIT message(tr("Log stopped; the file so far stays on the Moku"));
              if (!m_log.polling) {
                  m_log.polling = true;
                  m_logTimer.start(0);
              }
              return true;
          }}});
}

void MokuDriver::pollLog()
{
    if (!m_log.active || !isReady())
        return;
    run({{dataloggerGet(QStringLiteral("logging_progress")), [this](const Result &r) {
              if (!m_log.active)
                  return true;
              const LoggingProgress lp = parseLoggingProgress(r.reply.data);
              if (!lp.fileName.isEmpty())
                  m_log.fileName = lp.fileName;
              if (lp.running)
                  m_log.sawRunning = true;
              const bool done = lp.complete || (!lp.running && (m_log.sawRunning || m_log.stopRequested));
              if (done) {
                  m_log.active = false;
                  m_log.polling = false;
                  Q_EMIT progress(1, tr("Log complete: %1").arg(m_log.fileName));
                  Q_EMIT message(tr("Log %1 finished on the Moku%2")
                                     .arg(m_log.fileName,
                                          lp.samplesLogged >= 0 ? tr(" (%1 samples)").arg(qint64(lp.samplesLogged))
                                                                : QString()));
                  if (m_params.boolValue(QStringLiteral("log_download")))
                      downloadLog(m_log.fileName);
                  return true;
              }
              double fraction = -1;
              if (m_log.duration > 0 && lp.timeRemaining >= 0)
                  fraction = std::clamp(1.0 - lp.timeRemaining / m_log.duration, 0.0, 1.0);
              else if (m_log.duration > 0 && lp.samplesLogged >= 0)
                  fraction = std::clamp(lp.samplesLogged / (m_params.doubleValue(QStringLiteral("rate")) * m_log.duration),
                                        0.0, 1.0);
              QString text;
              if (!lp.message.isEmpty())
                  text = tr("Logging: %1").arg(lp.message);
              else if (!lp.running && lp.timeToStart > 0)
                  text = tr("Logging starts in %1 s").arg(std::ceil(lp.timeToStart));
              else if (lp.timeRemaining >= 0)
                  text = tr("Logging: %1 samples, %2 s left")
                             .arg(qint64(std::max(0.0, lp.samplesLogged)))
                             .arg(std::ceil(lp.timeRemaining));
              else
                  text = tr("Logging…");
              if (text != m_log.lastText) {
                  m_log.lastText = text;
                  if (!lp.message.isEmpty())
                      Q_EMIT message(text);
              }
              Q_EMIT progress(fraction, text);
              m_logTimer.start(kLogPollMs);
              return true;
          },
          true}},
        {}, [this](const Result &r) {
            m_log.polling = false;
            if (r.http == 0 || ownershipLost(r)) {
                connectionFailed(r.error, ownershipLost(r));
                return;
            }
            // The Moku answered but not with progress: shown, then asked again a little later.
            fail(r.error);
            if (++m_log.pollErrors < 5) {
                m_log.polling = true;
                m_logTimer.start(kLogPollMs * 4);
            } else {
                m_log.active = false;
                Q_EMIT progress(1, tr("Log progress unknown"));
            }
        });
}

QString MokuDriver::downloadFolder() const
{
    const QString set = m_params.stringValue(QStringLiteral("download_folder")).trimmed();
    if (!set.isEmpty())
        return set;
    if (!outputFolder().isEmpty())
        return outputFolder();
    return QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(QStringLiteral("BenchScope"));
}

void MokuDriver::downloadLog(const QString &fileName)
{
    if (!requireReady())
        return;
    const QString target = QString::fromLatin1(m_model->logTarget);
    const QString folder = downloadFolder();
    if (!QDir().mkpath(folder)) {
        fail(tr("Cannot create the download folder %1").arg(folder));
        return;
    }
    m_log.fileName = fileName;
    Request list;
    list.verb = "GET";
    list.body = Request::Body::None;
    list.path = target + QStringLiteral("/list");
    list.timeoutMs = timeoutMs();
    const QString path = freePath(folder, QFileInfo(fileName).fileName());
    const QString part = path + QStringLiteral(".part");
    Request get;
    get.verb = "GET";
    get.body = Request::Body::None;
    get.path = target + QStringLiteral("/download/") + fileName;
    get.timeoutMs = timeoutMs();
    get.envelope = false;
    get.downloadTo = part;
    run({{list,
          [this, fileName, target](const Result &r) {
              const QStringList files = listedFiles(r.reply.data);
              if (!files.contains(fileName)) {
                  fail(tr("The Moku's %1 storage has no %2 (it holds: %3)")
                           .arg(target, fileName, files.isEmpty() ? tr("nothing") : files.join(QStringLiteral(", "))));
                  return false;
              }
              Q_EMIT progress(0, tr("Downloading %1…").arg(fileName));
              return true;
          }},
         {get, [this, path, part, fileName](const Result &r) {
              QFile::remove(path);
              if (!QFile::rename(part, path)) {
                  fail(tr("Cannot move the downloaded log to %1").arg(path));
                  return false;
              }
              updateParameter(QStringLiteral("log_file"), path);
              Q_EMIT progress(1, tr("Downloaded %1").arg(fileName));
              Q_EMIT message(tr("Log file downloaded: %1 (%2 bytes)").arg(path).arg(r.bytes));
              const QString format = m_params.stringValue(QStringLiteral("log_convert"));
              if (format != QLatin1String("none"))
                  convertLog(path);
              return true;
          }}},
        {}, [this, part](const Result &r) {
            QFile::remove(part);
            Q_EMIT progress(1, tr("Download failed"));
            if (r.http == 0 && !r.timedOut)
                connectionFailed(r.error);
            else
                fail(r.error);
        });
}

void MokuDriver::convertLog(const QString &path)
{
    const QString format = m_params.stringValue(QStringLiteral("log_convert"));
    QString why;
    const QString program = MokuDriverBridge::findMokucli(m_params.stringValue(QStringLiteral("mokucli")), &why);
    if (program.isEmpty()) {
        const QString text = tr("%1 was downloaded but not converted to %2: %3").arg(path, format, why);
        warn(text);
        Q_EMIT message(text);
        return;
    }
    auto *p = new QProcess(this);
    p->setProgram(program);
    p->setArguments({QStringLiteral("convert"), path, QStringLiteral("--format=") + format});
    connect(p, &QProcess::errorOccurred, this, [this, p, program](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        fail(tr("Cannot run %1: %2").arg(program, p->errorString()));
        p->deleteLater();
    });
    connect(p, &QProcess::finished, this, [this, p, path, format](int code, QProcess::ExitStatus status) {
        p->deleteLater();
        const QString err = QString::fromLocal8Bit(p->readAllStandardError()).trimmed();
        if (status != QProcess::NormalExit || code != 0 || !err.isEmpty()) {
            fail(tr("mokucli convert %1 failed%2").arg(path, err.isEmpty() ? tr(" (exit code %1)").arg(code)
                                                                            : QStringLiteral(": ") + err));
            return;
        }
        Q_EMIT message(tr("Converted %1 to %2 with mokucli").arg(QFileInfo(path).fileName(), format));
    });
    Q_EMIT message(tr("Converting %1 to %2 with mokucli…").arg(QFileInfo(path).fileName(), format));
    p->start(QIODevice::ReadOnly);
}

void MokuDriver::saveSettings()
{
    if (!requireReady())
        return;
    const QString path = m_params.stringValue(QStringLiteral("settings_file")).trimmed();
    if (path.isEmpty()) {
        fail(tr("Save settings: choose the settings file first"));
        return;
    }
    Request r = dataloggerGet(QStringLiteral("save_settings"));
    r.envelope = false;
    run({{r, [this, path](const Result &res) {
              QByteArray content = res.body;
              // The file itself (the vendor client's form), or an envelope carrying it.
              if (content.startsWith('{')) {
                  const Reply e = parseReply(content);
                  if (e.problem.isEmpty() && e.success)
                      content = e.data.isString() ? e.data.toString().toUtf8()
                                                  : QJsonDocument::fromVariant(e.data.toVariant()).toJson();
              }
              QSaveFile f(path);
              if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size() || !f.commit()) {
                  fail(tr("Save settings: cannot write %1: %2").arg(path, f.errorString()));
                  return false;
              }
              Q_EMIT message(tr("The Moku's settings were saved to %1 (%2 bytes)").arg(path).arg(content.size()));
              return true;
          }}});
}

void MokuDriver::loadSettings()
{
    if (!requireReady())
        return;
    const QString path = m_params.stringValue(QStringLiteral("settings_file")).trimmed();
    QFile f(path);
    if (path.isEmpty() || !f.open(QIODevice::ReadOnly)) {
        fail(path.isEmpty() ? tr("Load settings: choose the settings file first")
                            : tr("Load settings: cannot read %1: %2").arg(path, f.errorString()));
        return;
    }
    if (f.size() > kMaxSettingsFile) {
        fail(tr("Load settings: %1 is %2 bytes, not a Moku settings file").arg(path).arg(f.size()));
        return;
    }
    Request r = datalogger(QStringLiteral("load_settings"), {});
    r.body = Request::Body::Raw;
    r.raw = f.readAll();
    std::vector<Step> steps{{r, [this, path](const Result &) {
                                 Q_EMIT message(tr("Loaded %1 into the Moku; reading the settings back").arg(path));
                                 return true;
                             }}};
    // What the file changed is read back: every setting that has a getter.
    for (int n = 1; n <= m_model->inputs; ++n)
        for (Step &s : readBackSteps(QStringLiteral("in%1_range").arg(n)))
            steps.push_back(std::move(s));
    for (const char *k : {"mode", "rate"})
        for (Step &s : readBackSteps(QLatin1String(k)))
            steps.push_back(std::move(s));
    for (int n = 1; m_model->hasTermination && n <= m_model->outputs; ++n)
        for (Step &s : readBackSteps(QStringLiteral("out%1_termination").arg(n)))
            steps.push_back(std::move(s));
    run(std::move(steps));
}

} // namespace bs::moku
