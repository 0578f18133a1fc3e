// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Session.h>

#include <QDialog>

#include <memory>

namespace Ui {
class RecordingSettingsDialog;
}

namespace bs {

/// Record ▸ Recording Settings…: format (HDF5 or CSV), folder, file name base and queue size,
/// stored in the session's `recording` object.
class RecordingSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RecordingSettingsDialog(const SessionRecording &settings, QWidget *parent = nullptr);
    ~RecordingSettingsDialog() override;

    SessionRecording settings() const;

private:
    void browse();
    void updatePreview();

    std::unique_ptr<Ui::RecordingSettingsDialog> m_ui;
    SessionRecording m_settings;
};

} // namespace bs
