// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QString>

namespace bs {

/// Icons of the application, from resources/icons/<name>.svg (compiled into bs_gui). Without the
/// Qt SVG plugin (Debian: libqt6svg6) a matching standard icon of the style is used instead.
namespace Icons {

QIcon get(const QString &name);
/// The application icon (resources/icons/benchscope.svg).
QIcon application();

} // namespace Icons
} // namespace bs
