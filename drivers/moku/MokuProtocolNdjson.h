// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The live data of the `mokucli stream` bridge (docs/protocols/moku.md §6): newline-delimited
// JSON, one object per line {"time":[…],"ch1":[…],…} and a last line `EOS`. Pure code, no I/O:
// a bounded line splitter, a hand-written line parser (std::from_chars, no allocation per number,
// storage reused between lines), a continuity checker (§9 U8: never assume continuity) and the
// writer the simulator and the benchmark use. This is the hot path: a Moku:Pro streams up to
// 10 MSa/s, i.e. 20 M numbers/s with the time column.

#include <QString>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bs::moku {

/// Splits a byte stream into lines at LF (a CR before the LF is dropped). A line longer than the
/// maximum given at construction is an error: the splitter then refuses everything until reset(),
/// so memory stays bounded by the maximum plus one appended chunk.
class NdjsonLineSplitter
{
public:
    explicit NdjsonLineSplitter(std::size_t maxLineLength);

    enum class Result { Line, NeedMore, TooLong };

    /// Appends received bytes (any split: a line may arrive in many pieces, many lines in one).
    void append(const char *data, std::size_t size);
    void append(std::string_view data) { append(data.data(), data.size()); }

    /// The next complete line without its LF / CRLF. `line` stays valid until the next append(),
    /// takeLine() or reset(). NeedMore: no complete line buffered; TooLong: see error().
    Result takeLine(std::string_view &line);

    /// Bytes of an incomplete line still buffered (at the end of a stream: a line without LF).
    std::size_t pendingBytes() const { return m_buffer.size() - m_begin; }
    std::size_t maxLineLength() const { return m_maxLineLength; }
    bool failed() const { return m_failed; }
    /// The sentence for TooLong (empty otherwise).
    QString error() const;
    void reset();

private:
    std::string m_buffer;
    std::size_t m_begin = 0; ///< start of the first line not taken yet
    std::size_t m_scan = 0;  ///< where the search for the next LF continues
    std::size_t m_maxLineLength;
    bool m_failed = false;
};

/// One parsed line of the stream. Reuse one object for every line: its vectors keep their storage.
struct StreamLine
{
    bool endOfStream = false;                ///< the line was `EOS`
    std::vector<double> time;                ///< seconds
    std::vector<int> channels;               ///< N of each `chN` key present, 1-based, ascending
    std::vector<std::vector<double>> values; ///< volts, in the order of `channels`

    std::size_t sampleCount() const { return time.size(); }
};

/// Parses one line (without its LF). Returns an empty string on success, else one sentence that
/// names what is wrong (not a JSON object, no `time`, arrays of different lengths, a bad number at
/// which byte). `EOS` sets endOfStream. Unknown keys are skipped, whitespace is allowed anywhere,
/// bare nan/inf/NaN/Infinity tokens (and the strings "nan", "inf", "-inf") and null (→ NaN) are
/// accepted as numbers.
QString parseStreamLine(std::string_view line, StreamLine &out);

/// Checks the time stamps of consecutive lines against the nominal sample interval: how many
/// samples were lost before a line (its first time vs. the expected next time) and inside it
/// (steps that are a multiple of the interval), and steps that are no multiple at all. Time
/// stamps are compared with a tolerance (a fraction of the interval) for float rounding.
class StreamContinuity
{
public:
    /// `sampleInterval` in seconds; 0 = take it from the first line with two samples or more.
    explicit StreamContinuity(double sampleInterval = 0, double tolerance = 0.25);

    struct Check
    {
        long long lostBefore = 0;   ///< samples missing between the previous line and this one
        long long lostWithin = 0;   ///< samples missing between time stamps inside this line
        long long overlap = 0;      ///< samples whose time repeats or goes back (before or inside)
        std::size_t uneven = 0;     ///< steps that are not a whole number of intervals
        std::size_t firstUneven = 0;///< index in the line of the first such step (if uneven > 0)
        bool ok() const { return lostBefore == 0 && lostWithin == 0 && overlap == 0 && uneven == 0; }
        long long lost() const { return lostBefore + lostWithin; }
    };

    Check check(const double *time, std::size_t n);
    Check check(const std::vector<double> &time) { return check(time.data(), time.size()); }

    /// A sentence describing a check that is not ok() (empty when ok()).
    static QString describe(const Check &c);

    double sampleInterval() const { return m_interval; }
    bool started() const { return m_started; }
    double expectedNext() const { return m_expectedNext; }
    long long totalLost() const { return m_totalLost; }
    void reset();

private:
    double m_interval;
    double m_tolerance;
    bool m_started = false;
    double m_expectedNext = 0;
    long long m_totalLost = 0;
};

/// Appends one line `{"time":[…],"ch1":[…],…}\n` (shortest round-trip numbers via std::to_chars)
/// for `n` samples: `time[i]`, and `channels[k][i]` under the key "ch" + channelNumbers[k].
void appendStreamLine(std::string &out, const double *time, const std::vector<const double *> &channels,
                      const std::vector<int> &channelNumbers, std::size_t n);

/// Appends the terminator line `EOS\n`.
void appendEndOfStream(std::string &out);

} // namespace bs::moku
