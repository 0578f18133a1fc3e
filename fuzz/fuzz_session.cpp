// SPDX-License-Identifier: GPL-3.0-or-later
// Session files (`*.benchscope.json`) as the loader reads them, with every built-in driver
// registered, so addresses and parameters are checked by the real drivers' declarations.
// Input: the file's bytes.
// Checks: a refusal names what was wrong; an accepted session saves to bytes that load again to
// the same session (nothing accepted that the program cannot write back).
#include "FuzzInput.h"
#include "Session.h"
#include "registry.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    bs::registerBuiltinDrivers();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<bs::Session> session = bs::Session::fromBytes(bytes, &error);
    if (!session) {
        BS_FUZZ_CHECK(!error.isEmpty(), "session refused without a message");
        return 0;
    }
    const QByteArray saved = session->toBytes();
    QString again;
    const std::optional<bs::Session> reloaded = bs::Session::fromBytes(saved, &again);
    BS_FUZZ_CHECK(reloaded.has_value(), qPrintable(QStringLiteral("saved session refused: ") + again));
    BS_FUZZ_CHECK(reloaded->toJson() == session->toJson(), "session changed by a save and load");
    for (const bs::SessionInstrument &i : session->instruments)
        (void)session->uniqueId(i.type);
    return 0;
}
