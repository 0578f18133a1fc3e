// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"
#include "PicoDriverApi.h"
#include "PicoProtocolScaling.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

namespace bs {
struct DriverInfo;
}

namespace bs::picoscope {

/// A PicoScope USB oscilloscope through Pico Technology's C library (ps5000a, or ps2000a), loaded
/// at run time from the parameter `library` (empty: the usual install locations). No link-time
/// dependency on the PicoSDK.
///
/// Address: the unit's serial number (BATCH_AND_SERIAL, e.g. "GR925/0147"), or empty for the first
/// unit found. Every library call runs on this instrument's worker thread and under the library's
/// own mutex, so several units never call into the (non-re-entrant) library at once; the
/// library's callbacks only copy data or post an event back to the worker thread.
///
/// One stream, "scope": the enabled channels in volts (A max/A min with aggregate downsampling).
/// Block mode delivers one regular block per capture (t0 = session time of its first sample,
/// Trigger flag at the pre-trigger position); rapid block one block per segment placed by its
/// trigger time stamp; streaming continuous blocks with sample indices counted across chunks.
/// ADC over-range sets the Overflow flag; a library-reported overrun sets DataLost.
///
/// Run (start) repeats block/rapid captures until Stop (setting `repeat`; off: one capture, or one
/// rapid-block run of `captures` segments), or streams until Stop (or auto-stop); the action
/// "single" takes one capture. Each capture (block, rapid-block run, stream) is announced with
/// captureStarted/captureEnded on "scope"; an acquisition that ends by itself (repeat off, Single,
/// auto-stop) leaves the instrument Finished, Stop leaves it Connected. Power: a 4-channel unit on USB power reports
/// PICO_POWER_SUPPLY_NOT_CONNECTED; the driver then waits for the user's choice (actions
/// "accept_usb_power", channels C/D off, or "use_dc_power" once the supply is plugged in) before
/// it captures, as the vendor requires (protocols/picoscope.md §9).
class PicoDriver : public Instrument
{
    Q_OBJECT
public:
    explicit PicoDriver(QObject *parent = nullptr);
    ~PicoDriver() override;

    static DriverInfo info();
    QString type() const override { return QStringLiteral("picoscope"); }

    /// Where the demo and the tests find BenchScope's simulated libraries (build tree or install).
    static QString simulatedLibraryPath(Family family);

public Q_SLOTS:
    void open() override;
    void close() override;
    void start() override;
    void stop() override;
    void invoke(const QString &action) override;

protected:
    QString applyParameter(const QString &key, const QVariant &value) override;
    /// Why `seconds` is faster than the unit can sample with the family, resolution and channels
    /// now set (the published timebase tables), or an empty string.
    QString fastestIntervalProblem(double seconds) const;

private:
    enum class Mode { Block, Rapid, Streaming };
    /// How an acquisition ends: Stop by the user (or a restart), a failure (the open capture is
    /// incomplete), or by itself (the capture asked for is complete: State::Finished).
    enum class End { Stop, Failure, ByItself };
    /// One enabled input as configured on the unit for the running acquisition.
    struct Input
    {
        int channel = 0;
        ChannelScale scale;
        std::vector<std::int16_t> max, min; ///< driver buffers (block: capture; streaming: ring)
    };

    // PicoDriver.cpp: parameters, connection, identity, power, status reporting
    void buildParameters();
    void buildChannelParameters(int channel);
    bool ok(PicoStatus st, const char *function);
    void readIdentity();
    void handlePowerStatus(PicoStatus st);
    void acceptPower(PicoStatus state);
    void setPendingPower(PicoStatus st);  ///< 0: no choice pending
    bool powerDecisionPending() const { return m_pendingPower != 0; }
    void closeUnit();
    Mode mode() const;

    // PicoDriverSetup.cpp: resolution, channels, timebase, trigger, signal generator
    bool configure();
    bool applyResolution();
    bool applyChannels();
    bool chooseTimebase(std::int32_t samples);
    bool applyTrigger();
    bool applySignalGenerator();
    bool channelWanted(int channel) const;
    QString channelKey(int channel, const char *what) const;
    void announceStream(double dt);
    static SampleFormat countFormat(const ChannelScale &scale);
    int channelsPerInput() const { return m_ratioMode == RatioAggregate ? 2 : 1; }

    // PicoDriverBlock.cpp: block and rapid block
    bool runBlock();
    void onBlockReady(PicoStatus status);
    void readBlock();
    void readRapid();
    bool applySegments();
    void publishCapture(const std::vector<const std::int16_t *> &maxBuf,
                        const std::vector<const std::int16_t *> &minBuf, std::size_t n, double t0,
                        std::int16_t overflow);
    void noteOverflow(SampleBlock *block, std::int16_t overflow);
    void captureDone();
    static void BS_PICO_CALLBACK blockReadyCallback(std::int16_t handle, PicoStatus status, void *param);

