// SPDX-License-Identifier: GPL-3.0-or-later
#include "WelcomeWidget.h"

#include "Icons.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace bs {

namespace {
QPushButton *bigButton(const QString &text, const QString &tip, const QString &icon, const QString &name,
                       QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    if (!icon.isEmpty())
        b->setIcon(Icons::get(icon));
    b->setIconSize(QSize(22, 22));
    b->setMinimumHeight(36);
    b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return b;
}
} // namespace

WelcomeWidget::WelcomeWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("welcome"));
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    auto *column = new QWidget(this);
    column->setMaximumWidth(520);
    column->setMinimumWidth(360);
    auto *layout = new QVBoxLayout(column);
    layout->setSpacing(10);

    auto *title = new QLabel(tr("<h2>Welcome to BenchScope</h2>"), column);
    auto *intro = new QLabel(tr("See every signal of your bench live, record it to HDF5 or CSV, and keep the "
                                "whole setup in a session file. To start, try the demo (simulated "
                                "instruments, nothing to connect) or add the instruments on your bench."),
                             column);
    intro->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(intro);

    m_demo = bigButton(tr("Start the Demo"),
                       tr("Opens a session with every instrument simulated on this computer and connects them; "
                          "then press Run"),
                       QStringLiteral("run"), QStringLiteral("welcomeDemo"), column);
    auto *add = bigButton(tr("Add Instrument…"), tr("Choose the type and address of an instrument on your bench"),
                          QStringLiteral("add-instrument"), QStringLiteral("welcomeAdd"), column);
    auto *open = bigButton(tr("Open Session…"), tr("Open a saved *.benchscope.json session"),
                           QStringLiteral("document-open"), QStringLiteral("welcomeOpen"), column);
    auto *guide = bigButton(tr("User Guide"), tr("How BenchScope works, step by step (F1)"), QString(),
                            QStringLiteral("welcomeGuide"), column);
    for (QPushButton *b : {m_demo, add, open, guide})
        layout->addWidget(b);

    m_recentBox = new QWidget(column);
    auto *recentLayout = new QVBoxLayout(m_recentBox);
    recentLayout->setContentsMargins(0, 8, 0, 0);
    recentLayout->addWidget(new QLabel(tr("<b>Recent sessions</b>"), m_recentBox));
    m_recent = new QListWidget(m_recentBox);
    m_recent->setObjectName(QStringLiteral("welcomeRecent"));
    recentLayout->addWidget(m_recent);
    layout->addWidget(m_recentBox);

    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 3);
    row->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    connect(m_demo, &QPushButton::clicked, this, &WelcomeWidget::demoRequested);
    connect(add, &QPushButton::clicked, this, &WelcomeWidget::addInstrumentRequested);
    connect(open, &QPushButton::clicked, this, &WelcomeWidget::openSessionRequested);
    connect(guide, &QPushButton::clicked, this, &WelcomeWidget::userGuideRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT recentSessionChosen(item->data(Qt::UserRole).toString());
    });
    setRecentFiles({});
}

void WelcomeWidget::setRecentFiles(const QStringList &paths)
{
    m_recent->clear();
    for (const QString &p : paths) {
        auto *item = new QListWidgetItem(QFileInfo(p).fileName(), m_recent);
        item->setData(Qt::UserRole, p);
        item->setToolTip(QDir::toNativeSeparators(p));
    }
    // As tall as its entries (up to 8), not a large empty box.
    const int row = m_recent->sizeHintForRow(0) > 0 ? m_recent->sizeHintForRow(0) : fontMetrics().height() + 4;
    m_recent->setFixedHeight(int(paths.size()) * row + 2 * m_recent->frameWidth() + 6);
    m_recentBox->setVisible(!paths.isEmpty());
}

void WelcomeWidget::setDemoAvailable(bool available)
{
    m_demo->setVisible(available);
}

} // namespace bs
