// SPDX-License-Identifier: GPL-3.0-or-later
// An instrument that reconnects during a recording announces its streams again and restarts its
// sample index: the same channels continue in the same CSV file / HDF5 group (a new time segment),
// other channel names or units start a new generation (a new file or group) so nothing is
// written under the wrong name; every row is kept.
#include "RecordingTestUtil.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace bs;
using namespace bs::test;

namespace {
const QString kInst = QStringLiteral("nv1");
const QString kStream = QStringLiteral("live");

MutableSampleBlockPtr rows(quint64 firstIndex, double t0, std::size_t n)
{
    auto b = SampleBlock::make(kInst, kStream, 2, n, false);
    b->firstIndex = firstIndex;
    b->dt = 0.125;
    b->t0 = t0;
    for (int c = 0; c < b->channelCount; ++c)
        for (std::size_t i = 0; i < b->sampleCount; ++i)
            b->channel(c)[i] = double(std::size_t(c) * b->sampleCount + i);
    return b;
}

/// The data rows and the header line of a CSV file.
int dataRows(const QString &path, QString *columns)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    int n = 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("time_s"))
            *columns = QString::fromUtf8(line);
        else if (!line.isEmpty() && !line.startsWith('#'))
            ++n;
    }
    return n;
}
} // namespace

class TestRecorderReannounce : public QObject
{
    Q_OBJECT

    /// Records 8 rows, announces `after`, records 8 more rows whose index restarted at 0.
    void recordAcrossReannounce(const QString &dir, const StreamInfo &before, const StreamInfo &after)
    {
        Recorder rec;
        rec.setStreams(kInst, {before});
        RecordingOptions o;
        o.format = RecordingOptions::Format::Csv;
        o.path = dir;
        o.maxQueueSeconds = 0; // the two bursts may wait together in the queue
        QString error;
        QVERIFY2(rec.start(o, &error), qPrintable(error));
        rec.consume(rows(0, 0.0, 8));
        rec.setStreams(kInst, {}); // a driver may clear its streams while disconnected
        rec.setStreams(kInst, {after});
        rec.consume(rows(0, 10.0, 8));
        rec.stop();
        quint64 total = 0;
        for (const StreamRecordStats &s : rec.stats().streams) {
            total += s.samples;
            QCOMPARE(s.droppedSamples, quint64(0));
        }
        QCOMPARE(total, quint64(16));
    }

private Q_SLOTS:
    void sameChannelsContinueInTheSameFile()
    {
        QTemporaryDir dir;
        const StreamInfo s = stream(kStream, {QStringLiteral("Position"), QStringLiteral("Setpoint")},
                                    {QStringLiteral("µm"), QStringLiteral("µm")}, true, 8);
        recordAcrossReannounce(dir.path(), s, s);
        QString columns;
        QCOMPARE(dataRows(QDir(dir.path()).filePath(QStringLiteral("nv1_live.csv")), &columns), 16);
        QVERIFY(!QFile::exists(QDir(dir.path()).filePath(QStringLiteral("nv1_live_2.csv"))));
    }

    void otherChannelsStartANewGeneration()
    {
        QTemporaryDir dir;
        const StreamInfo before = stream(kStream, {QStringLiteral("Position"), QStringLiteral("Setpoint")},
                                         {QStringLiteral("µm"), QStringLiteral("µm")}, true, 8);
        const StreamInfo after = stream(kStream, {QStringLiteral("Voltage"), QStringLiteral("Setpoint")},
                                        {QStringLiteral("V"), QStringLiteral("µm")}, true, 8);
        recordAcrossReannounce(dir.path(), before, after);
        QString first, second;
        QCOMPARE(dataRows(QDir(dir.path()).filePath(QStringLiteral("nv1_live.csv")), &first), 8);
        QVERIFY2(first.contains(QStringLiteral("Position [µm]")), qPrintable(first));
        QCOMPARE(dataRows(QDir(dir.path()).filePath(QStringLiteral("nv1_live_2.csv")), &second), 8);
        QVERIFY2(second.contains(QStringLiteral("Voltage [V]")), qPrintable(second));
    }
};

QTEST_GUILESS_MAIN(TestRecorderReannounce)
#include "test_recorder_reannounce.moc"
