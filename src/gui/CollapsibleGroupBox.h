// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGroupBox>

namespace bs {

/// A QGroupBox whose title ("▾ Capture") folds its content away when clicked, so a panel with
/// many groups (the PandA has ~20 capture settings) stays manageable. Put widgets into content().
class CollapsibleGroupBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit CollapsibleGroupBox(const QString &title, QWidget *parent = nullptr);

    QWidget *content() const { return m_content; }
    QString plainTitle() const { return m_title; }
    bool isCollapsed() const { return m_collapsed; }
    void setCollapsed(bool collapsed);

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void updateTitle();

    QWidget *m_content = nullptr;
    QString m_title;
    bool m_collapsed = false;
};

} // namespace bs
