// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorCommands.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace bs::m81 {

namespace {

/// §6.3 test vectors (tests/test_ssm_system.py of the vendor's client): 27 bytes each.
constexpr const char *kFixtureStreamData = "AF3cRgN400ZAAVTjpZvEIPQ/AIzbaABveVBA";
constexpr const char *kFixtureGetData = "AYlBYOXQIilAAFCNl24Sg9A/AXsUrkfhei9A";

bool wordMatches(QByteArrayView word, const QByteArray &name, bool suffix, int *number)
{
    if (scpiKeywordMatches(word, name)) {
        *number = 1;
        return true;
    }
    if (!suffix)
        return false;
    qsizetype digits = word.size();
    while (digits > 0 && word[digits - 1] >= '0' && word[digits - 1] <= '9')
        --digits;
    if (digits == word.size() || digits == 0 || word.size() - digits > 4)
        return false;
    if (!scpiKeywordMatches(word.first(digits), name))
        return false;
    *number = word.sliced(digits).toInt();
    return true;
}

/// The element's value as FETCh? writes it.
QByteArray valueText(const ElementInfo &e, double v)
{
    if (e.quantity == ElementQuantity::Flag)
        return v != 0 ? "1" : "0";
    if (e.quantity == ElementQuantity::BitMask)
        return QByteArray::number(quint32(v));
    return scpi::number(v);
}

} // namespace

M81SimulatorCommands::M81SimulatorCommands(const M81SimulatorConfig &cfg, std::function<qint64()> clockNs)
    : m_cfg(cfg)
    , m_clockNs(std::move(clockNs))
    , m_modules(cfg)
    , m_stream(cfg, m_modules)
{
    addTrace(); // first: TRACe:DATA:ALL? is polled without pause by the vendor's client
    addSystem();
    addStatus();
    addFetch();
    addSourceModules();
    addMeasureModules();
    addInstrument();
}

void M81SimulatorCommands::add(const char *pattern, Handler h)
{
    Entry e;
    QByteArray p(pattern);
    if (p.endsWith('?')) {
        e.query = true;
        p.chop(1);
    }
    e.common = p.startsWith('*');
    e.handler = std::move(h);
    if (e.common) {
        e.path.push_back({ p, false, false });
    } else {
        p.replace("[:", ":[");
        for (QByteArray w : p.split(':')) {
            Keyword k;
            if (w.startsWith('[') && w.endsWith(']')) {
                k.optional = true;
                w = w.mid(1, w.size() - 2);
            }
            if (w.endsWith('#')) {
                k.suffix = true;
                w.chop(1);
            }
            k.name = w;
            e.path.push_back(k);
        }
    }
    m_entries.push_back(std::move(e));
}

void M81SimulatorCommands::addSetting(const char *pattern, std::function<Reply(Call &)> get,
                                      std::function<bool(Call &)> set)
{
    add((QByteArray(pattern) + '?').constData(), [this, get](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        return get(c);
    });
    add(pattern, [set](Call &c) -> Reply {
        set(c);
        return std::nullopt;
    });
}

bool M81SimulatorCommands::match(const Entry &e, const QByteArrayList &words, std::vector<int> &suffixes) const
{
    // Depth-first over optional keywords; patterns are short, so this stays cheap.
    std::function<bool(size_t, qsizetype)> from = [&](size_t pi, qsizetype wi) -> bool {
        if (pi == e.path.size())
            return wi == words.size();
        const Keyword &k = e.path[pi];
        const size_t mark = suffixes.size();
        int number = 1;
        if (wi < words.size() && wordMatches(words[wi], k.name, k.suffix, &number)) {
            if (k.suffix)
                suffixes.push_back(number);
            if (from(pi + 1, wi + 1))
                return true;
            suffixes.resize(mark);
        }
        if (k.optional) {
            if (k.suffix)
                suffixes.push_back(1);
            if (from(pi + 1, wi))
                return true;
            suffixes.resize(mark);
        }
        return false;
    };
    if (e.path.size() < size_t(words.size()))
        return false;
    return from(0, 0);
}

const M81SimulatorCommands::Entry *M81SimulatorCommands::find(const scpi::Unit &u, const QByteArrayList &words,
                                                              std::vector<int> &suffixes) const
{
    for (const Entry &e : m_entries) {
        if (e.query != u.query || e.common != u.common)
            continue;
        if (e.common) {
            if (words.size() == 1 && words[0].compare(e.path[0].name, Qt::CaseInsensitive) == 0)
                return &e;
            continue;
        }
        suffixes.clear();
        if (match(e, words, suffixes))
            return &e;
    }
    return nullptr;
}

