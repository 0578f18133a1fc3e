// SPDX-License-Identifier: GPL-3.0-or-later
#include "TableParameterWidget.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace bs {

namespace {
const char *kRow = "tableRow";
const char *kColumn = "tableColumn";

QComboBox *newCombo(const QStringList &choices, QWidget *parent)
{
    auto *cb = new QComboBox(parent);
    cb->addItems(choices);
    cb->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    cb->setMinimumContentsLength(2);
    cb->setFocusPolicy(Qt::StrongFocus);
    return cb;
}
} // namespace

TableParameterWidget::TableParameterWidget(const ParameterSpec &spec, QWidget *parent)
    : QWidget(parent)
    , m_spec(spec)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);

    m_table = new QTableWidget(0, int(spec.tableColumns.size()), this);
    m_table->setObjectName(QStringLiteral("table"));
    m_table->setHorizontalHeaderLabels(spec.tableColumns);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustIgnored);
    m_table->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setHighlightSections(false);
    // Rows as tall as a combo box; the columns need the widest choice each (no cell is clipped).
    QComboBox probe;
    QLineEdit probeEdit;
    m_rowHeight = std::max(probe.sizeHint().height(), probeEdit.sizeHint().height());
    m_table->verticalHeader()->setMinimumSectionSize(m_rowHeight);
    m_table->verticalHeader()->setDefaultSectionSize(m_rowHeight);
    layout->addWidget(m_table);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    m_add = new QPushButton(tr("Add"), this);
    m_add->setObjectName(QStringLiteral("addRow"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeRow"));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("rowCount"));
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    buttons->addWidget(m_count);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &TableParameterWidget::addRow);
    connect(m_remove, &QPushButton::clicked, this, &TableParameterWidget::removeRow);
    rebuild();
}

QSize TableParameterWidget::minimumSizeHint() const
{
    // Wide enough for the widest choice of every column and the buttons; the panel's width
    // decides the rest (the columns stretch).
    int columns = m_table->verticalHeader()->sizeHint().width() + 2 * m_table->frameWidth();
    for (int c = 0; c < m_spec.tableColumns.size(); ++c) {
        int w = m_table->horizontalHeader()->fontMetrics().horizontalAdvance(m_spec.tableColumns[c]) + 16;
        if (const QStringList choices = m_spec.tableChoices.value(c); !choices.isEmpty()) {
            QComboBox probe;
            probe.addItems(choices);
            probe.setSizeAdjustPolicy(QComboBox::AdjustToContents);
            w = std::max(w, probe.sizeHint().width());
        } else {
            w = std::max(w, fontMetrics().horizontalAdvance(QStringLiteral("MMMMMM")) + 12);
        }
        columns += w;
    }
    const int buttons = m_add->sizeHint().width() + m_remove->sizeHint().width()
        + m_count->sizeHint().width() + 2 * 6;
    return { std::max(columns, buttons), QWidget::minimumSizeHint().height() };
}

QWidget *TableParameterWidget::cell(int row, int column) const
{
    return m_table->cellWidget(row, column);
}

bool TableParameterWidget::isEditing() const
{
    for (int r = 0; r < m_table->rowCount(); ++r) {
        for (int c = 0; c < m_table->columnCount(); ++c) {
            QWidget *w = m_table->cellWidget(r, c);
            if (auto *le = qobject_cast<QLineEdit *>(w); le && le->hasFocus() && le->isModified())
                return true;
            if (auto *cb = qobject_cast<QComboBox *>(w); cb && cb->view()->isVisible())
                return true;
        }
    }
    return false;
}

void TableParameterWidget::setRows(const QVector<QStringList> &rows)
{
    if (isEditing()) {
        m_pending = rows;
        m_hasPending = true;
        return;
    }
    m_hasPending = false;
    if (rows == m_rows && shows(rows))
        return; // the device keeps what is shown: leave the cells (and the focus) alone
    m_rows = rows;
    rebuild();
}

