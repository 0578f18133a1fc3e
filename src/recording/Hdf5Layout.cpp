// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Layout.h"

#include <cstddef>

namespace bs::h5 {

Id segmentType(bool onDisk)
{
    Id t = type(H5Tcreate(H5T_COMPOUND, onDisk ? 32 : sizeof(SegmentRecord)));
    H5Tinsert(t.get(), "file_row", onDisk ? 0 : offsetof(SegmentRecord, fileRow),
        onDisk ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
    H5Tinsert(t.get(), "sample_index", onDisk ? 8 : offsetof(SegmentRecord, sampleIndex),
        onDisk ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
    H5Tinsert(t.get(), "t0", onDisk ? 16 : offsetof(SegmentRecord, t0),
        onDisk ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    H5Tinsert(t.get(), "dt", onDisk ? 24 : offsetof(SegmentRecord, dt),
        onDisk ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    return t;
}

Id eventType(bool onDisk)
{
    Id t = type(H5Tcreate(H5T_COMPOUND, onDisk ? 36 : sizeof(EventRecord)));
    H5Tinsert(t.get(), "file_row", onDisk ? 0 : offsetof(EventRecord, fileRow),
        onDisk ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
    H5Tinsert(t.get(), "time", onDisk ? 8 : offsetof(EventRecord, time),
        onDisk ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    H5Tinsert(t.get(), "sample_index", onDisk ? 16 : offsetof(EventRecord, sampleIndex),
        onDisk ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
    H5Tinsert(t.get(), "count", onDisk ? 24 : offsetof(EventRecord, count),
        onDisk ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
    H5Tinsert(t.get(), "kind", onDisk ? 32 : offsetof(EventRecord, kind),
        onDisk ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    return t;
}

} // namespace bs::h5
