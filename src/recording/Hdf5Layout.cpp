// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Layout.h"

#include <cstddef>
#include <initializer_list>

namespace bs::h5 {

namespace {

enum class Scalar { U64, F64, I32, Str };

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
    case Scalar::Str:
        break;
    }
    return H5I_INVALID_HID;
}

/// A variable-length UTF-8 string type (the caller closes it).
Id stringType()
{
    Id t = type(H5Tcopy(H5T_C_S1));
    H5Tset_size(t.get(), H5T_VARIABLE);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
    return t;
}

Id compound(bool onDisk, std::size_t diskSize, std::size_t memSize, std::initializer_list<Member> members)
{
    Id t = type(H5Tcreate(H5T_COMPOUND, onDisk ? diskSize : memSize));
    for (const Member &m : members) {
        const std::size_t offset = onDisk ? m.diskOffset : m.memOffset;
        if (m.scalar == Scalar::Str)
            H5Tinsert(t.get(), m.name, offset, stringType().get());
        else
            H5Tinsert(t.get(), m.name, offset, scalarType(m.scalar, onDisk));
    }
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

Id timeOffsetType(bool onDisk)
{
    return compound(onDisk, 16, sizeof(TimeOffsetRecord),
        { { "file_row", 0, offsetof(TimeOffsetRecord, fileRow), Scalar::U64 },
            { "offset", 8, offsetof(TimeOffsetRecord, offset), Scalar::F64 } });
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

Id markerType(bool onDisk)
{
    return compound(onDisk, 20 + sizeof(char *), sizeof(MarkerRecord),
        { { "file_row", 0, offsetof(MarkerRecord, fileRow), Scalar::U64 },
            { "time", 8, offsetof(MarkerRecord, time), Scalar::F64 },
            { "kind", 16, offsetof(MarkerRecord, kind), Scalar::I32 },
            { "info", 20, offsetof(MarkerRecord, info), Scalar::Str } });
}

} // namespace bs::h5
