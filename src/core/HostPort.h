// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace bs {

/// A network endpoint parsed from a user-typed `host[:port]` address (see parseHostPort()).
struct HostPort
{
    enum class Kind { Name, IPv4, IPv6 };

    QString host; ///< without brackets; an IPv6 literal may carry a zone ("fe80::1%eth0")
    quint16 port = 0;
    Kind kind = Kind::Name;

    /// "host:port", the IPv6 literal in brackets ("[::1]:8888"): what messages show, and what
    /// parseHostPort() reads back to the same endpoint.
    QString toString() const;
    /// The same for another port of this host (e.g. a second data port).
    QString toString(quint16 otherPort) const;
};

/// Parses an address as a user types it or a session file stores it:
///
///   name, name:port, 192.0.2.7, 192.0.2.7:port, [IPv6], [IPv6]:port, [fe80::1%eth0]:port, and an
///   IPv6 literal without brackets (`::1`, `fe80::1%eth0`) when it cannot also be read as address
///   plus port: `::1:8888` or `2001:db8::7:23` are refused, asking for brackets (RFC 5952 §6).
///
/// A port is decimal, 1–65535; `defaultPort` is used when none is given. Surrounding white space is
/// ignored. Returns nullopt for anything else, with `error` saying what is wrong (without repeating
/// the whole address: callers prefix it with what the address is for).
/// Qt Core only: usable by every driver and by the session loader without a network stack.
std::optional<HostPort> parseHostPort(const QString &text, quint16 defaultPort, QString *error = nullptr);

/// Whether `text` is an IPv6 address in text form (RFC 4291 §2.2, optionally `%zone`), no brackets.
bool isIpv6Literal(const QString &text);
/// Whether `text` is a dotted-quad IPv4 address (four decimal parts 0–255).
bool isIpv4Literal(const QString &text);

} // namespace bs
