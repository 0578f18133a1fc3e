// SPDX-License-Identifier: GPL-3.0-or-later
// DataStreamParser: the four payload formats and Frame assembly.
#include "PandaProtocolData.h"
#include "PandaProtocolDataUtil.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace bs::panda {

namespace {

const unsigned char *bytes(const char *p)
{
    return reinterpret_cast<const unsigned char *>(p);
}

} // namespace

// ---- Frame assembly ------------------------------------------------------------------------

void DataStreamParser::ensureFrame(std::size_t rowsHint)
{
    if (m_frameCap > 0 && m_frameRows < m_frameCap)
        return;
    if (m_frameCap > 0)
        flushFrame();
    const std::size_t maxRows
        = std::max<std::size_t>(1, kMaxFrameValues / std::max<std::size_t>(1, m_columns));
    m_frameCap = std::clamp<std::size_t>(rowsHint, 1, maxRows);
    m_frameRows = 0;
    // The rows are decoded straight into the storage of the block the driver publishes.
    m_frame = SampleBlock::make(QString(), QString(), m_decoder.formats(), m_frameCap, false);
}

void DataStreamParser::flushFrame()
{
    if (m_frameRows == 0)
        return;
    DataEvent ev;
    ev.kind = DataEvent::Kind::Frame;
    ev.rows = m_frameRows;
    ev.block = m_frameRows < m_frameCap ? headRows(*m_frame, m_frameRows) : std::move(m_frame);
    m_events.push_back(std::move(ev));
    m_frame.reset();
    m_frameCap = m_frameRows = 0;
}

void DataStreamParser::decodeBinary(const unsigned char *src, std::size_t rows, std::size_t rowsHint)
{
    while (rows > 0) {
        ensureFrame(rowsHint);
        const std::size_t k = std::min(rows, m_frameCap - m_frameRows);
        m_decoder.decode(src, k, *m_frame, m_frameRows);
        m_frameRows += k;
        src += k * m_sampleBytes;
        rows -= k;
        rowsHint = rowsHint > k ? rowsHint - k : 1;
    }
}

// ---- FRAMED: "BIN " + uint32 LE total length + whole samples, or "END " ----------------------

void DataStreamParser::stepFramedMarker(Input &in)
{
    const std::size_t want = (m_markerLen >= 4 && std::memcmp(m_marker, "BIN ", 4) == 0) ? 8 : 4;
    const std::size_t take = std::min(want - m_markerLen, in.n);
    std::memcpy(m_marker + m_markerLen, in.p, take);
    m_markerLen += take;
    consume(in, take);
    if (m_markerLen < 4)
        return;
    const std::uint64_t markerStart = m_consumed - m_markerLen;
    if (std::memcmp(m_marker, "BIN ", 4) == 0) {
        if (m_markerLen < 8)
            return;
        const std::uint64_t length = qFromLittleEndian<quint32>(m_marker + 4);
        m_markerLen = 0;
        if (length < 8 + m_sampleBytes || (length - 8) % m_sampleBytes != 0) {
            fail(QStringLiteral("Bad BIN block length %1 at byte %2: not 8 + a whole number (>= 1) of "
                                "%3-byte samples")
                     .arg(length)
                     .arg(markerStart)
                     .arg(m_sampleBytes));
            return;
        }
        m_blockRemaining = length - 8;
        m_state = State::FramedBody;
        return;
    }
    const char *marker = reinterpret_cast<const char *>(m_marker);
    m_markerLen = 0;
    if (std::memcmp(marker, "END ", 4) == 0) {
        m_state = State::EndLine;
        return;
    }
    if (!m_requested.status && detail::couldStartHeader(QByteArrayView(marker, 4))) {
        // NO_STATUS: the next capture's header follows the last block directly.
        m_partialLine = QByteArray(marker, 4);
        m_state = State::WaitHeader;
        return;
    }
    fail(QStringLiteral("Bad data '%1' at byte %2 (expected \"BIN \" or \"END \")")
             .arg(detail::describeBytes(marker, 4))
             .arg(markerStart));
}

void DataStreamParser::stepFramedBody(Input &in)
{
    const std::size_t sb = m_sampleBytes;
    if (!m_carry.empty()) {
        const std::size_t take = std::min(sb - m_carry.size(), in.n);
        m_carry.insert(m_carry.end(), bytes(in.p), bytes(in.p) + take);
        consume(in, take);
        if (m_carry.size() < sb)
            return;
        decodeBinary(m_carry.data(), 1, m_blockRemaining / sb);
        m_carry.clear();
        m_blockRemaining -= sb;
    } else {
        const std::size_t avail = std::size_t(std::min<std::uint64_t>(in.n, m_blockRemaining));
        const std::size_t whole = avail / sb;
        if (whole > 0) {
            decodeBinary(bytes(in.p), whole, m_blockRemaining / sb);
            consume(in, whole * sb);
            m_blockRemaining -= whole * sb;
        } else {
            m_carry.assign(bytes(in.p), bytes(in.p) + avail);
            consume(in, avail);
        }
    }
    if (m_blockRemaining == 0) {
        flushFrame();
        m_state = State::FramedMarker;
    }
}

// ---- UNFRAMED: bare samples; with status an "END ..." line at a sample boundary ------------

