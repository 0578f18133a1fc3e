// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Session.h>

#include <QDialog>

#include <memory>

namespace Ui {
class RecordingSettingsDialog;
}

namespace bs {

/// Record ▸ Recording Settings… (Ctrl+Shift+R), in a technician's words: format (HDF5 or CSV),
/// folder, file name base, split files (every N minutes and/or N GB), auto-stop (after N minutes
/// and/or N GB), HDF5 compression (off, deflate with its level, LZ4 when the plugin loads) and the
/// memory for data waiting to be written (the recorder's queue), stored in the
/// session's `recording` object. Object names as in `ui/RecordingSettingsDialog.ui`.
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
    void updateCompression();

    std::unique_ptr<Ui::RecordingSettingsDialog> m_ui;
    SessionRecording m_settings;
};

} // namespace bs
