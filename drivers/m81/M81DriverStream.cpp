// SPDX-License-Identifier: GPL-3.0-or-later
// The TRACe data stream: configuration, polling TRACe:DATA:ALL?, rows into blocks, losses, ends.
//
// Pace: after a reply of at least kBigReplyBytes the next poll goes out at once (the instrument's
// buffer may be filling up; its size is not published, U10), after a smaller one kPollMs later;
// after empty replies the wait doubles from 2 ms up to min(50 ms, one row period).
// TRACe:DATA:OVERflow? is asked every
// kOverflowCheckMs and once more when the stream ends.
//
// Losses: with RTIMe streamed, a gap of k row periods between consecutive rows is k − 1 lost rows
// (the block after it starts k − 1 indices later and says so in lostBefore); a repeated RTIMe is
// a duplicate row and dropped (U14). An OVERflow 1 flags the next block Overflow|DataLost; without
// RTIMe the number lost is unknown and counted as one. A reply that is not base64 loses the rows
// it carried (estimated from its length) and is reported.
#include "M81Driver.h"

#include "M81ProtocolElements.h"
#include "SessionClock.h"

#include <QJsonArray>

#include <cmath>

namespace bs::m81 {

namespace {

const QString kStream = QStringLiteral("trace");
constexpr int kPollMs = 5;
constexpr qsizetype kBigReplyBytes = 8192;

/// Whether `rt` can be the RTIMe of the row after one at `last` (-1: the first row): later, and
/// not absurdly far (a gap of an hour is lost data; more is a misread row).
bool plausibleRtime(double rt, double last)
{
    return std::isfinite(rt) && rt >= 0 && rt > last && (last < 0 ? rt < 3600 : rt - last < 3600);
}

QString channelLabel(const QString &mnemonic)
{
    static const QHash<QString, QString> names{
        {QStringLiteral("RTIMe"), QStringLiteral("RTIMe")}, {QStringLiteral("SAMPlitude"), QStringLiteral("Amplitude")},
        {QStringLiteral("SOFFset"), QStringLiteral("Offset")}, {QStringLiteral("SFRequency"), QStringLiteral("Frequency")},
        {QStringLiteral("SRANge"), QStringLiteral("Range")}, {QStringLiteral("SVLimit"), QStringLiteral("V limit")},
        {QStringLiteral("SILimit"), QStringLiteral("I limit")}, {QStringLiteral("SSWeeping"), QStringLiteral("Sweeping")},
        {QStringLiteral("SRSettling"), QStringLiteral("Settling")}, {QStringLiteral("MDC"), QStringLiteral("DC")},
        {QStringLiteral("MRMs"), QStringLiteral("RMS")}, {QStringLiteral("MPPeak"), QStringLiteral("+Peak")},
        {QStringLiteral("MNPeak"), QStringLiteral("-Peak")}, {QStringLiteral("MPTPeak"), QStringLiteral("Peak-peak")},
        {QStringLiteral("MX"), QStringLiteral("X")}, {QStringLiteral("MY"), QStringLiteral("Y")},
        {QStringLiteral("MR"), QStringLiteral("R")}, {QStringLiteral("MTHeta"), QStringLiteral("Theta")},
        {QStringLiteral("MRANge"), QStringLiteral("Range")}, {QStringLiteral("MOVerload"), QStringLiteral("Overload")},
        {QStringLiteral("MSETtling"), QStringLiteral("Settling")}, {QStringLiteral("MUNLock"), QStringLiteral("Unlocked")},
        {QStringLiteral("MRFRequency"), QStringLiteral("Ref frequency")}, {QStringLiteral("GPIStates"), QStringLiteral("GPI")},
        {QStringLiteral("GPOStates"), QStringLiteral("GPO")},
    };
    return names.value(mnemonic, mnemonic);
}

} // namespace

QString M81Driver::checkStreamSettings(std::vector<Element> *elements) const
{
    const ParameterSpec *spec = m_params.spec(QStringLiteral("elements"));
    const QVector<QStringList> rows = spec->tableRows(m_params.stringValue(QStringLiteral("elements")));
    if (rows.isEmpty())
        return tr("Elements: choose at least one element to stream");
    if (rows.size() > kMaxElements)
        return tr("Elements: %1 chosen, the M81 streams at most %2").arg(rows.size()).arg(kMaxElements);
    const qint64 rate = m_params.intValue(QStringLiteral("rate"));
    if (rate < 1 || rate > kMaxRate)
        return tr("Rate: %1 rows/s is outside 1 … %2").arg(rate).arg(kMaxRate);
    elements->clear();
    for (const QStringList &row : rows) {
        const ElementInfo *e = findElement(row.value(0).toLatin1());
        if (!e)
            return tr("Elements: '%1' is not an M81 data source").arg(row.value(0));
        bool ok = false;
        const int n = row.value(1).toInt(&ok);
        if (!ok || n < 1 || n > kModules)
            return tr("Elements: module '%1' of %2 is not 1, 2 or 3").arg(row.value(1), row.value(0));
        Element el;
        el.mnemonic = QString::fromLatin1(e->longForm);
        el.kind = e->module == ElementModule::Source ? 'S' : e->module == ElementModule::Measure ? 'M' : 0;
        el.module = el.kind ? n : 1; // RTIMe, GPIStates, GPOStates: always 1 (U11)
        elements->push_back(el);
    }
    return {};
}

StreamInfo M81Driver::streamInfo(const std::vector<Element> &elements, const RowLayout *layout) const
{
    StreamInfo s;
    s.id = kStream;
    s.name = tr("TRACe stream");
    const bool rtime = std::any_of(elements.begin(), elements.end(),
                                   [](const Element &e) { return e.mnemonic == QLatin1String("RTIMe"); });
    s.regular = !rtime;
    s.nominalRate = double(m_params.intValue(QStringLiteral("rate")));
    QStringList used;
    for (std::size_t k = 0; k < elements.size(); ++k) {
        const Element &e = elements[k];
        const ElementInfo *info = findElement(e.mnemonic.toLatin1());
        const Module *m = e.kind == 'S' ? &m_sources[std::size_t(e.module - 1)]
            : e.kind == 'M'             ? &m_measures[std::size_t(e.module - 1)]
                                        : nullptr;
        ChannelInfo c;
        c.name = e.kind ? QStringLiteral("%1%2 %3").arg(QLatin1Char(e.kind)).arg(e.module).arg(channelLabel(e.mnemonic))
                        : channelLabel(e.mnemonic);
        if (used.contains(c.name)) { // the same element twice: still two channels
            int k = 2;
            while (used.contains(QStringLiteral("%1 (%2)").arg(c.name).arg(k)))
                ++k;
            c.name = QStringLiteral("%1 (%2)").arg(c.name).arg(k);
        }
        used << c.name;
        c.unit = elementUnit(*info, m ? m->unit() : QStringLiteral("V"));
        c.description = QStringLiteral("%1,%2: %3").arg(e.mnemonic).arg(e.module).arg(QLatin1String(info->meaning));
        c.plotByDefault = e.mnemonic != QLatin1String("RTIMe");
        // Values as the wire carries them: a float32 stays float32 (exact), the rest float64.
        const char code = layout && int(k) < layout->valueCount() ? layout->codes[qsizetype(k)] : info->structCode;
        c.format = SampleFormat::of(code == 'f' ? SampleType::Float32 : SampleType::Float64);
        s.channels << c;
    }
    return s;
}

void M81Driver::start()
{
    if (state() == State::Running || m_starting || m_stream.active)
        return;
    if (!requireReady())
        return;
    std::vector<Element> elements;
    const QString why = checkStreamSettings(&elements);
    if (!why.isEmpty()) {
        fail(tr("M81 at %1: %2").arg(m_link.peer(), why));
        return;
    }
    const int rate = int(m_params.intValue(QStringLiteral("rate")));
    const quint64 count = quint64(m_params.intValue(QStringLiteral("count")));
    QStringList pairs;
    for (const Element &e : elements)
        pairs << e.mnemonic << QString::number(e.module);
    m_starting = true;
    m_stopRequested = false;
    auto bcount = std::make_shared<int>(-1);
    auto layout = std::make_shared<RowLayout>();
    auto t0 = std::make_shared<double>(0);
    std::vector<Step> steps{
        // RESEt first; elements, encoding and rate are sent again after it whatever it clears (U5).
        {QStringLiteral("TRACe:RESEt"), {}},
        {QStringLiteral("TRACe:FORMat:ELEMents ") + pairs.join(QLatin1Char(',')), {}},
        {QStringLiteral("TRACe:FORMat:ENCOding B64"), {}},
        {QStringLiteral("TRACe:RATE %1").arg(rate), {}},
        {QStringLiteral("TRACe:FORMat:ENCOding:B64:BCOunt?"), [this, bcount](const Result &r) {
             const auto v = parseNumber(r.value());
             if (!v || *v < 1 || *v != std::floor(*v)) {
                 fail(tr("M81 at %1: BCOunt? replied '%2', not a row size").arg(m_link.peer(), escapedText(r.value())));
                 return false;
             }
             *bcount = int(*v);
             return true;
         }},
        {QStringLiteral("TRACe:FORMat:ENCOding:B64:BFORmat?"), [this, bcount, layout, n = elements.size()](const Result &r) {
             QString why;
             const auto l = parseRowLayout(r.value(), *bcount, &why);
             if (!l) {
                 fail(tr("M81 at %1: %2").arg(m_link.peer(), why));
                 return false;
             }
             if (std::size_t(l->valueCount()) != n) {
                 fail(tr("M81 at %1: the row format '%2' has %3 values for %4 elements")
                          .arg(m_link.peer(), escapedText(r.value()))
                          .arg(l->valueCount())
                          .arg(n));
                 return false;
             }
             *layout = *l;
             return true;
         }},
        {count ? QStringLiteral("TRACe:STARt %1").arg(count) : QStringLiteral("TRACe:STARt"), [t0](const Result &r) {
             *t0 = (r.sentAt + r.answeredAt) / 2; // the first row is taken when the instrument starts
             return true;
         }},
    };
    run(std::move(steps),
        [this, elements, rate, count, layout, t0] {
            m_starting = false;
            m_stream = Stream{};
            m_stream.elements = elements;
            m_stream.rate = rate;
            m_stream.count = count;
            m_stream.decoder.setLayout(*layout);
            for (std::size_t i = 0; i < elements.size(); ++i)
                if (elements[i].mnemonic == QLatin1String("RTIMe") && m_stream.rtimeColumn < 0)
                    m_stream.rtimeColumn = int(i);
            beginStream(*t0);
        },
        [this] {
            m_starting = false;
            if (m_link.isOpen() && state() != State::Error) // leave the instrument idle
                m_link.send(QStringLiteral("TRACe:RESEt"), [](const Result &) {});
        });
}

void M81Driver::beginStream(double t0)
{
    m_stream.active = true;
    m_stream.t0 = t0;
    m_stream.capture = ++m_captures;
    m_stream.sinceFlush.start();
    m_stream.sinceOverflowCheck.start();
    const StreamInfo info = streamInfo(m_stream.elements, &m_stream.decoder.layout());
    m_stream.formats = info.formats();
    setStreams({info});
    QJsonArray els;
    for (const Element &e : m_stream.elements)
        els << QStringLiteral("%1,%2").arg(e.mnemonic).arg(e.module);
    captureStarted(kStream, t0,
                   {{QStringLiteral("capture"), m_stream.capture}, {QStringLiteral("rate"), m_stream.rate},
                    {QStringLiteral("count"), double(m_stream.count)}, {QStringLiteral("elements"), els},
                    {QStringLiteral("row_bytes"), m_stream.decoder.layout().rowBytes}});
    setState(State::Running, m_link.peer());
    if (m_stopRequested) {
        m_stopRequested = false;
        endStream(false);
        return;
    }
    poll();
}

void M81Driver::poll()
{
    if (!m_stream.active || m_stream.ending || !m_link.isOpen())
        return;
    m_link.send(QStringLiteral("TRACe:DATA:ALL?"), [this](const Result &r) { onData(r); });
}

void M81Driver::schedulePoll()
{
    if (!m_stream.active || m_stream.ending)
        return;
    int delay = 0;
    if (m_stream.emptyPolls > 0) {
        const int cap = std::clamp(int(1000 / std::max(1, m_stream.rate)), 2, 50);
        delay = std::min(cap, 2 << std::min(m_stream.emptyPolls - 1, 5));
    }
    m_pollTimer.start(delay);
}

void M81Driver::onData(const Result &r)
{
    if (!m_stream.active)
        return;
    using S = Result::Status;
    if (r.status == S::Lost || r.status == S::Cancelled)
        return; // onLinkLost / close() end the stream
    if (r.status == S::Timeout) {
        // The instrument stopped talking in the middle of a stream: the link is of no use any more.
        const QString reason = r.error;
        abortStream(reason);
        m_link.close();
        fail(tr("%1 — the stream was cut; every row received before is kept").arg(reason));
        setState(State::Error, reason);
        return;
    }
    std::vector<double> values;
    const std::size_t rows = decodeReply(r, values);
    m_stream.emptyPolls = rows ? 0 : m_stream.emptyPolls + 1;
    if (rows)
        takeRows(values, rows, r.answeredAt);
    flushRows(false);
    if (m_stream.ending)
        return; // Stop is finishing the stream (a poll that was in flight when it came)
    // Rows known lost are not counted towards `count`: an instrument that delivers `count` rows
    // despite an overflow still has them buffered; one that stopped is told by deviceDone.
    if (m_stream.count && m_stream.received >= m_stream.count) {
        endStream(true);
        return;
    }
    if (m_stream.deviceDone && !rows) { // a bounded stream that lost rows and will send no more
        endStream(true);
        return;
    }
    if (m_stream.sinceOverflowCheck.elapsed() >= kOverflowCheckMs) {
        m_stream.sinceOverflowCheck.start();
        checkOverflow([this] { poll(); });
        return;
    }
    if (rows && r.line.size() >= kBigReplyBytes)
        m_pollTimer.start(0);
    else if (rows)
        m_pollTimer.start(kPollMs);
    else
        schedulePoll();
}

std::size_t M81Driver::decodeReply(const Result &r, std::vector<double> &values)
{
    // With RTIMe the rows lost to a bad reply are counted by the gap in RTIMe after it; without,
    // they are estimated here.
    const bool rtime = m_stream.rtimeColumn >= 0;
    auto countLost = [this, rtime](quint64 lost) {
        if (rtime) {
            m_stream.gapExpected = true; // counted by the next RTIMe gap, or at the end
            return;
        }
        m_stream.lost += lost;
        m_stream.lostPending += lost;
        m_stream.nextIndex += lost;
    };
    if (r.status == Result::Status::Invalid) { // an overlong reply, dropped: its rows are lost
        fail(r.error);
        flushRows(true);
        countLost(1);
        return 0;
    }
    if (!r.ok())
        return 0;
    QString why;
    const int rc = m_stream.rtimeColumn;
    const double last = m_stream.lastRtime;
    // With RTIMe a partial row can be checked: completed by the next reply (U9) its RTIMe follows
    // the last; the start of a row that never came (a truncated reply) is dropped.
    const auto n = rc < 0 ? m_stream.decoder.feed(r.line, values, &why)
                          : m_stream.decoder.feed(r.line, values,
                                                  [rc, last, nv = m_stream.decoder.layout().valueCount()](
                                                      const double *rows, int count) {
                                                      double before = last;
                                                      for (int i = 0; i < count; ++i) {
                                                          const double rt = rows[i * nv + rc];
                                                          if (!plausibleRtime(rt, before))
                                                              return false;
                                                          before = rt;
                                                      }
                                                      return true;
                                                  },
                                                  &why);
    if (m_stream.decoder.abandonedBytes() && m_stream.decodeErrors++ < 3)
        fail(tr("M81 at %1: a reply ended in %2 bytes of a row that the next reply did not complete; "
                "they were dropped (the rows lost are counted from RTIMe)")
                 .arg(m_link.peer())
                 .arg(m_stream.decoder.abandonedBytes()));
    if (n)
        return *n;
    const qint64 rowBytes = m_stream.decoder.layout().rowBytes;
    const quint64 lost = quint64(std::max<qint64>(1, (m_stream.decoder.droppedBytes() + rowBytes - 1) / rowBytes));
    flushRows(true);
    countLost(lost);
    if (m_stream.decodeErrors++ < 3)
        fail(tr("M81 at %1: %2 (about %3 rows lost)").arg(m_link.peer(), why).arg(lost));
    return 0;
}

void M81Driver::takeRows(const std::vector<double> &values, std::size_t rows, double)
{
    const int nv = m_stream.decoder.layout().valueCount();
    const int rc = m_stream.rtimeColumn;
    const double period = 1.0 / m_stream.rate;
    for (std::size_t i = 0; i < rows; ++i) {
        const double *row = values.data() + i * std::size_t(nv);
        double t;
        if (rc >= 0) {
            const double rt = row[rc];
            if (m_stream.lastRtime >= 0 && rt <= m_stream.lastRtime)
                continue; // a row seen before (U14)
            if (!plausibleRtime(rt, m_stream.lastRtime)) {
                // A misread row: not delivered; the RTIMe of the next good row counts it as lost.
                if (m_stream.decodeErrors++ < 3)
                    fail(tr("M81 at %1: a row with RTIMe %2 s after %3 s cannot be right; it was dropped")
                             .arg(m_link.peer())
                             .arg(rt)
                             .arg(m_stream.lastRtime));
                continue;
            }
            if (m_stream.lastRtime >= 0 && rt - m_stream.lastRtime > 1.5 * period) {
                const quint64 gap = quint64(std::llround((rt - m_stream.lastRtime) / period)) - 1;
                if (gap) {
                    m_stream.gapExpected = false;
                    flushRows(true);
                    m_stream.lost += gap;
                    m_stream.lostPending += gap;
                    m_stream.nextIndex += gap;
                }
            }
            m_stream.lastRtime = rt;
            t = m_stream.t0 + rt;
        } else {
            t = m_stream.t0 + double(m_stream.nextIndex) * period;
        }
        if (m_stream.times.empty())
            m_stream.rowsFirstIndex = m_stream.nextIndex;
        m_stream.rows.insert(m_stream.rows.end(), row, row + nv);
        m_stream.times.push_back(t);
        ++m_stream.nextIndex;
        ++m_stream.received;
        if (m_stream.count && m_stream.received >= m_stream.count)
            break; // a device that sends more than asked for: the rest is not this stream's
    }
}

void M81Driver::flushRows(bool force, std::uint32_t extraFlags)
{
    const std::size_t n = m_stream.times.size();
    const bool marks = m_stream.lostPending || m_stream.overflowPending || extraFlags || (force && n);
    if (!n && !marks)
        return;
    if (!force && !marks) {
        const std::size_t chunk = std::size_t(std::max(1, m_stream.rate / 50)); // ~20 ms of rows
        if (n < chunk && m_stream.sinceFlush.elapsed() < 50)
            return;
    }
    const int nv = m_stream.decoder.layout().valueCount();
    const bool irregular = m_stream.rtimeColumn >= 0;
    // (a marker before any stream began has no announced formats: plain doubles, no rows)
    const std::vector<SampleFormat> formats
        = m_stream.formats.size() == std::size_t(nv) ? m_stream.formats : std::vector<SampleFormat>(std::size_t(nv));
    auto b = SampleBlock::make(QString(), kStream, formats, n, irregular);
    b->firstIndex = n ? m_stream.rowsFirstIndex : m_stream.nextIndex;
    if (irregular) {
        b->times = m_stream.times;
        b->t0 = n ? m_stream.times.front() : (m_stream.lastRtime >= 0 ? m_stream.t0 + m_stream.lastRtime : m_stream.t0);
    } else {
        b->dt = 1.0 / m_stream.rate;
        b->t0 = m_stream.t0 + double(b->firstIndex) * b->dt;
    }
    for (int c = 0; c < nv; ++c) {
        const double *src = m_stream.rows.data() + c;
        if (b->format(c).type == SampleType::Float32) { // decoded from a float32: converts back exactly
            float *dst = b->data<float>(c);
            for (std::size_t i = 0; i < n; ++i)
                dst[i] = float(src[i * std::size_t(nv)]);
        } else {
            double *dst = b->data<double>(c);
            for (std::size_t i = 0; i < n; ++i)
                dst[i] = src[i * std::size_t(nv)];
        }
    }
    if (m_stream.firstBlock)
        b->flags |= SampleBlock::StartOfCapture;
    if (m_stream.lostPending) {
        b->flags |= SampleBlock::DataLost;
        b->lostBefore = m_stream.lostPending;
    }
    if (m_stream.overflowPending)
        b->flags |= SampleBlock::Overflow | SampleBlock::DataLost;
    b->flags |= extraFlags;
    m_stream.firstBlock = false;
    m_stream.lostPending = 0;
    m_stream.overflowPending = false;
    m_stream.rows.clear();
    m_stream.times.clear();
    m_stream.sinceFlush.start();
    publish(b);
}

void M81Driver::checkOverflow(std::function<void()> then)
{
    m_link.send(QStringLiteral("TRACe:DATA:OVERflow?"), [this, then](const Result &r) {
        if (r.status == Result::Status::Lost || r.status == Result::Status::Cancelled || !m_stream.active)
            return;
        if (!r.ok())
            report(r);
        else if (const auto v = parseNumber(r.value()); v && *v != 0)
            noteOverflow();
        else if (!v)
            fail(tr("M81 at %1: TRACe:DATA:OVERflow? replied '%2'").arg(m_link.peer(), escapedText(r.value())));
        if (m_stream.count && m_stream.overflow && !m_stream.ending) {
            // The instrument lost rows of a bounded stream: whether it still sends the rest or has
            // stopped is not documented; its "stream in progress" bit (operation bit 6) tells.
            m_link.send(QStringLiteral("STATus:OPERation:CONDition?"), [this, then](const Result &s) {
                if (s.status == Result::Status::Lost || s.status == Result::Status::Cancelled || !m_stream.active)
                    return;
                if (const auto v = parseNumber(s.value()); s.ok() && v && !(qint64(*v) & 64))
                    m_stream.deviceDone = true;
                if (then)
                    then();
            });
            return;
        }
        if (then)
            then();
    });
}

void M81Driver::noteOverflow()
{
    if (m_stream.overflow)
        return; // the flag stays set for the rest of the stream: one loss report
    m_stream.overflow = true;
    m_stream.overflowPending = true;
    const bool rtime = m_stream.rtimeColumn >= 0;
    if (!rtime) { // how many is unknown without RTIMe: at least one
        m_stream.lost += 1;
        m_stream.lostPending += 1;
        m_stream.nextIndex += 1;
    }
    const QString text = rtime
        ? tr("M81 at %1 lost stream data (TRACe:DATA:OVERflow? 1): the host did not read fast enough; the gaps "
             "are counted from RTIMe")
              .arg(m_link.peer())
        : tr("M81 at %1 lost stream data (TRACe:DATA:OVERflow? 1): the host did not read fast enough; how many "
             "rows is unknown without RTIMe in the elements (counted as one)")
              .arg(m_link.peer());
    warn(text, kStream);
    fail(text);
    flushRows(true);
}

void M81Driver::stop()
{
    if (m_starting) {
        m_stopRequested = true;
        return;
    }
    if (m_stream.active && !m_stream.ending) {
        endStream(false);
        return;
    }
    if (state() == State::Running)
        setState(State::Connected, m_link.peer());
}

void M81Driver::endStream(bool byDevice)
{
    m_stream.ending = true;
    m_pollTimer.stop();
    auto finish = [this, byDevice] {
        checkOverflow([this, byDevice] {
            if (!m_stream.active)
                return;
            if (byDevice) {
                finishStream(tr("Stream complete: %1 rows").arg(m_stream.received), true);
                return;
            }
            // TRACe:STOP is not documented (U7): RESEt stops the stream.
            m_link.send(QStringLiteral("TRACe:RESEt"), [this](const Result &r) {
                if (r.status == Result::Status::Lost || r.status == Result::Status::Cancelled || !m_stream.active)
                    return;
                report(r);
                finishStream(tr("Stopped after %1 rows").arg(m_stream.received), false);
            });
        });
    };
    if (byDevice) {
        finish();
        return;
    }
    // What the instrument buffered before Stop is still read.
    m_link.send(QStringLiteral("TRACe:DATA:ALL?"), [this, finish](const Result &r) {
        if (r.status == Result::Status::Lost || r.status == Result::Status::Cancelled || !m_stream.active)
            return;
        if (r.status == Result::Status::Timeout) // reported; the stream still ends cleanly
            fail(r.error);
        std::vector<double> values;
        if (const std::size_t n = decodeReply(r, values))
            takeRows(values, n, r.answeredAt);
        finish();
    });
}

void M81Driver::finishStream(const QString &reason, bool byDevice)
{
    if ((m_stream.overflow && m_stream.rtimeColumn >= 0 && m_stream.lost == 0) || m_stream.gapExpected) {
        m_stream.lost += 1; // flagged or a bad reply, but no gap seen after it: at least one row
        m_stream.lostPending += 1;
        m_stream.gapExpected = false;
    }
    const bool complete = m_stream.lost == 0 && !m_stream.overflow
        && (!byDevice || !m_stream.count || m_stream.received >= m_stream.count);
    flushRows(true, SampleBlock::EndOfCapture);
    const double tEnd = m_stream.lastRtime >= 0 ? m_stream.t0 + m_stream.lastRtime
                                                : m_stream.t0 + double(m_stream.nextIndex) / m_stream.rate;
    captureEnded(kStream, tEnd, reason, complete,
                 {{QStringLiteral("capture"), m_stream.capture}, {QStringLiteral("rows"), double(m_stream.received)},
                  {QStringLiteral("lost"), double(m_stream.lost)}, {QStringLiteral("overflow"), m_stream.overflow}});
    Q_EMIT message(tr("M81 stream %1: %2%3")
                       .arg(m_stream.capture)
                       .arg(reason)
                       .arg(m_stream.lost ? tr(", %1 rows lost").arg(m_stream.lost) : QString()));
    m_stream.active = false;
    m_stream.ending = false;
    m_stream.rows = {};
    m_stream.times = {};
    setState(byDevice ? State::Finished : State::Connected, m_link.peer());
}

void M81Driver::abortStream(const QString &reason)
{
    m_pollTimer.stop();
    m_starting = false;
    if (!m_stream.active)
        return;
    flushRows(true, SampleBlock::EndOfCapture);
    const double tEnd = m_stream.lastRtime >= 0 ? m_stream.t0 + m_stream.lastRtime
                                                : m_stream.t0 + double(m_stream.nextIndex) / m_stream.rate;
    captureEnded(kStream, tEnd, tr("Stream cut: %1").arg(reason), false,
                 {{QStringLiteral("capture"), m_stream.capture}, {QStringLiteral("rows"), double(m_stream.received)},
                  {QStringLiteral("lost"), double(m_stream.lost)}});
    m_stream.active = false;
    m_stream.ending = false;
    m_stream.rows = {};
    m_stream.times = {};
}

} // namespace bs::m81
