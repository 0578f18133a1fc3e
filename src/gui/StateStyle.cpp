// SPDX-License-Identifier: GPL-3.0-or-later
#include "StateStyle.h"

#include <QLabel>

namespace bs::StateStyle {

QColor color(Instrument::State state)
{
    switch (state) {
    case Instrument::State::Disconnected:
        return QColor(0x80, 0x80, 0x80);
    case Instrument::State::Connecting:
        return QColor(0xc0, 0x80, 0x00);
    case Instrument::State::Connected:
        return QColor(0x1f, 0x6f, 0xc0);
    case Instrument::State::Running:
        return QColor(0x1a, 0x9a, 0x3a);
    case Instrument::State::Error:
        return QColor(0xd0, 0x20, 0x20);
    case Instrument::State::Finished:
        return QColor(0x6a, 0x3d, 0xb8);
    }
    return Qt::black;
}

void apply(QLabel *label, Instrument::State state, const QString &text)
{
    label->setTextFormat(Qt::RichText);
    label->setText(QStringLiteral("<span style=\"color:%1\">&#9679;</span>&nbsp;%2")
                       .arg(color(state).name(), text.toHtmlEscaped()));
}

} // namespace bs::StateStyle
