// SPDX-License-Identifier: GPL-3.0-or-later
#include "MeasurementsPanel.h"

#include "AnalysisThread.h"
#include "ScopeView.h"

#include <EngineeringFormat.h>
#include <TraceSource.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace bs {

namespace {
constexpr int kUpdateMs = 250;
const QStringList kDefaultColumns { QStringLiteral("min"), QStringLiteral("max"), QStringLiteral("peak_to_peak"),
    QStringLiteral("mean"), QStringLiteral("rms"), QStringLiteral("frequency") };

QIcon swatch(const QColor &c)
{
    QPixmap p(12, 12);
    p.fill(Qt::transparent);
    QPainter painter(&p);
    painter.fillRect(QRect(1, 5, 10, 3), c);
    return QIcon(p);
}
} // namespace

const QVector<MeasurementsPanel::Kind> &MeasurementsPanel::kinds()
{
    using U = Kind::Unit;
    static const QVector<Kind> all {
        { QStringLiteral("min"), tr("Min"), tr("Smallest value"), U::Channel },
        { QStringLiteral("max"), tr("Max"), tr("Largest value"), U::Channel },
        { QStringLiteral("peak_to_peak"), tr("Pk-Pk"), tr("Max − Min"), U::Channel },
        { QStringLiteral("mean"), tr("Mean"), tr("Average (the DC part)"), U::Channel },
        { QStringLiteral("rms"), tr("RMS"), tr("Root mean square, DC included"), U::Channel },
        { QStringLiteral("ac_rms"), tr("AC RMS"), tr("RMS around the mean (DC removed)"), U::Channel },
        { QStringLiteral("std"), tr("Std dev"), tr("Standard deviation of the samples (n − 1)"), U::Channel },
        { QStringLiteral("frequency"), tr("Frequency"), tr("1 / period"), U::Hertz },
        { QStringLiteral("period"), tr("Period"), tr("Average time from one rising edge (at 50 %) to the next"), U::Seconds },
        { QStringLiteral("rise_time"), tr("Rise time"), tr("10 % → 90 % of the signal's range, averaged over the rising edges"), U::Seconds },
        { QStringLiteral("fall_time"), tr("Fall time"), tr("90 % → 10 %, averaged over the falling edges"), U::Seconds },
        { QStringLiteral("duty_positive"), tr("+Duty"), tr("Positive pulse width / period"), U::Percent },
        { QStringLiteral("duty_negative"), tr("−Duty"), tr("Negative pulse width / period"), U::Percent },
        { QStringLiteral("width_positive"), tr("+Width"), tr("Rising to falling edge (at 50 %), averaged"), U::Seconds },
        { QStringLiteral("width_negative"), tr("−Width"), tr("Falling to rising edge (at 50 %), averaged"), U::Seconds },
        { QStringLiteral("edges"), tr("Edges"), tr("Rising + falling edges between the 10 % and 90 % levels"), U::Count },
    };
    return all;
}

const MeasurementsPanel::Kind *MeasurementsPanel::kind(const QString &id)
{
    for (const Kind &k : kinds())
        if (k.id == id)
            return &k;
    return nullptr;
}

QString MeasurementsPanel::unitOf(const Kind &kind, const QString &channelUnit)
{
    switch (kind.unit) {
    case Kind::Unit::Channel:
        return channelUnit;
    case Kind::Unit::Seconds:
        return QStringLiteral("s");
    case Kind::Unit::Hertz:
        return QStringLiteral("Hz");
    case Kind::Unit::Percent:
        return QStringLiteral("%");
    case Kind::Unit::Count:
        break;
    }
    return QString();
}

QString MeasurementsPanel::formatValue(const Kind &kind, double value, const QString &channelUnit)
{
    if (kind.unit == Kind::Unit::Count)
        return EngineeringFormat::formatInteger(qint64(value));
    return EngineeringFormat::formatSignificant(value, unitOf(kind, channelUnit), 4);
}

