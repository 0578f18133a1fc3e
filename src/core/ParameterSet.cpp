// SPDX-License-Identifier: GPL-3.0-or-later
#include "ParameterSet.h"

#include "EngineeringFormat.h"

#include <QCoreApplication>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace bs {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("ParameterSet", text); }

} // namespace

QString ParameterSpec::typeName(Type t)
{
    switch (t) {
    case Type::Bool: return QStringLiteral("bool");
    case Type::Int: return QStringLiteral("integer");
    case Type::Double: return QStringLiteral("number");
    case Type::String: return QStringLiteral("string");
    case Type::Enum: return QStringLiteral("enum");
    }
    return {};
}

int ParameterSet::indexOf(const QString &key) const
{
    for (int i = 0; i < m_specs.size(); ++i)
        if (m_specs[i].key == key)
            return i;
    return -1;
}

ParameterSpec &ParameterSet::add(const ParameterSpec &spec)
{
    int i = indexOf(spec.key);
    if (i < 0) {
        m_specs.append(spec);
        m_values.append(QVariant());
        i = int(m_specs.size()) - 1;
    } else {
        m_specs[i] = spec;
    }
    QVariant v;
    if (!spec.defaultValue.isValid() || !validate(spec.key, spec.defaultValue, &v).isEmpty()) {
        switch (spec.type) {
        case ParameterSpec::Type::Bool: v = false; break;
        case ParameterSpec::Type::Int: v = qint64(std::isfinite(spec.minimum) ? spec.minimum : 0); break;
        case ParameterSpec::Type::Double: v = std::isfinite(spec.minimum) ? spec.minimum : 0.0; break;
        case ParameterSpec::Type::String: v = QString(); break;
        case ParameterSpec::Type::Enum: v = spec.enumValues.value(0); break;
        }
    }
    m_values[i] = v;
    m_specs[i].defaultValue = v;
    return m_specs[i];
}

ParameterSpec &ParameterSet::addBool(const QString &key, const QString &label, bool def, const QString &group)
{
    ParameterSpec s;
    s.key = key, s.label = label, s.type = ParameterSpec::Type::Bool, s.group = group, s.defaultValue = def;
    return add(s);
}

ParameterSpec &ParameterSet::addInt(const QString &key, const QString &label, qint64 def, qint64 min, qint64 max,
                                    const QString &group, const QString &unit)
{
    ParameterSpec s;
    s.key = key, s.label = label, s.type = ParameterSpec::Type::Int, s.group = group, s.unit = unit;
    s.minimum = double(min), s.maximum = double(max), s.defaultValue = def;
    return add(s);
}

ParameterSpec &ParameterSet::addDouble(const QString &key, const QString &label, double def, double min,
                                       double max, const QString &group, const QString &unit)
{
    ParameterSpec s;
    s.key = key, s.label = label, s.type = ParameterSpec::Type::Double, s.group = group, s.unit = unit;
    s.minimum = min, s.maximum = max, s.defaultValue = def;
    return add(s);
}

ParameterSpec &ParameterSet::addString(const QString &key, const QString &label, const QString &def,
                                       const QString &group)
{
    ParameterSpec s;
    s.key = key, s.label = label, s.type = ParameterSpec::Type::String, s.group = group, s.defaultValue = def;
    return add(s);
}

ParameterSpec &ParameterSet::addEnum(const QString &key, const QString &label, const QStringList &values,
                                     const QString &def, const QString &group)
{
    ParameterSpec s;
    s.key = key, s.label = label, s.type = ParameterSpec::Type::Enum, s.group = group;
    s.enumValues = values, s.defaultValue = def;
    return add(s);
}

void ParameterSet::remove(const QString &key)
{
    const int i = indexOf(key);
    if (i >= 0) {
        m_specs.removeAt(i);
        m_values.removeAt(i);
    }
}

const ParameterSpec *ParameterSet::spec(const QString &key) const
{
    const int i = indexOf(key);
    return i < 0 ? nullptr : &m_specs[i];
}

QStringList ParameterSet::groups() const
{
    QStringList g;
    for (const auto &s : m_specs)
        if (!g.contains(s.group))
            g.append(s.group);
    return g;
}