bool TableParameterWidget::shows(const QVector<QStringList> &rows) const
{
    if (m_table->rowCount() != rows.size())
        return false;
    for (int r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < m_table->columnCount(); ++c) {
            QWidget *w = m_table->cellWidget(r, c);
            QString text;
            if (auto *cb = qobject_cast<QComboBox *>(w))
                text = cb->currentText();
            else if (auto *le = qobject_cast<QLineEdit *>(w))
                text = le->text();
            if (text != rows[r].value(c))
                return false;
        }
    }
    return true;
}

void TableParameterWidget::applyPending()
{
    if (m_hasPending && !isEditing())
        setRows(m_pending);
}

void TableParameterWidget::rebuild()
{
    const QModelIndexList marked = m_table->selectionModel()->selectedRows();
    const int selected = marked.isEmpty() ? -1 : marked.first().row();
    // The old cells go (deleted later by the view): nothing they still emit may count as an edit.
    for (int r = 0; r < m_table->rowCount(); ++r) {
        for (int c = 0; c < m_table->columnCount(); ++c) {
            if (QWidget *w = m_table->cellWidget(r, c)) {
                w->disconnect(this);
                w->removeEventFilter(this);
                if (auto *cb = qobject_cast<QComboBox *>(w))
                    cb->view()->removeEventFilter(this);
            }
        }
    }
    m_table->setRowCount(0);
    m_table->setRowCount(int(m_rows.size()));
    for (int r = 0; r < m_rows.size(); ++r) {
        for (int c = 0; c < m_spec.tableColumns.size(); ++c) {
            const QString text = m_rows[r].value(c);
            const QStringList choices = m_spec.tableChoices.value(c);
            QWidget *w = nullptr;
            if (!choices.isEmpty()) {
                auto *cb = newCombo(choices, m_table);
                int i = cb->findText(text, Qt::MatchFixedString);
                if (i < 0) { // not a choice (cannot come from a validated value): shown, not hidden
                    cb->addItem(text);
                    i = cb->count() - 1;
                }
                cb->setCurrentIndex(i);
                connect(cb, &QComboBox::activated, this, [this, cb](int index) {
                    cellEdited(cb->property(kRow).toInt(), cb->property(kColumn).toInt(), cb->itemText(index));
                });
                cb->view()->installEventFilter(this);
                w = cb;
            } else {
                auto *le = new QLineEdit(text, m_table);
                le->setFrame(false);
                connect(le, &QLineEdit::editingFinished, this, [this, le] {
                    const QString typed = le->text().trimmed();
                    le->setModified(false);
                    cellEdited(le->property(kRow).toInt(), le->property(kColumn).toInt(), typed);
                });
                w = le;
            }
            w->setProperty(kRow, r);
            w->setProperty(kColumn, c);
            w->setObjectName(QStringLiteral("cell_%1_%2").arg(r).arg(c));
            w->setToolTip(m_spec.tableColumns.value(c));
            w->installEventFilter(this);
            m_table->setCellWidget(r, c, w);
        }
    }
    if (selected >= 0 && selected < m_table->rowCount())
        markRow(selected);
    fitHeight();
    updateButtons();
}

