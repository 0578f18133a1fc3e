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
    QString shortName;       ///< "PandABox": new instruments are named "PandABox 1" (default: the type)
    QString defaultAddress;  ///< shown in the Add Instrument dialog
    QString addressHelp;     ///< e.g. "host[:control_port], default port 8888"
    std::function<std::unique_ptr<Instrument>()> create;
    /// Addresses worth offering right now (e.g. the serial ports present); may be empty.
    std::function<QStringList()> addressSuggestions;
    /// Shown in an empty address field; defaultAddress when empty (e.g. "first unit found").
    QString addressPlaceholder;
    /// Parameter groups the panel shows folded at first (rarely needed, e.g. an on-device log):
    /// the panel stays short; a click on the title opens one.
    QStringList collapsedGroups;
    /// The address kinds the driver accepts, checked without connecting (session loading, the Add
    /// Instrument dialog, `benchscope-rec --address`): returns an empty string for an address the
    /// driver can use, else what is wrong with it. Empty function: any text (e.g. a serial number).
    /// Network drivers use parseHostPort() (HostPort.h).
    std::function<QString(const QString &address)> checkAddress;
    /// What the driver will connect to for a usable `address`, in words for the Add Instrument
    /// dialog (e.g. a PandA's "control port 9000, data port 9001 (control port + 1)"). Optional.
    std::function<QString(const QString &address)> describeAddress;
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

    /// What is wrong with `address` for a driver of `type` (empty: usable, or no check declared).
    /// An empty address stands for the driver's default address and is always accepted.
    QString checkAddress(const QString &type, const QString &address) const;

    /// Creates a driver of `type` with the given id (nullptr and an error for an unknown type).
    std::unique_ptr<Instrument> create(const QString &type, const QString &id, QString *error = nullptr) const;

private:
    QVector<DriverInfo> m_drivers;
};

} // namespace bs
