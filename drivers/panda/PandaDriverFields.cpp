// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaDriverFields.h"

#include <QCoreApplication>

#include <array>
#include <utility>

namespace bs::panda {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::panda::DeviceFields", text);
}

/// Current PCAP names and their older-server equivalents (spec §3.2).
constexpr std::array<std::pair<const char *, const char *>, 4> kOldPcapNames{{
    {"PCAP.TRIG", "PCAP.CAPTURE"},
    {"PCAP.TRIG_EDGE", "PCAP.CAPTURE_EDGE"},
    {"PCAP.TS_TRIG", "PCAP.TS_CAPTURE"},
    {"PCAP.GATE_DURATION", "PCAP.SAMPLES"},
}};

QString firstWord(const QString &line)
{
    return line.trimmed().section(QLatin1Char(' '), 0, 0);
}
} // namespace

const QVector<CaptureField> &captureFields()
{
    static const QVector<CaptureField> fields{
        {"PCAP.TS_TRIG", false, "Value"},     {"PCAP.TS_START", false, "No"}, {"PCAP.TS_END", false, "No"},
        {"PCAP.GATE_DURATION", false, "No"},  {"PCAP.BITS0", false, "No"},    {"PCAP.BITS1", false, "No"},
        {"PCAP.BITS2", false, "No"},          {"PCAP.BITS3", false, "No"},    {"COUNTER1.OUT", true, "Value"},
        {"COUNTER2.OUT", true, "No"},         {"COUNTER3.OUT", true, "No"},   {"INENC1.VAL", true, "Value"},
        {"INENC2.VAL", true, "Min Max Mean"},
    };
    return fields;
}

const QStringList &positionCaptureChoices()
{
    static const QStringList c{QStringLiteral("No"),      QStringLiteral("Value"),   QStringLiteral("Diff"),
                               QStringLiteral("Sum"),     QStringLiteral("Mean"),    QStringLiteral("Min"),
                               QStringLiteral("Max"),     QStringLiteral("Min Max"), QStringLiteral("Min Max Mean"),
                               QStringLiteral("StdDev"),  QStringLiteral("Mean StdDev")};
    return c;
}

const QStringList &extCaptureChoices()
{
    static const QStringList c{QStringLiteral("No"), QStringLiteral("Value")};
    return c;
}

QString captureKey(const char *fieldName)
{
    return QStringLiteral("capture.") + QLatin1String(fieldName);
}

bool parseCaptureList(const QString &text, QVector<CaptureRequest> *out, QString *error)
{
    out->clear();
    for (const QString &raw : text.split(QLatin1Char(';'))) {
        const QString entry = raw.trimmed();
        if (entry.isEmpty())
            continue;
        const int eq = entry.indexOf(QLatin1Char('='));
        const QString field = eq < 0 ? QString() : entry.left(eq).trimmed();
        const QString options = eq < 0 ? QString() : entry.mid(eq + 1).simplified();
        const bool nameOk = !field.isEmpty() && field.contains(QLatin1Char('.')) && !field.contains(QLatin1Char(' '));
        if (!nameOk || options.isEmpty()) {
            if (error)
                *error = tr("'%1' is not FIELD=options (e.g. ADC1.OUT=Min Max Mean)").arg(entry);
            return false;
        }
        out->append({field, options});
    }
    return true;
}

void DeviceFields::setCapturable(const QStringList &lines)
{
    m_capturable.clear();
    for (const QString &l : lines)
        if (const QString name = firstWord(l); !name.isEmpty())
            m_capturable.append(name);
    m_known = true;
}

void DeviceFields::setOptions(const QStringList &lines)
{
    m_options.clear();
    for (const QString &l : lines)
        if (const QString name = firstWord(l); !name.isEmpty())
            m_options.append(name);
}

void DeviceFields::setPcapFields(const QStringList &lines)
{
    m_pcapFields.clear();
    m_extOut.clear();
    for (const QString &l : lines) {
        const QStringList words = l.simplified().split(QLatin1Char(' '));
        if (words.isEmpty() || words.front().isEmpty())
            continue;
        const QString name = QStringLiteral("PCAP.") + words.front();
        m_pcapFields.append(name);
        if (words.size() >= 3 && words.at(2) == QLatin1String("ext_out"))
            m_extOut.append(name);
    }
    m_oldNames = !m_pcapFields.contains(QStringLiteral("PCAP.TRIG")) && m_pcapFields.contains(QStringLiteral("PCAP.CAPTURE"));
}

bool DeviceFields::isExtOut(const QString &field) const
{
    if (!m_extOut.isEmpty())
        return m_extOut.contains(field);
    return field.startsWith(QLatin1String("PCAP.")); // PCAP.*? not read: the PCAP fields are ext_out
}

QString DeviceFields::deviceName(const QString &standard) const
{
    if (!m_known)
        return standard;
    auto present = [this](const QString &name) { return m_capturable.contains(name) || m_pcapFields.contains(name); };
    if (present(standard))
        return standard;
    for (const auto &[now, old] : kOldPcapNames) {
        if (standard == QLatin1String(now) && present(QLatin1String(old)))
            return QLatin1String(old);
        if (standard == QLatin1String(old) && present(QLatin1String(now)))
            return QLatin1String(now);
    }
    // A PCAP parameter (TRIG, TRIG_EDGE) cannot be checked when PCAP.*? was not answered.
    if (m_pcapFields.isEmpty() && !m_capturable.contains(standard) && standard.startsWith(QLatin1String("PCAP."))
        && (standard.endsWith(QLatin1String(".TRIG")) || standard.endsWith(QLatin1String(".TRIG_EDGE"))))
        return standard;
    return {};
}

QString DeviceFields::check(const QString &field, const QString &options) const
{
    if (!m_known)
        return {};
    if (!has(field))
        return tr("%1 cannot be captured on this PandA (its FPGA offers: %2)").arg(field, summary());
    const QStringList words = options.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (isExtOut(field)) {
        if (words != QStringList{QStringLiteral("Value")} && words != QStringList{QStringLiteral("No")})
            return tr("%1 takes only No or Value, not '%2'").arg(field, options);
        return {};
    }
    for (const QString &w : words) {
        if (w != QLatin1String("No") && !m_options.isEmpty() && !m_options.contains(w))
            return tr("capture option '%1' of %2 is not offered by this PandA (it offers: %3)")
                .arg(w, field, m_options.join(QLatin1Char(' ')));
    }
    return {};
}

QString DeviceFields::summary() const
{
    return m_capturable.join(QStringLiteral(", "));
}

} // namespace bs::panda
