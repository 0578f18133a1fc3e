// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One control-port reply in one of the four forms of spec §2.2: `OK`, `OK =value`, `ERR message`,
// or `!line`… `.`.

#include <QByteArray>
#include <QList>

namespace bs::panda {

struct Reply
{
    enum class Kind : quint8 { Ok, Value, List, Error };
    Kind kind = Kind::Ok;
    QByteArray text; // value or error message
    QList<QByteArray> lines; // multi-value lines, without '!'

    static Reply ok() { return {}; }
    static Reply value(QByteArray v) { return { Kind::Value, std::move(v), {} }; }
    static Reply list(QList<QByteArray> l) { return { Kind::List, {}, std::move(l) }; }
    static Reply error(QByteArray message) { return { Kind::Error, std::move(message), {} }; }

    bool isError() const { return kind == Kind::Error; }

    void appendTo(QByteArray &out) const
    {
        switch (kind) {
        case Kind::Ok:
            out += "OK\n";
            break;
        case Kind::Value:
            out += "OK =" + text + '\n';
            break;
        case Kind::Error:
            out += "ERR " + text + '\n';
            break;
        case Kind::List:
            for (const QByteArray &l : lines)
                out += '!' + l + '\n';
            out += ".\n";
            break;
        }
    }
};

} // namespace bs::panda