MeasurementsPanel::MeasurementsPanel(TraceSource *store, ScopeView *scope, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_scope(scope)
    , m_columns(kDefaultColumns)
{
    setObjectName(QStringLiteral("measurementsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Measure"), this));
    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("measurementRange"));
    m_range->addItem(tr("the window shown"));
    m_range->addItem(tr("between the time cursors"));
    m_range->setToolTip(tr("Which samples are measured: all in the time window the scope shows, or those "
                           "between the two time cursors (turn the cursors on with C)"));
    top->addWidget(m_range);
    m_columnsButton = new QToolButton(this);
    m_columnsButton->setObjectName(QStringLiteral("measurementColumns"));
    m_columnsButton->setText(tr("Measurements ▾"));
    m_columnsButton->setPopupMode(QToolButton::InstantPopup);
    m_columnsButton->setToolTip(tr("Choose the measurements shown"));
    top->addWidget(m_columnsButton);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("measurementNote"));
    m_note->setStyleSheet(QStringLiteral("color: #707070"));
    top->addWidget(m_note, 1);
    layout->addLayout(top);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("measurementTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    buildColumnsMenu();
    rebuildHeader();

    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int i) { setBetweenCursors(i == 1); });

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("measurements"));
    m_measurer = new WindowMeasurer(*m_store);
    m_measurer->moveToThread(m_thread);
    connect(m_measurer, &WindowMeasurer::measured, this, &MeasurementsPanel::showResult, Qt::QueuedConnection);
    startAnalysisThread(m_thread);
    m_timer = new QTimer(this);
    m_timer->setInterval(kUpdateMs);
    connect(m_timer, &QTimer::timeout, this, &MeasurementsPanel::update);
    m_timer->start();
}

MeasurementsPanel::~MeasurementsPanel()
{
    m_thread->quit();
    m_thread->wait();
    delete m_measurer; // its thread has finished
}

void MeasurementsPanel::setScope(ScopeView *scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    m_lastKeys.clear();
    m_lastTo = m_lastFrom - 1; // measure again, on the new view
    update();
}

void MeasurementsPanel::buildColumnsMenu()
{
    auto *menu = new QMenu(m_columnsButton);
    for (const Kind &k : kinds()) {
        QAction *a = menu->addAction(k.title);
        a->setCheckable(true);
        a->setChecked(m_columns.contains(k.id));
        a->setToolTip(k.tip);
        a->setData(k.id);
        connect(a, &QAction::toggled, this, [this] {
            QStringList ids;
            for (QAction *action : m_columnsButton->menu()->actions())
                if (action->isChecked())
                    ids.append(action->data().toString());
            m_columns = ids;
            rebuildHeader();
            if (m_shown)
                showResult(m_shown);
            Q_EMIT changed();
        });
    }
    menu->setToolTipsVisible(true);
    m_columnsButton->setMenu(menu);
}

void MeasurementsPanel::setColumns(const QStringList &ids)
{
    QStringList known;
    for (const Kind &k : kinds()) // in the catalogue's order; unknown ids dropped
        if (ids.contains(k.id))
            known.append(k.id);
    if (known == m_columns)
        return;
    m_columns = known;
    for (QAction *a : m_columnsButton->menu()->actions()) {
        const QSignalBlocker block(a);
        a->setChecked(m_columns.contains(a->data().toString()));
    }
    rebuildHeader();
    if (m_shown)
        showResult(m_shown);
    Q_EMIT changed();
}

void MeasurementsPanel::setBetweenCursors(bool on)
{
    if (on == m_betweenCursors)
        return;
    m_betweenCursors = on;
    {
        const QSignalBlocker block(m_range);
        m_range->setCurrentIndex(on ? 1 : 0);
    }
    m_lastTo = m_lastFrom - 1; // measure again
    update();
    Q_EMIT changed();
}

QJsonObject MeasurementsPanel::saveState() const
{
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("measurements") },
        { QStringLiteral("columns"), QJsonArray::fromStringList(m_columns) },
        { QStringLiteral("range"), m_betweenCursors ? QStringLiteral("cursors") : QStringLiteral("window") } };
}

void MeasurementsPanel::restoreState(const QJsonObject &state)
{
    const QJsonValue columns = state.value(QStringLiteral("columns"));
    QStringList ids = kDefaultColumns;
    if (columns.isArray()) {
        ids.clear();
        for (const QJsonValue &v : columns.toArray())
            ids.append(v.toString());
    }
    setColumns(ids);
    setBetweenCursors(state.value(QStringLiteral("range")).toString() == QLatin1String("cursors"));
}

