// SPDX-License-Identifier: GPL-3.0-or-later
#include "Icons.h"

#include <QApplication>
#include <QHash>
#include <QImageReader>
#include <QStyle>

// Resources of a static library must be registered by name, outside any namespace.
static void initBenchScopeResources()
{
    Q_INIT_RESOURCE(benchscope);
}

namespace bs::Icons {

namespace {
bool svgSupported()
{
    static const bool supported = QImageReader::supportedImageFormats().contains("svg");
    return supported;
}

QStyle::StandardPixmap fallback(const QString &name)
{
    static const QHash<QString, QStyle::StandardPixmap> map { { QStringLiteral("run"), QStyle::SP_MediaPlay },
        { QStringLiteral("stop"), QStyle::SP_MediaStop },
        { QStringLiteral("record"), QStyle::SP_DialogYesButton },
        { QStringLiteral("record-stop"), QStyle::SP_MediaStop },
        { QStringLiteral("add-instrument"), QStyle::SP_FileDialogNewFolder },
        { QStringLiteral("remove-instrument"), QStyle::SP_TrashIcon },
        { QStringLiteral("follow"), QStyle::SP_MediaSeekForward },
        { QStringLiteral("freeze"), QStyle::SP_MediaPause },
        { QStringLiteral("zoom-all"), QStyle::SP_TitleBarMaxButton },
        { QStringLiteral("autoscale"), QStyle::SP_ArrowUp },
        { QStringLiteral("document-new"), QStyle::SP_FileIcon },
        { QStringLiteral("document-open"), QStyle::SP_DialogOpenButton },
        { QStringLiteral("document-save"), QStyle::SP_DialogSaveButton },
        { QStringLiteral("export-csv"), QStyle::SP_FileDialogDetailedView },
        { QStringLiteral("settings"), QStyle::SP_FileDialogInfoView },
        { QStringLiteral("clear"), QStyle::SP_DialogResetButton },
        { QStringLiteral("benchscope"), QStyle::SP_ComputerIcon } };
    return map.value(name, QStyle::SP_FileIcon);
}
} // namespace

QIcon get(const QString &name)
{
    static const bool initialised = [] {
        initBenchScopeResources();
        return true;
    }();
    Q_UNUSED(initialised);
    if (svgSupported()) {
        QIcon icon(QStringLiteral(":/icons/%1.svg").arg(name));
        if (!icon.isNull())
            return icon;
    }
    return QApplication::style()->standardIcon(fallback(name));
}

QIcon application()
{
    return get(QStringLiteral("benchscope"));
}

} // namespace bs::Icons