void TableParameterWidget::markRow(int row)
{
    // Selects without making it the view's current cell: that would move the focus into the
    // row's first cell widget (away from the cell the user clicked, or from Add).
    auto *model = m_table->model();
    if (row < 0 || row >= model->rowCount())
        return;
    const QItemSelection selection(model->index(row, 0), model->index(row, model->columnCount() - 1));
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void TableParameterWidget::fitHeight()
{
    const int header = m_table->horizontalHeader()->sizeHint().height();
    m_table->setFixedHeight(header + int(m_rows.size()) * m_rowHeight + 2 * m_table->frameWidth());
}

void TableParameterWidget::updateButtons()
{
    const int n = int(m_rows.size());
    const int max = m_spec.tableMaxRows;
    const int min = m_spec.tableMinRows;
    const bool full = max > 0 && n >= max;
    m_add->setEnabled(!full);
    m_add->setToolTip(!full      ? tr("Add a row")
            : max == 1           ? tr("At most 1 row: remove it to add another")
                                 : tr("At most %1 rows: remove one to add another").arg(max));
    const bool atMin = n <= std::max(min, 0) || n == 0;
    m_remove->setEnabled(!atMin);
    if (n == 0)
        m_remove->setToolTip(tr("No row to remove"));
    else if (atMin)
        m_remove->setToolTip(min == 1 ? tr("At least 1 row is needed") : tr("At least %1 rows are needed").arg(min));
    else
        m_remove->setToolTip(tr("Remove the selected row (the last one when none is selected)"));
    m_count->setText(max > 0 ? tr("%1 of %2").arg(n).arg(max) : n == 1 ? tr("1 row") : tr("%1 rows").arg(n));
}

QVector<QStringList> TableParameterWidget::rowsWithNewRow() const
{
    QVector<QStringList> rows = m_rows;
    const int n = int(m_spec.tableColumns.size());
    QStringList row;
    if (!m_rows.isEmpty()) {
        row = m_rows.last();
    } else {
        for (int c = 0; c < n; ++c) {
            const QStringList choices = m_spec.tableChoices.value(c);
            row << (choices.isEmpty() ? m_spec.tableColumns[c].toLower() : choices.first());
        }
    }
    // The last row with one column advanced (the first that has a free choice left), so a new row
    // is never a copy of one already there when a free one exists (e.g. MX,M1 → MY,M1).
    for (int c = 0; c < n && rows.contains(row); ++c) {
        const QStringList choices = m_spec.tableChoices.value(c);
        if (choices.isEmpty())
            continue;
        const int start = std::max<int>(0, int(choices.indexOf(row[c])));
        for (int step = 1; step <= choices.size(); ++step) {
            QStringList candidate = row;
            candidate[c] = choices[(start + step) % choices.size()];
            if (!rows.contains(candidate)) {
                row = candidate;
                break;
            }
        }
    }
    rows << row;
    return rows;
}

void TableParameterWidget::addRow()
{
    if (m_spec.tableMaxRows > 0 && m_rows.size() >= m_spec.tableMaxRows)
        return;
    m_rows = rowsWithNewRow();
    rebuild();
    markRow(int(m_rows.size()) - 1);
    Q_EMIT rowsEdited(m_rows);
}

void TableParameterWidget::removeRow()
{
    if (m_rows.isEmpty() || m_rows.size() <= m_spec.tableMinRows)
        return;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    const int row = selected.isEmpty() ? int(m_rows.size()) - 1 : selected.first().row();
    m_rows.remove(row);
    rebuild();
    if (!m_rows.isEmpty())
        markRow(std::min(row, int(m_rows.size()) - 1));
    Q_EMIT rowsEdited(m_rows);
}

void TableParameterWidget::cellEdited(int row, int column, const QString &text)
{
    if (row < 0 || row >= m_rows.size() || column < 0 || column >= m_rows[row].size())
        return;
    if (text.contains(QLatin1Char(','))) {
        // A comma would cut the row in two: said, and the cell shows the instrument's value again.
        Q_EMIT refused(tr("row %1: %2 '%3' cannot contain a comma")
                           .arg(row + 1)
                           .arg(m_spec.tableColumns.value(column), text));
    } else if (m_rows[row][column] != text) {
        m_rows[row][column] = text;
        Q_EMIT rowsEdited(m_rows);
    }
    // A value the device sent meanwhile is shown now (after the edit has gone out, so the
    // read-back of the edit follows it).
    QTimer::singleShot(0, this, &TableParameterWidget::applyPending);
}

void TableParameterWidget::setProblemFrame(bool on)
{
    m_table->setStyleSheet(on ? QStringLiteral("QTableWidget { border: 1px solid #c01818; }") : QString());
}

bool TableParameterWidget::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::FocusIn:
        if (const QVariant r = watched->property(kRow); r.isValid())
            markRow(r.toInt());
        break;
    case QEvent::Wheel:
        // An unfocused combo box does not eat the wheel while the user scrolls the panel.
        if (auto *w = qobject_cast<QComboBox *>(watched); w && !w->hasFocus()) {
            event->ignore();
            return true;
        }
        break;
    case QEvent::Hide:
        // A combo box's list closed (with or without a choice): show what the device sent meanwhile.
        if (m_hasPending)
            QTimer::singleShot(0, this, &TableParameterWidget::applyPending);
        break;
    case QEvent::FocusOut:
        if (m_hasPending)
            QTimer::singleShot(0, this, &TableParameterWidget::applyPending);
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace bs