QStringList ParameterSet::choices(const QString &key) const
{
    const ParameterSpec *s = spec(key);
    if (!s || s->type != ParameterSpec::Type::Enum)
        return {};
    if (s->choicesKey.isEmpty())
        return s->enumValues;
    const auto it = s->choicesFor.constFind(value(s->choicesKey).toString());
    if (it == s->choicesFor.cend())
        return s->enumValues;
    QStringList out;
    for (const QString &v : s->enumValues) // the spec's order, whatever order the table lists
        if (it->contains(v))
            out << v;
    return out;
}

QString ParameterSet::checkChoice(const QString &key, const QString &value) const
{
    const ParameterSpec *s = spec(key);
    if (!s || s->type != ParameterSpec::Type::Enum || s->choicesKey.isEmpty())
        return {};
    const QStringList offered = choices(key);
    if (offered.contains(value))
        return {};
    const ParameterSpec *decider = spec(s->choicesKey);
    const QString by = decider ? decider->displayName() : s->choicesKey;
    if (offered.isEmpty())
        return tr("%1: not available with %2 %3").arg(s->displayName(), by, stringValue(s->choicesKey));
    return tr("%1: %2 is not available with %3 %4 (choose %5)")
        .arg(s->displayName(), s->choiceLabel(value), by, stringValue(s->choicesKey), s->choiceList(offered));
}

bool ParameterSet::isRelevant(const QString &key) const
{
    return irrelevantBecause(key).isEmpty();
}

QString ParameterSet::irrelevantBecause(const QString &key) const
{
    // A setting that depends on an irrelevant one is irrelevant too (an output's duty cycle when
    // that output is not on the connected model). Bounded depth: a cycle in the specs cannot hang.
    QString k = key;
    for (int depth = 0; depth < 8; ++depth) {
        const ParameterSpec *s = spec(k);
        if (!s || s->relevantKey.isEmpty())
            return {};
        if (!s->relevantValues.contains(value(s->relevantKey).toString()))
            return s->relevantKey;
        k = s->relevantKey;
    }
    return {};
}

QVariant ParameterSet::value(const QString &key) const
{
    const int i = indexOf(key);
    return i < 0 ? QVariant() : m_values[i];
}

QString ParameterSpec::displayName() const
{
    return label.isEmpty() ? key : label;
}

QString ParameterSpec::formatValue(double value) const
{
    if (type == Type::Int && std::abs(value) < 9.2e18)
        return EngineeringFormat::formatInteger(qint64(value), unit);
    return EngineeringFormat::format(value, unit);
}

QString ParameterSpec::rangeText() const
{
    return QStringLiteral("%1 … %2").arg(formatValue(minimum), formatValue(maximum));
}

QString ParameterSpec::choiceLabel(const QString &value) const
{
    const qsizetype i = enumValues.indexOf(value);
    const QString label = i < 0 ? QString() : enumLabels.value(i);
    return label.isEmpty() ? value : label;
}

QString ParameterSpec::choiceList(const QStringList &values) const
{
    QStringList labels;
    for (const QString &v : values.isEmpty() ? enumValues : values)
        labels << choiceLabel(v);
    return labels.join(QStringLiteral(", "));
}

QString ParameterSpec::choiceValue(const QString &text) const
{
    if (enumValues.contains(text))
        return text;
    auto squeeze = [](QString t) { return t.remove(QLatin1Char(' ')).remove(QChar(0x2009)).toCaseFolded(); };
    const QString typed = squeeze(text);
    if (typed.isEmpty())
        return {};
    for (qsizetype i = 0; i < enumValues.size(); ++i)
        if (squeeze(choiceLabel(enumValues[i])) == typed)
            return enumValues[i];
    return {};
}

QVector<QStringList> ParameterSpec::tableRows(const QString &value) const
{
    QVector<QStringList> rows;
    const int n = int(tableColumns.size());
    if (n == 0 || value.trimmed().isEmpty())
        return rows;
    const QStringList items = value.split(QLatin1Char(','));
    for (qsizetype i = 0; i < items.size(); i += n) {
        QStringList row;
        for (int c = 0; c < n; ++c)
            row << items.value(i + c).trimmed();
        rows << row;
    }
    return rows;
}

