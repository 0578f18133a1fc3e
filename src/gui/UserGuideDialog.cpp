// SPDX-License-Identifier: GPL-3.0-or-later
#include "UserGuideDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

// Resources of a static library must be registered by name, outside any namespace.
static void initUserGuideResources()
{
    Q_INIT_RESOURCE(user_guide);
}

namespace bs {

UserGuideDialog::UserGuideDialog(QWidget *parent)
    : QDialog(parent)
{
    initUserGuideResources();
    setWindowTitle(tr("BenchScope User Guide"));
    setObjectName(QStringLiteral("userGuide"));
    resize(900, 720);
    auto *layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("userGuideBrowser"));
    m_browser->setOpenExternalLinks(true); // http(s) links: the system browser
    m_browser->setSource(QUrl(QString::fromLatin1(kIndex)), QTextDocument::MarkdownResource);
    layout->addWidget(m_browser);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *back = buttons->addButton(tr("Back"), QDialogButtonBox::ActionRole);
    auto *home = buttons->addButton(tr("Contents"), QDialogButtonBox::ActionRole);
    back->setEnabled(false);
    connect(back, &QPushButton::clicked, m_browser, &QTextBrowser::backward);
    connect(home, &QPushButton::clicked, m_browser, &QTextBrowser::home);
    connect(m_browser, &QTextBrowser::backwardAvailable, back, &QPushButton::setEnabled);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace bs
