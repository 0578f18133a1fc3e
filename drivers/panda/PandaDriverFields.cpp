// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaDriverFields.h"

namespace bs::panda {

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
    static const QStringList c{QStringLiteral("No"),  QStringLiteral("Value"),   QStringLiteral("Diff"),
                               QStringLiteral("Sum"), QStringLiteral("Mean"),    QStringLiteral("Min"),
                               QStringLiteral("Max"), QStringLiteral("Min Max"), QStringLiteral("Min Max Mean")};
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

} // namespace bs::panda
