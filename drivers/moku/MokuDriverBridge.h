// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The live-data bridge of a Moku stream (docs/protocols/moku.md §6): a TCP connection to a
// `mokucli stream` NDJSON endpoint, either one already listening at a given host:port or one
// this object starts (QProcess: `mokucli --version` checked, a free local port, `mokucli stream
// --ip-address= --stream-id= --target=`, then connect with retries). Anything mokucli writes to
// standard error is an error. Bytes only: the lines are parsed by the driver.

#include "HostPort.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QTcpSocket>
#include <QTimer>

namespace bs::moku {

class MokuDriverBridge : public QObject
{
    Q_OBJECT
public:
    explicit MokuDriverBridge(QObject *parent = nullptr);
    ~MokuDriverBridge() override;

    /// mokucli as configured: `setting` when given, else $MOKU_CLI_PATH, else PATH. Empty (and
    /// `why` saying where it looked) when none is found.
    static QString findMokucli(const QString &setting, QString *why = nullptr);

    /// Connects to a bridge listening at `endpoint`, trying `attempts` times `intervalMs` apart.
    void connectTo(const HostPort &endpoint, int attempts, int intervalMs);
    /// Checks `program --version`, starts `program stream …` for `streamId` of the Moku at
    /// `mokuAddress`, then connects to it on 127.0.0.1 as above.
    void launch(const QString &program, const QString &mokuAddress, const QString &streamId, int attempts,
                int intervalMs);
    /// Closes the connection and ends the process (terminate, then kill after a bounded wait).
    void close();
    bool isConnected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }
    /// "127.0.0.1:PORT (mokucli)" or "host:port" for messages.
    QString where() const { return m_where; }

Q_SIGNALS:
    void connected();
    void bytesReceived(const QByteArray &bytes);
    /// The connection closed (by the bridge or the network); emitted once.
    void closed();
    /// Something went wrong (cannot connect, mokucli missing/too old/failed, stderr text); the
    /// connection, if any, may still deliver what was sent before. Emitted once per failure.
    void failed(const QString &message);

private:
    void tryConnect();
    void startStream(const QString &program, const QString &mokuAddress, const QString &streamId);

    QPointer<QTcpSocket> m_socket;
    QPointer<QProcess> m_process;
    QTimer m_retry;
    HostPort m_endpoint;
    QString m_where;
    int m_attemptsLeft = 0;
    int m_intervalMs = 500;
    QByteArray m_stderr;
    bool m_closing = false;
    bool m_closedSent = false;
};

} // namespace bs::moku
