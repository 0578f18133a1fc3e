// SPDX-License-Identifier: GPL-3.0-or-later
#include "TriggerAcquisition.h"

#include <algorithm>
#include <cmath>

namespace bs {

TriggerAcquisition::TriggerAcquisition(const FrameSettings &settings)
{
    setSettings(settings);
}

void TriggerAcquisition::setSettings(const FrameSettings &settings)
{
    m_settings = settings;
    if (!(m_settings.span > 0) || !std::isfinite(m_settings.span))
        m_settings.span = FrameSettings {}.span;
    m_settings.preTriggerPercent = std::isnan(settings.preTriggerPercent)
        ? FrameSettings {}.preTriggerPercent
        : std::clamp(settings.preTriggerPercent, 0.0, 100.0);
    arm();
}

double TriggerAcquisition::autoTimeout() const
{
    return std::max(m_settings.span, MinAutoTimeout);
}

void TriggerAcquisition::arm()
{
    m_pending.clear();
    m_reference = kNaN;
    m_state = TriggerState::Waiting;
}

void TriggerAcquisition::reset()
{
    m_pending.clear();
    m_frame.reset();
    m_newest = m_reference = kNaN;
    if (m_state != TriggerState::Stopped)
        m_state = TriggerState::Waiting;
}

void TriggerAcquisition::addTrigger(const TriggerEvent &event)
{
    if (m_state == TriggerState::Stopped)
        return;
    if (m_settings.mode == TriggerMode::Single && !m_pending.empty())
        return; // Single keeps the first trigger after arm()
    ++m_accepted;
    m_reference = event.time;
    m_state = TriggerState::Triggered;
    if (m_pending.size() >= MaxPending)
        m_pending.pop_front();
    m_pending.push_back(event);
}

void TriggerAcquisition::show(const TriggerFrame &f)
{
    m_frame = f;
    m_frame->serial = ++m_serial;
}

void TriggerAcquisition::advance(double newest)
{
    if (std::isnan(newest) || m_state == TriggerState::Stopped)
        return;
    m_newest = std::isnan(m_newest) ? newest : std::max(m_newest, newest);
    if (std::isnan(m_reference))
        m_reference = m_newest; // the timeout counts from the first data seen

    const double span = m_settings.span;
    const double pre = preFraction() * span, post = span - pre;
    // Triggers complete in time order: pop the complete ones, keep only the newest.
    const TriggerEvent *done = nullptr;
    TriggerEvent last;
    while (!m_pending.empty() && m_pending.front().time + post <= m_newest) {
        last = m_pending.front();
        done = &last;
        m_pending.pop_front();
    }
    if (done) {
        TriggerFrame f;
        f.trigger = last.time;
        f.from = last.time - pre;
        f.to = last.time + post;
        f.edge = last.edge;
        show(f);
        ++m_completed;
        if (m_settings.mode == TriggerMode::Single) {
            m_state = TriggerState::Stopped;
            m_pending.clear();
            return;
        }
    }

    const bool quiet = m_newest - m_reference > autoTimeout();
    if (m_settings.mode == TriggerMode::Auto && quiet) {
        m_state = TriggerState::Auto;
        TriggerFrame f;
        f.from = m_newest - span;
        f.to = m_newest;
        f.automatic = true;
        show(f);
        ++m_autoFrames;
    } else if (m_settings.mode != TriggerMode::Single && quiet) {
        m_state = TriggerState::Waiting;
    }
}

} // namespace bs
