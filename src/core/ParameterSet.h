// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <limits>

namespace bs {

/// Description of one typed setting of a driver. The GUI panel, the session file and the CLI's
/// `--set key=value` are all generated from these descriptions.
struct ParameterSpec
{
    enum class Type { Bool, Int, Double, String, Enum };

    QString key;        ///< stable identifier used in session files and `--set`
    QString label;      ///< shown in the panel
    Type type = Type::String;
    QString unit;       ///< e.g. "s", "Hz", "V"
    /// The unit is the value of this (read-only String) parameter when it has one, e.g. the NV200
    /// setpoint's "µm" in closed loop and "V" in open loop; `unit` until then.
    QString unitKey;
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    QStringList enumValues;  ///< Enum: allowed values, shown in this order
    /// Enum: what a user reads for each of `enumValues`, in the same order ("1 MΩ" for the
    /// device's "1MOhm"); a missing or empty label: the value itself. The panel, messages and
    /// summaries show labels; session files, `--set` and the device keep the values (a label
    /// typed instead of its value is taken too).
    QStringList enumLabels;
    /// Enum: which values are offered depends on the value of parameter `choicesKey` (e.g. the
    /// model a device reports): while it is v, only `choicesFor[v]`; a value of it that is not
    /// listed (e.g. empty before connecting): every value. See ParameterSet::choices().
    QString choicesKey;
    QHash<QString, QStringList> choicesFor;
    QString group;      ///< panel group box, e.g. "Connection", "Capture"
    bool readOnly = false;   ///< read back from the device; never saved or set by the user
    bool persistent = true;  ///< saved in session files
    bool shown = true;       ///< false: not in the panel (a flag that only enables actions)
    /// The setting matters only while parameter `relevantKey` has one of `relevantValues` (e.g. the
    /// rapid-block settings while the capture mode is "rapid block"); the panel greys it out
    /// otherwise. Empty key: always relevant.
    QString relevantKey;
    QStringList relevantValues;

    ParameterSpec &onlyWhen(const QString &key, const QStringList &values)
    {
        relevantKey = key;
        relevantValues = values;
        return *this;
    }
    ParameterSpec &withLabels(const QStringList &labels)
    {
        enumLabels = labels;
        return *this;
    }
    ParameterSpec &choicesDependOn(const QString &key, const QHash<QString, QStringList> &byValue)
    {
        choicesKey = key;
        choicesFor = byValue;
        return *this;
    }
    QVariant defaultValue;
    QString toolTip;
    /// Int: shown in the panel instead of the minimum value, which then stands for "automatic"
    /// (e.g. "control port + 1" for a PandA data port of 0).
    QString specialValueText;

    /// String parameters edited as a table of rows (e.g. the M81's stream elements "MX,1,MY,2"):
    /// the value is one flat comma-separated list, `tableColumns.size()` items a row, no spaces.
    /// Empty `tableColumns`: an ordinary string. `tableChoices[c]` lists the values column c
    /// accepts (matched ignoring case, stored as listed); an empty list accepts any text without
    /// a comma. At most `tableMaxRows` rows (0: no limit), at least `tableMinRows`.
    QStringList tableColumns;
    QVector<QStringList> tableChoices;
    int tableMinRows = 0;
    int tableMaxRows = 0;
    bool isTable() const { return type == Type::String && !tableColumns.isEmpty(); }
    /// A table value cut into rows; empty when `value` is empty. Does not validate.
    QVector<QStringList> tableRows(const QString &value) const;
    /// The flat value of `rows` (the inverse of tableRows()).
    static QString tableValue(const QVector<QStringList> &rows);

