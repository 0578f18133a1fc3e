// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checks a recording's min/max overview (src/recording/README.md, "Overview") against min/max
// computed directly from the samples, with the raw HDF5 C API (not BenchScope's reader of it).

#include "Hdf5RecordingReader.h"

#include <hdf5.h>

#include <QString>
#include <QTest>

#include <cmath>
#include <vector>

namespace bs::test {

/// Nodes of `/<group>/overview/level_<k>` as doubles (nodes × channels × 2); empty if absent.
inline std::vector<double> readOverviewLevel(hid_t file, const QString &group, int level, int channels)
{
    const QByteArray path = (group + QStringLiteral("/overview/level_%1").arg(level)).toUtf8();
    std::vector<double> out;
    if (H5Lexists(file, (group + QStringLiteral("/overview")).toUtf8().constData(), H5P_DEFAULT) <= 0)
        return out;
    hid_t ds = H5Dopen2(file, path.constData(), H5P_DEFAULT);
    if (ds < 0)
        return out;
    hid_t sp = H5Dget_space(ds);
    const hsize_t dims[2] = { hsize_t(channels), 2 };
    hid_t mem = H5Tarray_create2(H5T_NATIVE_DOUBLE, 2, dims);
    out.resize(std::size_t(H5Sget_simple_extent_npoints(sp)) * 2 * std::size_t(channels));
    if (!out.empty() && H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        out.clear();
    H5Tclose(mem);
    H5Sclose(sp);
    H5Dclose(ds);
    return out;
}

inline bool sameNumber(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

/// Every level 0…5 of every stream's overview equals min/max of the engineering values of its
/// rows (NaN skipped, NaN/NaN when none). `closed`: the last node of each level covers the rows
/// up to the end; else (a file cut by a crash) only complete nodes are there. Returns the number
/// of nodes checked (QTest failures are recorded on the way).
inline std::size_t verifyOverview(const QString &path, bool closed)
{
    Hdf5RecordingReader r;
    QString error;
    if (!r.open(path, &error)) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return 0;
    }
    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    std::size_t checked = 0;
    for (int s = 0; s < r.streams().size(); ++s) {
        const auto &st = r.streams()[s];
        const int channels = int(st.channels.size());
        for (int c = 0; c < channels; ++c) {
            std::vector<double> values(std::size_t(st.rows));
            if (!r.readValues(s, c, 0, st.rows, values.data(), &error)) {
                QTest::qFail(qPrintable(error), __FILE__, __LINE__);
                return checked;
            }
            quint64 per = 4096;
            for (int k = 0; k < 6; ++k, per *= 16) {
                const std::vector<double> level = readOverviewLevel(file, st.group, k, channels);
                const quint64 expected = closed ? (st.rows + per - 1) / per : st.rows / per;
                if (level.size() != expected * 2 * std::size_t(channels)) {
                    QTest::qFail(qPrintable(QStringLiteral("%1 level %2: %3 nodes, expected %4")
                                                .arg(st.group)
                                                .arg(k)
                                                .arg(level.size() / (2 * std::size_t(channels)))
                                                .arg(expected)),
                        __FILE__, __LINE__);
                    return checked;
                }
                for (quint64 i = 0; i < expected; ++i) {
                    double lo = INFINITY, hi = -INFINITY;
                    for (quint64 row = i * per; row < std::min(st.rows, (i + 1) * per); ++row) {
                        lo = std::min(lo, std::isnan(values[row]) ? lo : values[row]);
                        hi = std::max(hi, std::isnan(values[row]) ? hi : values[row]);
                    }
                    if (!(lo <= hi))
                        lo = hi = NAN;
                    const double *node = level.data() + (i * std::size_t(channels) + std::size_t(c)) * 2;
                    if (!sameNumber(node[0], lo) || !sameNumber(node[1], hi)) {
                        QTest::qFail(qPrintable(QStringLiteral("%1 channel %2 level %3 node %4: (%5, %6), samples "
                                                               "give (%7, %8)")
                                                    .arg(st.group)
                                                    .arg(c)
                                                    .arg(k)
                                                    .arg(i)
                                                    .arg(node[0])
                                                    .arg(node[1])
                                                    .arg(lo)
                                                    .arg(hi)),
                            __FILE__, __LINE__);
                        H5Fclose(file);
                        return checked;
                    }
                    ++checked;
                }
            }
        }
    }
    H5Fclose(file);
    return checked;
}

} // namespace bs::test