M81SimAnswer M81SimulatorCommands::execute(QByteArrayView line)
{
    M81SimAnswer answer;
    QByteArrayList replies;
    QByteArrayList path; // SCPI's current path: the keywords of the last unit but its last
    for (const QByteArray &text : scpi::splitUnits(line)) {
        const scpi::Unit unit = scpi::parseUnit(text);
        if (Reply r = run(unit, path)) {
            replies.append(*r);
            answer.present = true;
        }
    }
    answer.streamData = std::exchange(m_streamReplied, false);
    if (answer.present)
        answer.text = replies.size() == 1 ? replies.first() : replies.join(';');
    return answer;
}

M81SimulatorCommands::Reply M81SimulatorCommands::run(const scpi::Unit &u, QByteArrayList &path)
{
    m_stream.advance(m_clockNs());
    updateStatus();
    QByteArrayList words;
    if (u.common)
        words.append(u.header);
    else
        words = u.header.split(':');
    std::vector<int> suffixes;
    const Entry *entry = nullptr;
    if (!u.header.isEmpty() && !words.contains(QByteArray())) {
        entry = find(u, words, suffixes);
        if (!entry && !u.rooted && !u.common && !path.isEmpty()) {
            const QByteArrayList relative = path + words;
            if ((entry = find(u, relative, suffixes)))
                words = relative;
        }
    }
    Call call { u, std::move(suffixes) };
    if (!entry)
        return fail(-113, call);
    if (!u.common)
        path = words.mid(0, words.size() - 1);
    Reply r = entry->handler(call);
    updateStatus();
    return r;
}

void M81SimulatorCommands::updateStatus()
{
    const int op = m_stream.running() ? 1 << 6 : 0;
    m_opEvent |= op & ~m_opCondition;
    m_opCondition = op;
    const int ques = m_stream.overflow() ? 1 << 10 : 0;
    m_quesEvent |= ques & ~m_quesCondition;
    m_quesCondition = ques;
    m_esr |= m_errors.takeEventBits();
}

int M81SimulatorCommands::operationCondition() const { return m_opCondition; }
int M81SimulatorCommands::questionableCondition() const { return m_quesCondition; }

void M81SimulatorCommands::pushError(int code, QByteArrayView command)
{
    if (m_cfg.genericErrorCodes)
        code = -100;
    m_errors.push(code, scpi::errorText(code), command);
    m_esr |= m_errors.takeEventBits();
}

M81SimulatorCommands::Reply M81SimulatorCommands::fail(int code, const Call &c)
{
    pushError(code, c.unit.text);
    return std::nullopt;
}

bool M81SimulatorCommands::params(const Call &c, int min, int max)
{
    const qsizetype n = c.params().size();
    if (n < min) {
        fail(-109, c);
        return false;
    }
    if (n > max) {
        fail(-108, c);
        return false;
    }
    return true;
}

std::optional<double> M81SimulatorCommands::numberParam(const Call &c, double min, double max)
{
    if (!params(c, 1, 1))
        return std::nullopt;
    const auto v = scpi::toNumber(c.params().first());
    if (!v) {
        fail(-224, c);
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        fail(-222, c);
        return std::nullopt;
    }
    return v;
}

std::optional<bool> M81SimulatorCommands::boolParam(const Call &c)
{
    if (!params(c, 1, 1))
        return std::nullopt;
    const auto v = scpi::toBool(c.params().first());
    if (!v)
        fail(-224, c);
    return v;
}

std::optional<int> M81SimulatorCommands::choiceParam(const Call &c, std::initializer_list<const char *> choices)
{
    if (!params(c, 1, 1))
        return std::nullopt;
    int i = 0;
    for (const char *choice : choices) {
        if (scpiKeywordMatches(c.params().first(), choice))
            return i;
        ++i;
    }
    fail(-224, c);
    return std::nullopt;
}

M81SourceModule *M81SimulatorCommands::sourceOf(const Call &c)
{
    M81SourceModule *s = m_modules.source(c.suffix());
    if (!s)
        fail(-114, c);
    else if (!s->fitted())
        fail(-241, c);
    return s && s->fitted() ? s : nullptr;
}

M81MeasureModule *M81SimulatorCommands::measureOf(const Call &c)
{
    M81MeasureModule *m = m_modules.measure(c.suffix());
    if (!m)
        fail(-114, c);
    else if (!m->fitted())
        fail(-241, c);
    return m && m->fitted() ? m : nullptr;
}

