// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Session.h>

#include <QDialog>

#include <memory>

namespace Ui {
class AddInstrumentDialog;
}

namespace bs {

class Workspace;

/// Instruments ▸ Add…: the registered driver types by display name, the address pre-filled with
/// the type's default and its help text below, what that address connects to (a PandA's data
/// port), a name for people ("PandABox 1") and the id files will use ("panda-1"), each explained.
class AddInstrumentDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AddInstrumentDialog(const Workspace *workspace, QWidget *parent = nullptr);
    ~AddInstrumentDialog() override;

    /// Selects a driver type (by its registered id).
    void setType(const QString &type);
    /// The entry to pass to Workspace::addInstrument (no parameters: the driver's defaults).
    SessionInstrument entry() const;

private:
    void onTypeChanged();
    /// Under the address: what it connects to (DriverInfo::describeAddress), or why it cannot be
    /// used (DriverInfo::checkAddress; Add is disabled then).
    void updateAddressDetail();
    void updateIdHelp();

    std::unique_ptr<Ui::AddInstrumentDialog> m_ui;
    const Workspace *m_workspace = nullptr;
    QString m_autoName; ///< the name we proposed, replaced when the type changes
};

} // namespace bs
