// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuDriverRequests.h"

#include "MokuProtocolEnvelope.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace bs::moku {

namespace {

QString key(const char *prefix, int n, const char *field)
{
    return QStringLiteral("%1%2_%3").arg(QLatin1String(prefix)).arg(n).arg(QLatin1String(field));
}

QJsonValue orNull(bool present, const QJsonValue &v)
{
    return present ? v : QJsonValue(QJsonValue::Null);
}

} // namespace

QUrl apiUrl(const HostPort &endpoint, const QString &path)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(endpoint.host);
    url.setPort(endpoint.port);
    url.setPath(QStringLiteral("/api/") + path);
    if (!url.isValid() && endpoint.kind == HostPort::Kind::IPv6) {
        // A zone id ("fe80::1%eth0") is written %25-escaped inside the brackets (RFC 6874).
        QString host = endpoint.host;
        host.replace(QLatin1Char('%'), QStringLiteral("%25"));
        url = QUrl(QStringLiteral("http://[%1]:%2/api/%3").arg(host).arg(endpoint.port).arg(path));
    }
    return url;
}

QByteArray httpPostText(const HostPort &endpoint, const QString &path, const QString &key, const QByteArray &body)
{
    QByteArray t = "POST /api/" + path.toUtf8() + " HTTP/1.1\r\n";
    t += "Host: " + endpoint.toString().toUtf8() + "\r\n";
    if (!key.isEmpty())
        t += "Moku-Client-Key: " + key.toUtf8() + "\r\n";
    t += "Content-Type: application/json\r\n";
    t += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    t += "Connection: close\r\n\r\n";
    t += body;
    return t;
}

std::optional<int> parseHttpStatus(const QByteArray &head)
{
    const qsizetype eol = head.indexOf('\n');
    if (eol < 0)
        return std::nullopt;
    static const QRegularExpression re(QStringLiteral("^HTTP/1\\.[01] (\\d{3})"));
    const auto m = re.match(QString::fromLatin1(head.left(eol)));
    if (!m.hasMatch())
        return 0;
    return m.captured(1).toInt();
}

QString claimKey(const QByteArray &header, const QJsonValue &data)
{
    const QString h = QString::fromLatin1(header).trimmed();
    if (!h.isEmpty())
        return h;
    if (data.isString() && !data.toString().trimmed().isEmpty())
        return data.toString().trimmed();
    return {};
}

QJsonObject claimBody(bool force)
{
    return {{QStringLiteral("force_connect"), force},
            {QStringLiteral("ignore_busy"), false},
            {QStringLiteral("persist_state"), false}};
}

std::optional<int> proxyVersion(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::isfinite(d))
            return int(d);
        return std::nullopt;
    }
    if (v.isString()) {
        bool ok = false;
        const int i = v.toString().trimmed().toInt(&ok);
        if (ok)
            return i;
    }
    return std::nullopt;
}

QString mokucliAddress(const HostPort &endpoint)
{
    if (endpoint.port == 80)
        return endpoint.host;
    return endpoint.toString();
}

