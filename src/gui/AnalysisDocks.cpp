// SPDX-License-Identifier: GPL-3.0-or-later
#include "AnalysisDocks.h"

#include "ScopeView.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>

namespace bs {

QDockWidget *addAnalysisDock(QMainWindow *window, const QString &title, const QString &objectName, QWidget *content,
    const QKeySequence &key, const QString &tip)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    dock->setAllowedAreas(Qt::AllDockWidgetAreas);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
    QAction *toggle = dock->toggleViewAction();
    toggle->setShortcut(key);
    toggle->setToolTip(tip);
    return dock;
}

QString exportViewImageInteractively(QWidget *parent, const ScopeView *view, const QString &directory)
{
    const QString png = QObject::tr("PNG image (*.png)"), svg = QObject::tr("SVG drawing (*.svg)"),
                  pdf = QObject::tr("PDF document (*.pdf)");
    QString filter = png;
    QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export View Image"),
        QDir(directory).filePath(QStringLiteral("scope.png")), QStringList { png, svg, pdf }.join(QStringLiteral(";;")),
        &filter);
    if (path.isEmpty())
        return {};
    if (QFileInfo(path).suffix().isEmpty()) // the type chosen in the dialog gives the extension
        path += filter == svg ? QStringLiteral(".svg") : filter == pdf ? QStringLiteral(".pdf") : QStringLiteral(".png");
    QString error;
    if (!view->exportImage(path, &error)) {
        QMessageBox::warning(parent, QObject::tr("Export View Image"), error);
        return {};
    }
    return path;
}

} // namespace bs
