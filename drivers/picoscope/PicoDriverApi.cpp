// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoDriverApiLoader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>

#include <memory>

namespace bs::picoscope {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::picoscope::PicoApi", text);
}

/// Every library file loaded so far, by the path given (never unloaded). The table itself is
/// never destroyed either, so the files stay reachable to the end (a destroyed table would leave
/// them, their QLibrary and the thread data it holds as leaks at exit).
PicoLibraryFile *openFile(const QString &path, QString *error)
{
    static QMutex registryMutex;
    static auto *const filesTable = new QHash<QString, PicoLibraryFile *>;
    QHash<QString, PicoLibraryFile *> &files = *filesTable;
    QMutexLocker lock(&registryMutex);
    if (auto *f = files.value(path))
        return f;
    auto file = std::make_unique<PicoLibraryFile>();
    file->library.setFileName(path);
    if (!file->library.load()) {
        *error = file->library.errorString();
        return nullptr;
    }
    auto *raw = file.release();
    files.insert(path, raw);
    return raw;
}
} // namespace

QFunctionPointer PicoLibraryFile::resolve(const char *symbol)
{
    QFunctionPointer f = library.resolve(symbol);
    if (!f)
        missing << QString::fromLatin1(symbol);
    return f;
}

QString PicoApi::functionName(const char *name) const
{
    return familyName(m_family) + QLatin1String(name);
}

QStringList PicoApi::defaultLocations(Family family)
{
    const QString name = familyName(family);
    QStringList out;
    out << name; // the plain name first: QLibrary adds lib…so / …dll and searches the loader path
#if defined(Q_OS_WIN)
    out << QStringLiteral("C:/Program Files/Pico Technology/SDK/lib/%1.dll").arg(name)
        << QStringLiteral("C:/Program Files (x86)/Pico Technology/SDK/lib/%1.dll").arg(name);
#elif defined(Q_OS_MACOS)
    out << QStringLiteral("/Applications/PicoScope6.app/Contents/Resources/lib/lib%1.dylib").arg(name)
        << QStringLiteral("/Library/Frameworks/PicoSDK.framework/Libraries/lib%1/lib%1.dylib").arg(name);
#else
    // The unversioned name is a development symlink; the runtime file is lib…so.2 (its SONAME).
    for (const QString &dir : {QStringLiteral("/opt/picoscope/lib"), QStringLiteral("/usr/lib"), QStringLiteral("/usr/local/lib")})
        out << QStringLiteral("%1/lib%2.so").arg(dir, name) << QStringLiteral("%1/lib%2.so.2").arg(dir, name);
#endif
    return out;
}

std::shared_ptr<PicoApi> PicoApi::load(Family family, const QString &path, QString *error)
{
    const QStringList candidates = path.trimmed().isEmpty() ? defaultLocations(family) : QStringList{path.trimmed()};
    QStringList failures;
    for (const QString &candidate : candidates) {
        if (candidate.contains(QLatin1Char('/')) && !QFileInfo::exists(candidate)) {
            failures << tr("%1: no such file").arg(candidate);
            continue;
        }
        QString why;
        PicoLibraryFile *file = openFile(candidate, &why);
        if (!file) {
            failures << QStringLiteral("%1: %2").arg(candidate, why);
            continue;
        }
        file->missing.clear();
        auto api = family == Family::Ps2000a ? makePs2000aApi(*file) : makePs5000aApi(*file);
        if (!file->missing.isEmpty()) {
            *error = tr("%1 is not a %2 library: it lacks %3")
                         .arg(file->library.fileName(), familyName(family), file->missing.join(QStringLiteral(", ")));
            return nullptr;
        }
        return api;
    }
    *error = tr("The PicoScope %1 library was not found (%2). Install Pico Technology's PicoSDK, or set "
                "'Library' to the full path of lib%1.so / %1.dll.")
                 .arg(familyName(family), failures.join(QStringLiteral("; ")));
    return nullptr;
}

} // namespace bs::picoscope