QString ParameterSpec::tableValue(const QVector<QStringList> &rows)
{
    QStringList items;
    for (const QStringList &row : rows)
        items << row;
    return items.join(QLatin1Char(','));
}

namespace {

/// The normalised table value ("mx, 1" → "MX,1"), or a message in `why` naming the row.
QString checkTable(const ParameterSpec &s, const QString &value, QString *why)
{
    const int n = int(s.tableColumns.size());
    if (!value.trimmed().isEmpty() && value.split(QLatin1Char(',')).size() % n != 0) {
        *why = tr("'%1' is not a list of %2 (%3 items a row)")
                   .arg(value, s.tableColumns.join(QStringLiteral(", ")))
                   .arg(n);
        return {};
    }
    QVector<QStringList> rows = s.tableRows(value);
    if (rows.size() < s.tableMinRows) {
        *why = s.tableMinRows == 1 ? tr("needs at least one row")
                                   : tr("needs at least %1 rows, got %2").arg(s.tableMinRows).arg(rows.size());
        return {};
    }
    if (s.tableMaxRows > 0 && rows.size() > s.tableMaxRows) {
        *why = tr("at most %1 rows, got %2").arg(s.tableMaxRows).arg(rows.size());
        return {};
    }
    for (qsizetype r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < n; ++c) {
            QString &item = rows[r][c];
            const QStringList choices = s.tableChoices.value(c);
            if (choices.isEmpty()) {
                if (!item.isEmpty())
                    continue;
            } else {
                const auto it = std::find_if(choices.begin(), choices.end(),
                    [&](const QString &choice) { return choice.compare(item, Qt::CaseInsensitive) == 0; });
                if (it != choices.end()) {
                    item = *it;
                    continue;
                }
            }
            *why = choices.isEmpty() ? tr("row %1: %2 is empty").arg(r + 1).arg(s.tableColumns[c])
                                     : tr("row %1: %2 '%3' is not one of: %4")
                                           .arg(r + 1)
                                           .arg(s.tableColumns[c], item, choices.join(QStringLiteral(", ")));
            return {};
        }
    }
    return ParameterSpec::tableValue(rows);
}

} // namespace

QString ParameterSet::check(const ParameterSpec &spec, const QVariant &value, QVariant *normalised)
{
    const ParameterSpec *s = &spec;
    QVariant out;
    switch (s->type) {
    case ParameterSpec::Type::Bool:
        if (value.typeId() == QMetaType::Bool) {
            out = value.toBool();
        } else if (value.typeId() == QMetaType::QString) {
            const QString t = value.toString().trimmed().toLower();
            if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("on"))
                out = true;
            else if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("off"))
                out = false;
        }
        if (!out.isValid())
            return tr("must be on or off (true or false), got '%1'").arg(value.toString());
        break;
    case ParameterSpec::Type::Int:
    case ParameterSpec::Type::Double: {
        const bool integer = s->type == ParameterSpec::Type::Int;
        bool ok = false;
        double d = 0;
        if (value.typeId() == QMetaType::QString) {
            const QString text = value.toString().trimmed();
            d = text.toDouble(&ok);
            if (!ok && !integer) // "1 ms", "2.5 kHz", "−5 ms": the way the panel writes numbers
                if (const auto parsed = EngineeringFormat::parse(text, s->unit))
                    d = *parsed, ok = true;
        } else if (value.canConvert<double>() && value.typeId() != QMetaType::Bool) {
            d = value.toDouble(&ok);
        }
        if (!ok || std::isnan(d))
            return (integer ? tr("'%1' is not a whole number") : tr("'%1' is not a number")).arg(value.toString());
        if (integer && (!std::isfinite(d) || d != std::floor(d)))
            return tr("%1 is not a whole number").arg(EngineeringFormat::format(d, s->unit));
        if (d < s->minimum || d > s->maximum) {
            if (std::isfinite(s->minimum) && std::isfinite(s->maximum))
                return tr("%1 is outside %2").arg(s->formatValue(d), s->rangeText());
            if (d < s->minimum)
                return tr("%1 is below the minimum %2").arg(s->formatValue(d), s->formatValue(s->minimum));
            return tr("%1 is above the maximum %2").arg(s->formatValue(d), s->formatValue(s->maximum));
        }
        out = integer ? QVariant(qint64(d)) : QVariant(d);
        break;
    }
    case ParameterSpec::Type::String:
        if (value.typeId() != QMetaType::QString && !value.canConvert<QString>())
            return tr("must be text");
        out = value.toString();
        if (s->isTable()) {
            QString why;
            out = checkTable(*s, value.toString(), &why);
            if (!why.isEmpty())
                return why;
        }
        break;
    case ParameterSpec::Type::Enum: {
        // The value as files and devices write it, or its label as the panel shows it.
        const QString v = s->choiceValue(value.toString());
        if (v.isEmpty())
            return tr("'%1' is not one of: %2").arg(value.toString(), s->choiceList());
        out = v;
        break;
    }
    }
    if (normalised)
        *normalised = out;
    return {};
}

