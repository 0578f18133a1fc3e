// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Settings of the Lake Shore M81-SSM simulator (M81Simulator::Config). Every point the protocol
// notes mark unverified (docs/protocols/lakeshore-m81.md §11, U1…U14, and the bounded-stream
// choice of §13) has its default here and a switch, so that a driver can be tried against each
// reading of the manual.

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QStringList>

#include <array>

namespace bs::m81 {

struct M81SimulatorConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 7777;  // U1; 0 = ephemeral
    bool tcp = true;      // false: pty only
    bool pty = false;     // also open a pseudo-terminal (the USB virtual serial port)

    // Fitted modules, slots 1…3. An empty string leaves the slot empty: every SOURce<n>/SENSe<n>
    // command and every stream element addressing it is refused with -241 "Hardware missing".
    QStringList sourceModels { QStringLiteral("VS-10"), QStringLiteral("CS-10"), QStringLiteral("BCS-10") };
    QStringList measureModels { QStringLiteral("VM-10"), QStringLiteral("VM-10"), QStringLiteral("CM-10") };

    // The sample between source n and measure n: measure n sees gain × source n, shifted by
    // phaseDeg (a lock-in referenced to Sn reads R = gain·A/√2 at θ = phase − DPHase).
    std::array<double, 3> sampleGain { 0.5, 1000.0, 0.8 };
    std::array<double, 3> samplePhaseDeg { -12.0, 30.0, 75.0 };
    quint64 noiseSeed = 1;        // the noise is a function of (seed, element, module, update index)
    double noiseFraction = 1e-5;  // noise σ as a fraction of the measure range
    quint32 gpiStates = 0x5;      // what GPIStates reads (bit mask)

    // §11
    QByteArray idn = "LSCI,M81,SIM00001,2.1.0"; // U2
    bool emptyQueueWithCode = false;  // U3: `0,"No error"` instead of `No error`
    QByteArray errorSeparator = ",";  // U4: between items of SYSTem:ERRor:ALL?
    bool resetClearsSettings = false; // U5: TRACe:RESEt also clears elements, encoding and rate
    bool roundRate = false;           // U6: rates not dividing 5000 rounded to 5000/k (else exact)
    bool traceExtensions = true;      // U7: TRACe:RATE? and TRACe:STOP exist (false: -113)
    QHash<QByteArray, char> structCodes; // U8: long form ("MX") -> struct code, overriding §7
    bool partialRows = false;         // U9: DATA:ALL? holds back the second half of its last row
    int bufferBytes = 16384;          // U10: capture buffer (whole rows)
    bool checkInstrumentIndex = false; // U11: RTIMe/GPIStates/GPOStates index must be 1
    bool headerWithUnits = false;     // U12: HEADer? "RTIMe (s),MX1 (V)" instead of "RTIMe,1,MX,1"
    bool genericErrorCodes = false;   // U13: every error is -100 "Command error"
    bool repeatLastRow = false;       // U14: DATA:ALL? starts with the last row of its previous reply
    bool bformatQuoted = true;        // §5: BFORmat? in double quotes (false: bare, as a test feeds)

    /// §13: a bounded stream (STARt n) whose buffer overflowed either goes on until n rows were
    /// delivered into the buffer (what the vendor client needs to end), or stops after n rows
    /// were generated, dropped ones included.
    enum class BoundedStream { DeliverN, GenerateN };
    BoundedStream boundedStream = BoundedStream::DeliverN;

    /// §6.3: BCOunt? 9, BFORmat? "?d" (StreamData) or bare ?d (GetData), and the first
    /// DATA:ALL? after STARt answers the test vector's fixed 27 bytes, later ones an empty line.
    enum class Fixture { None, StreamData, GetData };
    Fixture fixture = Fixture::None;
};

} // namespace bs::m81
