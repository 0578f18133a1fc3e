// SPDX-License-Identifier: GPL-3.0-or-later
#include "ParameterSet.h"

#include <QJsonObject>
#include <QtTest>

using namespace bs;

class TestParameterSet : public QObject
{
    Q_OBJECT

    ParameterSet make()
    {
        ParameterSet p;
        p.addBool(QStringLiteral("on"), QStringLiteral("On"), true, QStringLiteral("A"));
        p.addInt(QStringLiteral("n"), QStringLiteral("N"), 5, 1, 10, QStringLiteral("A"));
        p.addDouble(QStringLiteral("rate"), QStringLiteral("Rate"), 1e3, 1, 1e6, QStringLiteral("B"), QStringLiteral("Hz"));
        p.addString(QStringLiteral("name"), QStringLiteral("Name"), QStringLiteral("x"), QStringLiteral("B"));
        p.addEnum(QStringLiteral("mode"), QStringLiteral("Mode"), {QStringLiteral("Raw"), QStringLiteral("Scaled")},
                  QStringLiteral("Scaled"), QStringLiteral("B"));
        auto &ro = p.addString(QStringLiteral("idn"), QStringLiteral("Identity"), {}, QStringLiteral("C"));
        ro.readOnly = true;
        return p;
    }

private Q_SLOTS:
    void defaults()
    {
        const ParameterSet p = make();
        QCOMPARE(p.boolValue(QStringLiteral("on")), true);
        QCOMPARE(p.intValue(QStringLiteral("n")), 5);
        QCOMPARE(p.doubleValue(QStringLiteral("rate")), 1e3);
        QCOMPARE(p.stringValue(QStringLiteral("mode")), QStringLiteral("Scaled"));
        QCOMPARE(p.groups(), (QStringList{QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")}));
    }

    void setValidates()
    {
        ParameterSet p = make();
        QCOMPARE(p.set(QStringLiteral("n"), 11), QStringLiteral("N: 11 is outside 1 … 10"));
        QVERIFY(p.set(QStringLiteral("n"), 2.5).contains(QStringLiteral("whole number")));
        QCOMPARE(p.intValue(QStringLiteral("n")), 5);
        QVERIFY(p.set(QStringLiteral("n"), QStringLiteral("7")).isEmpty());
        QCOMPARE(p.intValue(QStringLiteral("n")), 7);
        QVERIFY(p.set(QStringLiteral("rate"), 0.5).contains(QStringLiteral("Rate: 500 mHz is outside 1 Hz … 1 MHz")));
        QVERIFY(p.set(QStringLiteral("mode"), QStringLiteral("Bogus")).contains(QStringLiteral("Raw, Scaled")));
        QVERIFY(p.set(QStringLiteral("idn"), QStringLiteral("x")).contains(QStringLiteral("read-only")));
        QVERIFY(p.set(QStringLiteral("idn"), QStringLiteral("x"), true).isEmpty());
        QVERIFY(p.set(QStringLiteral("nope"), 1).contains(QStringLiteral("unknown")));
        QVERIFY(p.setFromString(QStringLiteral("on"), QStringLiteral("off")).isEmpty());
        QCOMPARE(p.boolValue(QStringLiteral("on")), false);
        QVERIFY(!p.setFromString(QStringLiteral("on"), QStringLiteral("maybe")).isEmpty());
        QVERIFY(!p.set(QStringLiteral("rate"), QStringLiteral("nan")).isEmpty());
    }

    // A table parameter (the M81's stream elements): rows of choices, normalised, bounded.
    void tableParameter()
    {
        ParameterSet p;
        ParameterSpec &t = p.addString(QStringLiteral("elements"), QStringLiteral("Elements"),
            QStringLiteral("MX,1"), QStringLiteral("Stream"));
        t.tableColumns = { QStringLiteral("Element"), QStringLiteral("Module") };
        t.tableChoices = { { QStringLiteral("MX"), QStringLiteral("RTIMe") },
            { QStringLiteral("1"), QStringLiteral("2") } };
        t.tableMinRows = 1;
        t.tableMaxRows = 2;
        QVERIFY(t.isTable());
        QVERIFY(p.set(QStringLiteral("elements"), QStringLiteral("rtime, 1,mx,2")).isEmpty());
        QCOMPARE(p.stringValue(QStringLiteral("elements")), QStringLiteral("RTIMe,1,MX,2"));
        QCOMPARE(p.spec(QStringLiteral("elements"))->tableRows(p.stringValue(QStringLiteral("elements"))),
            (QVector<QStringList> { { QStringLiteral("RTIMe"), QStringLiteral("1") },
                { QStringLiteral("MX"), QStringLiteral("2") } }));
        QCOMPARE(p.set(QStringLiteral("elements"), QStringLiteral("MX,1,MX,2,MX,1")),
            QStringLiteral("Elements: at most 2 rows, got 3"));
        QCOMPARE(p.set(QStringLiteral("elements"), QStringLiteral("MX,1,MY")),
            QStringLiteral("Elements: 'MX,1,MY' is not a list of Element, Module (2 items a row)"));
        QCOMPARE(p.set(QStringLiteral("elements"), QStringLiteral("MX,3")),
            QStringLiteral("Elements: row 1: Module '3' is not one of: 1, 2"));
        QCOMPARE(p.set(QStringLiteral("elements"), QString()), QStringLiteral("Elements: needs at least one row"));
        QCOMPARE(p.stringValue(QStringLiteral("elements")), QStringLiteral("RTIMe,1,MX,2"));
    }

    // Issue 10 (11): a refusal in the user's words — the label, the unit, engineering notation,
    // a true minus sign and grouped digits — not "clock_period: -0.005 is out of range [1e-07, 10000]".
    void messagesInTheUsersWords()
    {
        ParameterSet p;
        p.addDouble(QStringLiteral("clock_period"), QStringLiteral("CLOCK1 period"), 1e-3, 1e-7, 1e4,
                    QStringLiteral("Trigger"), QStringLiteral("s"));
        p.addInt(QStringLiteral("rows"), QStringLiteral("Rows per capture"), 0, 0, qint64(1) << 50,
                 QStringLiteral("Trigger"));
        QCOMPARE(p.set(QStringLiteral("clock_period"), -0.005),
                 QStringLiteral("CLOCK1 period: −5 ms is outside 100 ns … 10 000 s"));
        QCOMPARE(p.set(QStringLiteral("clock_period"), QStringLiteral("abc")),
                 QStringLiteral("CLOCK1 period: 'abc' is not a number"));
        QCOMPARE(p.set(QStringLiteral("rows"), -1),
                 QStringLiteral("Rows per capture: −1 is outside 0 … 1 125 899 906 842 624"));
        QCOMPARE(p.spec(QStringLiteral("rows"))->rangeText(), QStringLiteral("0 … 1 125 899 906 842 624"));
        // Typed the way the panel shows numbers ("1 ms"), as on the command line.
        QVERIFY(p.setFromString(QStringLiteral("clock_period"), QStringLiteral("2 ms")).isEmpty());
        QCOMPARE(p.doubleValue(QStringLiteral("clock_period")), 2e-3);
        // By key (`--set`, session files): the key is named too.
        QCOMPARE(p.setFromString(QStringLiteral("clock_period"), QStringLiteral("-5e-3")),
                 QStringLiteral("clock_period (CLOCK1 period): −5 ms is outside 100 ns … 10 000 s"));
        QCOMPARE(p.applyJson(QJsonObject{{QStringLiteral("clock_period"), -0.005}}, QStringLiteral("instruments[0].parameters")),
                 QStringLiteral("instruments[0].parameters.clock_period: −5 ms is outside 100 ns … 10 000 s"));
    }

    void jsonRoundTrip()
    {
        ParameterSet p = make();
        QVERIFY(p.set(QStringLiteral("rate"), 12345.678).isEmpty());
        QVERIFY(p.set(QStringLiteral("mode"), QStringLiteral("Raw")).isEmpty());
        const QJsonObject j = p.toJson();
        QVERIFY(!j.contains(QStringLiteral("idn")));
        ParameterSet q = make();
        QVERIFY(q.applyJson(j).isEmpty());
        for (const auto &s : p.specs())
            QCOMPARE(q.value(s.key), p.value(s.key));
    }

    void relevanceFollowsTheChain()
    {
        ParameterSet p;
        p.addString(QStringLiteral("model"), QStringLiteral("Model"), QStringLiteral("Go"), QStringLiteral("Device"));
        p.addEnum(QStringLiteral("out3"), QStringLiteral("Output 3"), {QStringLiteral("Off"), QStringLiteral("Square")},
                  QStringLiteral("Square"), QStringLiteral("Outputs"))
            .onlyWhen(QStringLiteral("model"), {QStringLiteral("Pro")});
        p.addDouble(QStringLiteral("duty"), QStringLiteral("Duty"), 50, 0, 100, QStringLiteral("Outputs"))
            .onlyWhen(QStringLiteral("out3"), {QStringLiteral("Square")});
        // out3 is Square, but output 3 does not exist on this model: its duty does not matter.
        QVERIFY(!p.isRelevant(QStringLiteral("out3")));
        QVERIFY(!p.isRelevant(QStringLiteral("duty")));
        QCOMPARE(p.irrelevantBecause(QStringLiteral("duty")), QStringLiteral("model")); // the one that decides
        QVERIFY(p.set(QStringLiteral("model"), QStringLiteral("Pro")).isEmpty());
        QVERIFY(p.isRelevant(QStringLiteral("duty")));
        QVERIFY(p.set(QStringLiteral("out3"), QStringLiteral("Off")).isEmpty());
        QVERIFY(!p.isRelevant(QStringLiteral("duty")));
    }

    // Choices with labels (a device's words "1MOhm", shown "1 MΩ") and choice lists that depend on
    // another setting (what the connected model offers).
    void choiceLabelsAndDependentChoices()
    {
        ParameterSet p;
        auto &model = p.addString(QStringLiteral("model"), QStringLiteral("Model"), {}, QStringLiteral("Device"));
        model.readOnly = true;
        p.addEnum(QStringLiteral("imp"), QStringLiteral("Impedance"), {QStringLiteral("1MOhm"), QStringLiteral("50Ohm")},
                  QStringLiteral("1MOhm"), QStringLiteral("Input"))
            .withLabels({QStringLiteral("1 MΩ"), QStringLiteral("50 Ω")})
            .choicesDependOn(QStringLiteral("model"), {{QStringLiteral("Go"), {QStringLiteral("1MOhm")}},
                                                       {QStringLiteral("Lab"), {QStringLiteral("50Ohm"), QStringLiteral("1MOhm")}}});
        const ParameterSpec &s = *p.spec(QStringLiteral("imp"));
        QCOMPARE(s.choiceLabel(QStringLiteral("50Ohm")), QStringLiteral("50 Ω"));
        QCOMPARE(s.choiceLabel(QStringLiteral("other")), QStringLiteral("other"));
        QCOMPARE(s.choiceList(), QStringLiteral("1 MΩ, 50 Ω"));
        // A refusal shows the labels; a label typed (any case, with or without spaces) is the value.
        QCOMPARE(p.set(QStringLiteral("imp"), QStringLiteral("5Ohm")),
                 QStringLiteral("Impedance: '5Ohm' is not one of: 1 MΩ, 50 Ω"));
        QVERIFY(p.setFromString(QStringLiteral("imp"), QStringLiteral("50 ω")).isEmpty());
        QCOMPARE(p.stringValue(QStringLiteral("imp")), QStringLiteral("50Ohm"));
        QVERIFY(p.set(QStringLiteral("imp"), QStringLiteral("1MΩ")).isEmpty());
        QCOMPARE(p.stringValue(QStringLiteral("imp")), QStringLiteral("1MOhm"));
        // The file keeps the device's word, and takes a label too.
        QCOMPARE(p.toJson().value(QStringLiteral("imp")).toString(), QStringLiteral("1MOhm"));
        QVERIFY(p.applyJson({{QStringLiteral("imp"), QStringLiteral("50 Ω")}}).isEmpty());
        QCOMPARE(p.stringValue(QStringLiteral("imp")), QStringLiteral("50Ohm"));

        // Before the model is known every value is offered; then what the model takes, in the
        // spec's order; a model the table does not list offers everything.
        QCOMPARE(p.choices(QStringLiteral("imp")), (QStringList{QStringLiteral("1MOhm"), QStringLiteral("50Ohm")}));
        QVERIFY(p.checkChoice(QStringLiteral("imp"), QStringLiteral("50Ohm")).isEmpty());
        QVERIFY(p.set(QStringLiteral("model"), QStringLiteral("Go"), true).isEmpty());
        QCOMPARE(p.choices(QStringLiteral("imp")), QStringList{QStringLiteral("1MOhm")});
        QCOMPARE(p.checkChoice(QStringLiteral("imp"), QStringLiteral("50Ohm")),
                 QStringLiteral("Impedance: 50 Ω is not available with Model Go (choose 1 MΩ)"));
        QVERIFY(p.checkChoice(QStringLiteral("imp"), QStringLiteral("1MOhm")).isEmpty());
        QVERIFY(p.set(QStringLiteral("model"), QStringLiteral("Lab"), true).isEmpty());
        QCOMPARE(p.choices(QStringLiteral("imp")), (QStringList{QStringLiteral("1MOhm"), QStringLiteral("50Ohm")}));
        QVERIFY(p.set(QStringLiteral("model"), QStringLiteral("Pro"), true).isEmpty());
        QCOMPARE(p.choices(QStringLiteral("imp")).size(), 2);
        QVERIFY(p.choices(QStringLiteral("model")).isEmpty()); // not a choice
    }

    void applyJsonIsAllOrNothing()
    {
        ParameterSet p = make();
        const QJsonObject bad{{QStringLiteral("n"), 3}, {QStringLiteral("rate"), 1e9}};
        const QString err = p.applyJson(bad, QStringLiteral("instruments[0].parameters"));
        QVERIFY2(err.startsWith(QStringLiteral("instruments[0].parameters.rate")), qPrintable(err));
        QCOMPARE(p.intValue(QStringLiteral("n")), 5);
        QVERIFY(p.applyJson({{QStringLiteral("n"), QStringLiteral("3")}}).contains(QStringLiteral("n")));
        QVERIFY(p.applyJson({{QStringLiteral("on"), 1}}).contains(QStringLiteral("on")));
        QVERIFY(p.applyJson({{QStringLiteral("zzz"), 1}}).contains(QStringLiteral("zzz")));
    }
};

QTEST_GUILESS_MAIN(TestParameterSet)
#include "test_parameter_set.moc"
