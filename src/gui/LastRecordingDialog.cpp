// SPDX-License-Identifier: GPL-3.0-or-later
#include "LastRecordingDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace bs {

namespace {

QString formatSize(qint64 bytes)
{
    const QLocale locale;
    const QString exact = QCoreApplication::translate("bs::LastRecordingDialog", "%1 bytes").arg(locale.toString(bytes));
    if (bytes < 1000)
        return exact;
    const char *units[] = { "kB", "MB", "GB", "TB" };
    double v = double(bytes);
    int u = -1;
    while (v >= 1000 && u < 3) {
        v /= 1000;
        ++u;
    }
    return QStringLiteral("%1 %2 (%3)").arg(locale.toString(v, 'f', v < 10 ? 2 : 1), QLatin1String(units[u]), exact);
}

QString formatDuration(double s)
{
    if (!(s >= 0))
        return QStringLiteral("–");
    const qint64 t = qint64(std::floor(s));
    return QStringLiteral("%1:%2:%3")
        .arg(t / 3600)
        .arg((t / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(t % 60, 2, 10, QLatin1Char('0'));
}

QString formatTime(double t)
{
    if (std::isnan(t))
        return QStringLiteral("–");
    // A block that began a moment before the recording starts just below 0: no "-0.000".
    return QLocale().toString(std::abs(t) < 0.0005 ? 0.0 : t, 'f', 3);
}

QTableWidgetItem *cell(const QString &text, bool number, bool bad = false)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (bad)
        item->setForeground(QColor(0xd0, 0x20, 0x20));
    return item;
}

} // namespace

qint64 LastRecordingDialog::sizeOnDisk(const QStringList &paths)
{
    qint64 total = 0;
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (info.isDir()) {
            QDirIterator it(p, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                it.next();
                total += it.fileInfo().size();
            }
        } else if (info.exists()) {
            total += info.size();
        }
    }
    return total;
}

QString LastRecordingDialog::folderOf(const LastRecording &recording)
{
    const QStringList files = recording.stats.files.isEmpty() ? QStringList { recording.path } : recording.stats.files;
    const QFileInfo first(files.first());
    if (files.size() == 1 && first.isDir())
        return first.absoluteFilePath();
    return first.absolutePath();
}

