// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QTextBrowser;

namespace bs {

/// Help ▸ User Guide: the Markdown pages of docs/user-guide (compiled into the program as
/// resources under ":/docs/user-guide/", images included) in a QTextBrowser, so the guide is
/// there in an installed package without any file beside the program. Links between pages
/// navigate inside the dialog; links to web pages open in the browser.
class UserGuideDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr const char *kIndex = "qrc:/docs/user-guide/README.md";

    explicit UserGuideDialog(QWidget *parent = nullptr);

    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser = nullptr;
};

} // namespace bs
