// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Util.h"

#include <QCoreApplication>

#include <vector>

namespace bs::h5 {

namespace {

#if !H5_VERSION_GE(1, 14, 1)
// HDF5 before 1.14.1 leaves a dangling file ID when H5Fclose fails (disk full), and its atexit
// clean-up then crashes (HDFFV-11052). We close every file explicitly, so we switch that clean-up
// off; this must happen before the library initializes, hence at static-initialization time.
[[maybe_unused]] const bool s_noAtExit = H5dont_atexit() >= 0;
#endif

std::recursive_mutex &hdf5Mutex()
{
    static std::recursive_mutex m;
    return m;
}

struct ErrorWalk
{
    QString outer, osMessage, inner;
};

herr_t walkError(unsigned n, const H5E_error2_t *e, void *data)
{
    auto *w = static_cast<ErrorWalk *>(data);
    const QString desc = QString::fromUtf8(e->desc ? e->desc : "").simplified();
    if (n == 0)
        w->outer = desc;
    w->inner = desc;
    const QLatin1String key("error message = '");
    const qsizetype at = desc.indexOf(key);
    if (at >= 0 && w->osMessage.isEmpty()) {
        const qsizetype from = at + key.size();
        w->osMessage = desc.mid(from, desc.indexOf(QLatin1Char('\''), from) - from);
    }
    return 0;
}

Id stringType()
{
    Id t = type(H5Tcopy(H5T_C_S1));
    H5Tset_size(t.get(), H5T_VARIABLE);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
    return t;
}

bool writeRaw(hid_t obj, const char *name, hid_t fileType, hid_t memType, hid_t spaceId, const void *data)
{
    if (H5Aexists(obj, name) > 0 && !check(H5Adelete(obj, name) >= 0))
        return false;
    Id a = attribute(H5Acreate2(obj, name, fileType, spaceId, H5P_DEFAULT, H5P_DEFAULT));
    return check(a.valid()) && check(H5Awrite(a.get(), memType, data) >= 0) && check(a.close());
}

bool writeScalar(hid_t obj, const char *name, hid_t fileType, hid_t memType, const void *data)
{
    Id s = space(H5Screate(H5S_SCALAR));
    return s.valid() && writeRaw(obj, name, fileType, memType, s.get(), data);
}

bool readScalar(hid_t obj, const char *name, hid_t memType, void *data)
{
    Id a = attribute(H5Aopen(obj, name, H5P_DEFAULT));
    return check(a.valid()) && check(H5Aread(a.get(), memType, data) >= 0);
}

/// Reads a string attribute (scalar or 1-D, variable or fixed length) into `out`.
bool readStrings(hid_t obj, const char *name, std::vector<QByteArray> *out)
{
    Id a = attribute(H5Aopen(obj, name, H5P_DEFAULT));
    if (!check(a.valid()))
        return false;
    Id ft = type(H5Aget_type(a.get()));
    Id sp = space(H5Aget_space(a.get()));
    if (!ft.valid() || !sp.valid() || H5Tget_class(ft.get()) != H5T_STRING)
        return false;
    const hssize_t n = H5Sget_simple_extent_npoints(sp.get());
    if (n < 0)
        return false;
    out->clear();
    if (n == 0)
        return true;
    if (H5Tis_variable_str(ft.get()) > 0) {
        Id mt = stringType();
        std::vector<char *> ptrs(std::size_t(n), nullptr);
        if (H5Aread(a.get(), mt.get(), ptrs.data()) < 0)
            return false;
        for (char *p : ptrs)
            out->push_back(QByteArray(p ? p : ""));
        H5Dvlen_reclaim(mt.get(), sp.get(), H5P_DEFAULT, ptrs.data());
        return true;
    }
    const std::size_t size = H5Tget_size(ft.get());
    std::vector<char> buf(size * std::size_t(n) + 1, 0);
    if (H5Aread(a.get(), ft.get(), buf.data()) < 0)
        return false;
    for (hssize_t i = 0; i < n; ++i) {
        const char *p = buf.data() + std::size_t(i) * size;
        out->push_back(QByteArray(p, qsizetype(qstrnlen(p, uint(size)))));
    }
    return true;
}

thread_local QString t_captured;

QString stackText()
{
    ErrorWalk w;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walkError, &w);
    H5Eclear2(H5E_DEFAULT);
    if (!w.osMessage.isEmpty())
        return w.osMessage;
    if (!w.outer.isEmpty())
        return w.inner == w.outer ? w.outer : w.outer + QStringLiteral(" (") + w.inner + QLatin1Char(')');
    return {};
}

} // namespace

Lock::Lock()
    : m_lock(hdf5Mutex())
{
    thread_local bool silenced = false;
    if (!silenced) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        silenced = true;
    }
}

bool check(bool ok)
{
    if (!ok && t_captured.isEmpty())
        t_captured = stackText();
    return ok;
}

