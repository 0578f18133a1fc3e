// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingSettingsDialog.h"

#include "ui_RecordingSettingsDialog.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QStandardPaths>

namespace bs {

RecordingSettingsDialog::RecordingSettingsDialog(const SessionRecording &settings, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::RecordingSettingsDialog>())
    , m_settings(settings)
{
    m_ui->setupUi(this);
    m_ui->formatCombo->addItem(tr("HDF5 — one .h5 file (recommended)"), QStringLiteral("hdf5"));
    m_ui->formatCombo->addItem(tr("CSV — a folder with one .csv file per stream"), QStringLiteral("csv"));
    m_ui->formatCombo->setCurrentIndex(std::max(0, m_ui->formatCombo->findData(settings.format)));
    m_ui->directoryEdit->setText(QDir::toNativeSeparators(settings.directory));
    m_ui->directoryEdit->setPlaceholderText(
        QDir::toNativeSeparators(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)));
    m_ui->baseNameEdit->setText(settings.baseName);
    m_ui->queueSpin->setValue(int(settings.queueMiB));
    connect(m_ui->browseButton, &QPushButton::clicked, this, &RecordingSettingsDialog::browse);
    connect(
        m_ui->formatCombo, &QComboBox::currentIndexChanged, this, &RecordingSettingsDialog::updatePreview);
    connect(m_ui->directoryEdit, &QLineEdit::textChanged, this, &RecordingSettingsDialog::updatePreview);
    connect(m_ui->baseNameEdit, &QLineEdit::textChanged, this, &RecordingSettingsDialog::updatePreview);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updatePreview();
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

void RecordingSettingsDialog::updatePreview()
{
    const SessionRecording s = settings();
    const QString dir = s.directory.isEmpty() ? m_ui->directoryEdit->placeholderText() : s.directory;
    QString name = s.baseName + QLatin1Char('_')
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (s.format != QLatin1String("csv"))
        name += QStringLiteral(".h5");
    m_ui->preview->setText(tr("Next recording: %1").arg(QDir::toNativeSeparators(QDir(dir).filePath(name))));
}

} // namespace bs
