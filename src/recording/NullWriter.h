// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingWriter.h"

namespace bs {

/// Discards everything (dry runs and benchmarks of the recording pipeline).
class NullWriter final : public RecordingWriter
{
public:
    bool open(const RecordingOptions &, QString *) override { return true; }
    int addStream(const StreamHeader &, StreamLocation *, QString *) override { return m_streams++; }
    bool write(int, const SampleBlock &, const Segment *, QString *) override { return true; }
    bool addEvent(int, const LossEvent &, QString *) override { return true; }
    bool addMarker(int, const MarkerEvent &, QString *) override { return true; }
    bool finishStream(int, const StreamRecordStats &, QString *) override { return true; }
    bool flush(QString *) override { return true; }
    bool close(QString *) override { return true; }
    qint64 fileBytes() const override { return 0; }

private:
    int m_streams = 0;
};

} // namespace bs
