// SPDX-License-Identifier: GPL-3.0-or-later
// startAnalysisThread(): the Measurements, Spectrum and Statistics docks' worker threads yield to
// the GUI thread and the acquisition.
#pragma once

class QThread;

namespace bs {

/// Starts `thread` with a lower scheduling weight (Linux: nice +10 for that thread alone), so that a
/// long measurement over a zoomed-out window never takes a core from the GUI thread's pictures or
/// from drivers and recorder: it still runs on any spare core, only later when the cores are busy.
/// Elsewhere, or if the system refuses, the thread starts at normal priority.
void startAnalysisThread(QThread *thread);

} // namespace bs
