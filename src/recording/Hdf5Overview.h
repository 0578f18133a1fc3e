// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Hdf5Util.h"
#include "OverviewAccumulator.h"

#include <vector>

namespace bs::h5 {

/// The min/max overview of a stream group (README.md, "Overview"), format 5: a sub-group
/// `overview` with datasets `level_0` … `level_5`, each float64[nodes][channels][2] (an HDF5
/// array type per node: per channel min, max), chunked and extendable.
inline constexpr const char *OverviewGroup = "overview";

/// "level_<k>"
QByteArray overviewLevelName(int level);
/// One node: float64[channels][2] (native in memory, little-endian on disk).
Id overviewNodeType(int channels, bool onDisk);
/// Nodes per chunk of a level dataset (about 8 KiB per chunk).
hsize_t overviewChunkNodes(int channels);

/// Creates `overview` in `streamGroup` with its attributes and StoredLevels empty level datasets.
bool createOverview(hid_t streamGroup, int channels, Id *group, std::vector<Id> *levels);
/// Appends nodes (nodes × channels × 2 doubles) to a level dataset holding `*written` nodes.
bool appendOverviewNodes(hid_t level, int channels, hsize_t *written, const std::vector<double> &nodes);
/// Reads a level of the stream group's overview; false with `*present` false when there is none.
bool readOverviewLevel(hid_t streamGroup, int level, int channels, std::vector<double> *nodes, bool *present);

} // namespace bs::h5
