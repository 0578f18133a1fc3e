// SPDX-License-Identifier: GPL-3.0-or-later
// Sends the settings to the unit before each acquisition: resolution, channels, timebase,
// trigger, signal generator (protocols/picoscope.md §8, §10.1, §11, §12).
#include "PicoDriver.h"

#include "PicoProtocol.h"
#include "StreamInfo.h"

#include <cmath>

namespace bs::picoscope {

bool PicoDriver::channelWanted(int channel) const
{
    return channel < m_unitChannels && m_params.boolValue(channelKey(channel, "enabled"));
}

bool PicoDriver::configure()
{
    m_ratioMode = mode() == Mode::Block ? ratioModeFromName(m_params.stringValue(QStringLiteral("downsampling")))
                                        : RatioNone;
    m_ratio = m_ratioMode == RatioNone ? 1 : std::uint32_t(m_params.intValue(QStringLiteral("downsample_ratio")));
    if (!applyResolution() || !applyChannels())
        return false;
    if (mode() != Mode::Streaming) {
        const auto samples = std::int32_t(m_params.intValue(QStringLiteral("samples")));
        m_pre = std::int32_t(std::llround(samples * m_params.doubleValue(QStringLiteral("pre_trigger")) / 100.0));
        m_post = samples - m_pre;
        if (!applySegments() || !chooseTimebase(samples))
            return false;
    }
    return applyTrigger() && applySignalGenerator();
}

bool PicoDriver::applyResolution()
{
    if (m_api->family() != Family::Ps5000a)
        return true;
    const int res = resolutionEnumFromName(m_params.stringValue(QStringLiteral("resolution")));
    const int bits = resolutionBits(res);
    QStringList enabled;
    for (int ch = 0; ch < m_unitChannels; ++ch)
        if (channelWanted(ch) && !(m_usbPowered && ch >= 2))
            enabled << channelLetter(ch);
    if (enabled.size() > maxChannelsForResolution(bits)) {
        fail(tr("PicoScope: %1-bit resolution allows %2 channel(s), but %3 are enabled (%4). Disable channels or "
                "choose a lower resolution.")
                 .arg(bits)
                 .arg(maxChannelsForResolution(bits))
                 .arg(enabled.size())
                 .arg(enabled.join(QStringLiteral(", "))));
        return false;
    }
    // Switch the unused channels off first: the unit checks the count against the new resolution.
    // (On USB power C and D are never touched: the unit refuses any call for them.)
    for (int ch = 0; ch < m_unitChannels; ++ch)
        if (!channelWanted(ch) && !(m_usbPowered && ch >= 2)
            && !ok(m_api->setChannel(m_handle, ch, false, DC, 7, 0.0f), "SetChannel"))
            return false;
    if (!ok(m_api->setResolution(m_handle, res), "SetDeviceResolution"))
        return false;
    std::int16_t maxAdc = 0;
    if (!ok(m_api->maximumValue(m_handle, &maxAdc), "MaximumValue"))
        return false;
    m_maxAdc = maxAdc > 0 ? maxAdc : m_maxAdc;
    return true;
}

bool PicoDriver::applyChannels()
{
    m_inputs.clear();
    for (int ch = 0; ch < m_unitChannels; ++ch) {
        bool want = channelWanted(ch);
        if (m_usbPowered && ch >= 2) {
            if (want)
                Q_EMIT message(tr("Channel %1 is enabled but unavailable on USB power: it stays off.").arg(channelLetter(ch)));
            continue;
        }
        const int coupling = m_params.stringValue(channelKey(ch, "coupling")) == QLatin1String("AC") ? AC : DC;
        const int range = rangeIndexFromName(m_params.stringValue(channelKey(ch, "range")));
        const double offset = m_params.doubleValue(channelKey(ch, "offset"));
        if (want) {
            float maxOff = float(analogueOffsetLimit(range)), minOff = -maxOff;
            m_api->analogueOffset(m_handle, range, coupling, &maxOff, &minOff); // keeps the table on failure
            if (offset > double(maxOff) + 1e-6 || offset < double(minOff) - 1e-6) {
                fail(tr("PicoScope: channel %1 analogue offset %2 V is outside %3 … %4 V for the %5 range")
                         .arg(channelLetter(ch))
                         .arg(offset)
                         .arg(double(minOff))
                         .arg(double(maxOff))
                         .arg(rangeName(range)));
                return false;
            }
        }
        const PicoStatus st = m_api->setChannel(m_handle, ch, want, coupling, range, float(want ? offset : 0.0));
        if (st != kOk) {
            fail(tr("PicoScope: channel %1 (%2, %3, offset %4 V): %5")
                     .arg(channelLetter(ch), rangeName(range), coupling == AC ? QStringLiteral("AC") : QStringLiteral("DC"))
                     .arg(offset)
                     .arg(describeStatus(m_api->functionName("SetChannel"), st)));
            return false;
        }
        if (want)
            m_inputs.push_back({ch, ChannelScale{rangeVolts(range), m_maxAdc, offset}, {}, {}});
    }
    for (int ch = m_unitChannels; ch < kAnalogueChannels; ++ch)
        if (m_params.boolValue(channelKey(ch, "enabled")))
            Q_EMIT message(tr("Channel %1 is enabled, but the %2 has %3 channels: it is not used.")
                               .arg(channelLetter(ch), m_params.stringValue(QStringLiteral("variant")))
                               .arg(m_unitChannels));
    if (m_inputs.empty()) {
        fail(tr("PicoScope: no channel is enabled"));
        return false;
    }
    return true;
}

bool PicoDriver::chooseTimebase(std::int32_t samples)
{
    const double wanted = m_params.doubleValue(QStringLiteral("sample_interval"));
    const int bits = m_api->family() == Family::Ps5000a
        ? resolutionBits(resolutionEnumFromName(m_params.stringValue(QStringLiteral("resolution"))))
        : 8;
    std::uint32_t tb = timebaseNearest(m_api->family(), bits, wanted);
    // As the vendor examples do: ask, and take the next timebase while the unit refuses.
    for (int tries = 0; tries < 64; ++tries, ++tb) {
        float ns = 0;
        std::int32_t maxSamples = 0;
        const PicoStatus st = m_api->timebase(m_handle, tb, samples, &ns, &maxSamples, 0);
        if (st == kInvalidTimebase)
            continue;
        if (st != kOk) {
            fail(tr("PicoScope: %1 samples at %2: %3")
                     .arg(samples)
                     .arg(formatInterval(wanted), describeStatus(m_api->functionName("GetTimebase2"), st)));
            return false;
        }
        m_timebase = tb;
        m_rawDt = double(ns) * 1e-9;
        m_dt = m_rawDt * double(m_ratio);
        updateParameter(QStringLiteral("actual_interval"),
                        QStringLiteral("%1 (%2, timebase %3)").arg(formatInterval(m_rawDt), formatRate(1.0 / m_rawDt)).arg(tb));
        announceStream(m_dt);
        return true;
    }
    fail(tr("PicoScope: no timebase near %1 is accepted with the enabled channels").arg(formatInterval(wanted)));
    return false;
}

bool PicoDriver::applyTrigger()
{
    const QString kind = m_params.stringValue(QStringLiteral("trigger"));
    const QString sourceName = m_params.stringValue(QStringLiteral("trigger_source"));
    const int source = sourceName == QLatin1String("EXT") ? kExternalChannel : int(sourceName.at(0).unicode() - u'A');
    const int direction = std::max(0, directionFromName(m_params.stringValue(QStringLiteral("trigger_direction"))));
    const auto autoMs = std::int16_t(m_params.intValue(QStringLiteral("trigger_auto_ms")));
    const auto delay = std::uint32_t(m_params.intValue(QStringLiteral("trigger_delay")));
    // Thresholds are ADC counts of the source's range (EXT: ±5 V over ±32767, as the manuals give).
    ChannelScale scale{5.0, 32767, 0.0};
    if (source != kExternalChannel && source >= m_unitChannels && kind != QLatin1String("none")) {
        fail(tr("PicoScope: the trigger source, channel %1, does not exist on the %2 (%3 channels)")
                 .arg(sourceName, m_params.stringValue(QStringLiteral("variant")))
                 .arg(m_unitChannels));
        return false;
    }
    if (source != kExternalChannel) {
        const auto it = std::find_if(m_inputs.begin(), m_inputs.end(), [&](const Input &i) { return i.channel == source; });
        if (it == m_inputs.end() && kind != QLatin1String("none")) {
            fail(tr("PicoScope: the trigger source, channel %1, is not enabled").arg(sourceName));
            return false;
        }
        if (it != m_inputs.end())
            scale = it->scale;
    }
    const double level = m_params.doubleValue(QStringLiteral("trigger_level"));
    // Clear both trigger kinds; the one chosen is set below.
    m_api->triggerConditions(m_handle, nullptr, false);
    if (kind == QLatin1String("none"))
        return ok(m_api->simpleTrigger(m_handle, false, 0, 0, Rising, 0, 0), "SetSimpleTrigger");
    if (kind == QLatin1String("edge"))
        return ok(m_api->simpleTrigger(m_handle, true, source, scale.counts(level), direction, delay, autoMs),
                  "SetSimpleTrigger");

    // The condition/direction/property set (the data logger's order): one condition on the source.
    int states[6] = {DontCare, DontCare, DontCare, DontCare, DontCare, DontCare};
    int directions[6] = {Rising, Rising, Rising, Rising, Rising, Rising};
    states[source] = True;
    directions[source] = direction;
    TriggerProperty p;
    p.channel = source;
    const double hysteresisCounts = std::abs(double(scale.counts(m_params.doubleValue(QStringLiteral("trigger_hysteresis"))))
                                             - double(scale.counts(0.0)));
    p.upperHysteresis = p.lowerHysteresis = std::uint16_t(std::min(hysteresisCounts, 65535.0));
    if (kind == QLatin1String("window")) {
        const double lower = m_params.doubleValue(QStringLiteral("trigger_level2"));
        p.upper = scale.counts(std::max(level, lower));
        p.lower = scale.counts(std::min(level, lower));
        p.mode = Window;
    } else {
        p.upper = p.lower = scale.counts(level);
        p.mode = Level;
    }
    m_api->simpleTrigger(m_handle, false, 0, 0, Rising, 0, 0);
    return ok(m_api->triggerConditions(m_handle, states, true), "SetTriggerChannelConditions")
        && ok(m_api->triggerDirections(m_handle, directions), "SetTriggerChannelDirections")
        && ok(m_api->triggerProperties(m_handle, &p, 1, autoMs), "SetTriggerChannelProperties")
        && ok(m_api->triggerDelay(m_handle, delay), "SetTriggerDelay");
}

bool PicoDriver::applySignalGenerator()
{
    const bool on = m_params.boolValue(QStringLiteral("siggen_enabled"));
    const QString waveName = m_params.stringValue(QStringLiteral("siggen_wave"));
    const QStringList offered = waveTypeNames(m_api->family());
    if (on && !offered.contains(waveName)) {
        fail(tr("PicoScope: the %1 signal generator has no '%2' waveform; choose one of %3.")
                 .arg(familyName(m_api->family()), waveName, offered.join(QStringLiteral(", "))));
        return false;
    }
    const int wave = on ? std::max(0, waveTypeFromName(waveName)) : kWaveDcVoltage;
    const double f = m_params.doubleValue(QStringLiteral("siggen_frequency"));
    const auto pkpk = std::uint32_t(std::llround((on ? m_params.doubleValue(QStringLiteral("siggen_amplitude")) : 0.0) * 1e6));
    const auto offset = std::int32_t(std::llround((on ? m_params.doubleValue(QStringLiteral("siggen_offset")) : 0.0) * 1e6));
    return ok(m_api->sigGenBuiltIn(m_handle, offset, pkpk, wave, f, f, 0, 1, 0), "SetSigGenBuiltInV2");
}

void PicoDriver::announceStream(double dt)
{
    StreamInfo s;
    s.id = QStringLiteral("scope");
    s.name = tr("PicoScope channels");
    s.regular = true;
    s.nominalRate = dt > 0 ? 1.0 / dt : 0.0;
    // Each channel carries the unit's int16 ADC counts with the range's volts per count (and the
    // analogue offset); a range, resolution or offset change re-announces the stream.
    if (m_inputs.empty()) {
        for (int ch = 0; ch < m_unitChannels; ++ch)
            if (channelWanted(ch) && !(m_usbPowered && ch >= 2)) {
                const ChannelScale scale{rangeVolts(rangeIndexFromName(m_params.stringValue(channelKey(ch, "range")))),
                                         m_maxAdc, m_params.doubleValue(channelKey(ch, "offset"))};
                s.channels.append({channelLetter(ch), QStringLiteral("V"), tr("Channel %1").arg(channelLetter(ch)), true,
                                   countFormat(scale)});
            }
    } else {
        for (const Input &in : m_inputs) {
            const QString letter = channelLetter(in.channel);
            const SampleFormat f = countFormat(in.scale);
            if (channelsPerInput() == 2) {
                s.channels.append({letter + QStringLiteral(" max"), QStringLiteral("V"), tr("Channel %1, maximum per interval").arg(letter), true, f});
                s.channels.append({letter + QStringLiteral(" min"), QStringLiteral("V"), tr("Channel %1, minimum per interval").arg(letter), true, f});
            } else {
                s.channels.append({letter, QStringLiteral("V"), tr("Channel %1").arg(letter), true, f});
            }
        }
    }
    m_formats = s.formats();
    if (streams().size() != 1 || !(streams().first() == s))
        setStreams({s});
}

SampleFormat PicoDriver::countFormat(const ChannelScale &scale)
{
    // volts = counts × range / maxAdc − analogue offset (ChannelScale::volts)
    return SampleFormat::of(SampleType::Int16, scale.rangeVolts / double(scale.maxAdc), -scale.offsetVolts);
}

} // namespace bs::picoscope
