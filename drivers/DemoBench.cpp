// SPDX-License-Identifier: GPL-3.0-or-later
#include "DemoBench.h"

#include "m81/M81Simulator.h"
#include "moku/MokuSimulator.h"
#include "nv200/Nv200Simulator.h"
#include "panda/PandaSimulator.h"
#include "picoscope/PicoDriver.h"

#include <picosim/picosim.h>

#include <QJsonObject>
#include <QLibrary>

namespace bs {

DemoBench::DemoBench() = default;
DemoBench::~DemoBench() = default;

template<typename Sim>
Sim *DemoBench::launch(const QString &name, const typename Sim::Config &cfg, QString *error)
{
    auto thread = std::make_unique<SimulatorThread>(name, [cfg] { return new Sim(cfg); });
    bool ok = false;
    thread->call([&](QObject *o) { ok = static_cast<Sim *>(o)->start(error); });
    if (!ok)
        return nullptr;
    auto *sim = static_cast<Sim *>(thread->object());
    m_sims.push_back(std::move(thread));
    return sim; // ports are atomics, readable from this thread
}

bool DemoBench::start(QString *error)
{
    // PandABox: control and data port on ephemeral loopback ports.
    panda::PandaSimulator::Config pandaCfg;
    pandaCfg.controlPort = 0;
    pandaCfg.dataPort = 0;
    auto *panda = launch<panda::PandaSimulator>(QStringLiteral("sim-panda"), pandaCfg, error);
    if (!panda)
        return false;
    SessionInstrument p;
    p.id = QStringLiteral("panda1");
    p.type = QStringLiteral("panda");
    p.name = QStringLiteral("PandABox (simulated)");
    p.address = QStringLiteral("127.0.0.1:%1").arg(panda->controlPort());
    p.parameters = QJsonObject{{QStringLiteral("data_port"), int(panda->dataPort())},
                               {QStringLiteral("clock_period"), 1e-3}};
    m_session.instruments.append(p);

    // NV200: the Telnet side on an ephemeral loopback port.
    nv200::Nv200Simulator::Config nvCfg;
    nvCfg.port = 0;
    auto *nv = launch<nv200::Nv200Simulator>(QStringLiteral("sim-nv200"), nvCfg, error);
    if (!nv)
        return false;
    SessionInstrument n;
    n.id = QStringLiteral("nv200_1");
    n.type = QStringLiteral("nv200");
    n.name = QStringLiteral("NV200 piezo (simulated)");
    n.address = QStringLiteral("127.0.0.1:%1").arg(nv->port());
    m_session.instruments.append(n);

    // PicoScope: BenchScope's simulated libps5000a (a 5444D); the first unit found, so the address
    // stays empty. Streaming at 100 kS/s, so the strip chart shows it as a recorder would: the
    // signal generator (1 Hz sine) looped into A, a slow noisy triangle on B.
    const QString picoLibrary = picoscope::PicoDriver::simulatedLibraryPath(picoscope::Family::Ps5000a);
    // (Without the library the instrument itself reports it missing, naming the path.)
    QLibrary simLib(picoLibrary);
    if (auto configure = reinterpret_cast<picosimConfigure_t>(simLib.resolve("picosimConfigure")))
        configure("signal.A=siggen;signal.B=triangle,freq=0.25,amp=0.8,noise=0.01");
    SessionInstrument pico;
    pico.id = QStringLiteral("pico1");
    pico.type = QStringLiteral("picoscope");
    pico.name = QStringLiteral("PicoScope 5444D (simulated)");
    pico.parameters = QJsonObject{{QStringLiteral("library"), picoLibrary},
                                  {QStringLiteral("mode"), QStringLiteral("streaming")},
                                  {QStringLiteral("sample_interval"), 1e-5},
                                  {QStringLiteral("trigger"), QStringLiteral("none")},
                                  {QStringLiteral("siggen_enabled"), true},
                                  {QStringLiteral("siggen_frequency"), 1.0},
                                  {QStringLiteral("siggen_amplitude"), 1.6}};
    m_session.instruments.append(pico);

    // Lake Shore M81-SSM: SCPI on an ephemeral loopback port. S1 sends a 1 V, 1 kHz sine into the
    // sample; M1, a lock-in referenced to S1 (time constant 100 ms), streams X, Y, R and θ at 50 rows/s
    // (a line, not a band, over the 10 s span). The noise is raised so the traces visibly live.
    m81::M81Simulator::Config m81Cfg;
    m81Cfg.port = 0;
    m81Cfg.noiseFraction = 2e-3;
    auto *m81 = launch<m81::M81Simulator>(QStringLiteral("sim-m81"), m81Cfg, error);
    if (!m81)
        return false;
    SessionInstrument lockIn;
    lockIn.id = QStringLiteral("m81-1");
    lockIn.type = QStringLiteral("m81");
    lockIn.name = QStringLiteral("M81 lock-in (simulated)");
    lockIn.address = QStringLiteral("127.0.0.1:%1").arg(m81->port());
    lockIn.parameters = QJsonObject{{QStringLiteral("elements"), QStringLiteral("RTIMe,1,MX,1,MY,1,MR,1,MTHeta,1")},
                                    {QStringLiteral("rate"), 50},
                                    {QStringLiteral("s1_shape"), QStringLiteral("SINUSOID")},
                                    {QStringLiteral("s1_amplitude"), 1.0},
                                    {QStringLiteral("s1_frequency"), 1000.0},
                                    {QStringLiteral("s1_output"), true},
                                    {QStringLiteral("m1_mode"), QStringLiteral("LIA")},
                                    {QStringLiteral("m1_reference"), QStringLiteral("S1")},
                                    {QStringLiteral("m1_time_constant"), 0.1}};
    m_session.instruments.append(lockIn);

    // Liquid Instruments Moku:Go with the Datalogger: REST on an ephemeral loopback port, the
    // simulator serving the live stream itself (what `mokucli stream` would do) on a second one,
    // which the driver reads through its `bridge` setting. Output 1 drives a 0.5 Hz, 2 Vpp sine
    // into input 1 (a few periods over the 10 s span at 1 kSa/s); output 2 a slow 1 Vpp ramp
    // into input 2.
    moku::MokuSimulator::Config mokuCfg;
    mokuCfg.port = 0;
    mokuCfg.bridgePort = 0;
    mokuCfg.model = moku::Model::Go;
    mokuCfg.deployDelay = 0.3;
    mokuCfg.idleTimeout = 30; // a busy machine may open the stream late; the demo must not fail for it
    mokuCfg.noise = 5e-3;
    auto *mokuSim = launch<moku::MokuSimulator>(QStringLiteral("sim-moku"), mokuCfg, error);
    if (!mokuSim)
        return false;
    SessionInstrument mk;
    mk.id = QStringLiteral("moku-1");
    mk.type = QStringLiteral("moku");
    mk.name = QStringLiteral("Moku:Go (simulated)");
    mk.address = QStringLiteral("127.0.0.1:%1").arg(mokuSim->port());
    mk.parameters = QJsonObject{{QStringLiteral("bridge"), QStringLiteral("127.0.0.1:%1").arg(mokuSim->bridgePort())},
                                {QStringLiteral("rate"), 1000.0},
                                {QStringLiteral("out1_type"), QStringLiteral("Sine")},
                                {QStringLiteral("out1_frequency"), 0.5},
                                {QStringLiteral("out1_amplitude"), 2.0},
                                {QStringLiteral("out2_type"), QStringLiteral("Ramp")},
                                {QStringLiteral("out2_frequency"), 0.2},
                                {QStringLiteral("out2_amplitude"), 1.0}};
    m_session.instruments.append(mk);
    return true;
}

} // namespace bs