LastRecordingDialog::LastRecordingDialog(const LastRecording &recording, QWidget *parent)
    : QDialog(parent)
    , m_recording(recording)
{
    setWindowTitle(tr("Last Recording"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const QStringList files = recording.stats.files.isEmpty() ? QStringList { recording.path } : recording.stats.files;
    QStringList shown;
    for (const QString &f : files)
        shown << QDir::toNativeSeparators(f);
    m_path = new QLabel(shown.join(QLatin1Char('\n')), this);
    m_path->setObjectName(QStringLiteral("pathLabel"));
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setWordWrap(true);
    form->addRow(files.size() > 1 ? tr("Saved in %n part(s):", nullptr, int(files.size())) : tr("Saved to:"), m_path);

    const qint64 bytes = sizeOnDisk(files);
    m_size = new QLabel(formatSize(bytes), this);
    m_size->setObjectName(QStringLiteral("sizeLabel"));
    m_size->setProperty("bytes", bytes);
    m_size->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Size on disk:"), m_size);

    const QString format = recording.format == QLatin1String("csv")
        ? tr("CSV — one file per stream in the folder")
        : tr("HDF5 — one file (MATLAB, Python h5py, HDFView)");
    form->addRow(tr("Format:"), new QLabel(format, this));
    form->addRow(tr("Recorded:"),
        new QLabel(tr("%1 to %2 (%3)")
                       .arg(QLocale().toString(recording.started, QLocale::ShortFormat),
                           QLocale().toString(recording.ended.time(), QLocale::ShortFormat),
                           formatDuration(recording.stats.elapsedS)),
            this));
    QString end = tr("Stopped by you.");
    if (!recording.stats.lastError.isEmpty())
        end = tr("Ended by an error: %1").arg(recording.stats.lastError);
    else if (!recording.stats.stopReason.isEmpty())
        end = tr("Ended by itself: %1.").arg(recording.stats.stopReason);
    m_end = new QLabel(end, this);
    m_end->setObjectName(QStringLiteral("endLabel"));
    m_end->setWordWrap(true);
    form->addRow(tr("Ended:"), m_end);
    layout->addLayout(form);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("streamTable"));
    m_table->setHorizontalHeaderLabels({ tr("Stream"), tr("Rows written"), tr("Time span [s]"),
        tr("Dropped by recorder"), tr("Lost by device"), tr("Stops / outages"), tr("File") });
    m_table->horizontalHeaderItem(Dropped)->setToolTip(
        tr("Samples the recorder could not keep: the memory for data waiting to be written was full, or the disk failed"));
    m_table->horizontalHeaderItem(Lost)->setToolTip(
        tr("Samples the instrument or the connection lost (gaps in its sample counter, reported overruns)"));
    m_table->horizontalHeaderItem(Breaks)->setToolTip(
        tr("Breaks in the recorded time: Stop pressed while recording, and connections lost (with the time without data)"));
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    fillStreams();
    m_table->resizeColumnsToContents();
    for (int c = 0; c < ColumnCount; ++c)
        m_table->setColumnWidth(c, m_table->columnWidth(c) + 16);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *open = buttons->addButton(tr("&Open Folder"), QDialogButtonBox::ActionRole);
    open->setObjectName(QStringLiteral("openFolderButton"));
    open->setToolTip(QDir::toNativeSeparators(folderOf(recording)));
    QPushButton *copy = buttons->addButton(tr("&Copy Path"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyPathButton"));
    connect(open, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(folderOf(m_recording))); });
    connect(copy, &QPushButton::clicked, this, [shown] {
        QApplication::clipboard()->setText(shown.join(QLatin1Char('\n')));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    int tableWidth = 2 * m_table->frameWidth() + 4;
    for (int c = 0; c < ColumnCount; ++c)
        tableWidth += m_table->columnWidth(c);
    resize(std::max(760, tableWidth + layout->contentsMargins().left() + layout->contentsMargins().right()),
        220 + 30 * std::min<int>(m_table->rowCount(), 10));
}

void LastRecordingDialog::fillStreams()
{
    // One line per stream (and generation): the parts of a split recording added up.
    struct Line
    {
        StreamRecordStats sum;
        QStringList files;
    };
    QList<Line> lines;
    for (const StreamRecordStats &s : m_recording.stats.streams) {
        auto it = std::find_if(lines.begin(), lines.end(), [&s](const Line &l) {
            return l.sum.instrumentId == s.instrumentId && l.sum.streamId == s.streamId
                && l.sum.generation == s.generation;
        });
        if (it == lines.end()) {
            lines.append({ s, {} });
            it = lines.end() - 1;
        } else {
            it->sum.samples += s.samples;
            it->sum.droppedSamples += s.droppedSamples;
            it->sum.deviceLostSamples += s.deviceLostSamples;
            it->sum.overflowBlocks += s.overflowBlocks;
            it->sum.stops += s.stops;
            it->sum.outages += s.outages;
            it->sum.outageSeconds += s.outageSeconds;
            if (std::isnan(it->sum.firstTime))
                it->sum.firstTime = s.firstTime;
            if (!std::isnan(s.lastTime))
                it->sum.lastTime = s.lastTime;
        }
        if (!s.file.isEmpty() && !it->files.contains(s.file))
            it->files << s.file;
    }
    const QLocale locale;
    m_table->setRowCount(int(lines.size()));
    for (int r = 0; r < lines.size(); ++r) {
        const StreamRecordStats &s = lines[r].sum;
        QString name = s.instrumentId + QLatin1Char('/') + s.streamId;
        if (s.generation > 1)
            name += QStringLiteral(" (%1)").arg(s.generation);
        m_table->setItem(r, Stream, cell(name, false));
        m_table->setItem(r, Rows, cell(locale.toString(s.samples), true));
        m_table->setItem(r, Time, cell(tr("%1 … %2").arg(formatTime(s.firstTime), formatTime(s.lastTime)), true));
        m_table->setItem(r, Dropped, cell(locale.toString(s.droppedSamples), true, s.droppedSamples > 0));
        QString lost = locale.toString(s.deviceLostSamples);
        if (s.overflowBlocks)
            lost += tr(" (%n overrun flag(s))", nullptr, int(s.overflowBlocks));
        m_table->setItem(r, Lost, cell(lost, true, s.deviceLostSamples > 0 || s.overflowBlocks > 0));
        QStringList breaks;
        if (s.stops)
            breaks << tr("%n stop(s)", nullptr, int(s.stops));
        if (s.outages)
            breaks << tr("%n outage(s), %1 s without data", nullptr, int(s.outages))
                          .arg(locale.toString(s.outageSeconds, 'f', 1));
        m_table->setItem(r, Breaks, cell(breaks.isEmpty() ? tr("none") : breaks.join(QStringLiteral("; ")), false, s.outages > 0));
        const QStringList &files = lines[r].files;
        QString where = files.size() == 1 ? QFileInfo(files.first()).fileName()
                                          : tr("%n part(s)", nullptr, int(files.size()));
        auto *item = cell(where, false);
        QStringList tips;
        for (const QString &f : files)
            tips << QDir::toNativeSeparators(f);
        if (!s.group.isEmpty())
            tips << tr("HDF5 group %1").arg(s.group);
        item->setToolTip(tips.join(QLatin1Char('\n')));
        m_table->setItem(r, Files, item);
    }
}

} // namespace bs
