// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Overview.h"

#include <algorithm>

namespace bs::h5 {

QByteArray overviewLevelName(int level)
{
    return QByteArray("level_") + QByteArray::number(level);
}

Id overviewNodeType(int channels, bool onDisk)
{
    const hsize_t dims[2] = { hsize_t(std::max(channels, 1)), 2 };
    return type(H5Tarray_create2(onDisk ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE, 2, dims));
}

hsize_t overviewChunkNodes(int channels)
{
    return std::clamp<hsize_t>(8192 / (16 * hsize_t(std::max(channels, 1))), 16, 512);
}

bool createOverview(hid_t streamGroup, int channels, Id *g, std::vector<Id> *levels)
{
    *g = group(H5Gcreate2(streamGroup, OverviewGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (!check(g->valid())
        || !writeAttribute(g->get(), "bucket_rows", quint64(OverviewAccumulator::BucketRows))
        || !writeAttribute(g->get(), "fanout", quint64(OverviewAccumulator::Fanout))
        || !writeAttribute(g->get(), "levels", quint64(OverviewAccumulator::StoredLevels))
        || !writeAttribute(g->get(), "description",
            QStringLiteral("level_k[i][c] = (min, max) of the engineering values (raw * scale + offset, NaN "
                           "skipped; NaN when none) of channel c (the group's columns) in rows "
                           "[i * bucket_rows * fanout^k, (i + 1) * bucket_rows * fanout^k); the last node of a "
                           "closed stream covers the rows up to its end, a stream cut by a crash has complete "
                           "nodes only")))
        return false;
    const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = overviewChunkNodes(channels);
    Id fileType = overviewNodeType(channels, true);
    levels->clear();
    for (int k = 0; k < OverviewAccumulator::StoredLevels; ++k) {
        Id sp = space(H5Screate_simple(1, &zero, &unlimited));
        Id dcpl = plist(H5Pcreate(H5P_DATASET_CREATE));
        H5Pset_chunk(dcpl.get(), 1, &chunk);
        H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER);
        Id d = dataset(H5Dcreate2(
            g->get(), overviewLevelName(k).constData(), fileType.get(), sp.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
        if (!check(d.valid())
            || !writeAttribute(d.get(), "rows_per_node", quint64(OverviewAccumulator::rowsPerNode(k))))
            return false;
        levels->push_back(std::move(d));
    }
    return true;
}

bool appendOverviewNodes(hid_t level, int channels, hsize_t *written, const std::vector<double> &nodes)
{
    const hsize_t n = nodes.size() / (2 * hsize_t(std::max(channels, 1)));
    if (n == 0)
        return true;
    const hsize_t extent = *written + n;
    if (!check(H5Dset_extent(level, &extent) >= 0))
        return false;
    Id memType = overviewNodeType(channels, false);
    Id mem = space(H5Screate_simple(1, &n, nullptr));
    Id file = space(H5Dget_space(level));
    if (!check(file.valid())
        || !check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, written, nullptr, &n, nullptr) >= 0)
        || !check(H5Dwrite(level, memType.get(), mem.get(), file.get(), H5P_DEFAULT, nodes.data()) >= 0))
        return false;
    *written = extent;
    return true;
}

bool readOverviewLevel(hid_t streamGroup, int level, int channels, std::vector<double> *nodes, bool *present)
{
    *present = false;
    nodes->clear();
    if (H5Lexists(streamGroup, OverviewGroup, H5P_DEFAULT) <= 0)
        return false;
    Id g = group(H5Gopen2(streamGroup, OverviewGroup, H5P_DEFAULT));
    const QByteArray name = overviewLevelName(level);
    if (!g.valid() || H5Lexists(g.get(), name.constData(), H5P_DEFAULT) <= 0)
        return false;
    Id d = dataset(H5Dopen2(g.get(), name.constData(), H5P_DEFAULT));
    Id sp = space(d.valid() ? H5Dget_space(d.get()) : H5I_INVALID_HID);
    Id stored = type(d.valid() ? H5Dget_type(d.get()) : H5I_INVALID_HID);
    Id memType = overviewNodeType(channels, false);
    // A node type of another width (not this stream's channels) is not an overview we read.
    if (!sp.valid() || !stored.valid() || H5Tget_class(stored.get()) != H5T_ARRAY
        || H5Tget_size(stored.get()) != H5Tget_size(memType.get()))
        return false;
    const hssize_t n = H5Sget_simple_extent_npoints(sp.get());
    if (n < 0)
        return false;
    nodes->resize(std::size_t(n) * 2 * std::size_t(std::max(channels, 1)));
    if (n > 0 && H5Dread(d.get(), memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, nodes->data()) < 0) {
        nodes->clear();
        return false;
    }
    *present = true;
    return true;
}

} // namespace bs::h5
