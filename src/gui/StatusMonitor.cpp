// SPDX-License-Identifier: GPL-3.0-or-later
#include "StatusMonitor.h"

#include "StateStyle.h"

#include <Recorder.h>
#include <Workspace.h>

#include <QHash>
#include <QLabel>
#include <QLocale>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

#include <cmath>

namespace bs {

namespace {
QString formatDuration(double seconds)
{
    const qint64 s = qint64(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QLabel *addPermanent(QStatusBar *bar, const QString &name, const QString &tip)
{
    auto *l = new QLabel(bar);
    l->setObjectName(name);
    l->setToolTip(tip);
    l->setContentsMargins(6, 0, 6, 0);
    bar->addPermanentWidget(l);
    return l;
}
} // namespace

StatusMonitor::StatusMonitor(Workspace *workspace, Recorder *recorder, QStatusBar *bar, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_recorder(recorder)
{
    m_states = addPermanent(bar, QStringLiteral("instrumentStates"), tr("State of each instrument"));
    m_rate = addPermanent(bar, QStringLiteral("rateLabel"),
        tr("Rows (samples per channel) and data received per second, all instruments"));
    m_lostLabel = addPermanent(bar, QStringLiteral("lostLabel"), QString());
    m_record = addPermanent(bar, QStringLiteral("recordLabel"), tr("Recording time and size on disk"));
    m_lastButton = new QToolButton(bar);
    m_lastButton->setObjectName(QStringLiteral("lastRecordingButton"));
    m_lastButton->setText(tr("Show Files…"));
    m_lastButton->setAutoRaise(true);
    m_lastButton->setToolTip(tr("Where the last recording is: full path, size on disk, rows and losses per "
                                "stream, Open Folder"));
    m_lastButton->hide();
    bar->addPermanentWidget(m_lastButton);
    connect(m_lastButton, &QToolButton::clicked, this, &StatusMonitor::lastRecordingRequested);
    m_rate->setMinimumWidth(
        m_rate->fontMetrics().horizontalAdvance(QStringLiteral("000.0 k rows/s · 000.00 MB/s")));

    if (m_workspace) {
        for (InstrumentHost *h : m_workspace->instruments())
            watch(h);
        connect(m_workspace, &Workspace::instrumentAdded, this, &StatusMonitor::watch);
        connect(m_workspace, &Workspace::instrumentRemoved, this, [this](const QString &id) {
            m_previous.remove(id);
            m_lostBaseline.remove(id);
            updateStates();
        });
    }
    m_timer = new QTimer(this);
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &StatusMonitor::sample);
    m_timer->start();
    m_clock.start();
    updateStates();
    sample();
}

QString StatusMonitor::formatCount(double value)
{
    const double a = std::abs(value);
    if (a < 1e3)
        return QString::number(value, 'f', 0);
    if (a < 1e6)
        return QString::number(value / 1e3, 'f', a < 1e4 ? 2 : 1) + QStringLiteral(" k");
    if (a < 1e9)
        return QString::number(value / 1e6, 'f', a < 1e7 ? 2 : 1) + QStringLiteral(" M");
    return QString::number(value / 1e9, 'f', 2) + QStringLiteral(" G");
}

void StatusMonitor::watch(InstrumentHost *host)
{
    connect(host, &InstrumentHost::stateChanged, this, &StatusMonitor::updateStates);
    connect(host, &InstrumentHost::nameChanged, this, &StatusMonitor::updateStates);
    m_previous.insert(host->id(), host->stats());
    m_lostBaseline.insert(host->id(), host->stats().lostSamples);
    updateStates();
}

void StatusMonitor::updateStates()
{
    if (!m_workspace)
        return;
    QStringList parts;
    for (const InstrumentHost *h : m_workspace->instruments()) {
        parts.append(QStringLiteral("<span style=\"color:%1\">&#9679;</span>&nbsp;%2&nbsp;%3")
                         .arg(StateStyle::color(h->state()).name(), h->name().toHtmlEscaped(),
                             Instrument::stateName(h->state()).toHtmlEscaped()));
    }
    m_states->setTextFormat(Qt::RichText);
    m_states->setText(
        parts.isEmpty() ? tr("No instruments") : parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
}

void StatusMonitor::resetCounters()
{
    if (m_workspace)
        for (const InstrumentHost *h : m_workspace->instruments())
            m_lostBaseline.insert(h->id(), h->stats().lostSamples);
    m_droppedBaseline = m_recorder ? m_recorder->stats().droppedSamples : 0;
    sample();
}

void StatusMonitor::sample()
{
    const double dt = std::max(1e-3, m_clock.restart() / 1000.0);
    quint64 rows = 0, bytes = 0, deviceLost = 0;
    if (m_workspace) {
        for (const InstrumentHost *h : m_workspace->instruments()) {
            const InstrumentStats now = h->stats();
            const InstrumentStats before = m_previous.value(h->id(), now);
            rows += now.samples >= before.samples ? now.samples - before.samples : 0;
            bytes += now.bytes >= before.bytes ? now.bytes - before.bytes : 0;
            const quint64 base = m_lostBaseline.value(h->id(), 0);
            deviceLost += now.lostSamples >= base ? now.lostSamples - base : 0;
            m_previous.insert(h->id(), now);
        }
    }
    m_rowsPerSecond = double(rows) / dt;
    m_bytesPerSecond = double(bytes) / dt;
    m_rate->setText(tr("%1 rows/s · %2 MB/s")
                        .arg(formatCount(m_rowsPerSecond), QString::number(m_bytesPerSecond / 1e6, 'f', 2)));

    quint64 dropped = 0;
    RecorderStats rec;
    if (m_recorder) {
        rec = m_recorder->stats();
        dropped = rec.droppedSamples >= m_droppedBaseline ? rec.droppedSamples - m_droppedBaseline
                                                          : rec.droppedSamples;
    }
    m_lost = deviceLost + dropped;
    m_lostLabel->setText(tr("Lost: %1").arg(QLocale().toString(m_lost)));
    m_lostLabel->setStyleSheet(
        m_lost > 0 ? QStringLiteral("color: white; background: #c01818; font-weight: bold;") : QString());
    m_lostLabel->setToolTip(tr("Samples lost since Run\nDevice or transport: %1\nRecorder queue full: %2")
                                .arg(QLocale().toString(deviceLost), QLocale().toString(dropped)));

    // Connection outages while recording (per instrument: the most any of its streams counted).
    QHash<QString, quint64> outagesOf;
    QHash<QString, double> outageSecondsOf;
    for (const StreamRecordStats &st : std::as_const(rec.streams)) {
        outagesOf[st.instrumentId] = std::max(outagesOf.value(st.instrumentId), st.outages);
        outageSecondsOf[st.instrumentId] = std::max(outageSecondsOf.value(st.instrumentId), st.outageSeconds);
    }
    quint64 outages = 0;
    QStringList outageLines;
    for (auto it = outagesOf.cbegin(); it != outagesOf.cend(); ++it) {
        if (!it.value())
            continue;
        outages += it.value();
        outageLines << tr("%1: %n connection outage(s), %2 s without data", nullptr, int(it.value()))
                           .arg(it.key(), QString::number(outageSecondsOf.value(it.key()), 'f', 1));
    }
    const QString outageText = outages ? tr(" · %n outage(s)", nullptr, int(outages)) : QString();
    m_record->setToolTip(outageLines.isEmpty() ? tr("Recording time and size on disk")
                                               : tr("Recording time and size on disk\n") + outageLines.join(u'\n'));
    if (rec.recording) {
        m_record->setTextFormat(Qt::RichText);
        m_record->setText(tr("<span style=\"color:#d02020\">&#9679;</span>&nbsp;<b>REC</b> %1 · %2%3")
                              .arg(formatDuration(rec.elapsedS), formatBytes(rec.fileBytes), outageText));
        m_record->show();
        m_lastButton->hide();
    } else if (rec.elapsedS > 0) {
        m_record->setTextFormat(Qt::PlainText);
        m_record->setText(tr("Last recording %1 · %2%3")
                              .arg(formatDuration(rec.elapsedS), formatBytes(rec.fileBytes), outageText));
        m_record->show();
        m_lastButton->show();
    } else {
        m_record->hide();
        m_lastButton->hide();
    }
}

} // namespace bs
