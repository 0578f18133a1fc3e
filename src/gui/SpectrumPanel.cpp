// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrumPanel.h"

#include "AnalysisThread.h"
#include "ChannelChooser.h"

#include "ScopeView.h"
#include "SpectrumView.h"

#include <SpectrumSource.h>
#include <SpectrumWorker.h>
#include <TraceSource.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

namespace bs {

namespace {
constexpr int kUpdateMs = 200;
}

SpectrumPanel::SpectrumPanel(TraceSource *store, ScopeView *scope, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_scope(scope)
{
    setObjectName(QStringLiteral("spectrumPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(4, 2, 4, 0);
    top->addWidget(new QLabel(tr("Spectrum of"), this));
    m_channels = new QComboBox(this);
    m_channels->setObjectName(QStringLiteral("spectrumChannel"));
    m_channels->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_channels->setToolTip(tr("The channel transformed: its samples in the time window the scope shows"));
    top->addWidget(m_channels);
    top->addStretch(1);
    layout->addLayout(top);
    m_view = new SpectrumView(this);
    layout->addWidget(m_view, 1);

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("spectrum"));
    m_worker = new SpectrumWorker;
    m_source = new SpectrumSource(*m_store, m_worker, m_worker);
    m_worker->moveToThread(m_thread); // with its child, the source
    m_view->attach(m_worker);
    connect(m_source, &SpectrumSource::refused, m_view, &SpectrumView::setResult, Qt::QueuedConnection);
    startAnalysisThread(m_thread);

    connect(m_channels, &QComboBox::activated, this, [this] {
        m_channel = m_channels->currentData().toString();
        m_lastKey.clear();
        update();
        Q_EMIT changed();
    });
    connect(m_view, &SpectrumView::settingsChanged, this, &SpectrumPanel::changed);
    m_timer = new QTimer(this);
    m_timer->setInterval(kUpdateMs);
    connect(m_timer, &QTimer::timeout, this, &SpectrumPanel::update);
    m_timer->start();
}

SpectrumPanel::~SpectrumPanel()
{
    m_thread->quit();
    m_thread->wait();
    delete m_worker; // and the source, its child; their thread has finished
}

void SpectrumPanel::setChannel(const QString &styleKey)
{
    m_channel = styleKey;
    m_lastKey.clear();
    update();
}

void SpectrumPanel::setScope(ScopeView *scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    m_lastKey.clear(); // transform again, on the new view
    update();
}

QJsonObject SpectrumPanel::saveState() const
{
    QJsonObject o = m_view->saveState();
    o.insert(QStringLiteral("channel"), m_channel);
    return o;
}

void SpectrumPanel::restoreState(const QJsonObject &state)
{
    m_view->restoreState(state);
    setChannel(state.value(QStringLiteral("channel")).toString());
}

void SpectrumPanel::update()
{
    if (!m_scope)
        return;
    const QVector<ScopeView::ShownChannel> shown = m_scope->shownChannels();
    // The list follows the scope's channels; the chosen one stays chosen while it exists.
    const int chosen = syncChannelChooser(m_channels, shown, m_channel);
    if (!isVisible() || chosen < 0)
        return;
    const ScopeView::ShownChannel &c = shown[chosen];
    const auto [from, to] = m_scope->visibleTimeRange();
    const quint64 revision = m_store->revision();
    if (c.styleKey == m_lastKey && from == m_lastFrom && to == m_lastTo && revision == m_lastRevision)
        return;
    m_lastKey = c.styleKey;
    m_lastFrom = from;
    m_lastTo = to;
    m_lastRevision = revision;
    m_source->request({ c.key, c.label, c.unit, from, to });
}

} // namespace bs
