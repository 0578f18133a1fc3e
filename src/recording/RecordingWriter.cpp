// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingWriter.h"

#include "CsvWriter.h"
#include "Hdf5Writer.h"
#include "NullWriter.h"

namespace bs {

std::unique_ptr<RecordingWriter> makeRecordingWriter(RecordingOptions::Format format)
{
    switch (format) {
    case RecordingOptions::Format::Csv:
        return std::make_unique<CsvWriter>();
    case RecordingOptions::Format::Null:
        return std::make_unique<NullWriter>();
    case RecordingOptions::Format::Hdf5:
        break;
    }
    return std::make_unique<Hdf5Writer>();
}

} // namespace bs
