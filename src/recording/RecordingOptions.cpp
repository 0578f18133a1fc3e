// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingOptions.h"

#include "Hdf5Util.h"
#include "Session.h"

#include <algorithm>

namespace bs {

bool compressionAvailable(RecordingOptions::Compression c)
{
    return c != RecordingOptions::Compression::Lz4 || h5::lz4Available();
}

RecordingOptions recordingOptionsFor(const SessionRecording &rec)
{
    RecordingOptions o;
    o.format = rec.format == QLatin1String("csv") ? RecordingOptions::Format::Csv : RecordingOptions::Format::Hdf5;
    o.queueBudgetBytes = rec.queueMiB << 20;
    o.splitSeconds = rec.splitMinutes * 60.0;
    o.splitBytes = qint64(rec.splitGB * 1e9);
    o.stopAfterSeconds = rec.stopAfterMinutes * 60.0;
    o.stopAfterBytes = qint64(rec.stopAfterGB * 1e9);
    if (!parseCompression(rec.compression, &o.compression, &o.compressionLevel)) // validated by Session
        o.compression = RecordingOptions::Compression::None;
    if (o.compression == RecordingOptions::Compression::Deflate)
        o.compressionLevel = std::clamp(rec.compressionLevel, 1, 9);
    return o;
}

} // namespace bs
