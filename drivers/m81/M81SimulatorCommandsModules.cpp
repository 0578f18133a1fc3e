// SPDX-License-Identifier: GPL-3.0-or-later
// SOURce<n>:… and SENSe<n>:… of the simulated M81-SSM (docs/protocols/lakeshore-m81.md §4, §13),
// with the value spellings of the vendor's client (ssm_source_module.py, ssm_measure_module.py):
// a query answers the long form in upper case ("SINUSOID", "VOLTAGE", "LIA", "R24"), a setting
// takes the short or the long form in any case. Out-of-range numbers: -222; unknown words: -224;
// a setting the fitted module cannot take (a voltage level on a current source): -221.
#include "M81SimulatorCommands.h"

#include <cmath>

namespace bs::m81 {

namespace {

QByteArray onOff(bool v) { return v ? "1" : "0"; }

/// The smallest of `ranges` holding `level`.
double rangeAtLeast(const std::vector<double> &ranges, double level)
{
    for (double r : ranges)
        if (level <= r * (1 + 1e-12))
            return r;
    return ranges.back();
}

} // namespace

void M81SimulatorCommands::addSourceModules()
{
    add("SOURce:NCHannels?", [this](Call &c) -> Reply { return params(c, 0, 0) ? Reply("3") : std::nullopt; });

    using Get = std::function<QByteArray(M81SourceModule &)>;
    using Set = std::function<bool(Call &, M81SourceModule &)>;
    auto setting = [this](const char *tail, Get get, Set set) {
        const QByteArray pattern = QByteArray("SOURce#:") + tail;
        addSetting(
            pattern.constData(),
            [this, get](Call &c) -> Reply {
                M81SourceModule *s = sourceOf(c);
                return s ? Reply(get(*s)) : std::nullopt;
            },
            [this, set](Call &c) {
                M81SourceModule *s = sourceOf(c);
                return s && set(c, *s);
            });
    };
    auto readOnly = [this](const char *tail, Get get) {
        add((QByteArray("SOURce#:") + tail + '?').constData(), [this, get](Call &c) -> Reply {
            M81SourceModule *s = params(c, 0, 0) ? sourceOf(c) : nullptr;
            return s ? Reply(get(*s)) : std::nullopt;
        });
    };

    setting("NAME", [](M81SourceModule &s) { return scpi::quote(s.name); },
            [this](Call &c, M81SourceModule &s) {
                if (!params(c, 1, 1))
                    return false;
                const auto name = scpi::unquote(c.params().first());
                if (!name || name->size() > 32) {
                    fail(-224, c);
                    return false;
                }
                s.name = *name;
                return true;
            });
    readOnly("MODel", [](M81SourceModule &s) { return scpi::quote(s.model); });
    readOnly("SERial", [this](M81SourceModule &s) {
        return scpi::quote("SIMS" + QByteArray::number(&s - m_modules.source(1) + 1).rightJustified(4, '0'));
    });
    setting("FUNCtion:MODE", [](M81SourceModule &s) { return QByteArray(s.current ? "CURRENT" : "VOLTAGE"); },
            [this](Call &c, M81SourceModule &s) {
                const auto v = choiceParam(c, { "VOLTage", "CURRent" });
                if (!v)
                    return false;
                const bool current = *v == 1;
                if (current != !s.model.startsWith("VS")) { // a voltage source cannot source current
                    fail(-221, c);
                    return false;
                }
                s.current = current;
                return true;
            });
    setting("FUNCtion:SHAPe", [](M81SourceModule &s) { return s.shape; },
            [this](Call &c, M81SourceModule &s) {
                static const char *kLong[] = { "DC", "SINUSOID", "TRIANGLE", "SQUARE" };
                const auto v = choiceParam(c, { "DC", "SINusoid", "TRIangle", "SQUare" });
                if (v)
                    s.shape = kLong[*v];
                return v.has_value();
            });
    setting("FREQuency", [](M81SourceModule &s) { return scpi::number(s.frequency); },
            [this](Call &c, M81SourceModule &s) {
                const auto v = numberParam(c, 0.01, 100000);
                if (v)
                    s.frequency = *v;
                return v.has_value();
            });
    setting("STATe", [](M81SourceModule &s) { return onOff(s.on); },
            [this](Call &c, M81SourceModule &s) {
                const auto v = boolParam(c);
                if (v)
                    s.on = *v;
                return v.has_value();
            });
    for (const bool current : { false, true }) {
        const QByteArray kind = current ? "CURRent:" : "VOLTage:";
        auto levelSet = [this, current](double M81SourceModule::*field) {
            return [this, current, field](Call &c, M81SourceModule &s) {
                if (s.current != current) {
                    fail(-221, c);
                    return false;
                }
                const auto v = numberParam(c, -s.maxLevel(), s.maxLevel());
                if (v)
                    s.*field = *v;
                return v.has_value();
            };
        };
        auto levelGet = [this, current](double M81SourceModule::*field) {
            return [current, field](M81SourceModule &s) { return scpi::number(s.current == current ? s.*field : 0.0); };
        };
        setting((kind + "LEVel:AMPLitude").constData(), levelGet(&M81SourceModule::amplitude),
                levelSet(&M81SourceModule::amplitude));
        setting((kind + "LEVel:OFFSet").constData(), levelGet(&M81SourceModule::offset),
                levelSet(&M81SourceModule::offset));
        setting((kind + "RANGe").constData(), [](M81SourceModule &s) { return scpi::number(s.presentRange()); },
                [this, current](Call &c, M81SourceModule &s) {
                    if (s.current != current) {
                        fail(-221, c);
                        return false;
                    }
                    const auto v = numberParam(c, 0, s.maxLevel());
                    if (v) {
                        s.range = rangeAtLeast(s.ranges(), std::fabs(*v));
                        s.autoRange = false;
                    }
                    return v.has_value();
                });
        setting((kind + "RANGe:AUTO").constData(), [](M81SourceModule &s) { return onOff(s.autoRange); },
                [this, current](Call &c, M81SourceModule &s) {
                    if (s.current != current) {
                        fail(-221, c);
                        return false;
                    }
                    const auto v = boolParam(c);
                    if (v) {
                        s.autoRange = *v;
                        s.range = s.presentRange();
                    }
                    return v.has_value();
                });
    }
}

void M81SimulatorCommands::addMeasureModules()
{
    add("SENSe:NCHannels?", [this](Call &c) -> Reply { return params(c, 0, 0) ? Reply("3") : std::nullopt; });

    using Get = std::function<QByteArray(M81MeasureModule &)>;
    using Set = std::function<bool(Call &, M81MeasureModule &)>;
    auto setting = [this](const char *tail, Get get, Set set) {
        const QByteArray pattern = QByteArray("SENSe#:") + tail;
        addSetting(
            pattern.constData(),
            [this, get](Call &c) -> Reply {
                M81MeasureModule *m = measureOf(c);
                return m ? Reply(get(*m)) : std::nullopt;
            },
            [this, set](Call &c) {
                M81MeasureModule *m = measureOf(c);
                return m && set(c, *m);
            });
    };
    auto readOnly = [this](const char *tail, Get get) {
        add((QByteArray("SENSe#:") + tail + '?').constData(), [this, get](Call &c) -> Reply {
            M81MeasureModule *m = params(c, 0, 0) ? measureOf(c) : nullptr;
            return m ? Reply(get(*m)) : std::nullopt;
        });
    };
    auto number = [this](double M81MeasureModule::*field, double min, double max, bool integer = false) {
        return [this, field, min, max, integer](Call &c, M81MeasureModule &m) {
            const auto v = numberParam(c, min, max);
            if (v && integer && *v != std::floor(*v)) {
                fail(-224, c);
                return false;
            }
            if (v)
                m.*field = *v;
            return v.has_value();
        };
    };
    auto choice = [this](QByteArray M81MeasureModule::*field, std::initializer_list<const char *> choices,
                         std::vector<QByteArray> replies) {
        return [this, field, choices = std::vector<const char *>(choices), replies](Call &c, M81MeasureModule &m) {
            if (!params(c, 1, 1))
                return false;
            for (size_t i = 0; i < choices.size(); ++i) {
                if (scpiKeywordMatches(c.params().first(), choices[i])) {
                    m.*field = replies[i];
                    return true;
                }
            }
            fail(-224, c);
            return false;
        };
    };

    setting("NAME", [](M81MeasureModule &m) { return scpi::quote(m.name); },
            [this](Call &c, M81MeasureModule &m) {
                if (!params(c, 1, 1))
                    return false;
                const auto name = scpi::unquote(c.params().first());
                if (!name || name->size() > 32) {
                    fail(-224, c);
                    return false;
                }
                m.name = *name;
                return true;
            });
    readOnly("MODel", [](M81MeasureModule &m) { return scpi::quote(m.model); });
    readOnly("SERial", [this](M81MeasureModule &m) {
        return scpi::quote("SIMM" + QByteArray::number(&m - m_modules.measure(1) + 1).rightJustified(4, '0'));
    });
    setting("MODE", [](M81MeasureModule &m) { return m.mode; },
            choice(&M81MeasureModule::mode, { "DC", "AC", "LIA" }, { "DC", "AC", "LIA" }));
    setting("NPLCycles", [](M81MeasureModule &m) { return scpi::number(m.nplc); },
            number(&M81MeasureModule::nplc, 0.01, 100));
    setting("LIA:RSOurce", [](M81MeasureModule &m) { return m.refSource; },
            choice(&M81MeasureModule::refSource, { "S1", "S2", "S3", "RIN" }, { "S1", "S2", "S3", "RIN" }));
    setting("LIA:TIMEconstant", [](M81MeasureModule &m) { return scpi::number(m.timeConstant); },
            number(&M81MeasureModule::timeConstant, 1e-5, 1e4));
    setting("LIA:ROLLoff", [](M81MeasureModule &m) { return m.rolloff; },
            choice(&M81MeasureModule::rolloff, { "R6", "R12", "R18", "R24" }, { "R6", "R12", "R18", "R24" }));
    setting("LIA:DPHase", [](M81MeasureModule &m) { return scpi::number(m.phaseShift); },
            number(&M81MeasureModule::phaseShift, -360, 360));
    setting("LIA:DHARmonic", [](M81MeasureModule &m) { return QByteArray::number(m.harmonic); },
            [this](Call &c, M81MeasureModule &m) {
                const auto v = numberParam(c, 1, 1000);
                if (v && *v != std::floor(*v)) {
                    fail(-224, c);
                    return false;
                }
                if (v)
                    m.harmonic = int(*v);
                return v.has_value();
            });
    setting("LIA:FIR:STATe", [](M81MeasureModule &m) { return onOff(m.fir); },
            [this](Call &c, M81MeasureModule &m) {
                const auto v = boolParam(c);
                if (v)
                    m.fir = *v;
                return v.has_value();
            });
    for (const bool current : { false, true }) {
        const QByteArray kind = current ? "CURRent:" : "VOLTage:";
        setting((kind + "RANGe").constData(),
                [this](M81MeasureModule &m) {
                    const int n = int(&m - m_modules.measure(1)) + 1;
                    return scpi::number(m_modules.value(*findElement("MRANge"), n, 0, 0));
                },
                [this, current](Call &c, M81MeasureModule &m) {
                    if (m.measuresCurrent() != current) {
                        fail(-221, c);
                        return false;
                    }
                    const auto v = numberParam(c, 0, m.ranges().back());
                    if (v) {
                        m.range = rangeAtLeast(m.ranges(), std::fabs(*v));
                        m.autoRange = false;
                    }
                    return v.has_value();
                });
        setting((kind + "RANGe:AUTO").constData(), [](M81MeasureModule &m) { return onOff(m.autoRange); },
                [this, current](Call &c, M81MeasureModule &m) {
                    if (m.measuresCurrent() != current) {
                        fail(-221, c);
                        return false;
                    }
                    const auto v = boolParam(c);
                    if (v) {
                        const int n = int(&m - m_modules.measure(1)) + 1;
                        m.range = m_modules.value(*findElement("MRANge"), n, 0, 0);
                        m.autoRange = *v;
                    }
                    return v.has_value();
                });
    }
}

} // namespace bs::m81
