// SPDX-License-Identifier: GPL-3.0-or-later
// Entity commands (`BLOCKn.FIELD[.ATTR]` get/set, `BLOCK.*?`, `BLOCK.FIELD.*?`) and the two system
// commands that address entities (`*DESC.…?`, `*ENUMS.…?`). Error precedence follows the server's
// transcript: No name found, Name too long, No such block, Invalid block number, Missing field
// name, Missing block number, No such field, No such attribute.
#include "PandaSimulatorCommands.h"

namespace bs::panda {
namespace {

constexpr int kMaxNameLength = 20;

bool isNameChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/// Reads a name token at `pos`; returns an error reply or OK.
Reply readName(QByteArrayView text, qsizetype &pos, QByteArrayView &token)
{
    const qsizetype begin = pos;
    while (pos < text.size() && isNameChar(text[pos]))
        ++pos;
    token = text.sliced(begin, pos - begin);
    if (token.isEmpty())
        return Reply::error("No name found");
    if (token.size() > kMaxNameLength)
        return Reply::error("Name too long");
    return Reply::ok();
}

Reply expectEnd(QByteArrayView text, qsizetype pos)
{
    return pos == text.size() ? Reply::ok() : Reply::error("Unexpected character after input");
}

} // namespace

Reply PandaSimulatorCommands::parseTarget(QByteArrayView name, Target &t, bool numberOptional) const
{
    qsizetype pos = 0;
    QByteArrayView token;
    if (Reply r = readName(name, pos, token); r.isError())
        return r;
    qsizetype digits = token.size();
    while (digits > 0 && token[digits - 1] >= '0' && token[digits - 1] <= '9')
        --digits;
    t.block = m_model.blockIndex(token.first(digits));
    if (t.block < 0)
        return Reply::error("No such block");
    const SimBlock &block = m_model.blocks()[t.block];
    if (digits < token.size()) {
        const int number = token.sliced(digits).toByteArray().toInt();
        if (number < 1 || number > block.count)
            return Reply::error("Invalid block number");
        t.instance = number - 1;
    }
    if (pos == name.size())
        return Reply::error("Missing field name");
    if (name[pos] != '.')
        return Reply::error("Unexpected character after input");
    ++pos;
    if (pos < name.size() && name[pos] == '*') {
        t.fieldList = true;
        return expectEnd(name, pos + 1);
    }
    if (t.instance < 0 && block.count > 1 && !numberOptional)
        return Reply::error("Missing block number");
    if (Reply r = readName(name, pos, token); r.isError())
        return r;
    t.field = m_model.fieldIndex(t.block, token);
    if (t.field < 0)
        return Reply::error("No such field");
    if (pos == name.size())
        return Reply::ok();
    if (name[pos] != '.')
        return Reply::error("Unexpected character after input");
    ++pos;
    t.hasAttr = true;
    if (pos < name.size() && name[pos] == '*') {
        t.attrList = true;
        return expectEnd(name, pos + 1);
    }
    if (Reply r = readName(name, pos, token); r.isError())
        return r;
    t.attr = token.toByteArray();
    return expectEnd(name, pos);
}

Reply PandaSimulatorCommands::entity(QByteArrayView name, char op, QByteArrayView value)
{
    Target t;
    if (Reply r = parseTarget(name, t, false); r.isError())
        return r;
    const SimBlock &block = m_model.blocks()[t.block];
    if (t.fieldList) {
        if (op != '?')
            return Reply::error("Field not writeable");
        QList<QByteArray> lines;
        for (const SimFieldDef &f : block.fields)
            lines.append(f.name + ' ' + QByteArray::number(f.uiIndex) + ' ' + fieldKindName(f.kind));
        return Reply::list(lines);
    }
    const FieldRef ref = t.ref();
    const FieldKind kind = m_model.def(ref).kind;
    if (t.attrList) {
        if (op != '?')
            return Reply::error("Field not writeable");
        return Reply::list(PandaSimulatorFields::attributeNames(kind));
    }
    if (t.hasAttr) {
        if (!PandaSimulatorFields::attributeNames(kind).contains(t.attr))
            return Reply::error("No such attribute");
        return op == '?' ? m_fields.getAttribute(ref, t.attr) : m_fields.putAttribute(ref, t.attr, value);
    }
    return op == '?' ? m_fields.get(ref) : m_fields.put(ref, value);
}

Reply PandaSimulatorCommands::describe(QByteArrayView target) const
{
    Target t;
    const Reply r = parseTarget(target, t, true);
    if (r.isError()) {
        if (r.text == "Missing field name" && t.block >= 0)
            return Reply::value(m_model.blocks()[t.block].description);
        return r;
    }
    if (t.fieldList || t.attrList)
        return Reply::error("No name found");
    const FieldRef ref = t.ref();
    if (!t.hasAttr)
        return Reply::value(m_model.def(ref).description);
    if (!PandaSimulatorFields::attributeNames(m_model.def(ref).kind).contains(t.attr))
        return Reply::error("No such attribute");
    return Reply::value(PandaSimulatorFields::attributeDescription(t.attr));
}

Reply PandaSimulatorCommands::enums(QByteArrayView target) const
{
    Target t;
    if (Reply r = parseTarget(target, t, true); r.isError())
        return r;
    if (t.fieldList || t.attrList)
        return Reply::error("No name found");
    const FieldRef ref = t.ref();
    if (t.hasAttr && !PandaSimulatorFields::attributeNames(m_model.def(ref).kind).contains(t.attr))
        return Reply::error("No such attribute");
    return m_fields.enumLabels(ref, t.hasAttr ? QByteArrayView(t.attr) : QByteArrayView());
}

} // namespace bs::panda
