// SPDX-License-Identifier: GPL-3.0-or-later
#include "DemoBench.h"

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
    return true;
}

} // namespace bs
