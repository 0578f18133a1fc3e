// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ParameterSet.h>

#include <QVector>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace bs {

/// The editor of a table parameter (ParameterSpec::isTable(), e.g. the M81's stream elements):
/// a compact table with one row per entry — a combo box per cell for a column with choices, a
/// line edit otherwise — and Add / Remove buttons below it. The table is exactly as tall as its
/// rows (no scroll bar of its own) and its columns share the panel's width.
///
/// Every edit (a cell changed, a row added or removed) is reported at once by rowsEdited() with
/// the whole table; what the device holds comes back through setRows(), which never emits. A
/// value from the device that arrives while a cell is being edited (a line edit with typed text,
/// an open combo box) is shown when that edit ends, so the user's typing is never overwritten.
///
/// Add appends a row that is not yet in the table (the last row with its first column advanced to
/// the next free choice) and is disabled at `tableMaxRows`; Remove removes the selected row (the
/// last when none is selected) and is disabled at `tableMinRows`. Each says why in its tooltip.
///
/// Object names: "table", "addRow", "removeRow", "rowCount"; cells "cell_<row>_<column>".
class TableParameterWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TableParameterWidget(const ParameterSpec &spec, QWidget *parent = nullptr);

    /// The rows shown.
    QVector<QStringList> rows() const { return m_rows; }
    /// Shows rows read back from the device (deferred while a cell is being edited).
    void setRows(const QVector<QStringList> &rows);
    /// A cell is being edited: a line edit with focus and typed text, or a combo box's list open.
    bool isEditing() const;

    QTableWidget *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    /// The cell widget of (row, column): a QComboBox or a QLineEdit.
    QWidget *cell(int row, int column) const;
    /// The row Add would append to the current rows.
    QVector<QStringList> rowsWithNewRow() const;

    /// A red frame around the table (a refused value), or none.
    void setProblemFrame(bool on);

    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void rowsEdited(const QVector<QStringList> &rows);
    /// A typed cell cannot be sent (a comma in it); `why` names the row and the column.
    void refused(const QString &why);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuild();
    /// The cells show exactly `rows`.
    bool shows(const QVector<QStringList> &rows) const;
    void updateButtons();
    void fitHeight();
    void markRow(int row);
    void cellEdited(int row, int column, const QString &text);
    void addRow();
    void removeRow();
    /// Shows a value that arrived while a cell was being edited, once the edit is over.
    void applyPending();

    ParameterSpec m_spec;
    QVector<QStringList> m_rows;
    QVector<QStringList> m_pending;
    bool m_hasPending = false;
    QTableWidget *m_table = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_count = nullptr;
    int m_rowHeight = 0;
};

} // namespace bs
