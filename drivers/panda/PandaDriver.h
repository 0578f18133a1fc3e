// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HostPort.h"
#include "Instrument.h"
#include "PandaDriverControlLink.h"
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
/// port 8888 by default; parameter `data_port`, 0 (the default) for the control port + 1 (8889
/// beside 8888). On open() both connections are made and the data port is
/// configured with `XML FRAMED RAW` (or SCALED). start() writes the capture settings of the
/// ParameterSet (`capture.<FIELD>`), the trigger clock, then arms; every frame becomes one
/// irregular SampleBlock on stream "pcap" whose times come from PCAP.TS_TRIG (else TS_START,
/// else the row index × clock period) on the session timeline. END reasons are reported; error
/// reasons (Data overrun, Framing error, ...) keep every row already received.
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
    void buildParameters();
    void onControlConnected();
    void identifyAndConnectData();
    void connectData();
    void onDataReadyRead();
    void onDataLost(const QString &reason);
    void handleEvent(DataEvent &ev);
    void beginCapture(const DataHeader &h);
    void addFrame(DataEvent &ev);
    void flushFrames();
    void endCapture(const DataEvent &ev);
    void pollStatus();
    void connectionFailed(const QString &reason);
    void dropConnections();
    void checkConnected();
    void sendCaptureSetup();
    void arm();
    void disarm();
    void setRunning(bool running);
    QString peerText() const;
    /// The data port to use: `data_port`, or the control port + 1 when it is 0 (0: none left).
    quint16 dataPort() const;
    QString dataPeerText() const;

    PandaDriverControlLink m_control;
    QTcpSocket m_data;
    std::unique_ptr<DataStreamParser> m_parser;
    QTimer m_statusTimer;
    QTimer m_dataTimeout;

    HostPort m_endpoint; // host and control port, from the address at open()
    bool m_identified = false;
    bool m_dataReady = false;
    bool m_running = false;      // armed by us, until END or stop
    bool m_closing = false;
    bool m_disarmOnConnect = false; // a capture of ours was cut off by a lost connection

    // Current capture (driver thread only).
    DataHeader m_header;
    bool m_inCapture = false;
    int m_timeColumn = -1;
    double m_captureT0 = 0;       // session time of the capture's arm
    double m_armSessionTime = -1; // set when our ARM is acknowledged
    double m_clockPeriod = 1e-3;
    quint64 m_captureRows = 0;    // rows received in this capture
    quint64 m_rowLimit = 0;
    quint64 m_streamIndex = 0;    // rows of stream "pcap" since start()
    bool m_limitReached = false;
    std::vector<DataEvent> m_pendingFrames;
};

} // namespace bs::panda
