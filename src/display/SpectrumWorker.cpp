// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrumWorker.h"

#include <QMetaObject>

namespace bs {

SpectrumWorker::SpectrumWorker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<SpectrumResultPtr>();
}

void SpectrumWorker::submit(SpectrumInputPtr input)
{
    if (!input)
        return;
    {
        const std::lock_guard lock(m_mutex);
        if (m_pending)
            ++m_dropped;
        m_pending = std::move(input);
        if (m_posted)
            return; // the queued call already on its way takes the newest input
        m_posted = true;
    }
    QMetaObject::invokeMethod(this, &SpectrumWorker::process, Qt::QueuedConnection);
}

void SpectrumWorker::setSettings(const SpectrumSettings &settings)
{
    const std::lock_guard lock(m_mutex);
    m_settings = settings;
    m_settingsChanged = true;
}

SpectrumSettings SpectrumWorker::settings() const
{
    const std::lock_guard lock(m_mutex);
    return m_settings;
}

void SpectrumWorker::reset()
{
    const std::lock_guard lock(m_mutex);
    m_reset = true;
}

quint64 SpectrumWorker::droppedInputs() const
{
    const std::lock_guard lock(m_mutex);
    return m_dropped;
}

quint64 SpectrumWorker::computedInputs() const
{
    const std::lock_guard lock(m_mutex);
    return m_computed;
}

void SpectrumWorker::process()
{
    SpectrumInputPtr input;
    {
        const std::lock_guard lock(m_mutex);
        m_posted = false;
        input = std::move(m_pending);
        m_pending.reset();
        if (m_settingsChanged) {
            m_spectrum.setSettings(m_settings);
            m_settingsChanged = false;
        }
        if (m_reset) {
            m_spectrum.reset();
            m_reset = false;
        }
    }
    if (!input)
        return;
    auto result = std::make_shared<SpectrumResult>(m_spectrum.compute(input->values.data(), input->values.size(), input->dt));
    result->channel = input->channel;
    result->unit = input->unit;
    {
        const std::lock_guard lock(m_mutex);
        ++m_computed;
    }
    Q_EMIT resultReady(std::move(result));
}

} // namespace bs