QString errorText()
{
    QString text = t_captured.isEmpty() ? stackText() : t_captured;
    t_captured.clear();
    H5Eclear2(H5E_DEFAULT);
    return text.isEmpty() ? QCoreApplication::translate("bs::Hdf5Writer", "HDF5 library error") : text;
}

bool writeAttribute(hid_t obj, const char *name, const QByteArray &utf8)
{
    Id t = stringType();
    const char *p = utf8.constData();
    return writeScalar(obj, name, t.get(), t.get(), &p);
}

bool writeAttribute(hid_t obj, const char *name, const QString &text)
{
    return writeAttribute(obj, name, text.toUtf8());
}

bool writeAttribute(hid_t obj, const char *name, const QStringList &texts)
{
    std::vector<QByteArray> utf8;
    std::vector<const char *> ptrs;
    for (const QString &s : texts)
        utf8.push_back(s.toUtf8());
    for (const QByteArray &b : utf8)
        ptrs.push_back(b.constData());
    Id t = stringType();
    const hsize_t n = ptrs.size();
    Id s = space(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL));
    return s.valid() && writeRaw(obj, name, t.get(), t.get(), s.get(), ptrs.data());
}

bool writeAttribute(hid_t obj, const char *name, double value)
{
    return writeScalar(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

bool writeAttribute(hid_t obj, const char *name, quint64 value)
{
    return writeScalar(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

bool writeAttribute(hid_t obj, const char *name, qint64 value)
{
    return writeScalar(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

bool hasAttribute(hid_t obj, const char *name)
{
    return H5Aexists(obj, name) > 0;
}

bool readAttribute(hid_t obj, const char *name, QByteArray *utf8)
{
    std::vector<QByteArray> v;
    if (!readStrings(obj, name, &v) || v.size() != 1)
        return false;
    *utf8 = v.front();
    return true;
}

bool readAttribute(hid_t obj, const char *name, QString *text)
{
    QByteArray b;
    if (!readAttribute(obj, name, &b))
        return false;
    *text = QString::fromUtf8(b);
    return true;
}

bool readAttribute(hid_t obj, const char *name, QStringList *texts)
{
    std::vector<QByteArray> v;
    if (!readStrings(obj, name, &v))
        return false;
    texts->clear();
    for (const QByteArray &b : v)
        texts->append(QString::fromUtf8(b));
    return true;
}

bool readAttribute(hid_t obj, const char *name, double *value)
{
    return readScalar(obj, name, H5T_NATIVE_DOUBLE, value);
}

bool readAttribute(hid_t obj, const char *name, quint64 *value)
{
    return readScalar(obj, name, H5T_NATIVE_UINT64, value);
}

bool readAttribute(hid_t obj, const char *name, qint64 *value)
{
    return readScalar(obj, name, H5T_NATIVE_INT64, value);
}

hid_t memType(SampleType t)
{
    switch (t) {
    case SampleType::Int8:
        return H5T_NATIVE_INT8;
    case SampleType::Int16:
        return H5T_NATIVE_INT16;
    case SampleType::Int32:
        return H5T_NATIVE_INT32;
    case SampleType::Int64:
        return H5T_NATIVE_INT64;
    case SampleType::Float32:
        return H5T_NATIVE_FLOAT;
    case SampleType::Float64:
        break;
    }
    return H5T_NATIVE_DOUBLE;
}

hid_t fileType(SampleType t)
{
    switch (t) {
    case SampleType::Int8:
        return H5T_STD_I8LE;
    case SampleType::Int16:
        return H5T_STD_I16LE;
    case SampleType::Int32:
        return H5T_STD_I32LE;
    case SampleType::Int64:
        return H5T_STD_I64LE;
    case SampleType::Float32:
        return H5T_IEEE_F32LE;
    case SampleType::Float64:
        break;
    }
    return H5T_IEEE_F64LE;
}

std::optional<SampleType> sampleTypeOfH5(hid_t type)
{
    const H5T_class_t cls = H5Tget_class(type);
    const std::size_t size = H5Tget_size(type);
    if (cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_2) {
        switch (size) {
        case 1:
            return SampleType::Int8;
        case 2:
            return SampleType::Int16;
        case 4:
            return SampleType::Int32;
        case 8:
            return SampleType::Int64;
        default:
            break;
        }
    } else if (cls == H5T_FLOAT) {
        if (size == 4)
            return SampleType::Float32;
        if (size == 8)
            return SampleType::Float64;
    }
    return std::nullopt;
}

bool lz4Available()
{
    static const bool available = [] {
        Lock lock;
        // H5Zfilter_avail loads a dynamic plugin from HDF5_PLUGIN_PATH or HDF5's default folder.
        const htri_t a = H5Zfilter_avail(Lz4Filter);
        errorText();
        return a > 0;
    }();
    return available;
}

} // namespace bs::h5
