// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Data port (8889): incremental decoder of everything the server sends after the option line
// (spec §4): OK/ERR, header, payload in any of the four formats, END; many captures per stream.

#include "PandaProtocolDecoder.h"
#include "PandaProtocolEnd.h"
#include "PandaProtocolHeader.h"
#include "PandaProtocolOptions.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace bs::panda {

struct DataEvent
{
    /// Ready = "OK" to the option line; Refused = "ERR ..." to the option line.
    enum class Kind { Ready, Refused, Start, Frame, End };
    Kind kind = Kind::Ready;
    QString message; ///< Refused: error text after "ERR "
    DataHeader header; ///< Start
    std::size_t rows = 0; ///< Frame: rows in this frame
    /// Frame: the rows, one channel per header.fields entry, each stored as
    /// SampleDecoder::formats() says (RAW words as sent with their scale; see
    /// SampleDecoder::decode). Only channels and sampleCount are set; the driver adds the rest.
    MutableSampleBlockPtr block;

    /// Frame: engineering values (raw × scale + offset), column-major: [col * rows + row].
    std::vector<double> values() const;
    quint64 endSamples = 0; ///< End: N of "END N reason"
    QString endReasonText; ///< End: reason text as sent
    EndReason endReason = EndReason::Other;
};

/// Decodes the data-port byte stream into Ready/Refused, Start, Frame and End events.
///
/// Frame boundaries: FRAMED input gives exactly one Frame per "BIN " block (a block of more than
/// kMaxFrameValues values is split into several Frames). ASCII, BASE64 and UNFRAMED input give one
/// Frame per feed() call holding the whole samples completed by that call (a partial sample waits
/// for the next call); an END line or a new header closes the pending Frame first.
/// Samples are decoded as they arrive; input bytes are copied at most once (partial units only).
///
/// With NO_STATUS there is no END: a new header (if headers are on) starts the next capture, and
/// an UNFRAMED NO_STATUS payload runs until the connection closes. With NO_HEADER (e.g. BARE) the
/// layout comes from setAssumedHeader() and Start is emitted when the first payload byte arrives.
/// UNFRAMED with status: a sample boundary starting "END <digits> <text>\n" (at most 160 bytes) is
/// taken as the END line; anything else there is sample data.
class DataStreamParser
{
public:
    /// Values per Frame event above which a FRAMED block is split into several Frames.
    static constexpr std::size_t kMaxFrameValues = std::size_t(1) << 23;

    explicit DataStreamParser(const DataOptions &requested);
    /// Layout for NO_HEADER / BARE captures; format and process are taken from the options.
    void setAssumedHeader(const DataHeader &header);
    /// Never throws; the input may be split at any byte. Ignored once failed().
    void feed(const char *data, std::size_t size);
    void feed(const QByteArray &bytes) { feed(bytes.constData(), std::size_t(bytes.size())); }
    /// Takes the oldest decoded event (FIFO); false if none.
    bool takeEvent(DataEvent &event);
    bool hasEvent() const { return !m_events.empty(); }
    /// Unrecoverable stream corruption; error() names what was wrong and where.
    bool failed() const { return m_failed; }
    QString error() const { return m_error; }
    /// Bytes taken from the input so far: everything fed unless failed(); after a failure, the
    /// bytes up to the point where the problem was detected (error() gives the exact offset).
    std::uint64_t bytesConsumed() const { return m_consumed; }
    /// True between Start and End (or the next header with NO_STATUS).
    bool inCapture() const;

private:
    enum class State {
        WaitReady,
        WaitHeader,
        XmlHeader,
        XmlBlankLine,
        TextHeader,
        WaitCapture,
        FramedMarker,
        FramedBody,
        Unframed,
        AsciiLines,
        Base64Lines,
        EndLine,
        Closed,
        Refused
    };
    struct Input
    {
        const char *p;
        std::size_t n;
    };

    // Stream bookkeeping (PandaProtocolData.cpp).
    void fail(const QString &message);
    void consume(Input &in, std::size_t count);
    std::optional<QByteArrayView> nextLine(Input &in);
    void step(Input &in);
    void stepHeaderStates(Input &in);
    bool lineStartsHeader(QByteArrayView line) const;
    void beginHeader(QByteArrayView line);
    void finishXmlHeader();
    void finishTextHeader();
    void startCapture(DataHeader header);
    void handleEndLine(QByteArrayView text);

    // Payload formats (PandaProtocolDataPayload.cpp).
    void stepFramedMarker(Input &in);
    void stepFramedBody(Input &in);
    void stepUnframed(Input &in);
    bool unframedCarry(Input &in);
    void stepAsciiLines(Input &in);
    void stepBase64Lines(Input &in);
    bool appendBase64(QByteArrayView text);
    void decodeBase64Samples();
    void endOfPayloadLine(QByteArrayView line, std::uint64_t lineStart);
    void decodeBinary(const unsigned char *src, std::size_t rows, std::size_t rowsHint);
    void ensureFrame(std::size_t rowsHint);
    void flushFrame();

    DataOptions m_requested;
    std::optional<DataHeader> m_assumed;
    State m_state = State::WaitReady;
    bool m_failed = false;
    QString m_error;
    std::uint64_t m_consumed = 0;
    std::deque<DataEvent> m_events;

    QByteArray m_partialLine; // incomplete line of a line-based state
    QByteArray m_lineHolder; // storage of the last line returned by nextLine()
    QByteArray m_headerText; // XML header being collected
    QByteArrayList m_headerLines; // text header being collected
    std::size_t m_headerBytes = 0; // ... and its bytes (bounded like the XML header)
    unsigned char m_marker[8] = {}; // "BIN " + length, or "END "
    std::size_t m_markerLen = 0;
    std::uint64_t m_blockRemaining = 0; // payload bytes left in the current BIN block
    std::vector<unsigned char> m_carry; // bytes of an incomplete sample (or END candidate)
    std::vector<unsigned char> m_binary; // BASE64: decoded bytes not yet a whole sample

    DataHeader m_header; // layout of the current capture
    SampleDecoder m_decoder;
    std::size_t m_sampleBytes = 0;
    std::size_t m_columns = 0;

    MutableSampleBlockPtr m_frame; // pending Frame, capacity m_frameCap rows per column
    std::size_t m_frameCap = 0;
    std::size_t m_frameRows = 0;
};

} // namespace bs::panda
