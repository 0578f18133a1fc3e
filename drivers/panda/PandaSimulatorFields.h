// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Text access to field values and attributes (spec §2.4, §3.1): what `FIELD?`, `FIELD=v`,
// `FIELD.ATTR?`, `FIELD.ATTR=v`, `*ENUMS.…?` and `*CHANGES…?` see, with the server's error strings.

#include "PandaSimulatorModel.h"
#include "PandaSimulatorReply.h"

namespace bs::panda {

/// `*CHANGES` groups, in the order `*CHANGES?` reports them.
enum class ChangeGroup : quint8 { Config, Bits, Posn, Read, Attr, Table, Metadata };
inline constexpr int kChangeGroupCount = 7;
QByteArray changeGroupName(ChangeGroup group);

class PandaSimulatorFields
{
public:
    explicit PandaSimulatorFields(PandaSimulatorModel &model)
        : m_model(model)
    {
    }

    Reply get(FieldRef r) const;
    Reply put(FieldRef r, QByteArrayView text);

    /// Attribute names of a field kind, in `FIELD.*?` order.
    static QList<QByteArray> attributeNames(FieldKind kind);
    static QByteArray attributeDescription(QByteArrayView attr);
    /// attr must be one of attributeNames(kind of r).
    Reply getAttribute(FieldRef r, QByteArrayView attr) const;
    Reply putAttribute(FieldRef r, QByteArrayView attr, QByteArrayView text);

    /// `*ENUMS.<field>[.<attr>]?` labels; an error reply when the target has no enumeration.
    Reply enumLabels(FieldRef r, QByteArrayView attr) const;
    /// Labels of `*ENUMS.<pos_out>.CAPTURE?` / `*CAPTURE.ENUMS?`.
    static QList<QByteArray> posCaptureEnums(bool stdDev);

    /// Current (name, value) pairs reported by `*CHANGES.<group>?`.
    QList<QPair<QByteArray, QByteArray>> changeValues(ChangeGroup group) const;

    static QByteArray formatDouble(double v);

private:
    Reply putCapture(FieldRef r, QByteArrayView text);
    QByteArray timeText(FieldRef r) const;

    PandaSimulatorModel &m_model;
};

} // namespace bs::panda