std::optional<QList<M81StreamElement>> M81SimulatorCommands::elementPairs(const Call &c, int maxPairs, bool readOnly)
{
    const QByteArrayList &p = c.params();
    if (p.isEmpty() || p.size() % 2) {
        fail(-109, c);
        return std::nullopt;
    }
    if (p.size() / 2 > maxPairs) {
        fail(-108, c);
        return std::nullopt;
    }
    static const std::array<const char *, 6> kReadable { "MDC", "MRMs", "MPPeak", "MNPeak", "MPTPeak", "MRANge" };
    QList<M81StreamElement> out;
    for (qsizetype i = 0; i < p.size(); i += 2) {
        const ElementInfo *e = findElement(p[i]);
        if (!e || (readOnly && std::none_of(kReadable.begin(), kReadable.end(), [e](const char *r) {
                       return qstrcmp(e->longForm, r) == 0;
                   }))) {
            fail(-224, c);
            return std::nullopt;
        }
        const auto index = scpi::toInteger(p[i + 1]);
        if (!index) {
            fail(-224, c);
            return std::nullopt;
        }
        if (e->module == ElementModule::Instrument) {
            if (m_cfg.checkInstrumentIndex && *index != 1) {
                fail(-222, c);
                return std::nullopt;
            }
        } else {
            if (*index < 1 || *index > 3) {
                fail(-222, c);
                return std::nullopt;
            }
            const bool fitted = e->module == ElementModule::Source ? m_modules.source(int(*index))->fitted()
                                                                    : m_modules.measure(int(*index))->fitted();
            if (!fitted) {
                fail(-241, c);
                return std::nullopt;
            }
        }
        out.append({ e, int(std::clamp<qint64>(*index, -999999, 999999)), m_stream.structCode(*e) });
    }
    return out;
}

void M81SimulatorCommands::addSystem()
{
    add("*IDN?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        return m_cfg.idn;
    });
    add("*RST", [this](Call &c) -> Reply {
        if (params(c, 0, 0)) {
            m_modules.reset();
            m_instrument = {};
            m_stream.reset();
            m_fixturePending = false;
            m_heldBack.clear();
            m_lastRow.clear();
        }
        return std::nullopt;
    });
    add("*CLS", [this](Call &c) -> Reply {
        if (params(c, 0, 0)) {
            m_errors.clear();
            m_esr = m_opEvent = m_quesEvent = 0;
        }
        return std::nullopt;
    });
    add("*STB?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        int stb = 0;
        if (!m_errors.isEmpty())
            stb |= 0x04;
        if (m_quesEvent & m_quesEnable)
            stb |= 0x08;
        if (m_esr & m_ese)
            stb |= 0x20;
        if (m_opEvent & m_opEnable)
            stb |= 0x80;
        if (stb & m_sre)
            stb |= 0x40;
        return QByteArray::number(stb);
    });
    add("*ESR?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        return QByteArray::number(std::exchange(m_esr, 0));
    });
    addSetting("*ESE", [this](Call &) -> Reply { return QByteArray::number(m_ese); },
               [this](Call &c) {
                   const auto v = numberParam(c, 0, 255);
                   return v && (m_ese = int(*v), true);
               });
    addSetting("*SRE", [this](Call &) -> Reply { return QByteArray::number(m_sre); },
               [this](Call &c) {
                   const auto v = numberParam(c, 0, 255);
                   return v && (m_sre = int(*v), true);
               });
    add("*OPC", [this](Call &c) -> Reply {
        if (params(c, 0, 0))
            m_esr |= 0x01;
        return std::nullopt;
    });
    add("*OPC?", [this](Call &c) -> Reply { return params(c, 0, 0) ? Reply("1") : std::nullopt; });
    add("*WAI", [this](Call &c) -> Reply { params(c, 0, 0); return std::nullopt; });
    add("*TST?", [this](Call &c) -> Reply { return params(c, 0, 0) ? Reply("0") : std::nullopt; });

    add("SYSTem:ERRor:ALL?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        return m_errors.takeAll(m_cfg.errorSeparator, m_cfg.emptyQueueWithCode ? "0,\"No error\"" : "No error");
    });
    add("SYSTem:ERRor[:NEXT]?", [this](Call &c) -> Reply {
        return params(c, 0, 0) ? Reply(m_errors.takeNext()) : std::nullopt;
    });
    add("SYSTem:ERRor:COUNt?", [this](Call &c) -> Reply {
        return params(c, 0, 0) ? Reply(QByteArray::number(m_errors.size())) : std::nullopt;
    });
    add("SYSTem:ERRor:CLEar", [this](Call &c) -> Reply {
        if (params(c, 0, 0))
            m_errors.clear();
        return std::nullopt;
    });
}

