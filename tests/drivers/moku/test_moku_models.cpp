// SPDX-License-Identifier: GPL-3.0-or-later
// The model table of docs/protocols/moku.md §8 and the driver's parameter declaration.
#include "MokuDriverParameters.h"
#include "MokuProtocolModels.h"

#include <QtTest>

using namespace bs;
using namespace bs::moku;

class TestMokuModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsModelsByAnyName()
    {
        QCOMPARE(findModel(QStringLiteral("Moku:Go"))->model, Model::Go);
        QCOMPARE(findModel(QStringLiteral("mokupro"))->model, Model::Pro);
        QCOMPARE(findModel(QStringLiteral("DELTA"))->model, Model::Delta);
        QCOMPARE(findModel(QStringLiteral("lab"))->inputs, 2);
        QVERIFY(!findModel(QStringLiteral("Moku:Mini")));
        QVERIFY(!findModel(QString()));
    }

    void frontendFollowsTheModel()
    {
        const ModelInfo &go = modelInfo(Model::Go);
        QVERIFY(checkFrontend(go, 1, QStringLiteral("1MOhm"), QStringLiteral("DC"), QStringLiteral("10Vpp")).isEmpty());
        const QString r = checkFrontend(go, 1, QStringLiteral("1MOhm"), QStringLiteral("DC"), QStringLiteral("4Vpp"));
        // In a technician's words: "Moku:Go inputs have no 4 Vpp range (10 Vpp or 50 Vpp)".
        QVERIFY2(r.contains(QStringLiteral("no 4 Vpp range")) && r.contains(QStringLiteral("10 Vpp or 50 Vpp")), qPrintable(r));
        const QString z = checkFrontend(go, 1, QStringLiteral("50Ohm"), QStringLiteral("DC"), QStringLiteral("10Vpp"));
        QCOMPARE(z, QStringLiteral("Moku:Go inputs have no 50 Ω impedance (1 MΩ only)"));
        QVERIFY(checkFrontend(go, 3, QStringLiteral("1MOhm"), QStringLiteral("DC"), QStringLiteral("10Vpp"))
                    .contains(QStringLiteral("input 3")));
        const ModelInfo &pro = modelInfo(Model::Pro);
        QVERIFY(checkFrontend(pro, 4, QStringLiteral("50Ohm"), QStringLiteral("AC"), QStringLiteral("400mVpp"),
                              QStringLiteral("600MHz"))
                    .isEmpty());
        QVERIFY(!checkFrontend(go, 1, QStringLiteral("1MOhm"), QStringLiteral("DC"), QStringLiteral("10Vpp"),
                               QStringLiteral("300MHz"))
                     .isEmpty());
        QCOMPARE(reportedBandwidth(modelInfo(Model::Delta), QStringLiteral("50Ohm"), {}), QStringLiteral("2GHz"));
        QCOMPARE(reportedBandwidth(go, QStringLiteral("1MOhm"), {}), QString());
    }

    void choiceLabels()
    {
        QCOMPARE(choiceLabel(QStringLiteral("1MOhm")), QStringLiteral("1 MΩ"));
        QCOMPARE(choiceLabel(QStringLiteral("50Ohm")), QStringLiteral("50 Ω"));
        QCOMPARE(choiceLabel(QStringLiteral("HiZ")), QStringLiteral("High-Z"));
        QCOMPARE(choiceLabel(QStringLiteral("10Vpp")), QStringLiteral("10 Vpp"));
        QCOMPARE(choiceLabel(QStringLiteral("100mVpp")), QStringLiteral("100 mVpp"));
        QCOMPARE(choiceLabel(QStringLiteral("300MHz")), QStringLiteral("300 MHz"));
        QCOMPARE(choiceLabel(QStringLiteral("2GHz")), QStringLiteral("2 GHz"));
        QCOMPARE(choiceLabel(QStringLiteral("PeakDetect")), QStringLiteral("Peak detect"));
        QCOMPARE(choiceLabel(QStringLiteral("Input2")), QStringLiteral("Input 2"));
        QCOMPARE(choiceLabel(QStringLiteral("DC")), QStringLiteral("DC"));
        QCOMPARE(choiceText({QStringLiteral("1MOhm")}), QStringLiteral("1 MΩ only"));
        QCOMPARE(choiceText({QStringLiteral("1Vpp"), QStringLiteral("10Vpp")}), QStringLiteral("1 Vpp or 10 Vpp"));
        QCOMPARE(checkMode(modelInfo(Model::Lab), QStringLiteral("PeakDetect")),
                 QStringLiteral("Moku:Lab has no Peak detect acquisition mode (Normal or Precision)"));
    }

    void sampleRateLimits()
    {
        const ModelInfo &pro = modelInfo(Model::Pro);
        QVERIFY(checkSampleRate(pro, 10e6, 1, false).isEmpty());
        QVERIFY(!checkSampleRate(pro, 10e6, 2, false).isEmpty());
        QVERIFY(checkSampleRate(pro, 5e6, 2, false).isEmpty());
        QVERIFY(!checkSampleRate(pro, 5e6, 3, false).isEmpty());
        QVERIFY(checkSampleRate(pro, 1.25e6, 4, true).isEmpty());
        const ModelInfo &lab = modelInfo(Model::Lab);
        QVERIFY(!checkSampleRate(lab, 1e6, 1, false).isEmpty());
        QVERIFY(checkSampleRate(lab, 1e6, 1, true).isEmpty());
        QVERIFY(!checkSampleRate(modelInfo(Model::Go), 5, 1, false).isEmpty());
        QVERIFY(!checkSampleRate(modelInfo(Model::Go), qQNaN(), 1, false).isEmpty());
    }

    void waveformLimits()
    {
        const ModelInfo &pro = modelInfo(Model::Pro);
        WaveformSettings w;
        w.type = QStringLiteral("Sine");
        w.amplitude = 5;
        w.frequency = 1e5;
        QVERIFY(checkWaveform(pro, 1, w).isEmpty());
        w.frequency = 2e6; // ±1 V above 1 MHz
        QVERIFY(checkWaveform(pro, 1, w).contains(QStringLiteral("amplitude")));
        w.type = QStringLiteral("Pulse");
        w.amplitude = 1;
        w.frequency = 1e3;
        w.edgeTime = 1e-9; // Pro: 2 ns minimum
        w.pulseWidth = 1e-4;
        QVERIFY(checkWaveform(pro, 1, w).contains(QStringLiteral("edge")));
        QVERIFY(!checkWaveform(modelInfo(Model::Go), 3, w).isEmpty());
        QVERIFY(!checkTermination(modelInfo(Model::Go), 1, QStringLiteral("50Ohm")).isEmpty());
        QVERIFY(checkTermination(modelInfo(Model::Lab), 2, QStringLiteral("50Ohm")).isEmpty());
        QVERIFY(checkTrigger(modelInfo(Model::Go), QStringLiteral("Input2"), 0.5).isEmpty());
        QVERIFY(!checkTrigger(modelInfo(Model::Go), QStringLiteral("External"), 0.5).isEmpty());
        QVERIFY(!checkTrigger(pro, QStringLiteral("External"), 6).isEmpty());
    }

    void parametersShowWhatTheModelHas()
    {
        ParameterSet p;
        QVector<ActionSpec> actions;
        addParameters(p, actions);
        QVERIFY(!p.isRelevant(QStringLiteral("in3_enable")));
        QVERIFY(!p.isRelevant(QStringLiteral("in3_range"))); // through in3_enable
        QVERIFY(p.set(QStringLiteral("model"), QStringLiteral("Moku:Pro"), true).isEmpty());
        QVERIFY(p.isRelevant(QStringLiteral("in3_enable")));
        QVERIFY(!p.isRelevant(QStringLiteral("in3_range"))); // off by default
        QVERIFY(p.isRelevant(QStringLiteral("in1_bandwidth")));
        QVERIFY(!p.isRelevant(QStringLiteral("in5_bandwidth"))); // a Moku:Pro has no input 5
        QVERIFY(!p.isRelevant(QStringLiteral("out5_termination")));
        QVERIFY(!p.isRelevant(QStringLiteral("out5_type")));
        QVERIFY(p.set(QStringLiteral("out2_type"), QStringLiteral("Square")).isEmpty());
        QVERIFY(p.isRelevant(QStringLiteral("out2_duty")));
        QVERIFY(!p.isRelevant(QStringLiteral("out2_symmetry")));
        QString field;
        bool output = false;
        QCOMPARE(channelOfKey(QStringLiteral("out7_pulse_width"), &field, &output), 7);
        QCOMPARE(field, QStringLiteral("pulse_width"));
        QVERIFY(output);
        QCOMPARE(channelOfKey(QStringLiteral("rate")), 0);
        QVERIFY(!actions.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMokuModels)
#include "test_moku_models.moc"
