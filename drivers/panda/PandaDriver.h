// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HostPort.h"
#include "Instrument.h"
#include "PandaDriverControlLink.h"
#include "PandaDriverFields.h"
#include "PandaProtocol.h"

#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace bs {
struct DriverInfo;
}

namespace bs::panda {

/// PandABox position capture over TCP (control port 8888, data port 8889).
///
/// Address: `host[:control_port]` as parseHostPort() reads it (names, IPv4, `[IPv6]:port`), control
/// port 8888 by default; parameter `data_port`, 0 (the default) for the control port + 1. On open() both connections are made, the data port is
/// configured with `XML FRAMED RAW` (or SCALED) and the FPGA's capturable fields are read
/// (`*CAPTURE.*?`, `*CAPTURE.OPTIONS?`, `PCAP.*?`). start() first asks `*PCAP.STATUS?`: if the
/// PandA is idle it writes the capture settings, the trigger and CLOCK1 (in seconds, read back
/// quantised to 8 ns), then arms; nothing of the driver's own state changes before the ARM is
/// accepted. A capture armed by another client is joined read-only: its rows are recorded, Stop
/// only stops recording it, and only the action `disarm_other` disarms it. Every frame becomes
/// one irregular SampleBlock on stream "pcap" (time from PCAP.TS_TRIG, else TS_START, else row ×
/// CLOCK1 period when CLOCK1 triggers the rows, else the row index). close() disarms a capture
/// of ours and waits for the reply; a lost control connection first drains the data socket.
class PandaDriver : public Instrument
{
    Q_OBJECT
public:
    explicit PandaDriver(QObject *parent = nullptr);
    ~PandaDriver() override;

    static DriverInfo info();
    QString type() const override { return QStringLiteral("panda"); }

public Q_SLOTS:
    void open() override;
    void close() override;
    void start() override;
    void stop() override;
    void invoke(const QString &action) override;

protected:
    QString applyParameter(const QString &key, const QVariant &value) override;

private:
    /// What one start() asked for; becomes the driver's state only when the PandA accepts ARM.
    struct ArmRequest
    {
        double clockPeriod = 0;   // read back from the PandA (s), 0 = unknown
        bool clockTriggers = false; // PCAP.TRIG is CLOCK1.OUT
        quint64 rowLimit = 0;
    };

    // Connection (PandaDriver.cpp)
    void buildParameters();
    void onControlConnected();
    void identifyAndConnectData();
    void readFieldCatalogue();
    void connectData();
    void onDataReadyRead();
    void onDataLost(const QString &reason);
    void onControlLost(const QString &reason);
    void drainData(int ms, qint64 maxBytes);
    void connectionFailed(const QString &reason);
    void dropConnections();
    void checkConnected();
    void pollStatus();
    QString peerText() const;
    /// The data port to use: `data_port`, or the control port + 1 when it is 0 (0: none left).
    quint16 dataPort() const;
    QString dataPeerText() const;

    // Arming (PandaDriverArm.cpp)
    void arm();
    void armWhenIdle();
    void releaseHeldEvents();
    void sendCaptureSetup(const std::shared_ptr<ArmRequest> &request);
    void onArmReply(const ControlReply &r, const std::shared_ptr<ArmRequest> &request);
    void disarm();
    void disarmOther();
    void joinOtherCapture(const QString &why);
    void stopFollowingOther();
    void setRunning(bool running);
    void writeClockPeriod(double seconds, const std::function<void(double)> &done);

    // Data (PandaDriverData.cpp)
    void handleEvent(DataEvent &ev);
    void processEvent(DataEvent &ev);
    void beginCapture(const DataHeader &h);
    void addFrame(DataEvent &ev);
    void flushFrames();
    void endCapture(const DataEvent &ev);
    void publishEndMarker(bool error, quint64 missing);
    /// After a capture ended: Finished when it ended by itself, Connected after our Stop.
    void settleAfterCapture(bool byItself, const QString &text);
    /// A refused setting: an error now, and a warning for the run's summary and the file.
    void refuse(const QString &text);

    PandaDriverControlLink m_control;
    QTcpSocket m_data;
    std::unique_ptr<DataStreamParser> m_parser;
    QTimer m_statusTimer;
    QTimer m_dataTimeout;
    DeviceFields m_device; // what this FPGA can capture, and its PCAP names

    HostPort m_endpoint; // host and control port, from the address at open()
    bool m_identified = false;
    bool m_catalogueRead = false;
    bool m_dataReady = false;
    bool m_running = false;      // armed by us, until END or stop
    bool m_closing = false;
    bool m_draining = false;
    bool m_disarmOnConnect = false; // a capture of ours was cut off by a lost connection
    bool m_armInProgress = false;   // STATUS? / settings / ARM sent, ARM reply not yet in
    bool m_stopAfterArm = false;    // Stop came while our ARM was unanswered
    bool m_userStopped = false;     // Stop asked for the end of our capture (else it ended by itself)
    int m_captureCount = 0;         // captures begun since connecting (the file's capture numbers)
    bool m_other = false;           // a capture armed by another client is in progress
    bool m_followOther = true;      // ... and its rows are recorded (false after Stop)
    std::vector<DataEvent> m_held;  // data events that arrived while our ARM was unanswered

    // Current capture (driver thread only).
    DataHeader m_header;
    bool m_inCapture = false;
    bool m_captureIsOurs = false;
    int m_timeColumn = -1;
    bool m_rowIndexTime = false;  // no timestamp and not clocked by CLOCK1: time = row index
    double m_captureT0 = 0;       // session time of the capture's arm
    double m_armSessionTime = -1; // set when our ARM is acknowledged
    double m_lastTime = 0;        // last row time published (times never go backwards)
    long long m_timeEpochNs = 0;  // SessionClock::epochNs() the three times above refer to
    bool m_originFromFirstRow = false; // joined capture: its start = arrival of the first rows − their TS
    bool m_rowsPublished = false; // m_lastTime is the time of a row
    /// The session clock was restarted since the times above were taken: move them onto it.
    void followSessionClock();
    ArmRequest m_active;          // settings of the capture we armed
    quint64 m_captureRows = 0;    // rows received in this capture
    quint64 m_streamIndex = 0;    // rows of stream "pcap" since start()
    bool m_limitReached = false;
    std::vector<DataEvent> m_pendingFrames;
    std::vector<SampleFormat> m_formats; // of the current capture's channels (announced in its StreamInfo)
};

} // namespace bs::panda
