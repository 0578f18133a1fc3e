// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QKeySequence>
#include <QString>

class QDockWidget;
class QMainWindow;
class QWidget;

namespace bs {

class ScopeView;

/// A hidden dock at the bottom of `window` holding `content`, its View-menu toggle with `key`
/// and `tip` (the Measurements and Spectrum docks of the main and the recording windows).
QDockWidget *addAnalysisDock(QMainWindow *window, const QString &title, const QString &objectName, QWidget *content,
    const QKeySequence &key, const QString &tip);

/// File ▸ Export View Image: asks for a PNG, SVG or PDF name (starting in `directory`) and
/// writes `view` there; a failure is shown in a message box naming the file and the cause.
/// The path written, or empty (cancelled or failed).
QString exportViewImageInteractively(QWidget *parent, const ScopeView *view, const QString &directory);

} // namespace bs
