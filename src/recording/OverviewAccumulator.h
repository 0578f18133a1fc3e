// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SampleFormat.h"

#include <QtGlobal>

#include <cstddef>
#include <vector>

namespace bs {

/// Builds the min/max overview of a stream's channels as rows arrive (README.md, "Overview"):
/// level 0 holds one node per BucketRows rows, level k one per BucketRows · Fanout^k rows. A node
/// is, per channel, the min and max of the engineering values (raw × scale + offset) of its rows,
/// NaN skipped, both NaN when the node holds no number. Complete nodes collect in `pending(level)`
/// (nodes × channels × 2 doubles) until the owner takes them; finish() adds the partial nodes of
/// the last rows. Used by Hdf5Writer while recording and by the reader to build a missing overview.
class OverviewAccumulator
{
public:
    static constexpr quint64 BucketRows = 4096;
    static constexpr quint64 Fanout = 16;
    static constexpr int StoredLevels = 6; ///< levels a recording stores (4096 … 4096 · 16^5 rows)

    static quint64 rowsPerNode(int level)
    {
        quint64 r = BucketRows;
        for (int k = 0; k < level; ++k)
            r *= Fanout;
        return r;
    }

    OverviewAccumulator() = default;
    OverviewAccumulator(std::vector<SampleFormat> formats, int levels);

    int channels() const { return int(m_formats.size()); }
    int levels() const { return int(m_levels.size()); }
    quint64 rows() const { return m_rows; }
    /// Appends `n` rows: `data[c]` points to n raw values of channel c in formats[c].type,
    /// aligned for that type (the writer's and reader's per-channel buffers are).
    void add(const std::byte *const *data, std::size_t n);
    /// Complete nodes of `level` not taken yet; the owner clears what it stored.
    std::vector<double> &pending(int level) { return m_levels[std::size_t(level)].pending; }
    /// Adds the partial node of every level (the rows after its last complete node) to pending.
    /// Call once, after the last add().
    void finish();

    /// Folds the nodes of one level (nodes × channels × 2) into the next coarser one, the last
    /// node partial when `nodes` is not a multiple of Fanout.
    static std::vector<double> coarser(const std::vector<double> &level, int channels);

private:
    struct Level
    {
        std::vector<double> current; ///< channels × 2: the node being filled (children so far)
        quint64 children = 0;
        std::vector<double> pending;
    };
    void completeBucket();
    void push(int level, const double *node);

    std::vector<SampleFormat> m_formats;
    std::vector<Level> m_levels;
    std::vector<double> m_bucket; ///< channels × 2: the level-0 node being filled
    quint64 m_rows = 0;
    quint64 m_inBucket = 0;
};

} // namespace bs
