// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Layout.h"

#include <cstddef>
#include <initializer_list>

namespace bs::h5 {

namespace {

enum class Scalar { U64, F64, I32 };

/// One compound member: its packed offset on disk and its offset in the native struct.
struct Member
{
    const char *name;
    std::size_t diskOffset;
    std::size_t memOffset;
    Scalar scalar;
};

hid_t scalarType(Scalar s, bool onDisk)
{
    switch (s) {
    case Scalar::U64:
        return onDisk ? H5T_STD_U64LE : H5T_NATIVE_UINT64;
    case Scalar::F64:
        return onDisk ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE;
    case Scalar::I32:
        return onDisk ? H5T_STD_I32LE : H5T_NATIVE_INT32;
    }
    return H5I_INVALID_HID;
}

Id compound(bool onDisk, std::size_t diskSize, std::size_t memSize, std::initializer_list<Member> members)
{
    Id t = type(H5Tcreate(H5T_COMPOUND, onDisk ? diskSize : memSize));
    for (const Member &m : members)
        H5Tinsert(t.get(), m.name, onDisk ? m.diskOffset : m.memOffset, scalarType(m.scalar, onDisk));
    return t;
}

} // namespace

Id segmentType(bool onDisk)
{
    return compound(onDisk, 32, sizeof(SegmentRecord),
        { { "file_row", 0, offsetof(SegmentRecord, fileRow), Scalar::U64 },
            { "sample_index", 8, offsetof(SegmentRecord, sampleIndex), Scalar::U64 },
            { "t0", 16, offsetof(SegmentRecord, t0), Scalar::F64 },
            { "dt", 24, offsetof(SegmentRecord, dt), Scalar::F64 } });
}

Id eventType(bool onDisk)
{
    return compound(onDisk, 36, sizeof(EventRecord),
        { { "file_row", 0, offsetof(EventRecord, fileRow), Scalar::U64 },
            { "time", 8, offsetof(EventRecord, time), Scalar::F64 },
            { "sample_index", 16, offsetof(EventRecord, sampleIndex), Scalar::U64 },
            { "count", 24, offsetof(EventRecord, count), Scalar::U64 },
            { "kind", 32, offsetof(EventRecord, kind), Scalar::I32 } });
}

} // namespace bs::h5
