// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InstrumentEvent.h"
#include "SampleBlock.h"
#include "StreamInfo.h"

#include <QVector>

namespace bs {

/// Something that consumes sample blocks: the TraceStore, the Recorder, a benchmark counter.
///
/// Threading contract: `consume()` and `setStreams()` are called directly on the producing
/// driver's thread (several drivers may call concurrently); implementations must be thread-safe
/// and must return quickly (append to a buffer or queue, never block on disk or the GUI).
class BlockSink
{
public:
    virtual ~BlockSink() = default;
    /// The instrument `instrumentId` now produces these streams (called before its first block
    /// and whenever its channel set changes).
    virtual void setStreams(const QString &instrumentId, const QVector<StreamInfo> &streams) = 0;
    virtual void consume(const SampleBlockPtr &block) = 0;
    /// A capture boundary or warning, in order with the instrument's blocks (same thread rules
    /// as consume()). Sinks that only draw samples ignore it.
    virtual void event(const InstrumentEvent &) {}
};

} // namespace bs