    static QString typeName(Type t);
    /// The label, or the key when there is none: how messages name the setting.
    QString displayName() const;
    /// A number of this setting the way a user reads it: "−5 ms", "10 000 s", "1 125 899 906 842 624".
    QString formatValue(double value) const;
    /// "100 ns … 10 000 s" (Int and Double with finite limits).
    QString rangeText() const;
    /// Enum: the label of `value` (the value itself when it has none or is not a choice).
    QString choiceLabel(const QString &value) const;
    /// Enum: "1 MΩ, 50 Ω" — the labels of `values`, or of every choice when `values` is empty.
    QString choiceList(const QStringList &values = {}) const;
    /// Enum: the choice `text` names, by value (exactly) or by label (ignoring case and spaces);
    /// empty when it names none.
    QString choiceValue(const QString &text) const;
};

/// A one-shot command of a driver (arm, trigger a step, download a log).
struct ActionSpec
{
    QString key;
    QString label;
    QString group;
    QString toolTip;
    /// Key of a Bool parameter that enables this action while true (empty: always enabled), e.g.
    /// a choice the device is waiting for.
    QString enabledBy = {};
    /// When set, the panel asks before running the action: this text (what the action does, e.g.
    /// that another client loses the device), under the instrument's last error quoted (the
    /// device's own words, e.g. naming who owns it); the action runs only when confirmed.
    QString confirm = {};
};

/// Typed settings with their current values. Every value stored is valid for its spec: `set()`
/// refuses out-of-range numbers, unknown enum values and wrong types with a message naming the key.
class ParameterSet
{
public:
    /// Adds a parameter; its value starts at `spec.defaultValue` (normalised to the type).
    ParameterSpec &add(const ParameterSpec &spec);
    ParameterSpec &addBool(const QString &key, const QString &label, bool def, const QString &group);
    ParameterSpec &addInt(const QString &key, const QString &label, qint64 def, qint64 min, qint64 max,
                          const QString &group, const QString &unit = {});
    ParameterSpec &addDouble(const QString &key, const QString &label, double def, double min, double max,
                             const QString &group, const QString &unit = {});
    ParameterSpec &addString(const QString &key, const QString &label, const QString &def, const QString &group);
    ParameterSpec &addEnum(const QString &key, const QString &label, const QStringList &values,
                           const QString &def, const QString &group);
    void remove(const QString &key);

    const QVector<ParameterSpec> &specs() const { return m_specs; }
    const ParameterSpec *spec(const QString &key) const;
    bool contains(const QString &key) const { return spec(key) != nullptr; }
    QStringList groups() const;

    QVariant value(const QString &key) const;
    bool boolValue(const QString &key) const { return value(key).toBool(); }
    qint64 intValue(const QString &key) const { return value(key).toLongLong(); }
    double doubleValue(const QString &key) const { return value(key).toDouble(); }
    QString stringValue(const QString &key) const { return value(key).toString(); }
    /// Enum: the values `key` offers with the current values (ParameterSpec::choicesKey), in the
    /// order of `enumValues`; every value when its choices depend on nothing or the deciding
    /// value is not listed. Empty for an unknown key or a type that is not Enum.
    QStringList choices(const QString &key) const;
    /// Why `value` is not among choices(`key`), in the user's words, naming the setting, the
    /// deciding setting and its value and what may be chosen ("Impedance: 50 Ω is not available
    /// with Model Moku:Go (choose 1 MΩ)"); empty when it is offered.
    QString checkChoice(const QString &key, const QString &value) const;
    /// Whether `key` matters with the current values (see ParameterSpec::relevantKey), following
    /// the chain: a setting that depends on an irrelevant setting is irrelevant.
    bool isRelevant(const QString &key) const;
    /// The setting whose value rules `key` out, somewhere along the chain; empty when `key` is
    /// relevant.
    QString irrelevantBecause(const QString &key) const;

    /// What is wrong with `value` for `spec`, in the user's words and without naming the setting
    /// ("−5 ms is outside 100 ns … 10 000 s", "'abc' is not a number"); empty when it is valid,
    /// then the normalised value (e.g. "12" → 12 for an Int, "1 ms" → 0.001) is in `normalised`.
    static QString check(const ParameterSpec &spec, const QVariant &value, QVariant *normalised = nullptr);
    /// Checks `value` against the spec of `key`; on success returns an empty string and stores the
    /// normalised value in `normalised`. A refusal names the setting by its label:
    /// "CLOCK1 period: −5 ms is outside 100 ns … 10 000 s".
    QString validate(const QString &key, const QVariant &value, QVariant *normalised = nullptr) const;
    /// Validates then stores. Returns the error message, empty on success. `allowReadOnly` is for
    /// drivers storing read-back values.
    QString set(const QString &key, const QVariant &value, bool allowReadOnly = false);
    /// Parses a user-typed string (CLI `--set key=value`) for the type of `key`; a refusal names the
    /// key and the label ("clock_period (CLOCK1 period): −5 ms is outside 100 ns … 10 000 s").
    QString setFromString(const QString &key, const QString &text);

    /// Persistent, writable values as JSON (what a session file stores).
    QJsonObject toJson() const;
    /// Validates every entry first and applies all or nothing. Unknown keys are refused.
    /// `context` prefixes the key in error messages, e.g.
    /// "instruments[0].parameters.clock_period: −5 ms is outside 100 ns … 10 000 s".
    QString applyJson(const QJsonObject &obj, const QString &context = {});

private:
    QVector<ParameterSpec> m_specs;
    QVector<QVariant> m_values;
    int indexOf(const QString &key) const;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::ParameterSpec)
Q_DECLARE_METATYPE(bs::ActionSpec)
