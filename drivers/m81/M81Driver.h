// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"
#include "M81DriverLink.h"
#include "M81ProtocolReply.h"
#include "M81ProtocolRows.h"

#include <QElapsedTimer>
#include <QTimer>

#include <array>
#include <functional>
#include <memory>
#include <set>
#include <vector>

namespace bs {
struct DriverInfo;
}

namespace bs::m81 {

/// Lake Shore M81-SSM synchronous source measure system over SCPI (TCP 7777 or the USB serial
/// port), streaming with the TRACe subsystem (docs/protocols/lakeshore-m81.md).
///
/// open(): the link's connect ritual, then `*IDN?`, `SYSTem:ERRor:CLEar`, `SOURce:NCHannels?`,
/// `SENSe:NCHannels?`, each module's model and name (-241 "Hardware missing": "not fitted"),
/// settings written while disconnected (a session's, `--set`), then every module setting read back.
/// Every setting is written with the error check and read back; a refusal is reported with the
/// SCPI text and the value the instrument keeps.
///
/// start(): `TRACe:RESEt`, `TRACe:FORMat:ELEMents`, `TRACe:FORMat:ENCOding B64`, `TRACe:RATE`,
/// `BCOunt?`, `BFORmat?`, `TRACe:STARt [count]`, then `TRACe:DATA:ALL?` polled (at once after
/// rows, backing off a few ms after an empty reply) and `TRACe:DATA:OVERflow?` every second. One
/// stream "trace", a channel per element. A bounded stream (`count` > 0) ends by itself in
/// Finished; stop() reads what is buffered and ends an unbounded one with `TRACe:RESEt`.
class M81Driver : public Instrument
{
    Q_OBJECT
public:
    static constexpr int kModules = 3;
    static constexpr int kMaxElements = 10;
    static constexpr int kMaxRate = 5000;
    /// Interval of `TRACe:DATA:OVERflow?` checks while streaming.
    static constexpr int kOverflowCheckMs = 1000;

    explicit M81Driver(QObject *parent = nullptr);
    ~M81Driver() override;

    static DriverInfo info();
    QString type() const override { return QStringLiteral("m81"); }

public Q_SLOTS:
    void open() override;
    void close() override;
    void start() override;
    void stop() override;
    void invoke(const QString &action) override;

protected:
    QString applyParameter(const QString &key, const QVariant &value) override;

private:
    using Link = M81DriverLink;
    using Result = Link::Result;
    struct Step
    {
        QString command;
        /// Called with the result; return false to stop the sequence. Unless `handlesErrors`, a
        /// failed result is reported and stops the sequence without calling it.
        std::function<bool(const Result &)> onReply;
        bool handlesErrors = false;
    };
    struct Sequence
    {
        std::vector<Step> steps;
        std::size_t at = 0;
        std::function<void()> done, failed;
    };
    struct Module
    {
        bool fitted = false;
        QString model;
        QString name;
        bool current = false; ///< a current module (CM-10, CS-10, BCS-10 or FUNCtion:MODE CURRENT)
        QString unit() const { return current ? QStringLiteral("A") : QStringLiteral("V"); }
    };
    /// One streamed element as configured.
    struct Element
    {
        QString mnemonic;  ///< long form
        int module = 1;
        char kind = 0;     ///< 'S', 'M' or 0 (instrument)
    };
    /// The stream in progress.
    struct Stream
    {
        bool active = false;
        bool ending = false;        ///< stop() or the bound reached: finishing up
        std::vector<Element> elements;
        int rate = 0;
        quint64 count = 0;          ///< rows asked for (0 = until Stop)
        RowDecoder decoder;
        int rtimeColumn = -1;       ///< value index of RTIMe in a row, -1 when not streamed
        double t0 = 0;              ///< session time of the first row
        quint64 received = 0;       ///< rows received (duplicates dropped)
        quint64 nextIndex = 0;      ///< index of the next row (received + lost)
        quint64 lost = 0;           ///< rows known lost (RTIMe gaps, undecodable replies)
        quint64 lostPending = 0;    ///< lost rows not yet announced in a block
        bool overflow = false;      ///< the instrument reported OVERflow 1
        bool overflowPending = false;
        double lastRtime = -1;
        int emptyPolls = 0;
        std::vector<double> rows;   ///< decoded values not yet published (row-major)
        std::vector<SampleFormat> formats; ///< of the announced stream (every block)
        std::vector<double> times;  ///< their times
        quint64 rowsFirstIndex = 0;
        QElapsedTimer sinceFlush;
        QElapsedTimer sinceOverflowCheck;
        bool firstBlock = true;
        bool gapExpected = false;   ///< rows were lost to a bad reply; the RTIMe gap after it counts them
        bool deviceDone = false;    ///< a bounded stream with losses: the instrument stopped streaming
        qint64 decodeErrors = 0;
        int capture = 0;
    };

    // M81Driver.cpp: connection, identity, sequences, parameters
    void buildParameters();
    void onLinkConnected();
    void onLinkLost(const QString &reason);
    void run(std::vector<Step> steps, std::function<void()> done = {}, std::function<void()> failed = {});
    void runStep(const std::shared_ptr<Sequence> &seq);
    bool report(const Result &r, const QString &context = {});
    QString scpiFailure(const Result &r) const;
    bool isReady() const;
    bool requireReady();
    std::vector<Step> moduleSteps();

    // M81DriverSettings.cpp: module settings written and read back
    bool isModuleSetting(const QString &key) const;
    void writeSetting(const QString &key, const QVariant &value, std::function<void()> then = {});
    std::vector<Step> readBackSteps(const QString &key);
    std::vector<Step> readBackAll();
    QString setCommand(const QString &key, const QVariant &value) const;
    QString queryCommand(const QString &key) const;
    void storeReadBack(const QString &key, const QByteArray &reply);
    void updateUnits();

    // M81DriverStream.cpp
    QString checkStreamSettings(std::vector<Element> *elements) const;
    /// The stream of `elements`; each channel float32 where the row carries a float32 ('f': the
    /// layout's code when `layout` is given, else the element table's), else float64.
    StreamInfo streamInfo(const std::vector<Element> &elements, const RowLayout *layout = nullptr) const;
    void beginStream(double t0);
    void schedulePoll();
    void poll();
    void onData(const Result &r);
    /// Decodes a TRACe:DATA:ALL? reply into `values` (row-major); returns the rows. Bad replies
    /// are reported and their rows counted lost.
    std::size_t decodeReply(const Result &r, std::vector<double> &values);
    void takeRows(const std::vector<double> &values, std::size_t rows, double answeredAt);
    void flushRows(bool force, std::uint32_t extraFlags = 0);
    void checkOverflow(std::function<void()> then = {});
    void noteOverflow();
    void endStream(bool byDevice);
    void finishStream(const QString &reason, bool byDevice);
    void abortStream(const QString &reason);

    Link m_link;
    QTimer m_pollTimer;
    std::array<Module, kModules> m_sources;
    std::array<Module, kModules> m_measures;
    Identity m_identity;
    std::set<QString> m_unsent; // module settings set while disconnected: written on connect
    Stream m_stream;
    int m_captures = 0;
    bool m_starting = false;      // the stream is being configured
    bool m_stopRequested = false; // stop() came while it was
};

} // namespace bs::m81
