// SPDX-License-Identifier: GPL-3.0-or-later
#include "AddInstrumentDialog.h"

#include "ui_AddInstrumentDialog.h"

#include "AddressCompleter.h"

#include <DriverRegistry.h>
#include <Workspace.h>

#include <QLineEdit>
#include <QPushButton>

namespace bs {

AddInstrumentDialog::AddInstrumentDialog(const Workspace *workspace, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::AddInstrumentDialog>())
    , m_workspace(workspace)
{
    m_ui->setupUi(this);
    for (const DriverInfo &d : DriverRegistry::instance().all())
        m_ui->typeCombo->addItem(d.displayName.isEmpty() ? d.type : d.displayName, d.type);
    const bool any = m_ui->typeCombo->count() > 0;
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(any);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    if (!any)
        m_ui->addressHelp->setText(tr("No instrument drivers are available in this build."));
    connect(m_ui->typeCombo, &QComboBox::currentIndexChanged, this, &AddInstrumentDialog::onTypeChanged);
    connect(m_ui->addressEdit, &QLineEdit::textChanged, this, &AddInstrumentDialog::updateAddressDetail);
    connect(m_ui->nameEdit, &QLineEdit::textChanged, this, &AddInstrumentDialog::updateIdHelp);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    onTypeChanged();
}

AddInstrumentDialog::~AddInstrumentDialog() = default;

void AddInstrumentDialog::setType(const QString &type)
{
    const int i = m_ui->typeCombo->findData(type);
    if (i >= 0)
        m_ui->typeCombo->setCurrentIndex(i);
}

void AddInstrumentDialog::onTypeChanged()
{
    const QString type = m_ui->typeCombo->currentData().toString();
    const DriverInfo *info = DriverRegistry::instance().find(type);
    if (!info)
        return;
    m_ui->addressEdit->setText(info->defaultAddress);
    m_ui->addressEdit->setPlaceholderText(info->defaultAddress);
    m_ui->addressHelp->setText(info->addressHelp);
    installAddressCompleter(m_ui->addressEdit, info->addressSuggestions ? info->addressSuggestions() : QStringList());
    const QString id = m_workspace ? m_workspace->uniqueId(type) : type + QStringLiteral("-1");
    m_ui->idValue->setText(id);
    if (m_ui->nameEdit->text().isEmpty() || m_ui->nameEdit->text() == m_autoName) {
        // A name for people ("PandABox 2"); the id is what files use.
        const QString shortName = info->shortName.isEmpty() ? type : info->shortName;
        m_autoName = QStringLiteral("%1 %2").arg(shortName, id.section(QLatin1Char('-'), -1));
        m_ui->nameEdit->setText(m_autoName);
    }
    updateAddressDetail();
    updateIdHelp();
}

void AddInstrumentDialog::updateAddressDetail()
{
    const QString type = m_ui->typeCombo->currentData().toString();
    const DriverInfo *info = DriverRegistry::instance().find(type);
    const QString address = m_ui->addressEdit->text().trimmed();
    const QString why = DriverRegistry::instance().checkAddress(type, address);
    QString text;
    if (!why.isEmpty()) {
        text = tr("This address cannot be used: %1").arg(why);
        m_ui->addressDetail->setStyleSheet(QStringLiteral("color: #c01818;"));
    } else {
        if (info && info->describeAddress)
            text = info->describeAddress(address.isEmpty() ? info->defaultAddress : address);
        m_ui->addressDetail->setStyleSheet(QStringLiteral("color: #555555;"));
    }
    m_ui->addressDetail->setText(text);
    m_ui->addressDetail->setVisible(!text.isEmpty());
    if (auto *ok = m_ui->buttonBox->button(QDialogButtonBox::Ok))
        ok->setEnabled(info && why.isEmpty());
}

void AddInstrumentDialog::updateIdHelp()
{
    const QString id = m_ui->idValue->text();
    m_ui->idHelp->setText(tr("The name is for people: on the panel's tab, in the legend and in recordings. The "
                             "id never changes: session files, recordings (HDF5 group, CSV file name) and "
                             "channel keys use it, e.g. %1/<stream>/<channel>.")
                              .arg(id));
}

SessionInstrument AddInstrumentDialog::entry() const
{
    SessionInstrument e;
    e.type = m_ui->typeCombo->currentData().toString();
    e.id = m_ui->idValue->text();
    e.name = m_ui->nameEdit->text().trimmed().isEmpty() ? e.id : m_ui->nameEdit->text().trimmed();
    e.address = m_ui->addressEdit->text().trimmed();
    return e;
}

} // namespace bs