void DataStreamParser::stepUnframed(Input &in)
{
    const std::size_t sb = m_sampleBytes;
    if (!m_carry.empty()) {
        unframedCarry(in);
        return;
    }
    const bool status = m_requested.status;
    const std::size_t whole = in.n / sb;
    const std::size_t hint = in.n / sb + 1;
    const unsigned char *base = bytes(in.p);
    std::size_t i = 0;
    for (; i < whole; ++i) {
        const unsigned char *s = base + i * sb;
        if (status && *s == 'E'
            && detail::classifyEndCandidate(s, in.n - i * sb).kind != detail::EndCandidate::Kind::Sample)
            break;
    }
    if (i > 0) {
        decodeBinary(base, i, hint);
        consume(in, i * sb);
    }
    if (in.n == 0)
        return;
    if (status && *in.p == 'E') {
        const auto c = detail::classifyEndCandidate(bytes(in.p), in.n);
        if (c.kind == detail::EndCandidate::Kind::End) {
            const QByteArray text(in.p + 4, qsizetype(c.length - 5));
            consume(in, c.length);
            handleEndLine(text);
            return;
        }
        if (c.kind == detail::EndCandidate::Kind::NeedMore) {
            m_carry.assign(bytes(in.p), bytes(in.p) + in.n); // holds no LF, so no byte past the END
            consume(in, in.n);
            return;
        }
    }
    // Less than one sample left (whole samples were all decoded above).
    m_carry.assign(bytes(in.p), bytes(in.p) + in.n);
    consume(in, in.n);
}

// Resolves an incomplete sample or END candidate at the start of m_carry. The carry never holds
// bytes past the LF of an END line, so nothing needs to be pushed back into the stream.
bool DataStreamParser::unframedCarry(Input &in)
{
    const std::size_t sb = m_sampleBytes;
    while (!m_carry.empty()) {
        if (m_requested.status && m_carry[0] == 'E') {
            const auto c = detail::classifyEndCandidate(m_carry.data(), m_carry.size());
            if (c.kind == detail::EndCandidate::Kind::NeedMore) {
                if (in.n == 0)
                    return false;
                std::size_t take = std::min(in.n, detail::kMaxEndLineBytes - m_carry.size());
                if (const void *nl = std::memchr(in.p, '\n', take))
                    take = std::size_t(static_cast<const char *>(nl) - in.p) + 1;
                m_carry.insert(m_carry.end(), bytes(in.p), bytes(in.p) + take);
                consume(in, take);
                continue;
            }
            if (c.kind == detail::EndCandidate::Kind::End) {
                const QByteArray text(
                    reinterpret_cast<const char *>(m_carry.data()) + 4, qsizetype(c.length - 5));
                m_carry.clear();
                handleEndLine(text);
                return true;
            }
        }
        if (m_carry.size() < sb) {
            const std::size_t take = std::min(sb - m_carry.size(), in.n);
            m_carry.insert(m_carry.end(), bytes(in.p), bytes(in.p) + take);
            consume(in, take);
            if (m_carry.size() < sb)
                return false;
        }
        decodeBinary(m_carry.data(), 1, in.n / sb + 1);
        m_carry.erase(m_carry.begin(), m_carry.begin() + std::ptrdiff_t(sb));
    }
    return true;
}

// ---- ASCII and BASE64: one text line per sample / per chunk of binary ---------------------

// A payload line that is not data: END, or (NO_STATUS) the next header; else corruption.
void DataStreamParser::endOfPayloadLine(QByteArrayView line, std::uint64_t lineStart)
{
    if (line.startsWith("END ")) {
        handleEndLine(line.sliced(4));
        return;
    }
    if (!m_requested.status && lineStartsHeader(line)) {
        beginHeader(line);
        return;
    }
    fail(QStringLiteral("Bad data '%1' at byte %2")
             .arg(detail::describeBytes(line.data(), line.size()))
             .arg(lineStart));
}

void DataStreamParser::stepAsciiLines(Input &in)
{
    const std::size_t minLine = 2 * std::max<std::size_t>(1, m_columns) + 1;
    while (in.n > 0 && !m_failed) {
        const auto line = nextLine(in);
        if (!line)
            return;
        const std::uint64_t lineStart = m_consumed - std::uint64_t(line->size()) - 1;
        if (!line->startsWith(' ')) {
            flushFrame();
            endOfPayloadLine(*line, lineStart);
            return;
        }
        ensureFrame(in.n / minLine + 1);
        QString err;
        if (!m_decoder.decodeAsciiLine(*line, *m_frame, m_frameRows, &err)) {
            fail(QStringLiteral("%1 at byte %2").arg(err).arg(lineStart));
            return;
        }
        ++m_frameRows;
    }
}

bool DataStreamParser::appendBase64(QByteArrayView text)
{
    if (text.endsWith('\0'))
        text.chop(1);
    return detail::decodeBase64(text, m_binary);
}

void DataStreamParser::decodeBase64Samples()
{
    const std::size_t rows = m_binary.size() / m_sampleBytes;
    if (rows == 0)
        return;
    decodeBinary(m_binary.data(), rows, rows);
    m_binary.erase(m_binary.begin(), m_binary.begin() + std::ptrdiff_t(rows * m_sampleBytes));
}

void DataStreamParser::stepBase64Lines(Input &in)
{
    while (in.n > 0 && !m_failed) {
        const auto line = nextLine(in);
        if (!line)
            return;
        const std::uint64_t lineStart = m_consumed - std::uint64_t(line->size()) - 1;
        if (line->startsWith(' ')) {
            if (!appendBase64(line->sliced(1)))
                fail(QStringLiteral("Bad base64 line '%1' at byte %2")
                         .arg(detail::describeBytes(line->data(), line->size()))
                         .arg(lineStart));
            continue;
        }
        decodeBase64Samples();
        if (!m_binary.empty()) {
            fail(QStringLiteral("Payload ends inside a sample (%1 stray bytes) at byte %2")
                     .arg(m_binary.size())
                     .arg(lineStart));
            return;
        }
        flushFrame();
        endOfPayloadLine(*line, lineStart);
        return;
    }
}

} // namespace bs::panda