    // PicoDriverStreaming.cpp
    bool runStreaming();
    void pollStreaming();
    void drainStreaming();
    void flushStreaming(bool force);
    /// GetStreamingLatestValues until the library has nothing more, or everything the unit had
    /// taken when the call began is here, or `budget` samples came; returns true in the first two
    /// cases (caught up), false on a budget, kMaxPollMs or a failure.
    bool fetchStreaming(std::size_t budget, PicoStatus *status);
    /// Sample index the unit's clock has reached now (samples taken since RunStreaming).
    std::int64_t clockIndex() const;
    /// Samples per channel fetched at most per poll tick before the event loop gets its turn again,
    /// and at most at Stop (what is left then is counted lost).
    std::size_t fetchBudget() const;
    /// staged samples [from, to) as a block; `lostBefore` samples are skipped before it
    MutableSampleBlockPtr stagedBlock(std::size_t from, std::size_t to, std::uint64_t lostBefore);
    void finishStreaming(End how, const QString &why);
    static void BS_PICO_CALLBACK streamingCallback(std::int16_t handle, std::int32_t n, std::uint32_t start,
                                                   std::int16_t overflow, std::uint32_t triggerAt,
                                                   std::int16_t triggered, std::int16_t autoStop, void *param);

    /// Drains a stream, stops the unit, closes the open capture, then Connected (Finished for
    /// End::ByItself).
    void endAcquisition(End how = End::Stop, const QString &detail = {});
    /// A capture (block, rapid-block run, stream) begins at session time `time`: captureStarted.
    void openCapture(double time);
    /// The open capture ends: captureEnded with what it delivered (no-op if none is open).
    void closeCapture(const QString &reason, bool complete);

    std::shared_ptr<PicoApi> m_api;
    std::int16_t m_handle = 0;
    PicoStatus m_pendingPower = 0;  ///< power state waiting for the user's choice (0: none)
    bool m_usbPowered = false;      ///< accepted USB-only power: C and D unavailable
    int m_unitChannels = 4;
    std::int16_t m_maxAdc = 32512;
    std::vector<SampleFormat> m_formats; ///< of the announced stream: every block is made with them

    // Acquisition
    bool m_running = false;     ///< Run (repeat) or a single capture in progress
    bool m_single = false;
    bool m_busy = false;        ///< a capture or stream is active on the unit
    Mode m_activeMode = Mode::Block;
    std::vector<Input> m_inputs;
    std::uint32_t m_timebase = 0;
    double m_dt = 0;            ///< seconds per (downsampled) sample
    double m_rawDt = 0;
    std::int32_t m_pre = 0, m_post = 0;
    int m_ratioMode = RatioNone;
    std::uint32_t m_ratio = 1;
    std::uint32_t m_captures = 1;
    std::uint64_t m_index = 0;  ///< samples delivered on "scope" since Run
    double m_runStart = 0;      ///< session time of the acquisition start
    std::uint64_t m_overflowEvents = 0;
    std::int16_t m_lastOverflow = 0;
    double m_readyAt = 0;       ///< session time BlockReady arrived
    // The capture in progress (captureStarted sent, captureEnded not yet)
    bool m_captureOpen = false;
    int m_capture = 0;                  ///< captures begun since open()
    std::uint64_t m_captureSamples = 0; ///< rows delivered by the open capture
    std::uint32_t m_captureSegments = 0; ///< blocks (rapid: segments) delivered by it
    std::uint64_t m_captureLost = 0;    ///< samples the library lost in it
    double m_captureEnd = 0;            ///< session time after its last delivered sample

    /// Shared with the library's callback threads; outlives every capture of this driver.
    /// What the library's callbacks get as pParameter. Deliberately never freed: a vendor library
    /// may call back late, even after the driver is gone; the mutex makes "post to the driver" and
    /// "the driver is being destroyed" exclusive.
    struct CallbackGate
    {
        QMutex mutex;
        PicoDriver *driver = nullptr;
    };
    CallbackGate *m_gate = nullptr;

    // Streaming
    QTimer m_pollTimer;
    QMutex m_stageMutex;        ///< the callback may run on another thread (U2)
    std::vector<std::vector<std::int16_t>> m_stageMax;
    std::size_t m_staged = 0;
    std::int16_t m_stageOverflow = 0;
    /// A gap the library reported (overrun, or a chunk it placed outside the ring) in the staged
    /// samples: the samples from `at` on follow it. Where they belong on the unit's clock is known
    /// once the library has handed out everything it holds (`placed`, `resume` = their index).
    struct Loss
    {
        std::size_t at = 0;
        bool placed = false;
        std::int64_t resume = 0;
        bool malformed = false;
        std::int64_t estimate = -1; ///< from the unit's buffer size, if known: full when it overran
    };
    /// Places every gap not placed yet: at `resume` = now minus what followed it (the library has
    /// handed out all it holds), or, if it has not, from the buffer-size estimate.
    void placeLosses(bool caughtUp);
    std::vector<Loss> m_losses;
    bool m_stageMalformed = false; ///< the library reported a chunk outside the ring
    bool m_lossAnnounced = false;  ///< the user was told of a loss whose size is not known yet
    std::int64_t m_stageTrigger = -1;
    bool m_autoStopped = false;
    std::uint32_t m_ring = 0;   ///< overview buffer length
    std::int64_t m_backlogCapacity = -1; ///< samples the unit holds for us: its memory + the ring (-1: unknown)
    std::int64_t m_callIndex = 0;        ///< clockIndex() when the current GetStreamingLatestValues began
    std::size_t m_reported = 0;          ///< samples the library reported (also those not read)
    QElapsedTimer m_sinceFlush;
};

} // namespace bs::picoscope
