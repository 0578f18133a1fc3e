// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstrumentPanel.h"

#include "ChannelListWidget.h"
#include "CollapsibleGroupBox.h"
#include "Icons.h"
#include "ParameterEditor.h"
#include "StateStyle.h"
#include "AddressCompleter.h"

#include <DriverRegistry.h>
#include <InstrumentHost.h>

#include <QCheckBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace bs {

namespace {
bool isConnectionGroup(const QString &group)
{
    return group.compare(QLatin1String("Connection"), Qt::CaseInsensitive) == 0
        || group == InstrumentPanel::tr("Connection");
}

/// A label that wraps to whatever width the panel has instead of widening the panel.
void wrapToPanel(QLabel *label)
{
    label->setWordWrap(true);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

QFormLayout *makeForm(QWidget *content)
{
    auto *form = new QFormLayout(content);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setHorizontalSpacing(8);
    form->setVerticalSpacing(4);
    return form;
}
} // namespace

InstrumentPanel::InstrumentPanel(InstrumentHost *host, ChannelStyles *styles, QWidget *parent)
    : QDockWidget(host->name(), parent)
    , m_host(host)
    , m_id(host->id())
{
    setObjectName(QStringLiteral("panel_") + m_id);
    setFeatures(
        QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *body = new QWidget(scroll);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);

    layout->addWidget(buildConnectionGroup(body));

    auto *channelsGroup = new CollapsibleGroupBox(tr("Channels"), body);
    channelsGroup->setObjectName(QStringLiteral("group_channels"));
    auto *channelsLayout = new QVBoxLayout(channelsGroup->content());
    channelsLayout->setContentsMargins(0, 0, 0, 0);
    m_channels = new ChannelListWidget(m_id, styles, channelsGroup->content());
    m_channels->setStreams(host->streams());
    channelsLayout->addWidget(m_channels);
    layout->addWidget(channelsGroup);

    buildParameterGroups(body, layout);
    layout->addStretch(1);
    scroll->setWidget(body);
    setWidget(scroll);
    m_scroll = scroll;
    body->installEventFilter(this);
    fitWidth();

    connect(host, &InstrumentHost::stateChanged, this, &InstrumentPanel::onStateChanged);
    connect(host, &InstrumentHost::streamsChanged, m_channels, &ChannelListWidget::setStreams);
    connect(host, &InstrumentHost::progress, this, &InstrumentPanel::onProgress);
    connect(host, &InstrumentHost::errorOccurred, this, &InstrumentPanel::onError);
    // Shown in the panel (and kept in the recording and the summary); the status bar already
    // carries the error that usually comes with a refusal.
    connect(host, &InstrumentHost::warningRaised, this, &InstrumentPanel::showWarnings);
    connect(host, &InstrumentHost::nameChanged, this, &QDockWidget::setWindowTitle);
    connect(host, &InstrumentHost::message, this, [this](const QString &text) {
        m_message->setText(text);
        m_message->setVisible(!text.isEmpty());
    });
    connect(host, &InstrumentHost::parameterRefused, this, &InstrumentPanel::onParameterRefused);
    connect(host, &InstrumentHost::parameterChanged, this, [this](const QString &key, const QVariant &value) {
        if (ParameterEditor *e = m_editors.value(key))
            e->setValue(value);
        for (const QString &follower : m_unitFollowers.values(key))
            if (ParameterEditor *e = m_editors.value(follower); e && !value.toString().isEmpty())
                e->setUnit(value.toString());
        for (QPushButton *b : m_actionGates.values(key))
            b->setEnabled(value.toBool());
        // Choice lists that follow this value (an input's ranges follow the Moku's model).
        for (const QString &follower : m_choiceFollowers.values(key))
            if (ParameterEditor *e = m_editors.value(follower); e && m_host)
                e->setChoices(m_host->parameters().choices(follower));
        if (m_dependents.contains(key)) {
            updateDependents(key);
            updateGroupVisibility();
        }
    });
    onStateChanged(host->state(), host->stateDetail());
    showWarnings();
    if (!host->lastError().isEmpty())
        onError(host->lastError());
}

bool InstrumentPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::LayoutRequest && m_scroll && watched == m_scroll->widget())
        QTimer::singleShot(0, this, &InstrumentPanel::fitWidth);
    return QDockWidget::eventFilter(watched, event);
}

