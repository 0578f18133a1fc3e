// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingSettingsDialog.h"

#include "RecordingOptions.h"
#include "ui_RecordingSettingsDialog.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QLocale>
#include <QStandardItemModel>
#include <QStandardPaths>

namespace bs {

RecordingSettingsDialog::RecordingSettingsDialog(const SessionRecording &settings, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::RecordingSettingsDialog>())
    , m_settings(settings)
{
    m_ui->setupUi(this);
    m_ui->formatCombo->addItem(
        tr("HDF5 — one .h5 file for everything (recommended; MATLAB, Python)"), QStringLiteral("hdf5"));
    m_ui->formatCombo->addItem(
        tr("CSV — a folder with one table per stream (spreadsheets; large and slower)"), QStringLiteral("csv"));
    m_ui->formatCombo->setCurrentIndex(std::max(0, m_ui->formatCombo->findData(settings.format)));
    m_ui->directoryEdit->setText(QDir::toNativeSeparators(settings.directory));
    m_ui->directoryEdit->setPlaceholderText(
        QDir::toNativeSeparators(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)));
    m_ui->baseNameEdit->setText(settings.baseName);
    m_ui->compressionCombo->addItem(tr("Off (default) — fastest"), QStringLiteral("none"));
    m_ui->compressionCombo->addItem(tr("Deflate — smaller files, much slower to write; any HDF5 reader"),
                                    QStringLiteral("deflate"));
    m_ui->compressionCombo->addItem(tr("LZ4 — fast; readers need the HDF5 LZ4 filter plugin"), QStringLiteral("lz4"));
    if (!compressionAvailable(RecordingOptions::Compression::Lz4)) {
        // Shown, but not offered: HDF5 could not load the plugin, so recording would be refused.
        const int i = m_ui->compressionCombo->findData(QStringLiteral("lz4"));
        m_ui->compressionCombo->setItemText(i, tr("LZ4 — not available: install hdf5-filter-plugin"));
        if (auto *model = qobject_cast<QStandardItemModel *>(m_ui->compressionCombo->model()))
            model->item(i)->setEnabled(false);
    }
    m_ui->compressionCombo->setCurrentIndex(std::max(0, m_ui->compressionCombo->findData(settings.compression)));
    m_ui->compressionLevelSpin->setValue(settings.compressionLevel);
    connect(m_ui->compressionCombo, &QComboBox::currentIndexChanged, this,
            &RecordingSettingsDialog::updateCompression);
    m_ui->queueSpin->setValue(int(settings.queueMiB));
    m_ui->splitMinutesSpin->setValue(settings.splitMinutes);
    m_ui->splitSizeSpin->setValue(settings.splitGB);
    m_ui->stopMinutesSpin->setValue(settings.stopAfterMinutes);
    m_ui->stopSizeSpin->setValue(settings.stopAfterGB);
    for (QDoubleSpinBox *spin :
        { m_ui->splitMinutesSpin, m_ui->splitSizeSpin, m_ui->stopMinutesSpin, m_ui->stopSizeSpin })
        connect(spin, &QDoubleSpinBox::valueChanged, this, &RecordingSettingsDialog::updatePreview);
    // Room for the two lines of the preview (the next file's name, when it stops) from the start.
    m_ui->preview->setMinimumHeight(m_ui->preview->fontMetrics().lineSpacing() * 3);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &RecordingSettingsDialog::browse);
    connect(
        m_ui->formatCombo, &QComboBox::currentIndexChanged, this, &RecordingSettingsDialog::updatePreview);
    connect(m_ui->formatCombo, &QComboBox::currentIndexChanged, this, &RecordingSettingsDialog::updateCompression);
    connect(m_ui->directoryEdit, &QLineEdit::textChanged, this, &RecordingSettingsDialog::updatePreview);
    connect(m_ui->baseNameEdit, &QLineEdit::textChanged, this, &RecordingSettingsDialog::updatePreview);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updatePreview();
    updateCompression();
}

