// SPDX-License-Identifier: GPL-3.0-or-later
#include "DemoBench.h"

#include "nv200/Nv200Simulator.h"
#include "panda/PandaSimulator.h"

#include <QJsonObject>

namespace bs {

DemoBench::DemoBench() = default;
DemoBench::~DemoBench() = default;

bool DemoBench::start(QString *error)
{
    // PandABox: control and data port on ephemeral loopback ports.
    panda::PandaSimulator::Config cfg;
    cfg.controlPort = 0;
    cfg.dataPort = 0;
    auto sim = std::make_unique<SimulatorThread>(QStringLiteral("sim-panda"),
                                                 [cfg] { return new panda::PandaSimulator(cfg); });
    bool ok = false;
    quint16 control = 0, data = 0;
    sim->call([&](QObject *o) {
        auto *p = static_cast<panda::PandaSimulator *>(o);
        ok = p->start(error);
        control = p->controlPort();
        data = p->dataPort();
    });
    if (!ok)
        return false;
    m_sims.push_back(std::move(sim));
    SessionInstrument panda;
    panda.id = QStringLiteral("panda1");
    panda.type = QStringLiteral("panda");
    panda.name = QStringLiteral("PandABox (simulated)");
    panda.address = QStringLiteral("127.0.0.1:%1").arg(control);
    panda.parameters = QJsonObject{{QStringLiteral("data_port"), int(data)}, {QStringLiteral("clock_period"), 1e-3}};
    m_session.instruments.append(panda);

    // NV200: the Telnet side on an ephemeral loopback port (the GUI can also reach it by pty).
    nv200::Nv200Simulator::Config nvCfg;
    nvCfg.port = 0;
    auto nvSim = std::make_unique<SimulatorThread>(QStringLiteral("sim-nv200"),
                                                   [nvCfg] { return new nv200::Nv200Simulator(nvCfg); });
    quint16 nvPort = 0;
    nvSim->call([&](QObject *o) {
        auto *p = static_cast<nv200::Nv200Simulator *>(o);
        ok = p->start(error);
        nvPort = p->port();
    });
    if (!ok)
        return false;
    m_sims.push_back(std::move(nvSim));
    SessionInstrument nv;
    nv.id = QStringLiteral("nv200_1");
    nv.type = QStringLiteral("nv200");
    nv.name = QStringLiteral("NV200 piezo (simulated)");
    nv.address = QStringLiteral("127.0.0.1:%1").arg(nvPort);
    m_session.instruments.append(nv);
    return true;
}

} // namespace bs
