// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the driver sends and how it reads what comes back, without I/O: URLs, the JSON bodies of
// each Datalogger operation (as the vendor's client sends them: every keyword, null for unset
// optionals, strict true), the read-back keys of each reply, describe's checks, mokucli's version.

#include "HostPort.h"
#include "MokuProtocolModels.h"
#include "ParameterSet.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QUrl>
#include <QVersionNumber>

#include <optional>

namespace bs::moku {

/// The single-instrument Datalogger operations live under this path (the vendor's client form).
inline const QString kDataloggerPath = QStringLiteral("slot1/datalogger/");

/// `http://host:port/api/<path>`; an IPv6 literal is bracketed (its zone kept).
QUrl apiUrl(const HostPort &endpoint, const QString &path);
/// The text of a minimal HTTP/1.1 POST with a JSON body (`Connection: close`).
QByteArray httpPostText(const HostPort &endpoint, const QString &path, const QString &key, const QByteArray &body);
/// The status code of an HTTP/1.x status line at the start of `head`; nullopt when incomplete.
std::optional<int> parseHttpStatus(const QByteArray &head);

/// The client key of a claim_ownership reply: the `Moku-Client-Key` header, else a non-empty
/// string in `data` (the C++ and Go examples read it there).
QString claimKey(const QByteArray &header, const QJsonValue &data);
QJsonObject claimBody(bool force);

/// describe's `proxy_version` read as the vendor's client does (int(): 2, "2", 2.0).
std::optional<int> proxyVersion(const QJsonValue &v);

/// The address mokucli is given: "host" on port 80, else "host:port" ("[v6]:port").
QString mokucliAddress(const HostPort &endpoint);
/// The first dotted version number in `mokucli --version`'s output ("4.0.1", "mokucli 4.0.3").
std::optional<QVersionNumber> parseMokucliVersion(const QString &output);
/// The oldest mokucli the stream bridge works with (the vendor client's COMPAT_MOKUCLI).
QVersionNumber minimumMokucliVersion();

/// The waveform generator settings of output n in `p`.
WaveformSettings waveformOf(const ParameterSet &p, int n);
/// The inputs on (`in<n>_enable`) among the model's inputs, ascending.
QList<int> enabledInputs(const ParameterSet &p, const ModelInfo &m);

QJsonObject enableBody(int n, bool enable);
QJsonObject frontendBody(const ModelInfo &m, const ParameterSet &p, int n);
QJsonObject waveformBody(int n, const WaveformSettings &w);
QJsonObject terminationBody(int n, const QString &termination);
QJsonObject channelBody(int n);
/// The longest start_streaming duration BenchScope asks for, in seconds (10 000 000 s, about
/// 115 days): what "until Stop" (`duration` 0) sends. The documentation gives the duration as an
/// integer number of seconds and no maximum (moku.md §5); the simulator takes up to this.
constexpr qint64 kLongestStreamS = 10'000'000;

/// start_streaming: no strict (the vendor's client sends none), trigger null for "None";
/// `duration` 0 (until Stop) sends `longest` seconds.
QJsonObject startStreamingBody(const ParameterSet &p, double rate, qint64 longest = kLongestStreamS);
QJsonObject startLoggingBody(const ParameterSet &p);

/// A read-back `data` value: the field itself when `data` is an object that has it, else `data`
/// when it is a plain value (U4: the shapes of the get_* replies are not documented).
QJsonValue field(const QJsonValue &data, const QString &name);

/// The setting keys a frontend / waveform reply fills in, with the value to store, for channel n.
QList<std::pair<QString, QVariant>> frontendReadBack(const ModelInfo &m, int n, const QJsonValue &data);
QList<std::pair<QString, QVariant>> waveformReadBack(int n, const QJsonValue &data);

/// The names of the files in a `GET /api/<target>/list` reply: an array of names, of objects with
/// a name, or an object whose keys or `files` are the names.
QStringList listedFiles(const QJsonValue &data);

} // namespace bs::moku
