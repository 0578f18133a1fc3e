// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <InstrumentHost.h>

#include <QDockWidget>
#include <QHash>
#include <QPointer>
#include <QSet>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QTimer;
class QVBoxLayout;

namespace bs {

class ChannelListWidget;
class ChannelStyles;
class CollapsibleGroupBox;
class ParameterEditor;

/// The dock of one instrument, generated from its host's ParameterSet: a Connection group
/// (address, Connect/Disconnect, coloured state, last error, progress), the channel list, one
/// collapsible group box per parameter group with the group's action buttons, all in a scroll
/// area. Edits go to InstrumentHost::setParameter; the host's parameterChanged updates the
/// widgets without feeding back (a refused value snaps back). A table parameter
/// (TableParameterWidget) spans the group's width under its label ("paramLabel_<key>") and is
/// disabled while the instrument runs.
///
/// A group none of whose settings is relevant (ParameterSet::isRelevant: an input the connected
/// model lacks) is hidden, and so is the row of a setting ruled out by a read-only one (the
/// model); one ruled out by the user's own choice is greyed out; groups named in DriverInfo::collapsedGroups and those whose switch is
/// off (an output set to Off) start folded. An action with ActionSpec::confirm asks first in a
/// dialog ("confirm_<key>", buttons "confirmButton"/"cancelButton") quoting the last error.
///
/// Object names for tests and saveState(): dock "panel_<id>", "address", "connectButton",
/// "stateLabel", "runButton" (this instrument's own Run/Stop), "errorLabel", "progress", "action_<key>", editors "param_<key>"; reconnection:
/// "reconnectButton" (one click: connect again and rejoin the run; "Reconnect now" during a
/// countdown), "autoReconnect" (check box), "reconnectLabel" ("Connection lost: <cause>.
/// Reconnecting in 4 s (attempt 3)"), "cancelReconnectButton".
class InstrumentPanel : public QDockWidget
{
    Q_OBJECT
public:
    InstrumentPanel(InstrumentHost *host, ChannelStyles *styles, QWidget *parent = nullptr);

    InstrumentHost *host() const { return m_host; }
    QString instrumentId() const { return m_id; }
    ParameterEditor *editor(const QString &key) const { return m_editors.value(key); }
    QList<ParameterEditor *> editors() const { return m_editors.values(); }
    ChannelListWidget *channelList() const { return m_channels; }
    QProgressBar *progressBar() const { return m_progress; }
    QString errorText() const;
    /// The warnings shown (the acquisition differs from what was asked), newest last.
    QString warningText() const;
    /// The lost-connection line shown ("Connection lost: …"), empty when hidden.
    QString reconnectText() const;

Q_SIGNALS:
    /// Something for the main window's status bar (errors, messages), already prefixed with the
    /// instrument's name.
    void statusMessage(const QString &text);
    /// The user changed a setting or the address here (the session is modified).
    void userEdited();
    /// The panel's own Run (true) or Stop (false): this instrument alone joins or leaves the
    /// acquisition (Workspace::runInstrument / stopInstrument).
    void runRequested(bool run);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fitWidth();
    QWidget *buildConnectionGroup(QWidget *parent);
    void buildParameterGroups(QWidget *parent, QVBoxLayout *layout);
    void onStateChanged(Instrument::State state, const QString &detail);
    void onProgress(double fraction, const QString &text);
    void onError(const QString &message);
    void onParameterRefused(const QString &key, const QString &message);
    void showWarnings();
    void toggleConnection();
    /// Stop while the instrument runs, joins the acquisition or is lost and coming back to it;
    /// else Run.
    void updateRunButton();
    /// Shows the host's ReconnectStatus (the countdown ticks while an attempt is scheduled).
    void showReconnectStatus();
    /// Hands the typed address to the instrument if its driver accepts that kind of address
    /// (DriverInfo::checkAddress); otherwise shows why in the panel and returns false.
    bool commitAddress();
    /// Greys out a setting (and its label) that does not matter with the current values; a table
    /// also while the acquisition runs.
    void updateRelevance(const QString &key);
    /// updateRelevance() for every setting whose relevance depends on `key`, however indirectly.
    void updateDependents(const QString &key);
    /// Hides a group none of whose settings is relevant (and that has no action), shows it again
    /// when one becomes relevant.
    void updateGroupVisibility();
    /// True when settings of `group` decide the relevance of others in it (its switches) and
    /// nothing but those switches is relevant now (an output whose waveform is Off).
    bool switchedOff(const QString &group) const;
    /// True when `key` is irrelevant because of a read-only setting (what the device is, e.g. its
    /// model): its row is hidden rather than greyed out.
    bool ruledOutByDevice(const QString &key) const;
    /// Asks before an action with ActionSpec::confirm; true when the user confirmed.
    bool confirmAction(const ActionSpec &action);

    QPointer<InstrumentHost> m_host;
    QString m_id;
    QHash<QString, ParameterEditor *> m_editors;
    QMultiHash<QString, QPushButton *> m_actionGates; ///< buttons enabled by a Bool parameter
    QMultiHash<QString, QString> m_dependents;        ///< parameter → parameters relevant by its value
    QMultiHash<QString, QString> m_unitFollowers;     ///< unit parameter → parameters shown in its unit
    QMultiHash<QString, QString> m_choiceFollowers;   ///< parameter → choice lists that depend on its value
    QHash<QString, CollapsibleGroupBox *> m_groups;    ///< parameter group → its box (not Connection)
    QMultiHash<QString, QString> m_groupKeys;          ///< group → its shown settings
    QSet<QString> m_groupsWithActions;
    QHash<QString, QLabel *> m_tables;                 ///< table parameter → its label (above it)
    QString m_refusedKey;  ///< the setting whose refusal the error label shows
    QString m_refusedText;
    ChannelListWidget *m_channels = nullptr;
    QLineEdit *m_address = nullptr;
    QPushButton *m_connect = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_reconnect = nullptr;
    QPushButton *m_cancelReconnect = nullptr;
    QCheckBox *m_autoReconnect = nullptr;
    QWidget *m_reconnectBox = nullptr;
    QLabel *m_reconnectLabel = nullptr;
    QTimer *m_reconnectTick = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_message = nullptr;
    QProgressBar *m_progress = nullptr;
    QTimer *m_progressHide = nullptr;
    QScrollArea *m_scroll = nullptr;
    CollapsibleGroupBox *m_connectionGroup = nullptr;
};

} // namespace bs