RecordingSettingsDialog::~RecordingSettingsDialog() = default;

SessionRecording RecordingSettingsDialog::settings() const
{
    SessionRecording s = m_settings;
    s.format = m_ui->formatCombo->currentData().toString();
    s.directory = QDir::fromNativeSeparators(m_ui->directoryEdit->text().trimmed());
    s.baseName = m_ui->baseNameEdit->text().trimmed().isEmpty() ? QStringLiteral("recording")
                                                                : m_ui->baseNameEdit->text().trimmed();
    s.queueMiB = m_ui->queueSpin->value();
    s.splitMinutes = m_ui->splitMinutesSpin->value();
    s.splitGB = m_ui->splitSizeSpin->value();
    s.stopAfterMinutes = m_ui->stopMinutesSpin->value();
    s.stopAfterGB = m_ui->stopSizeSpin->value();
    s.compression = m_ui->compressionCombo->currentData().toString();
    s.compressionLevel = m_ui->compressionLevelSpin->value();
    return s;
}

void RecordingSettingsDialog::browse()
{
    const QString start = m_ui->directoryEdit->text().isEmpty() ? m_ui->directoryEdit->placeholderText()
                                                                : m_ui->directoryEdit->text();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Recording Folder"), start);
    if (!dir.isEmpty())
        m_ui->directoryEdit->setText(QDir::toNativeSeparators(dir));
}

void RecordingSettingsDialog::updateCompression()
{
    const bool hdf5 = m_ui->formatCombo->currentData().toString() != QLatin1String("csv");
    const QString c = m_ui->compressionCombo->currentData().toString();
    m_ui->compressionCombo->setEnabled(hdf5);
    m_ui->compressionLevelLabel->setEnabled(hdf5 && c == QLatin1String("deflate"));
    m_ui->compressionLevelSpin->setEnabled(hdf5 && c == QLatin1String("deflate"));
    QString hint;
    if (!hdf5)
        hint = tr("CSV files are never compressed.");
    else if (c == QLatin1String("deflate"))
        hint = tr("Deflate writes about 20 MB/s on one core: fine for slow instruments, too slow for a "
                  "fast PicoScope or PandA stream (what cannot be written in time is counted as lost).");
    else if (c == QLatin1String("lz4"))
        hint = tr("LZ4 keeps most of the writing speed. Whoever opens the file needs the HDF5 LZ4 filter "
                  "plugin (Debian: hdf5-filter-plugin; Python: the hdf5plugin package).");
    else
        hint = tr("Samples are stored in the instrument's own type (e.g. 16-bit ADC counts), so files are "
                  "already compact without compression.");
    m_ui->compressionHint->setText(hint);
}

void RecordingSettingsDialog::updatePreview()
{
    const SessionRecording s = settings();
    const QString dir = s.directory.isEmpty() ? m_ui->directoryEdit->placeholderText() : s.directory;
    QString name = s.baseName + QLatin1Char('_')
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const bool split = s.splitMinutes > 0 || s.splitGB > 0;
    if (split)
        name += QStringLiteral("_001");
    if (s.format != QLatin1String("csv"))
        name += QStringLiteral(".h5");
    QString text = tr("Next recording: %1").arg(QDir::toNativeSeparators(QDir(dir).filePath(name)));
    if (split)
        text += tr(", then _002, _003, …");
    QStringList stops;
    if (s.stopAfterMinutes > 0)
        stops << tr("after %1 minutes").arg(QLocale().toString(s.stopAfterMinutes));
    if (s.stopAfterGB > 0)
        stops << tr("at %1 GB").arg(QLocale().toString(s.stopAfterGB));
    if (!stops.isEmpty())
        text += QLatin1Char('\n')
            + (stops.size() > 1 ? tr("It stops by itself %1, whichever comes first.").arg(stops.join(tr(" or ")))
                                : tr("It stops by itself %1.").arg(stops.first()));
    m_ui->preview->setText(text);
}

} // namespace bs