std::optional<QVersionNumber> parseMokucliVersion(const QString &output)
{
    static const QRegularExpression re(QStringLiteral("(\\d+)\\.(\\d+)(?:\\.(\\d+))?"));
    const auto m = re.match(output);
    if (!m.hasMatch())
        return std::nullopt;
    return QVersionNumber(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
}

QVersionNumber minimumMokucliVersion()
{
    return QVersionNumber(4, 0, 1);
}

WaveformSettings waveformOf(const ParameterSet &p, int n)
{
    WaveformSettings w;
    w.type = p.stringValue(key("out", n, "type"));
    w.amplitude = p.doubleValue(key("out", n, "amplitude"));
    w.frequency = p.doubleValue(key("out", n, "frequency"));
    w.offset = p.doubleValue(key("out", n, "offset"));
    w.phase = p.doubleValue(key("out", n, "phase"));
    w.duty = p.doubleValue(key("out", n, "duty"));
    w.symmetry = p.doubleValue(key("out", n, "symmetry"));
    w.dcLevel = p.doubleValue(key("out", n, "dc_level"));
    w.edgeTime = p.doubleValue(key("out", n, "edge_time"));
    w.pulseWidth = p.doubleValue(key("out", n, "pulse_width"));
    return w;
}

QList<int> enabledInputs(const ParameterSet &p, const ModelInfo &m)
{
    QList<int> on;
    for (int n = 1; n <= m.inputs; ++n)
        if (p.boolValue(key("in", n, "enable")))
            on << n;
    return on;
}

QJsonObject enableBody(int n, bool enable)
{
    return {{QStringLiteral("strict"), true}, {QStringLiteral("channel"), n}, {QStringLiteral("enable"), enable}};
}

QJsonObject frontendBody(const ModelInfo &m, const ParameterSet &p, int n)
{
    QJsonObject o{{QStringLiteral("strict"), true},
                  {QStringLiteral("channel"), n},
                  {QStringLiteral("impedance"), p.stringValue(key("in", n, "impedance"))},
                  {QStringLiteral("coupling"), p.stringValue(key("in", n, "coupling"))},
                  {QStringLiteral("range"), p.stringValue(key("in", n, "range"))}};
    if (!m.bandwidths.isEmpty())
        o.insert(QStringLiteral("bandwidth"), p.stringValue(key("in", n, "bandwidth")));
    return o;
}

QJsonObject waveformBody(int n, const WaveformSettings &w)
{
    const QString &t = w.type;
    const bool periodic = t == QLatin1String("Sine") || t == QLatin1String("Square") || t == QLatin1String("Ramp")
        || t == QLatin1String("Pulse");
    const bool noise = t == QLatin1String("Noise");
    return {{QStringLiteral("strict"), true},
            {QStringLiteral("channel"), n},
            {QStringLiteral("type"), t},
            {QStringLiteral("amplitude"), orNull(periodic || noise, w.amplitude)},
            {QStringLiteral("frequency"), orNull(periodic, w.frequency)},
            {QStringLiteral("offset"), orNull(periodic || noise, w.offset)},
            {QStringLiteral("phase"), orNull(periodic, w.phase)},
            {QStringLiteral("duty"), orNull(t == QLatin1String("Square"), w.duty)},
            {QStringLiteral("symmetry"), orNull(t == QLatin1String("Ramp"), w.symmetry)},
            {QStringLiteral("dc_level"), orNull(t == QLatin1String("DC"), w.dcLevel)},
            {QStringLiteral("edge_time"), orNull(t == QLatin1String("Pulse"), w.edgeTime)},
            {QStringLiteral("pulse_width"), orNull(t == QLatin1String("Pulse"), w.pulseWidth)}};
}

QJsonObject terminationBody(int n, const QString &termination)
{
    return {{QStringLiteral("strict"), true}, {QStringLiteral("channel"), n}, {QStringLiteral("termination"), termination}};
}

QJsonObject channelBody(int n)
{
    return {{QStringLiteral("channel"), n}};
}

namespace {

void addTrigger(QJsonObject &o, const ParameterSet &p)
{
    const QString source = p.stringValue(QStringLiteral("trigger_source"));
    const bool on = !source.isEmpty() && source != QLatin1String("None");
    o.insert(QStringLiteral("trigger_source"), on ? QJsonValue(source) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("trigger_level"),
             on ? QJsonValue(p.doubleValue(QStringLiteral("trigger_level"))) : QJsonValue(QJsonValue::Null));
}

} // namespace

QJsonObject startStreamingBody(const ParameterSet &p, double rate, qint64 longest)
{
    const qint64 duration = p.intValue(QStringLiteral("duration"));
    QJsonObject o{{QStringLiteral("duration"), double(duration > 0 ? duration : longest)},
                  {QStringLiteral("sample_rate"), rate}};
    addTrigger(o, p);
    return o;
}

QJsonObject startLoggingBody(const ParameterSet &p)
{
    QJsonObject o{{QStringLiteral("strict"), true},
                  {QStringLiteral("duration"), double(p.intValue(QStringLiteral("log_duration")))},
                  {QStringLiteral("sample_rate"), p.doubleValue(QStringLiteral("rate"))},
                  {QStringLiteral("delay"), double(p.intValue(QStringLiteral("log_delay")))},
                  {QStringLiteral("file_name_prefix"), p.stringValue(QStringLiteral("log_prefix"))},
                  {QStringLiteral("comments"), p.stringValue(QStringLiteral("log_comments"))}};
    addTrigger(o, p);
    return o;
}

QJsonValue field(const QJsonValue &data, const QString &name)
{
    if (data.isObject())
        return data.toObject().value(name);
    if (data.isString() || data.isDouble() || data.isBool())
        return data;
    return QJsonValue(QJsonValue::Undefined);
}

QList<std::pair<QString, QVariant>> frontendReadBack(const ModelInfo &m, int n, const QJsonValue &data)
{
    QList<std::pair<QString, QVariant>> out;
    if (!data.isObject())
        return out;
    const QJsonObject o = data.toObject();
    for (const char *f : {"impedance", "coupling", "range"})
        if (o.value(QLatin1String(f)).isString())
            out.append({key("in", n, f), o.value(QLatin1String(f)).toString()});
    if (!m.bandwidths.isEmpty() && o.value(QStringLiteral("bandwidth")).isString())
        out.append({key("in", n, "bandwidth"), o.value(QStringLiteral("bandwidth")).toString()});
    return out;
}

QList<std::pair<QString, QVariant>> waveformReadBack(int n, const QJsonValue &data)
{
    QList<std::pair<QString, QVariant>> out;
    if (!data.isObject())
        return out;
    const QJsonObject o = data.toObject();
    if (o.value(QStringLiteral("type")).isString())
        out.append({key("out", n, "type"), o.value(QStringLiteral("type")).toString()});
    for (const char *f : {"amplitude", "frequency", "offset", "phase", "duty", "symmetry", "dc_level", "edge_time",
                          "pulse_width"}) {
        const QJsonValue v = o.value(QLatin1String(f));
        const double d = jsonNumber(v);
        if (!v.isUndefined() && !v.isNull() && std::isfinite(d))
            out.append({key("out", n, f), d});
    }
    return out;
}

QStringList listedFiles(const QJsonValue &data)
{
    QStringList names;
    auto fromArray = [&names](const QJsonArray &a) {
        for (const QJsonValue &v : a) {
            if (v.isString())
                names << v.toString();
            else if (v.isObject()) {
                const QJsonObject o = v.toObject();
                for (const char *k : {"name", "file_name", "filename", "path"})
                    if (o.value(QLatin1String(k)).isString()) {
                        names << o.value(QLatin1String(k)).toString();
                        break;
                    }
            }
        }
    };
    if (data.isArray())
        fromArray(data.toArray());
    else if (data.isObject()) {
        const QJsonObject o = data.toObject();
        if (o.value(QStringLiteral("files")).isArray())
            fromArray(o.value(QStringLiteral("files")).toArray());
        else
            names = o.keys();
    }
    return names;
}

} // namespace bs::moku
