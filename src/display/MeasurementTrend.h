// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QVector>
#include <QtGlobal>

#include <deque>
#include <optional>

namespace bs {

/// A measurement's values over time (the statistics dock's trend): points (time, value) in
/// increasing time, at most `capacity` (the oldest dropped first, counted), with the statistics of
/// the values held: count, min, max, mean, standard deviation (n − 1).
class MeasurementTrend
{
public:
    struct Point
    {
        double t, v;
    };
    struct Stats
    {
        quint64 count = 0;
        std::optional<double> min, max, mean, stdDev;
    };
    static constexpr int kDefaultCapacity = 10000;
    explicit MeasurementTrend(int capacity = kDefaultCapacity);

    /// Adds a point if t is later than the last point's and both are finite; false otherwise (a
    /// window moved back, a measurement that does not apply: no point, never a made-up one).
    bool append(double t, double v);
    void clear();
    int capacity() const { return m_capacity; }
    int size() const { return int(m_points.size()); }
    bool isEmpty() const { return m_points.empty(); }
    const Point &at(int i) const { return m_points[std::size_t(i)]; }
    const Point &last() const { return m_points.back(); }
    /// Points dropped to stay within the capacity since the last clear().
    quint64 dropped() const { return m_dropped; }
    Stats stats() const;

private:
    int m_capacity;
    std::deque<Point> m_points;
    quint64 m_dropped = 0;
};

} // namespace bs
