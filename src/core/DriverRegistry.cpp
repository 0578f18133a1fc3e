// SPDX-License-Identifier: GPL-3.0-or-later
#include "DriverRegistry.h"

#include <QCoreApplication>

namespace bs {

DriverRegistry &DriverRegistry::instance()
{
    static DriverRegistry registry;
    return registry;
}

void DriverRegistry::add(const DriverInfo &info)
{
    for (auto &d : m_drivers) {
        if (d.type == info.type) {
            d = info;
            return;
        }
    }
    m_drivers.append(info);
}

const DriverInfo *DriverRegistry::find(const QString &type) const
{
    for (const auto &d : m_drivers)
        if (d.type == type)
            return &d;
    return nullptr;
}

QStringList DriverRegistry::types() const
{
    QStringList t;
    for (const auto &d : m_drivers)
        t.append(d.type);
    return t;
}

QString DriverRegistry::checkAddress(const QString &type, const QString &address) const
{
    const DriverInfo *info = find(type);
    if (!info || !info->checkAddress || address.isEmpty())
        return {};
    return info->checkAddress(address);
}

std::unique_ptr<Instrument> DriverRegistry::create(const QString &type, const QString &id, QString *error) const
{
    const DriverInfo *info = find(type);
    if (!info) {
        if (error)
            *error = QCoreApplication::translate("DriverRegistry", "unknown instrument type '%1' (known: %2)")
                         .arg(type, types().join(QStringLiteral(", ")));
        return nullptr;
    }
    auto inst = info->create();
    inst->setId(id);
    inst->setAddress(info->defaultAddress);
    return inst;
}

} // namespace bs