void InstrumentPanel::fitWidth()
{
    // Wide enough for the content (long PandA field names, channel labels, combo boxes) so nothing
    // is clipped; grows only (no jumping); beyond 520 px a horizontal scroll bar appears instead.
    if (!m_scroll || !m_scroll->widget())
        return;
    const int wanted = m_scroll->widget()->minimumSizeHint().width()
        + m_scroll->verticalScrollBar()->sizeHint().width() + 2 * m_scroll->frameWidth() + 2;
    const int width = std::clamp(wanted, 300, 520);

    if (width > m_scroll->minimumWidth())
        m_scroll->setMinimumWidth(width);
}

QWidget *InstrumentPanel::buildConnectionGroup(QWidget *parent)
{
    m_connectionGroup = new CollapsibleGroupBox(tr("Connection"), parent);
    m_connectionGroup->setObjectName(QStringLiteral("group_connection"));
    QWidget *content = m_connectionGroup->content();
    auto *form = makeForm(content);

    const DriverInfo *info = DriverRegistry::instance().find(m_host->type());
    auto *type = new QLabel(info ? info->displayName : m_host->type(), content);
    wrapToPanel(type);
    form->addRow(tr("Type"), type);

    auto *addressRow = new QHBoxLayout;
    m_address = new QLineEdit(m_host->address(), content);
    m_address->setObjectName(QStringLiteral("address"));
    if (info) {
        m_address->setPlaceholderText(info->addressPlaceholder.isEmpty() ? info->defaultAddress
                                                                         : info->addressPlaceholder);
        m_address->setToolTip(info->addressHelp);
        if (info->addressSuggestions)
            installAddressCompleter(m_address, info->addressSuggestions());
    }
    m_connect = new QPushButton(tr("Connect"), content);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    addressRow->addWidget(m_address, 1);
    addressRow->addWidget(m_connect);
    form->addRow(tr("Address"), addressRow);

    auto *stateRow = new QHBoxLayout;
    m_state = new QLabel(content);
    m_state->setObjectName(QStringLiteral("stateLabel"));
    wrapToPanel(m_state);
    // This instrument's own Run/Stop (the toolbar's Run/Stop is for all of them).
    m_run = new QPushButton(content);
    m_run->setObjectName(QStringLiteral("runButton"));
    stateRow->addWidget(m_state, 1);
    stateRow->addWidget(m_run, 0, Qt::AlignTop);
    form->addRow(tr("State"), stateRow);
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (!m_host)
            return;
        const bool stopping = m_run->property("stops").toBool();
        if (!stopping && !commitAddress())
            return;
        Q_EMIT runRequested(!stopping);
        updateRunButton();
    });

    // Reconnection: one click, the automatic setting, and the countdown after a lost connection.
    auto *reconnectRow = new QHBoxLayout;
    m_reconnect = new QPushButton(tr("Reconnect"), content);
    m_reconnect->setObjectName(QStringLiteral("reconnectButton"));
    m_reconnect->setToolTip(tr("Connect again now and rejoin the running acquisition and recording"));
    m_autoReconnect = new QCheckBox(tr("Reconnect automatically"), content);
    m_autoReconnect->setObjectName(QStringLiteral("autoReconnect"));
    m_autoReconnect->setChecked(m_host->autoReconnect());
    m_autoReconnect->setToolTip(tr("When the connection breaks during a run, try again after 1, 2, 4 … "
                                   "(at most 30) seconds until the instrument is back. Never after "
                                   "Disconnect or Stop."));
    reconnectRow->addWidget(m_reconnect);
    reconnectRow->addWidget(m_autoReconnect, 1);
    form->addRow(QString(), reconnectRow);

    m_reconnectBox = new QWidget(content);
    auto *boxLayout = new QHBoxLayout(m_reconnectBox);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    m_reconnectLabel = new QLabel(m_reconnectBox);
    m_reconnectLabel->setObjectName(QStringLiteral("reconnectLabel"));
    wrapToPanel(m_reconnectLabel);
    m_reconnectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reconnectLabel->setStyleSheet(QStringLiteral("color: #a05a00;"));
    m_cancelReconnect = new QPushButton(tr("Cancel"), m_reconnectBox);
    m_cancelReconnect->setObjectName(QStringLiteral("cancelReconnectButton"));
    m_cancelReconnect->setToolTip(tr("Stop trying automatically (Reconnect still works)"));
    boxLayout->addWidget(m_reconnectLabel, 1);
    boxLayout->addWidget(m_cancelReconnect, 0, Qt::AlignTop);
    m_reconnectBox->hide();
    form->addRow(m_reconnectBox);
    m_reconnectTick = new QTimer(this);
    m_reconnectTick->setInterval(250);
    connect(m_reconnectTick, &QTimer::timeout, this, &InstrumentPanel::showReconnectStatus);
    connect(m_reconnect, &QPushButton::clicked, this, [this] {
        if (m_host && commitAddress())
            m_host->reconnect();
    });
    connect(m_cancelReconnect, &QPushButton::clicked, this, [this] {
        if (m_host)
            m_host->cancelReconnect();
    });
    connect(m_autoReconnect, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_host || on == m_host->autoReconnect())
            return;
        m_host->setAutoReconnect(on);
        Q_EMIT userEdited();
    });
    connect(m_host, &InstrumentHost::reconnectChanged, this, &InstrumentPanel::showReconnectStatus);

    m_error = new QLabel(content);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    wrapToPanel(m_error);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c01818;"));
    m_error->hide();
    form->addRow(m_error);

    m_warnings = new QLabel(content);
    m_warnings->setObjectName(QStringLiteral("warningLabel"));
    wrapToPanel(m_warnings);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setStyleSheet(QStringLiteral("color: #a05a00;"));
    m_warnings->hide();
    form->addRow(m_warnings);

    m_message = new QLabel(content);
    wrapToPanel(m_message);
    m_message->setStyleSheet(QStringLiteral("color: #555555;"));
    m_message->hide();
    form->addRow(m_message);

    m_progress = new QProgressBar(content);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 1000);
    m_progress->hide();
    form->addRow(m_progress);
    m_progressHide = new QTimer(this);
    m_progressHide->setSingleShot(true);
    m_progressHide->setInterval(3000);
    connect(m_progressHide, &QTimer::timeout, m_progress, &QWidget::hide);

    connect(m_address, &QLineEdit::editingFinished, this, &InstrumentPanel::commitAddress);
    connect(m_connect, &QPushButton::clicked, this, &InstrumentPanel::toggleConnection);
    return m_connectionGroup;
}

