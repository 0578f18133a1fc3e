// SPDX-License-Identifier: GPL-3.0-or-later
// Instrument-wide commands of the simulated M81-SSM beyond the stream (docs/protocols/
// lakeshore-m81.md §9): STATistics:MMAX?, the reference input edge and reference output, the
// monitor output, the head calibration queries and the line frequency. Each setting has its `?`
// query; `*RST` restores the power-on values.
#include "M81SimulatorCommands.h"

#include <algorithm>

namespace bs::m81 {

void M81SimulatorCommands::addInstrument()
{
    // Minimum and maximum of each element over its last 10 updates (200 µs apart at 5 kSa/s).
    add("STATistics:MMAX?", [this](Call &c) -> Reply {
        const auto pairs = elementPairs(c, 64, false);
        if (!pairs)
            return std::nullopt;
        const qint64 now = m_clockNs();
        QByteArrayList out;
        for (const M81StreamElement &e : *pairs) {
            double lo = m_stream.latest(*e.info, e.module, now), hi = lo;
            for (int k = 1; k < 10; ++k) {
                const double v = m_stream.latest(*e.info, e.module, now - qint64(k) * 1'000'000'000 / M81SimulatorModules::updateRate(*e.info));
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            out << scpi::number(lo) << scpi::number(hi);
        }
        return out.join(',');
    });

    auto choice = [this](QByteArray *field, std::initializer_list<const char *> choices, std::vector<QByteArray> replies) {
        return [this, field, choices = std::vector<const char *>(choices), replies](Call &c) {
            if (!params(c, 1, 1))
                return false;
            for (size_t i = 0; i < choices.size(); ++i) {
                if (scpiKeywordMatches(c.params().first(), choices[i])) {
                    *field = replies[i];
                    return true;
                }
            }
            fail(-224, c);
            return false;
        };
    };
    auto flag = [this](bool *field) {
        return [this, field](Call &c) {
            const auto v = boolParam(c);
            if (v)
                *field = *v;
            return v.has_value();
        };
    };
    InstrumentSettings &s = m_instrument;
    addSetting("INPut:REFerence:EDGe", [&s](Call &) -> Reply { return s.refEdge; },
               choice(&s.refEdge, { "RISing", "FALLing" }, { "RISING", "FALLING" }));
    addSetting("OUTPut:REFerence:SOURce", [&s](Call &) -> Reply { return s.refOutSource; },
               choice(&s.refOutSource, { "S1", "S2", "S3" }, { "S1", "S2", "S3" }));
    addSetting("OUTPut:REFerence:STATe", [&s](Call &) -> Reply { return QByteArray(s.refOutOn ? "1" : "0"); },
               flag(&s.refOutOn));
    addSetting("OUTPut:MONitor:MODe", [&s](Call &) -> Reply { return s.monitorMode; },
               choice(&s.monitorMode, { "M1", "M2", "M3", "MANual" }, { "M1", "M2", "M3", "MANUAL" }));
    addSetting("OUTPut:MONitor:STATe", [&s](Call &) -> Reply { return QByteArray(s.monitorOn ? "1" : "0"); },
               flag(&s.monitorOn));
    addSetting("OUTPut:MONitor:MLEVel", [&s](Call &) -> Reply { return scpi::number(s.monitorLevel); },
               [this, &s](Call &c) {
                   const auto v = numberParam(c, -10, 10);
                   if (v)
                       s.monitorLevel = *v;
                   return v.has_value();
               });
    add("OUTPut:MONitor:SCALe?", [this](Call &c) -> Reply { return params(c, 0, 0) ? Reply("1") : std::nullopt; });

    auto fixed = [this](const char *pattern, const char *reply) {
        add(pattern, [this, reply](Call &c) -> Reply { return params(c, 0, 0) ? Reply(reply) : std::nullopt; });
    };
    fixed("CALibration:DATE?", "2026,1,15,10,30,0");
    fixed("CALibration:TEMPerature?", "23.5");
    fixed("CALibration:SCALibration:STATus?", "\"PASSED\"");
    fixed("CALibration:SCALibration:DATE?", "2026,1,15,10,45,0");
    fixed("CALibration:SCALibration:TEMPerature?", "23.6");
    for (const char *action : { "CALibration:SCALibration:RUN", "CALibration:SCALibration:RESet" })
        add(action, [this](Call &c) -> Reply {
            params(c, 0, 0);
            return std::nullopt;
        });
    fixed("SYSTem:LFRequency?", "60");
    fixed("SYSTem:LFRequency:DETected?", "60");
    fixed("SYSTem:LFRequency:ERRor?", "0");
}

} // namespace bs::m81
