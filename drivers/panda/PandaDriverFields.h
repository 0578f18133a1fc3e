// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QVector>

namespace bs::panda {

/// A capturable field the driver offers in its panel. `positionOutput` fields (pos_out) take any
/// combination of capture options; the others (ext_out: timestamps, gate duration, bit words)
/// take only No/Value.
struct CaptureField
{
    const char *name;        ///< "COUNTER1.OUT"
    bool positionOutput;
    const char *defaultCapture;
};

/// The standard PandABox fields offered as one setting each (as on a stock FPGA build).
const QVector<CaptureField> &captureFields();

/// Values of a pos_out CAPTURE enum, as `*ENUMS.<pos_out>.CAPTURE?` lists them on an FPGA with
/// StdDev (the StdDev entries are refused on an FPGA whose `*CAPTURE.OPTIONS?` lacks StdDev).
const QStringList &positionCaptureChoices();
const QStringList &extCaptureChoices();

/// Parameter key of a field's capture setting: "capture.COUNTER1.OUT".
QString captureKey(const char *fieldName);

/// One entry of the free-form capture list: "ADC1.OUT=Min Max Mean".
struct CaptureRequest
{
    QString field;
    QString options;
};

/// Parses "FIELD=options; FIELD=options" (blank entries ignored). False with *error naming the
/// bad entry.
bool parseCaptureList(const QString &text, QVector<CaptureRequest> *out, QString *error);

/// What the connected FPGA can capture, from `*CAPTURE.*?`, `*CAPTURE.OPTIONS?` and `PCAP.*?`.
/// Also maps the current PCAP names to those of older servers (PCAP.CAPTURE = TRIG,
/// CAPTURE_EDGE = TRIG_EDGE, TS_CAPTURE = TS_TRIG, SAMPLES = GATE_DURATION).
class DeviceFields
{
public:
    void clear() { *this = DeviceFields(); }
    /// `*CAPTURE.*?` lines: one field name each (anything after the name is ignored).
    void setCapturable(const QStringList &lines);
    /// `*CAPTURE.OPTIONS?` lines.
    void setOptions(const QStringList &lines);
    /// `PCAP.*?` lines: "<FIELD> <index> <type> [<subtype>]".
    void setPcapFields(const QStringList &lines);
    bool isKnown() const { return m_known; }

    const QStringList &capturable() const { return m_capturable; }
    const QStringList &options() const { return m_options; }
    bool has(const QString &field) const { return m_capturable.contains(field); }
    bool hasOption(const QString &option) const { return m_options.contains(option); }
    /// ext_out fields (PCAP timestamps, sample count, bit words) take only No/Value.
    bool isExtOut(const QString &field) const;
    /// The name this FPGA uses for a standard field or PCAP parameter ("PCAP.TS_TRIG" →
    /// "PCAP.TS_CAPTURE" on an old server); the name unchanged when the FPGA has it or nothing
    /// is known; empty when the FPGA has neither form.
    QString deviceName(const QString &standard) const;
    /// True when the PCAP block uses the older names (CAPTURE, TS_CAPTURE, SAMPLES).
    bool oldPcapNames() const { return m_oldNames; }
    /// Checks one capture request against this FPGA: empty, or a message naming what is wrong.
    QString check(const QString &field, const QString &options) const;
    /// "ADC1.OUT, COUNTER1.OUT, …" for the panel.
    QString summary() const;

private:
    bool m_known = false;
    bool m_oldNames = false;
    QStringList m_capturable;
    QStringList m_options;
    QStringList m_pcapFields;
    QStringList m_extOut; // PCAP fields typed ext_out
};

} // namespace bs::panda
