// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace bs {

/// The "Recent Sessions" list: most recent first, at most 8, kept in QSettings under `key`.
/// Fills a menu and reports the chosen file through `fileChosen`.
class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaximum = 8;

    explicit RecentFiles(const QString &key, QObject *parent = nullptr);

    QStringList files() const;
    void add(const QString &path);
    void remove(const QString &path);
    void clear();
    /// Keeps `menu` in sync with the list (entries "&1 name", a tooltip with the full path, and
    /// "Clear List").
    void attach(QMenu *menu);

Q_SIGNALS:
    void fileChosen(const QString &path);
    void changed();

private:
    void store(const QStringList &files);
    void fillMenu();

    QString m_key;
    QMenu *m_menu = nullptr;
};

} // namespace bs
