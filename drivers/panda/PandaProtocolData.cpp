// SPDX-License-Identifier: GPL-3.0-or-later
// DataStreamParser: stream bookkeeping, handshake, headers and END lines. The payload formats are
// in PandaProtocolDataPayload.cpp.
#include "PandaProtocolData.h"
#include "PandaProtocolDataUtil.h"

#include <cstring>

namespace bs::panda {

std::vector<double> DataEvent::values() const
{
    std::vector<double> out;
    if (!block)
        return out;
    out.resize(std::size_t(block->channelCount) * rows);
    for (int c = 0; c < block->channelCount; ++c)
        block->toValues(c, 0, rows, out.data() + std::size_t(c) * rows);
    return out;
}

DataStreamParser::DataStreamParser(const DataOptions &requested)
    : m_requested(requested)
{
    if (requested.status)
        m_state = State::WaitReady;
    else
        m_state = requested.header ? State::WaitHeader : State::WaitCapture;
}

void DataStreamParser::setAssumedHeader(const DataHeader &header)
{
    m_assumed = header;
}

bool DataStreamParser::takeEvent(DataEvent &event)
{
    if (m_events.empty())
        return false;
    event = std::move(m_events.front());
    m_events.pop_front();
    return true;
}

bool DataStreamParser::inCapture() const
{
    switch (m_state) {
    case State::FramedMarker:
    case State::FramedBody:
    case State::Unframed:
    case State::AsciiLines:
    case State::Base64Lines:
    case State::EndLine:
        return true;
    default:
        return false;
    }
}

void DataStreamParser::feed(const char *data, std::size_t size)
{
    if (m_failed || !data)
        return;
    Input in { data, size };
    while (in.n > 0 && !m_failed)
        step(in);
    // Non-framed payloads: one Frame per feed() with the samples completed so far.
    if (!m_failed && m_state == State::Base64Lines)
        decodeBase64Samples();
    if (!m_failed && m_header.format != DataFormat::Framed)
        flushFrame();
}

void DataStreamParser::fail(const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    m_error = message;
}

void DataStreamParser::consume(Input &in, std::size_t count)
{
    in.p += count;
    in.n -= count;
    m_consumed += count;
}

std::optional<QByteArrayView> DataStreamParser::nextLine(Input &in)
{
    const void *nl = std::memchr(in.p, '\n', in.n);
    if (!nl) {
        m_partialLine.append(in.p, qsizetype(in.n));
        consume(in, in.n);
        if (std::size_t(m_partialLine.size()) > detail::kMaxLineBytes)
            fail(QStringLiteral("Line longer than %1 bytes at byte %2 ('%3...')")
                     .arg(detail::kMaxLineBytes)
                     .arg(m_consumed - std::uint64_t(m_partialLine.size()))
                     .arg(detail::describeBytes(m_partialLine.constData(), m_partialLine.size())));
        return std::nullopt;
    }
    const std::size_t len = std::size_t(static_cast<const char *>(nl) - in.p);
    if (m_partialLine.isEmpty()) {
        const QByteArrayView line(in.p, qsizetype(len));
        consume(in, len + 1);
        return line;
    }
    m_partialLine.append(in.p, qsizetype(len));
    consume(in, len + 1);
    m_lineHolder.swap(m_partialLine);
    m_partialLine.clear();
    return QByteArrayView(m_lineHolder);
}

void DataStreamParser::step(Input &in)
{
    switch (m_state) {
    case State::WaitReady:
    case State::WaitHeader:
    case State::XmlHeader:
    case State::XmlBlankLine:
    case State::TextHeader:
    case State::WaitCapture:
        stepHeaderStates(in);
        return;
    case State::FramedMarker:
        stepFramedMarker(in);
        return;
    case State::FramedBody:
        stepFramedBody(in);
        return;
    case State::Unframed:
        stepUnframed(in);
        return;
    case State::AsciiLines:
        stepAsciiLines(in);
        return;
    case State::Base64Lines:
        stepBase64Lines(in);
        return;
    case State::EndLine:
        if (const auto line = nextLine(in))
            handleEndLine(*line);
        return;
    case State::Closed:
        fail(QStringLiteral("Data after the end of a ONE_SHOT capture at byte %1: '%2'")
                 .arg(m_consumed)
                 .arg(detail::describeBytes(in.p, qsizetype(in.n))));
        return;
    case State::Refused:
        consume(in, in.n);
        return;
    }
}

void DataStreamParser::stepHeaderStates(Input &in)
{
    if (m_state == State::WaitCapture) {
        if (!m_assumed) {
            fail(QStringLiteral("Capture data without a header and no assumed header at byte %1")
                     .arg(m_consumed));
            return;
        }
        DataHeader h = *m_assumed;
        h.format = m_requested.format;
        h.process = m_requested.process;
        startCapture(std::move(h));
        return;
    }
    if (m_state == State::XmlBlankLine) {
        if (*in.p != '\n') {
            fail(QStringLiteral("Expected an empty line after the header at byte %1, got '%2'")
                     .arg(m_consumed)
                     .arg(detail::describeBytes(in.p, qsizetype(in.n))));
            return;
        }
        consume(in, 1);
        startCapture(m_header);
        return;
    }
    const auto line = nextLine(in);
    if (!line)
        return;
    const std::uint64_t lineStart = m_consumed - std::uint64_t(line->size()) - 1;
    switch (m_state) {
    case State::WaitReady:
        if (*line == "OK") {
            DataEvent ev;
            ev.kind = DataEvent::Kind::Ready;
            m_events.push_back(std::move(ev));
            m_state = m_requested.header ? State::WaitHeader : State::WaitCapture;
        } else if (line->startsWith("ERR")) {
            DataEvent ev;
            ev.kind = DataEvent::Kind::Refused;
            ev.message = QString::fromUtf8(line->sliced(std::min<qsizetype>(4, line->size())));
            m_events.push_back(std::move(ev));
            m_state = State::Refused;
        } else {
            fail(QStringLiteral("Expected OK or ERR from the data server at byte %1, got '%2'")
                     .arg(lineStart)
                     .arg(detail::describeBytes(line->data(), line->size())));
        }
        return;
    case State::WaitHeader:
        if (line->isEmpty())
            return;
        if (!lineStartsHeader(*line)) {
            fail(QStringLiteral("Bad data '%1' at byte %2 (expected a header)")
                     .arg(detail::describeBytes(line->data(), line->size()))
                     .arg(lineStart));
            return;
        }
        beginHeader(*line);
        return;
    case State::XmlHeader:
        m_headerText.append(line->data(), line->size());
        m_headerText.append('\n');
        if (std::size_t(m_headerText.size()) > detail::kMaxHeaderBytes)
            fail(QStringLiteral("Header longer than %1 bytes").arg(detail::kMaxHeaderBytes));
        else if (line->contains("</header>"))
            finishXmlHeader();
        return;
    case State::TextHeader:
        if (!line->isEmpty()) {
            m_headerLines.append(line->toByteArray());
            m_headerBytes += std::size_t(line->size()) + 1;
            if (m_headerLines.size() > 100000)
                fail(QStringLiteral("Header has too many lines"));
            else if (m_headerBytes > detail::kMaxHeaderBytes)
                fail(QStringLiteral("Header longer than %1 bytes").arg(detail::kMaxHeaderBytes));
            return;
        }
        finishTextHeader();
        return;
    default:
        return;
    }
}

bool DataStreamParser::lineStartsHeader(QByteArrayView line) const
{
    if (line.startsWith("<header"))
        return true;
    for (const char *key : detail::kTextHeaderKeys) {
        if (line.startsWith(key))
            return true;
    }
    return false;
}

void DataStreamParser::beginHeader(QByteArrayView line)
{
    flushFrame();
    m_header = DataHeader {};
    m_header.format = m_requested.format;
    m_header.process = m_requested.process;
    m_headerText.clear();
    m_headerLines.clear();
    if (line.startsWith("<header")) {
        m_state = State::XmlHeader;
        m_headerText.append(line.data(), line.size());
        m_headerText.append('\n');
        if (line.contains("</header>"))
            finishXmlHeader();
    } else {
        m_state = State::TextHeader;
        m_headerLines.append(line.toByteArray());
        m_headerBytes = std::size_t(line.size()) + 1;
    }
}

void DataStreamParser::finishXmlHeader()
{
    QString err;
    if (!parseXmlHeader(m_headerText, m_header, &err)) {
        fail(err);
        return;
    }
    m_headerText.clear();
    m_state = State::XmlBlankLine;
}

void DataStreamParser::finishTextHeader()
{
    QString err;
    if (!parseTextHeader(m_headerLines, m_header, &err)) {
        fail(err);
        return;
    }
    m_headerLines.clear();
    startCapture(m_header);
}

void DataStreamParser::startCapture(DataHeader header)
{
    QString err;
    if (!completeHeader(header, &err)) {
        fail(err);
        return;
    }
    m_header = header;
    m_decoder.setHeader(m_header);
    m_sampleBytes = std::size_t(m_decoder.rowBytes());
    m_columns = std::size_t(m_decoder.columns());
    m_carry.clear();
    m_binary.clear();
    m_markerLen = 0;
    m_frame.reset();
    m_frameCap = m_frameRows = 0;

    DataEvent ev;
    ev.kind = DataEvent::Kind::Start;
    ev.header = m_header;
    m_events.push_back(std::move(ev));

    switch (m_header.format) {
    case DataFormat::Framed:
        m_state = State::FramedMarker;
        break;
    case DataFormat::Unframed:
        m_state = State::Unframed;
        break;
    case DataFormat::Ascii:
        m_state = State::AsciiLines;
        break;
    case DataFormat::Base64:
        m_state = State::Base64Lines;
        break;
    }
}

void DataStreamParser::handleEndLine(QByteArrayView text)
{
    // text = "<samples> <reason>" (after "END ").
    const qsizetype space = text.indexOf(' ');
    const QByteArrayView number = space < 0 ? text : text.first(space);
    bool ok = !number.isEmpty();
    for (char c : number)
        ok = ok && c >= '0' && c <= '9';
    const quint64 samples = ok ? number.toULongLong(&ok) : 0;
    if (!ok) {
        fail(QStringLiteral("Malformed END line 'END %1'")
                 .arg(detail::describeBytes(text.data(), text.size())));
        return;
    }
    flushFrame();
    DataEvent ev;
    ev.kind = DataEvent::Kind::End;
    ev.endSamples = samples;
    ev.endReasonText = space < 0 ? QString() : QString::fromUtf8(text.sliced(space + 1));
    ev.endReason = endReasonFromString(ev.endReasonText);
    m_events.push_back(std::move(ev));
    if (m_requested.oneShot)
        m_state = State::Closed;
    else
        m_state = m_requested.header ? State::WaitHeader : State::WaitCapture;
}

} // namespace bs::panda