QString ParameterSet::validate(const QString &key, const QVariant &value, QVariant *normalised) const
{
    const ParameterSpec *s = spec(key);
    if (!s)
        return tr("%1: unknown parameter").arg(key);
    const QString why = check(*s, value, normalised);
    return why.isEmpty() ? QString() : s->displayName() + QStringLiteral(": ") + why;
}

QString ParameterSet::set(const QString &key, const QVariant &value, bool allowReadOnly)
{
    const int i = indexOf(key);
    if (i < 0)
        return tr("%1: unknown parameter").arg(key);
    if (m_specs[i].readOnly && !allowReadOnly)
        return tr("%1: read-only").arg(key);
    QVariant v;
    const QString err = validate(key, value, &v);
    if (err.isEmpty())
        m_values[i] = v;
    return err;
}

QString ParameterSet::setFromString(const QString &key, const QString &text)
{
    const int i = indexOf(key);
    if (i < 0 || m_specs[i].readOnly)
        return set(key, QVariant(text));
    // Typed by key (`--set key=value`): the message names the key and the label.
    QVariant v;
    const QString why = check(m_specs[i], QVariant(text), &v);
    if (!why.isEmpty())
        return m_specs[i].label.isEmpty() || m_specs[i].label == key
            ? QStringLiteral("%1: %2").arg(key, why)
            : QStringLiteral("%1 (%2): %3").arg(key, m_specs[i].label, why);
    m_values[i] = v;
    return {};
}

QJsonObject ParameterSet::toJson() const
{
    QJsonObject o;
    for (int i = 0; i < m_specs.size(); ++i) {
        if (m_specs[i].readOnly || !m_specs[i].persistent)
            continue;
        o.insert(m_specs[i].key, QJsonValue::fromVariant(m_values[i]));
    }
    return o;
}

QString ParameterSet::applyJson(const QJsonObject &obj, const QString &context)
{
    const QString prefix = context.isEmpty() ? QString() : context + QLatin1Char('.');
    QVector<QPair<int, QVariant>> pending;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const int i = indexOf(it.key());
        if (i < 0)
            return tr("%1%2: unknown parameter").arg(prefix, it.key());
        if (m_specs[i].readOnly)
            return tr("%1%2: parameter is read-only").arg(prefix, it.key());
        if (it.value().isArray() || it.value().isObject() || it.value().isNull())
            return tr("%1%2: expected a %3 value").arg(prefix, it.key(), ParameterSpec::typeName(m_specs[i].type));
        QVariant v = it.value().toVariant();
        const auto type = m_specs[i].type;
        const bool typeOk = type == ParameterSpec::Type::Bool ? it.value().isBool()
            : (type == ParameterSpec::Type::Int || type == ParameterSpec::Type::Double) ? it.value().isDouble()
                                                                                        : it.value().isString();
        if (!typeOk)
            return tr("%1%2: expected a %3 value").arg(prefix, it.key(), ParameterSpec::typeName(type));
        QVariant norm;
        const QString err = check(m_specs[i], v, &norm);
        if (!err.isEmpty())
            return QStringLiteral("%1%2: %3").arg(prefix, it.key(), err);
        pending.append({i, norm});
    }
    for (const auto &[i, v] : pending)
        m_values[i] = v;
    return {};
}

} // namespace bs
