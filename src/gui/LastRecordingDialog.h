// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordController.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace bs {

/// Record ▸ Last Recording… (also the status bar's button once a recording has ended): where the
/// last recording went — the full path (every part of a split recording), its size on disk (read
/// from the disk when the dialog opens), how long it ran and why it ended, and per stream the
/// rows written, the samples dropped by the recorder and lost by the device; Open Folder
/// (QDesktopServices) and Copy Path.
/// Object names: "pathLabel", "sizeLabel", "endLabel", "streamTable", "openFolderButton",
/// "copyPathButton".
class LastRecordingDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LastRecordingDialog(const LastRecording &recording, QWidget *parent = nullptr);

    /// Bytes on disk of `paths` (files, and every file below a folder).
    static qint64 sizeOnDisk(const QStringList &paths);
    /// The folder Open Folder shows: a CSV recording's own folder, else the one holding the file(s).
    static QString folderOf(const LastRecording &recording);
    /// Table columns.
    enum Column { Stream, Rows, Time, Dropped, Lost, Breaks, Files, ColumnCount };

private:
    void fillStreams();

    LastRecording m_recording;
    QLabel *m_path = nullptr;
    QLabel *m_size = nullptr;
    QLabel *m_end = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace bs