void InstrumentPanel::buildParameterGroups(QWidget *parent, QVBoxLayout *layout)
{
    const ParameterSet &params = m_host->parameters();
    const QVector<ActionSpec> &actions = m_host->actions();
    QStringList groups = params.groups();
    for (const ActionSpec &a : actions)
        if (!groups.contains(a.group))
            groups.append(a.group);

    for (const QString &group : std::as_const(groups)) {
        QWidget *content = nullptr;
        if (isConnectionGroup(group)) {
            content = m_connectionGroup->content();
        } else {
            auto *box = new CollapsibleGroupBox(group.isEmpty() ? tr("Settings") : group, parent);
            box->setObjectName(QStringLiteral("group_") + group);
            layout->addWidget(box);
            m_groups.insert(group, box);
            content = box->content();
            makeForm(content);
        }
        auto *form = qobject_cast<QFormLayout *>(content->layout());
        for (const ParameterSpec &spec : params.specs()) {
            if (spec.group != group || !spec.shown)
                continue;
            auto *editor = new ParameterEditor(spec, params.value(spec.key), content);
            m_editors.insert(spec.key, editor);
            m_groupKeys.insert(group, spec.key);
            connect(editor, &ParameterEditor::edited, this, [this](const QString &key, const QVariant &v) {
                if (m_refusedKey == key) { // a new value: the refusal of the old one no longer applies
                    m_refusedKey.clear();
                    if (m_error->text() == m_refusedText) {
                        m_error->clear();
                        m_error->hide();
                    }
                }
                if (m_host)
                    m_host->setParameter(key, v);
                Q_EMIT userEdited();
            });
            if (!spec.choicesKey.isEmpty()) {
                m_choiceFollowers.insert(spec.choicesKey, spec.key);
                editor->setChoices(params.choices(spec.key));
            }
            if (!spec.unitKey.isEmpty()) {
                m_unitFollowers.insert(spec.unitKey, spec.key);
                if (const QString u = params.stringValue(spec.unitKey); !u.isEmpty())
                    editor->setUnit(u);
            }
            const bool unitInText
                = editor->kind() == ParameterEditor::Kind::IntLineEdit && !spec.unit.isEmpty();
            auto *label = new QLabel(
                unitInText ? QStringLiteral("%1 [%2]").arg(spec.label, spec.unit) : spec.label, content);
            label->setToolTip(spec.key);
            label->setBuddy(editor->widget());
            if (editor->kind() == ParameterEditor::Kind::Table) {
                // The label above, the table the whole width of the group below it.
                label->setObjectName(QStringLiteral("paramLabel_") + spec.key);
                form->addRow(label);
                form->addRow(editor->widget());
                m_tables.insert(spec.key, label);
            } else {
                form->addRow(label, editor->widget());
            }
            form->addRow(editor->messageLabel()); // what is wrong with a typed value, under it
            if (!spec.relevantKey.isEmpty()) {
                m_dependents.insert(spec.relevantKey, spec.key);
                updateRelevance(spec.key);
            }
        }
        // Action buttons two to a row, never narrower than their labels (three side by side were
        // squeezed until "Continue on USB power" was clipped).
        QGridLayout *buttons = nullptr;
        int buttonCount = 0;
        for (const ActionSpec &a : actions) {
            if (a.group != group)
                continue;
            if (!buttons) {
                buttons = new QGridLayout;
                buttons->setHorizontalSpacing(6);
                buttons->setVerticalSpacing(4);
                form->addRow(buttons);
            }
            auto *b = new QPushButton(a.label, content);
            b->setObjectName(QStringLiteral("action_") + a.key);
            m_groupsWithActions.insert(group);
            b->setToolTip(a.toolTip);
            b->setMinimumWidth(b->sizeHint().width());
            buttons->addWidget(b, buttonCount / 2, buttonCount % 2);
            ++buttonCount;
            if (!a.enabledBy.isEmpty()) {
                b->setEnabled(params.boolValue(a.enabledBy));
                m_actionGates.insert(a.enabledBy, b);
            }
            connect(b, &QPushButton::clicked, this, [this, a] {
                if (m_host && (a.confirm.isEmpty() || confirmAction(a)))
                    m_host->invoke(a.key);
            });
        }
        if (buttons)
            buttons->setColumnStretch(2, 1);
    }
    updateGroupVisibility();
    // Folded at first: the groups the driver names as rarely needed, and those whose switch is
    // off (an output set to Off: every other setting of the group depends on it and is
    // irrelevant). A click on the title opens them.
    const DriverInfo *info = DriverRegistry::instance().find(m_host->type());
    for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it)
        if ((info && info->collapsedGroups.contains(it.key())) || switchedOff(it.key()))
            it.value()->setCollapsed(true);
}