void M81SimulatorCommands::addStatus()
{
    struct Register
    {
        const char *name;
        int *event, *condition, *enable;
    };
    for (const Register &r : { Register { "STATus:OPERation", &m_opEvent, &m_opCondition, &m_opEnable },
                               Register { "STATus:QUEStionable", &m_quesEvent, &m_quesCondition, &m_quesEnable } }) {
        const QByteArray base = r.name;
        add((base + "[:EVENt]?").constData(), [this, r](Call &c) -> Reply {
            return params(c, 0, 0) ? Reply(QByteArray::number(std::exchange(*r.event, 0))) : std::nullopt;
        });
        add((base + ":CONDition?").constData(), [this, r](Call &c) -> Reply {
            return params(c, 0, 0) ? Reply(QByteArray::number(*r.condition)) : std::nullopt;
        });
        addSetting((base + ":ENABle").constData(), [r](Call &) -> Reply { return QByteArray::number(*r.enable); },
                   [this, r](Call &c) {
                       const auto v = numberParam(c, 0, 65535);
                       return v && (*r.enable = int(*v), true);
                   });
        // The module summaries (bits 0–5) stay clear: the simulated modules never report limits,
        // overloads or faults through these registers.
        for (const char *module : { ":SOURce#", ":SENSe#" }) {
            for (const char *part : { ":CONDition?", ":EVENt?", ":ENABle?" }) {
                const bool source = module[2] == 'O';
                add((base + module + part).constData(), [this, source](Call &c) -> Reply {
                    if (!params(c, 0, 0) || !(source ? static_cast<void *>(sourceOf(c)) : measureOf(c)))
                        return std::nullopt;
                    return QByteArray("0");
                });
            }
            const bool source = module[2] == 'O';
            add((base + module + ":ENABle").constData(), [this, source](Call &c) -> Reply {
                if ((source ? static_cast<void *>(sourceOf(c)) : measureOf(c)))
                    numberParam(c, 0, 65535);
                return std::nullopt;
            });
        }
    }
    add("STATus:PRESet", [this](Call &c) -> Reply {
        if (params(c, 0, 0))
            m_opEnable = m_quesEnable = 0;
        return std::nullopt;
    });
}