void MeasurementsPanel::rebuildHeader()
{
    QStringList titles { tr("Channel") };
    for (const QString &id : std::as_const(m_columns))
        for (const Kind &k : kinds())
            if (k.id == id)
                titles.append(k.title);
    m_table->setColumnCount(int(titles.size()));
    m_table->setHorizontalHeaderLabels(titles);
    for (int c = 1; c < titles.size(); ++c)
        for (const Kind &k : kinds())
            if (k.id == m_columns[c - 1])
                m_table->horizontalHeaderItem(c)->setToolTip(k.tip);
}

void MeasurementsPanel::update()
{
    if (!isVisible() || !m_scope)
        return; // a hidden panel costs nothing
    const QVector<ScopeView::ShownChannel> shown = m_scope->shownChannels();
    QPair<double, double> range = m_scope->visibleTimeRange();
    QString note;
    if (m_betweenCursors) {
        if (m_scope->cursorsVisible()) {
            const auto [t1, t2] = m_scope->timeCursors();
            range = { std::min(t1, t2), std::max(t1, t2) };
        } else {
            note = tr("The time cursors are off (C): measuring the window shown");
        }
    }
    if (note.isEmpty())
        note = tr("%1 … %2").arg(EngineeringFormat::format(range.first, QStringLiteral("s"), 6),
            EngineeringFormat::format(range.second, QStringLiteral("s"), 6));
    m_note->setText(note);
    QVector<ChannelKey> keys;
    for (const ScopeView::ShownChannel &c : shown) {
        keys.append(c.key);
        m_info.insert(c.key, { c.label, c.unit, c.color });
    }
    const quint64 revision = m_store->revision();
    if (keys == m_lastKeys && range.first == m_lastFrom && range.second == m_lastTo && revision == m_lastRevision)
        return;
    m_lastKeys = keys;
    m_lastFrom = range.first;
    m_lastTo = range.second;
    m_lastRevision = revision;
    m_measurer->request({ keys, range.first, range.second, ++m_serial });
}

QString MeasurementsPanel::cellText(int row, const QString &id) const
{
    const int column = int(m_columns.indexOf(id));
    if (column < 0 || row < 0 || row >= m_table->rowCount())
        return QString();
    const QTableWidgetItem *item = m_table->item(row, column + 1);
    return item ? item->text() : QString();
}

void MeasurementsPanel::showResult(const WindowMeasurer::ResultPtr &result)
{
    if (!result || (m_shown && result->serial < m_shown->serial))
        return; // an older answer than the one shown
    m_shown = result;
    ++m_resultsShown;
    m_table->setRowCount(int(result->channels.size()));
    for (int row = 0; row < result->channels.size(); ++row) {
        const WindowMeasurer::Channel &c = result->channels[row];
        const Info info = m_info.value(c.key);
        QString label = info.label.isEmpty() ? c.key.toString() : info.label;
        auto *name = new QTableWidgetItem(swatch(info.color), label);
        if (c.gaps > 0) {
            name->setText(label + tr("  ⚠ %n gap(s)", nullptr, int(std::min<quint64>(c.gaps, INT_MAX))));
            name->setToolTip(tr("Samples are missing in this window: nothing is measured across a gap, and an "
                                "edge that falls into one is not counted"));
        }
        m_table->setItem(row, 0, name);
        for (int col = 0; col < m_columns.size(); ++col) {
            const QString &id = m_columns[col];
            const Kind *k = kind(id);
            const std::optional<double> v = measurementValue(c.result, id);
            QString text = QStringLiteral("—");
            QString tip;
            if (v && k) {
                // A mean at the rounding of its sum (a sine's) reads 0, not "0.04 fV".
                const double scale = std::max(std::abs(c.result.min.value_or(0.0)), std::abs(c.result.max.value_or(0.0)));
                text = formatValue(*k, id == QLatin1String("mean") ? EngineeringFormat::roundingToZero(*v, scale) : *v, info.unit);
            } else {
                tip = c.result.samples == 0 ? tr("No samples in this window")
                                            : tr("Does not apply here (e.g. no complete period or edge in the window)");
            }
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setToolTip(tip);
            m_table->setItem(row, col + 1, item);
        }
    }
}

} // namespace bs