bool InstrumentPanel::switchedOff(const QString &group) const
{
    // Off: the group has a switch (a setting others in it depend on) and nothing but its
    // switches matters now.
    const ParameterSet &params = m_host->parameters();
    const QList<QString> keys = m_groupKeys.values(group);
    QSet<QString> switches;
    for (const QString &key : keys)
        if (const ParameterSpec *spec = params.spec(key); spec && keys.contains(spec->relevantKey))
            switches.insert(spec->relevantKey);
    if (switches.isEmpty())
        return false;
    for (const QString &key : keys)
        if (!switches.contains(key) && params.isRelevant(key))
            return false;
    return true;
}

void InstrumentPanel::updateDependents(const QString &key)
{
    // Relevance follows the onlyWhen chain (ParameterSet::isRelevant): a change can reach settings
    // that depend on it only through another one (the Moku's model → an input's switch → its range).
    QStringList todo{key};
    QSet<QString> seen{key};
    while (!todo.isEmpty()) {
        const QString k = todo.takeLast();
        for (const QString &dependent : m_dependents.values(k)) {
            if (seen.contains(dependent))
                continue;
            seen.insert(dependent);
            updateRelevance(dependent);
            todo.append(dependent);
        }
    }
}

void InstrumentPanel::updateGroupVisibility()
{
    // A group none of whose settings matters now (an input the connected model does not have) is
    // hidden; one with an action button stays.
    if (!m_host)
        return;
    const ParameterSet &params = m_host->parameters();
    for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it) {
        const QList<QString> keys = m_groupKeys.values(it.key());
        bool anyRelevant = keys.isEmpty() || m_groupsWithActions.contains(it.key());
        for (const QString &key : keys)
            anyRelevant = anyRelevant || params.isRelevant(key);
        it.value()->setVisible(anyRelevant);
    }
}

