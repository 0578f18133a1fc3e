// SPDX-License-Identifier: GPL-3.0-or-later
// PandA control port (8888): replies as a server (or anything pretending to be one) sends them.
// Input: 1 byte read-chunk size, then the reply bytes. Fed whole and in chunks, the parser must
// give the same replies; each reply then goes where the driver sends it: *IDN? values to
// parseIdentity(), "!" lists to DeviceFields (*CAPTURE.*?, *CAPTURE.OPTIONS?, PCAP.*?), values to
// the capture-list parser and the field checks.
#include "FuzzInput.h"
#include "PandaDriverFields.h"
#include "PandaProtocolControl.h"

#include <vector>

using namespace bs::panda;

namespace {

std::vector<ControlReply> parseAll(const QByteArray &bytes, std::size_t chunk, QString *protocolError)
{
    ControlReplyParser p;
    std::vector<ControlReply> out;
    bs::fuzz::feedInChunks(bytes, chunk, [&](const char *d, std::size_t n) {
        p.feed(QByteArrayView(d, qsizetype(n)));
        while (p.hasReply())
            out.push_back(p.takeReply());
    });
    *protocolError = p.protocolError();
    return out;
}

bool sameReply(const ControlReply &a, const ControlReply &b)
{
    return a.kind == b.kind && a.value == b.value && a.lines == b.lines;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    bs::fuzz::FuzzInput in(data, size);
    const std::size_t chunk = in.byte() % 64;
    const QByteArray bytes = in.rest();

    QString wholeError, chunkError;
    const std::vector<ControlReply> whole = parseAll(bytes, 0, &wholeError);
    const std::vector<ControlReply> pieces = parseAll(bytes, chunk, &chunkError);
    BS_FUZZ_CHECK(whole.size() == pieces.size(), "reply count depends on how the input was split");
    for (std::size_t i = 0; i < whole.size(); ++i)
        BS_FUZZ_CHECK(sameReply(whole[i], pieces[i]), "reply depends on how the input was split");
    BS_FUZZ_CHECK(wholeError == chunkError, "protocol error depends on how the input was split");

    DeviceFields fields;
    int multi = 0;
    for (const ControlReply &r : whole) {
        switch (r.kind) {
        case ControlReply::Kind::Value:
            if (const auto id = parseIdentity(r.value))
                BS_FUZZ_CHECK(id->apiMajor >= 0 && id->apiMinor >= 0, "negative API version");
            {
                QVector<CaptureRequest> requests;
                QString error;
                if (parseCaptureList(r.value, &requests, &error)) {
                    for (const CaptureRequest &c : requests)
                        (void)fields.check(c.field, c.options);
                } else {
                    BS_FUZZ_CHECK(!error.isEmpty(), "capture list refused without a message");
                }
            }
            break;
        case ControlReply::Kind::Multi:
            // The driver asks *CAPTURE.*?, *CAPTURE.OPTIONS? and PCAP.*? in this order.
            if (multi % 3 == 0)
                fields.setCapturable(r.lines);
            else if (multi % 3 == 1)
                fields.setOptions(r.lines);
            else
                fields.setPcapFields(r.lines);
            ++multi;
            for (const QString &line : r.lines) {
                const QString name = line.section(QLatin1Char(' '), 0, 0);
                (void)fields.deviceName(name);
                (void)fields.isExtOut(name);
            }
            break;
        case ControlReply::Kind::Ok:
        case ControlReply::Kind::Error:
            break;
        }
    }
    (void)fields.deviceName(QStringLiteral("PCAP.TS_TRIG"));
    (void)fields.check(QStringLiteral("COUNTER1.OUT"), QStringLiteral("Min Max Mean StdDev"));
    // Requests built from what the server sent must never carry a line end.
    for (const ControlReply &r : whole) {
        const QByteArray q = encodeAssign(QStringLiteral("PCAP.LABEL"), r.value);
        BS_FUZZ_CHECK(q.isEmpty() || (q.count('\n') == 1 && !q.contains('\r')),
            "encoded request with an extra line end");
    }
    return 0;
}
