// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SampleFormat.h"

#include <hdf5.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <mutex>
#include <optional>

namespace bs::h5 {

/// Serializes our HDF5 calls (the library may be built without thread safety) and switches off
/// HDF5's automatic error printing for this thread. Hold one while calling HDF5.
class Lock
{
public:
    Lock();

private:
    std::unique_lock<std::recursive_mutex> m_lock;
};

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class Id
{
public:
    using Closer = herr_t (*)(hid_t);
    Id() = default;
    Id(hid_t id, Closer closer)
        : m_id(id)
        , m_closer(closer)
    {
    }
    Id(Id &&o) noexcept
        : m_id(o.m_id)
        , m_closer(o.m_closer)
    {
        o.m_id = H5I_INVALID_HID;
    }
    Id &operator=(Id &&o) noexcept
    {
        if (this != &o) {
            close();
            m_id = o.m_id;
            m_closer = o.m_closer;
            o.m_id = H5I_INVALID_HID;
        }
        return *this;
    }
    Id(const Id &) = delete;
    Id &operator=(const Id &) = delete;
    ~Id() { close(); }

    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    /// Closes now; false when HDF5 reports an error (e.g. the final write of a file failed).
    bool close()
    {
        if (m_id < 0)
            return true;
        Lock lock;
        const herr_t r = m_closer(m_id);
        m_id = H5I_INVALID_HID;
        return r >= 0;
    }

private:
    hid_t m_id = H5I_INVALID_HID;
    Closer m_closer = nullptr;
};

inline Id file(hid_t id)
{
    return { id, H5Fclose };
}
inline Id group(hid_t id)
{
    return { id, H5Gclose };
}
inline Id dataset(hid_t id)
{
    return { id, H5Dclose };
}
inline Id space(hid_t id)
{
    return { id, H5Sclose };
}
inline Id type(hid_t id)
{
    return { id, H5Tclose };
}
inline Id plist(hid_t id)
{
    return { id, H5Pclose };
}
inline Id attribute(hid_t id)
{
    return { id, H5Aclose };
}

/// Call right after an HDF5 call with its success: on failure the reason is captured from the
/// error stack (any later HDF5 call clears that stack). Returns `ok`.
bool check(bool ok);
/// The captured reason of the first failure since the last call (the OS message when there is
/// one), or the current error stack; clears both.
QString errorText();

bool writeAttribute(hid_t obj, const char *name, const QByteArray &utf8);
bool writeAttribute(hid_t obj, const char *name, const QString &text);
bool writeAttribute(hid_t obj, const char *name, const QStringList &texts);
bool writeAttribute(hid_t obj, const char *name, double value);
bool writeAttribute(hid_t obj, const char *name, quint64 value);
bool writeAttribute(hid_t obj, const char *name, qint64 value);

/// HDF5 types of a SampleType: in memory (native) and in files (little-endian).
hid_t memType(SampleType t);
hid_t fileType(SampleType t);
/// The SampleType of a dataset's stored integer or float type; nullopt for any other type.
std::optional<SampleType> sampleTypeOfH5(hid_t datasetType);

/// HDF5 filter id of LZ4 (registered with The HDF Group; Debian's hdf5-filter-plugin).
inline constexpr H5Z_filter_t Lz4Filter = 32004;
/// True when HDF5 can load the LZ4 filter plugin (tried once per process).
bool lz4Available();

bool hasAttribute(hid_t obj, const char *name);
bool readAttribute(hid_t obj, const char *name, QByteArray *utf8);
bool readAttribute(hid_t obj, const char *name, QString *text);
bool readAttribute(hid_t obj, const char *name, QStringList *texts);
bool readAttribute(hid_t obj, const char *name, double *value);
bool readAttribute(hid_t obj, const char *name, quint64 *value);
bool readAttribute(hid_t obj, const char *name, qint64 *value);

} // namespace bs::h5
