// SPDX-License-Identifier: GPL-3.0-or-later
// Module settings: each written with the error check appended, then read back, so the panel shows
// what the instrument holds. A refusal is reported with the SCPI text (parameterRefused).
//
//   m<n>_mode           SENSe<n>:MODE DC|AC|LIA
//   m<n>_autorange      SENSe<n>:VOLTage|CURRent:RANGe:AUTO 0|1
//   m<n>_range          SENSe<n>:VOLTage|CURRent:RANGe <level>
//   m<n>_reference      SENSe<n>:LIA:RSOurce S1|S2|S3|RIN
//   m<n>_time_constant  SENSe<n>:LIA:TIMEconstant <s>
//   m<n>_rolloff        SENSe<n>:LIA:ROLLoff R6|R12|R18|R24
//   m<n>_phase_shift    SENSe<n>:LIA:DPHase <°>
//   m<n>_harmonic       SENSe<n>:LIA:DHARmonic <n>
//   m<n>_fir            SENSe<n>:LIA:FIR:STATe 0|1
//   m<n>_nplc           SENSe<n>:NPLCycles <power-line cycles>
//   s<n>_shape          SOURce<n>:FUNCtion:SHAPe DC|SINUSOID|TRIANGLE|SQUARE
//   s<n>_amplitude      SOURce<n>:VOLTage|CURRent:LEVel:AMPLitude <level>
//   s<n>_offset         SOURce<n>:VOLTage|CURRent:LEVel:OFFSet <level>
//   s<n>_frequency      SOURce<n>:FREQuency <Hz>
//   s<n>_output         SOURce<n>:STATe 0|1
// VOLTage or CURRent follows the module (model, and for a source FUNCtion:MODE?).
#include "M81Driver.h"

#include "M81ProtocolElements.h"

