// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <limits>

namespace bs::cli {

/// The command line of `benchscope-inspect FILE [--from T] [--to T] [--channel NAME]... [--csv OUT]`.
struct InspectOptions
{
    QString file;
    double from = -std::numeric_limits<double>::infinity(); ///< recording time, s (inclusive)
    double to = std::numeric_limits<double>::infinity();
    QStringList channels; ///< `--channel`, as given (README.md: how a name is matched)
    QString csvOut; ///< `--csv`: a `.csv` file (one stream) or a folder

    /// Parses `args` (without argv[0]). Returns false with a message naming what is wrong.
    bool parse(const QStringList &args, QString *error);
    static QString usage();
};

} // namespace bs::cli