bool InstrumentPanel::confirmAction(const ActionSpec &action)
{
    QMessageBox box(QMessageBox::Question, action.label, QString(), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("confirm_") + action.key);
    const QString said = m_host ? m_host->lastError() : QString();
    // The instrument's last error first (the driver quotes the device there, e.g. who owns it).
    box.setText(said.isEmpty() ? action.confirm : said + QStringLiteral("\n\n") + action.confirm);
    QPushButton *yes = box.addButton(action.label, QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box.addButton(QMessageBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

void InstrumentPanel::updateRelevance(const QString &key)
{
    ParameterEditor *e = m_editors.value(key);
    if (!e || !m_host)
        return;
    const bool relevant = m_host->parameters().isRelevant(key);
    if (QLabel *label = m_tables.value(key)) {
        // A table describes what is acquired (the M81's stream elements): it cannot change
        // while the acquisition runs.
        const bool running = m_host->state() == Instrument::State::Running;
        e->widget()->setEnabled(relevant && !running);
        e->widget()->setToolTip(running ? tr("Stop the acquisition to change %1").arg(e->spec().displayName())
                                        : e->spec().toolTip);
        label->setEnabled(relevant);
        return;
    }
    e->widget()->setEnabled(relevant);
    if (auto *form = qobject_cast<QFormLayout *>(e->widget()->parentWidget()->layout())) {
        if (QWidget *label = form->labelForField(e->widget()))
            label->setEnabled(relevant);
        // Greyed out when a choice of the user's rules it out (they may change it); gone when the
        // device does (a read-only value such as the model: a Moku:Go has no bandwidth setting).
        form->setRowVisible(e->widget(), !ruledOutByDevice(key));
    }
}

bool InstrumentPanel::ruledOutByDevice(const QString &key) const
{
    const ParameterSet &params = m_host->parameters();
    const ParameterSpec *decider = params.spec(params.irrelevantBecause(key));
    return decider && decider->readOnly;
}

QString InstrumentPanel::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

QString InstrumentPanel::warningText() const
{
    return m_warnings->text();
}

void InstrumentPanel::showWarnings()
{
    const QStringList all = m_host ? m_host->report().warnings : QStringList();
    constexpr int Shown = 3; // the newest few; the recording and the summary keep them all
    QStringList lines;
    for (qsizetype i = std::max<qsizetype>(0, all.size() - Shown); i < all.size(); ++i)
        lines << QStringLiteral("⚠ ") + all[i];
    if (all.size() > Shown)
        lines.prepend(tr("%n warning(s), the newest:", nullptr, int(all.size())));
    m_warnings->setText(lines.join(QLatin1Char('\n')));
    m_warnings->setVisible(!lines.isEmpty());
}

void InstrumentPanel::onStateChanged(Instrument::State state, const QString &detail)
{
    QString text = Instrument::stateName(state);
    if (!detail.isEmpty())
        text += QStringLiteral(" — ") + detail;
    StateStyle::apply(m_state, state, text);
    const bool idle = state == Instrument::State::Disconnected || state == Instrument::State::Error;
    m_connect->setText(idle ? tr("Connect") : tr("Disconnect"));
    m_address->setReadOnly(!idle);
    m_reconnect->setEnabled(state != Instrument::State::Connecting);
    showReconnectStatus(); // and the Run button
    m_channels->setInstrumentState(state);
    for (auto it = m_tables.cbegin(); it != m_tables.cend(); ++it)
        updateRelevance(it.key());
    if (state == Instrument::State::Running) { // an earlier start error no longer applies
        m_error->clear();
        m_error->hide();
    }
    if (state == Instrument::State::Connecting) {
        m_error->clear();
        m_error->hide();
    }
}

void InstrumentPanel::onProgress(double fraction, const QString &text)
{
    m_progress->show();
    m_progressHide->stop();
    if (fraction < 0) {
        m_progress->setRange(0, 0); // busy, no known fraction
    } else {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(qBound(0.0, fraction, 1.0) * 1000));
        if (fraction >= 1.0)
            m_progressHide->start();
    }
    m_progress->setFormat(text.isEmpty() ? QStringLiteral("%p%") : text + QStringLiteral(" (%p%)"));
}

void InstrumentPanel::onParameterRefused(const QString &key, const QString &message)
{
    // Shown under the field that typed it, as well as in the Connection group (onError).
    if (ParameterEditor *e = m_editors.value(key))
        e->showProblem(message);
    m_refusedKey = key;
    m_refusedText = m_error->text();
}

void InstrumentPanel::onError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    Q_EMIT statusMessage(QStringLiteral("%1: %2").arg(windowTitle(), message));
}

QString InstrumentPanel::reconnectText() const
{
    return m_reconnectBox->isHidden() ? QString() : m_reconnectLabel->text();
}

void InstrumentPanel::showReconnectStatus()
{
    if (!m_host)
        return;
    updateRunButton();
    const ReconnectStatus s = m_host->reconnectStatus();
    if (m_autoReconnect->isChecked() != m_host->autoReconnect()) {
        const QSignalBlocker block(m_autoReconnect);
        m_autoReconnect->setChecked(m_host->autoReconnect());
    }
    m_reconnect->setText(s.pending ? tr("Reconnect now") : tr("Reconnect"));
    if (!s.outage) {
        m_reconnectTick->stop();
        m_reconnectBox->hide();
        m_reconnectLabel->clear();
        return;
    }
    QString text = s.cause.isEmpty() ? tr("Connection lost.") : tr("Connection lost: %1.").arg(s.cause);
    if (text.endsWith(QLatin1String("..")))
        text.chop(1);
    if (s.pending) {
        const qint64 seconds = std::max<qint64>(1, (s.msLeft + 999) / 1000);
        text += QLatin1Char(' ') + tr("Reconnecting in %1 s (attempt %2)").arg(seconds).arg(s.attempt);
        if (!m_reconnectTick->isActive())
            m_reconnectTick->start();
    } else {
        m_reconnectTick->stop();
        if (m_host->state() == Instrument::State::Connecting || m_host->state() == Instrument::State::Connected)
            text += QLatin1Char(' ') + tr("Reconnecting (attempt %1)…").arg(std::max(1, s.attempt));
        else
            text += QLatin1Char(' ') + tr("Press Reconnect to rejoin the run.");
    }
    m_reconnectLabel->setText(text);
    m_cancelReconnect->setVisible(s.pending);
    m_reconnectBox->show();
}

void InstrumentPanel::updateRunButton()
{
    if (!m_host)
        return;
    const Instrument::State s = m_host->state();
    // Part of the running acquisition: running, joining it, or lost and coming back to it.
    const bool joining = s == Instrument::State::Connecting || s == Instrument::State::Connected
        || m_host->reconnectStatus().outage;
    const bool stops = s == Instrument::State::Running
        || (joining && m_host->acquisitionRunning() && !m_host->userStopRequested());
    m_run->setProperty("stops", stops);
    m_run->setText(stops ? tr("Stop") : tr("Run"));
    m_run->setIcon(Icons::get(stops ? QStringLiteral("stop") : QStringLiteral("run")));
    m_run->setToolTip(stops ? tr("Stop this instrument; the others keep running")
                            : tr("Start this instrument alone (connecting it first); it joins the running "
                                 "acquisition and recording, or begins one"));
}

void InstrumentPanel::toggleConnection()
{
    if (!m_host)
        return;
    const Instrument::State s = m_host->state();
    if (s == Instrument::State::Disconnected || s == Instrument::State::Error) {
        if (commitAddress())
            m_host->open();
    } else {
        m_host->close();
    }
}

bool InstrumentPanel::commitAddress()
{
    const QString text = m_address->text().trimmed();
    if (!m_host || text == m_host->address())
        return true;
    // Refused here, as a session file with it would be refused when loaded.
    const QString why = DriverRegistry::instance().checkAddress(m_host->type(), text);
    if (!why.isEmpty()) {
        onError(tr("Address '%1': %2").arg(text, why));
        return false;
    }
    m_host->setAddress(text);
    Q_EMIT userEdited();
    return true;
}

} // namespace bs