namespace bs::m81 {

namespace {

struct KeyParts
{
    char kind = 0; // 's' or 'm'
    int n = 0;
    QString what;
};

KeyParts splitKey(const QString &key)
{
    KeyParts k;
    if (key.size() < 4 || (key[0] != QLatin1Char('s') && key[0] != QLatin1Char('m')) || key[2] != QLatin1Char('_'))
        return k;
    const int n = key[1].digitValue();
    if (n < 1 || n > M81Driver::kModules)
        return k;
    k.kind = key[0].toLatin1();
    k.n = n;
    k.what = key.mid(3);
    return k;
}

QString number(double v)
{
    return QString::number(v, 'g', 12);
}

} // namespace

bool M81Driver::isModuleSetting(const QString &key) const
{
    const KeyParts k = splitKey(key);
    if (k.kind == 'm')
        return QStringList{QStringLiteral("mode"), QStringLiteral("autorange"), QStringLiteral("range"),
                           QStringLiteral("reference"), QStringLiteral("time_constant"), QStringLiteral("rolloff"),
                           QStringLiteral("phase_shift"), QStringLiteral("harmonic"), QStringLiteral("fir"),
                           QStringLiteral("nplc")}
            .contains(k.what);
    if (k.kind == 's')
        return QStringList{QStringLiteral("shape"), QStringLiteral("amplitude"), QStringLiteral("offset"),
                           QStringLiteral("frequency"), QStringLiteral("output")}
            .contains(k.what);
    return false;
}

QString M81Driver::queryCommand(const QString &key) const
{
    const KeyParts k = splitKey(key);
    if (k.kind == 'm') {
        const Module &m = m_measures[std::size_t(k.n - 1)];
        const QString level = m.current ? QStringLiteral("CURRent") : QStringLiteral("VOLTage");
        if (k.what == QLatin1String("mode"))
            return QStringLiteral("SENSe%1:MODE?").arg(k.n);
        if (k.what == QLatin1String("autorange"))
            return QStringLiteral("SENSe%1:%2:RANGe:AUTO?").arg(k.n).arg(level);
        if (k.what == QLatin1String("range"))
            return QStringLiteral("SENSe%1:%2:RANGe?").arg(k.n).arg(level);
        if (k.what == QLatin1String("reference"))
            return QStringLiteral("SENSe%1:LIA:RSOurce?").arg(k.n);
        if (k.what == QLatin1String("time_constant"))
            return QStringLiteral("SENSe%1:LIA:TIMEconstant?").arg(k.n);
        if (k.what == QLatin1String("rolloff"))
            return QStringLiteral("SENSe%1:LIA:ROLLoff?").arg(k.n);
        if (k.what == QLatin1String("phase_shift"))
            return QStringLiteral("SENSe%1:LIA:DPHase?").arg(k.n);
        if (k.what == QLatin1String("harmonic"))
            return QStringLiteral("SENSe%1:LIA:DHARmonic?").arg(k.n);
        if (k.what == QLatin1String("fir"))
            return QStringLiteral("SENSe%1:LIA:FIR:STATe?").arg(k.n);
        if (k.what == QLatin1String("nplc"))
            return QStringLiteral("SENSe%1:NPLCycles?").arg(k.n);
    } else if (k.kind == 's') {
        const Module &m = m_sources[std::size_t(k.n - 1)];
        const QString level = m.current ? QStringLiteral("CURRent") : QStringLiteral("VOLTage");
        if (k.what == QLatin1String("shape"))
            return QStringLiteral("SOURce%1:FUNCtion:SHAPe?").arg(k.n);
        if (k.what == QLatin1String("amplitude"))
            return QStringLiteral("SOURce%1:%2:LEVel:AMPLitude?").arg(k.n).arg(level);
        if (k.what == QLatin1String("offset"))
            return QStringLiteral("SOURce%1:%2:LEVel:OFFSet?").arg(k.n).arg(level);
        if (k.what == QLatin1String("frequency"))
            return QStringLiteral("SOURce%1:FREQuency?").arg(k.n);
        if (k.what == QLatin1String("output"))
            return QStringLiteral("SOURce%1:STATe?").arg(k.n);
    }
    return {};
}

QString M81Driver::setCommand(const QString &key, const QVariant &value) const
{
    QString q = queryCommand(key);
    if (q.isEmpty())
        return {};
    q.chop(1); // the '?'
    const ParameterSpec *spec = m_params.spec(key);
    QString arg;
    switch (spec->type) {
    case ParameterSpec::Type::Bool: arg = value.toBool() ? QStringLiteral("1") : QStringLiteral("0"); break;
    case ParameterSpec::Type::Double:
    case ParameterSpec::Type::Int: arg = number(value.toDouble()); break;
    default: arg = value.toString(); break;
    }
    return q + QLatin1Char(' ') + arg;
}

void M81Driver::storeReadBack(const QString &key, const QByteArray &reply)
{
    const ParameterSpec *spec = m_params.spec(key);
    const QString text = unquote(reply);
    QVariant v;
    switch (spec->type) {
    case ParameterSpec::Type::Bool: {
        const auto x = parseNumber(reply);
        if (x)
            v = *x != 0;
        else if (text.compare(QLatin1String("ON"), Qt::CaseInsensitive) == 0 || text.compare(QLatin1String("OFF"), Qt::CaseInsensitive) == 0)
            v = text.compare(QLatin1String("ON"), Qt::CaseInsensitive) == 0;
        break;
    }
    case ParameterSpec::Type::Double:
    case ParameterSpec::Type::Int:
        if (const auto x = parseNumber(reply))
            v = *x;
        break;
    case ParameterSpec::Type::Enum:
        // The instrument may answer in long or short form, any case ("SINUSOID", "SIN", "Lia").
        for (const QString &e : spec->enumValues)
            if (e.compare(text, Qt::CaseInsensitive) == 0 || (text.size() >= 3 && e.startsWith(text, Qt::CaseInsensitive)))
                v = e;
        break;
    default: v = text; break;
    }
    if (!v.isValid() || !m_params.check(*spec, v).isEmpty()) {
        fail(tr("M81 at %1: unexpected reply '%2' to '%3' (%4)")
                 .arg(m_link.peer(), escapedText(reply), queryCommand(key), spec->displayName()));
        return;
    }
    updateParameter(key, v);
}

std::vector<M81Driver::Step> M81Driver::readBackSteps(const QString &key)
{
    const KeyParts k = splitKey(key);
    const Module &m = (k.kind == 's' ? m_sources : m_measures)[std::size_t(k.n - 1)];
    if (!m.fitted)
        return {};
    return {{queryCommand(key), [this, key](const Result &r) {
                 if (r.ok())
                     storeReadBack(key, r.value());
                 else
                     report(r, m_params.spec(key)->displayName());
                 return true; // one setting the instrument does not know stops no other
             },
             true}};
}

std::vector<M81Driver::Step> M81Driver::readBackAll()
{
    std::vector<Step> steps;
    for (const ParameterSpec &s : m_params.specs())
        if (isModuleSetting(s.key))
            for (Step &step : readBackSteps(s.key))
                steps.push_back(std::move(step));
    return steps;
}

void M81Driver::writeSetting(const QString &key, const QVariant &value, std::function<void()> then)
{
    const KeyParts k = splitKey(key);
    const Module &m = (k.kind == 's' ? m_sources : m_measures)[std::size_t(k.n - 1)];
    const ParameterSpec *spec = m_params.spec(key);
    if (!m.fitted) {
        refuseParameter(key, tr("M81 at %1: %2 — module %3%4 is not fitted")
                                 .arg(m_link.peer(), spec->displayName(), QChar(QLatin1Char(k.kind)).toUpper())
                                 .arg(k.n));
        if (then)
            then();
        return;
    }
    const QString cmd = setCommand(key, value);
    std::vector<Step> steps{{cmd, [this, key](const Result &r) {
                                 if (!r.ok() && r.status != Result::Status::Lost && r.status != Result::Status::Cancelled)
                                     refuseParameter(key, scpiFailure(r));
                                 return r.status != Result::Status::Lost && r.status != Result::Status::Cancelled;
                             },
                             true}};
    for (Step &s : readBackSteps(key))
        steps.push_back(std::move(s));
    // A manual range turns autorange off and autorange picks a range: read the other one back too.
    if (k.kind == 'm' && (k.what == QLatin1String("range") || k.what == QLatin1String("autorange")))
        for (Step &s : readBackSteps(key.left(3) + (k.what == QLatin1String("range") ? QStringLiteral("autorange")
                                                                                       : QStringLiteral("range"))))
            steps.push_back(std::move(s));
    run(std::move(steps), std::move(then), [this, key] {
        Q_EMIT parameterChanged(key, m_params.value(key));
    });
}

void M81Driver::updateUnits()
{
    for (int n = 1; n <= kModules; ++n) {
        updateParameter(QStringLiteral("s%1_unit").arg(n), m_sources[std::size_t(n - 1)].unit());
        updateParameter(QStringLiteral("m%1_unit").arg(n), m_measures[std::size_t(n - 1)].unit());
    }
}

} // namespace bs::m81
