// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"

#include <functional>
#include <memory>

namespace bs {

/// What the application knows about one driver type before creating an instance.
struct DriverInfo
{
    QString type;            ///< "panda", "nv200", ... (session files store this)
    QString displayName;     ///< "PandABox (PandABlocks)"
    QString defaultAddress;  ///< shown in the Add Instrument dialog
    QString addressHelp;     ///< e.g. "host[:control_port], default port 8888"
    std::function<std::unique_ptr<Instrument>()> create;
    /// Addresses worth offering right now (e.g. the serial ports present); may be empty.
    std::function<QStringList()> addressSuggestions;
    /// Shown in an empty address field; defaultAddress when empty (e.g. "first unit found").
    QString addressPlaceholder;
};

/// The list of driver types. Drivers are added with one line each in drivers/registry.cpp.
class DriverRegistry
{
public:
    static DriverRegistry &instance();

    void add(const DriverInfo &info);
    const DriverInfo *find(const QString &type) const;
    QVector<DriverInfo> all() const { return m_drivers; }
    QStringList types() const;

    /// Creates a driver of `type` with the given id (nullptr and an error for an unknown type).
    std::unique_ptr<Instrument> create(const QString &type, const QString &id, QString *error = nullptr) const;

private:
    QVector<DriverInfo> m_drivers;
};

} // namespace bs