void M81SimulatorCommands::addTrace()
{
    add("TRACe:DATA:ALL?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        if (m_cfg.fixture != M81SimulatorConfig::Fixture::None) {
            if (!std::exchange(m_fixturePending, false))
                return QByteArray();
            return QByteArray(m_cfg.fixture == M81SimulatorConfig::Fixture::StreamData ? kFixtureStreamData
                                                                                         : kFixtureGetData);
        }
        QByteArray bytes = m_stream.takeAll();
        const int row = m_stream.rowBytes();
        if ((m_stream.running() || !bytes.isEmpty()) && m_errorArmed.exchange(false))
            pushError(-230, c.unit.text);
        if (!bytes.isEmpty() && row > 1 && m_truncateArmed.exchange(false))
            bytes.chop(row - row / 2); // fault: the rest of that row is lost
        if (m_cfg.repeatLastRow && !bytes.isEmpty() && row > 0) { // U14
            const QByteArray last = bytes.right(row);
            bytes.prepend(std::exchange(m_lastRow, last));
        }
        if (m_cfg.partialRows && row > 1) { // U9: the second half of the last row comes next time
            const bool fresh = !bytes.isEmpty();
            bytes.prepend(std::exchange(m_heldBack, QByteArray()));
            if (fresh) {
                const qsizetype hold = row - row / 2;
                m_heldBack = bytes.right(hold);
                bytes.chop(hold);
            }
        }
        m_streamReplied = m_streamReplied || !bytes.isEmpty();
        return bytes.toBase64();
    });
    add("TRACe:DATA:COUNt?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        if (m_cfg.fixture != M81SimulatorConfig::Fixture::None)
            return QByteArray(m_fixturePending ? "3" : "0");
        return QByteArray::number(m_stream.bufferedRows());
    });
    add("TRACe:DATA:OVERflow?", [this](Call &c) -> Reply {
        return params(c, 0, 0) ? Reply(m_stream.overflow() ? "1" : "0") : std::nullopt;
    });
    add("TRACe:RESEt", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        m_stream.reset();
        m_fixturePending = false;
        m_heldBack.clear();
        m_lastRow.clear();
        if (m_cfg.resetClearsSettings) { // U5, the other reading
            m_stream.setElements({});
            m_stream.setRate(1000);
        }
        return std::nullopt;
    });
    addSetting(
        "TRACe:FORMat:ELEMents",
        [this](Call &) -> Reply {
            QByteArrayList parts;
            for (const M81StreamElement &e : m_stream.elements())
                parts << QByteArray(e.info->longForm) << QByteArray::number(e.module);
            return parts.join(',');
        },
        [this](Call &c) {
            if (m_stream.running()) {
                fail(-221, c);
                return false;
            }
            const auto pairs = elementPairs(c, M81SimulatorStream::kMaxElements, false);
            if (pairs)
                m_stream.setElements(*pairs);
            return bool(pairs);
        });
    addSetting(
        "TRACe:FORMat:ENCOding", [](Call &) -> Reply { return QByteArray("B64"); },
        [this](Call &c) { return choiceParam(c, { "B64" }).has_value(); }); // U7: CSV refused (-224)
    add("TRACe:FORMat:ENCOding:B64:BCOunt?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        if (m_cfg.fixture != M81SimulatorConfig::Fixture::None)
            return QByteArray("9");
        return QByteArray::number(m_stream.rowBytes());
    });
    add("TRACe:FORMat:ENCOding:B64:BFORmat?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0))
            return std::nullopt;
        if (m_cfg.fixture == M81SimulatorConfig::Fixture::StreamData)
            return QByteArray("\"?d\"");
        if (m_cfg.fixture == M81SimulatorConfig::Fixture::GetData)
            return QByteArray("?d");
        return m_cfg.bformatQuoted ? scpi::quote(m_stream.bformat()) : m_stream.bformat();
    });
    add("TRACe:FORMat:HEADer?", [this](Call &c) -> Reply {
        return params(c, 0, 0) ? Reply(scpi::quote(m_stream.header())) : std::nullopt;
    });
    add("TRACe:RATE", [this](Call &c) -> Reply {
        if (m_stream.running()) {
            fail(-221, c);
            return std::nullopt;
        }
        const auto v = numberParam(c, 1, M81SimulatorStream::kMaxRate);
        if (!v)
            return std::nullopt;
        if (m_cfg.roundRate) { // U6, the other reading: the nearest rate dividing 5000
            int best = 1;
            for (int d = 1; d <= M81SimulatorStream::kMaxRate; ++d)
                if (M81SimulatorStream::kMaxRate % d == 0 && std::fabs(d - *v) < std::fabs(best - *v))
                    best = d;
            m_stream.setRate(best);
        } else if (*v != std::floor(*v)) {
            return fail(-224, c);
        } else {
            m_stream.setRate(int(*v));
        }
        return std::nullopt;
    });
    if (m_cfg.traceExtensions) { // U7
        add("TRACe:RATE?", [this](Call &c) -> Reply {
            return params(c, 0, 0) ? Reply(QByteArray::number(m_stream.rate())) : std::nullopt;
        });
        add("TRACe:STOP", [this](Call &c) -> Reply {
            if (params(c, 0, 0))
                m_stream.stop(m_clockNs());
            return std::nullopt;
        });
    }
    add("TRACe:STARt", [this](Call &c) -> Reply {
        if (!params(c, 0, 1))
            return std::nullopt;
        qint64 count = 0;
        if (!c.params().isEmpty()) {
            const auto n = scpi::toInteger(c.params().first());
            if (!n)
                return fail(-224, c);
            if (*n < 1 || *n > qint64(1) << 40)
                return fail(-222, c);
            count = *n;
        }
        m_heldBack.clear();
        m_lastRow.clear();
        if (m_cfg.fixture != M81SimulatorConfig::Fixture::None) {
            m_fixturePending = true;
            return std::nullopt;
        }
        if (m_stream.elements().isEmpty())
            return fail(-221, c);
        m_stream.start(m_clockNs(), count);
        return std::nullopt;
    });
}

void M81SimulatorCommands::addFetch()
{
    auto values = [this](Call &c, bool read) -> Reply {
        const auto pairs = elementPairs(c, 64, read);
        if (!pairs)
            return std::nullopt;
        const qint64 now = m_clockNs();
        QByteArrayList out;
        for (const M81StreamElement &e : *pairs)
            out << valueText(*e.info, m_stream.latest(*e.info, e.module, now));
        return out.join(',');
    };
    add("FETCh?", [values](Call &c) { return values(c, false); });
    add("READ?", [values](Call &c) { return values(c, true); }); // only what a fresh measurement gives
    add("READ:SENSe#:DC?", [this](Call &c) -> Reply {
        if (!params(c, 0, 0) || !measureOf(c))
            return std::nullopt;
        return scpi::number(m_stream.latest(*findElement("MDC"), c.suffix(), m_clockNs()));
    });
}

} // namespace bs::m81
