package dev.mcu.mixer.worker;

import dev.mcu.events.signal.Layout;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.signal.View;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.video.ViewSpec;

/** Conversions between the wire objects of PROTOCOL.md and the mixer's own types. */
final class WireViews {

    private WireViews() {
    }

    /** The effective view for a request; fields not given take the defaults, all are clamped. */
    static ViewSpec spec(MixerConfig config, View view) {
        View v = view == null ? View.EMPTY : view;
        return ViewSpec.clamped(config, v.layout() == null ? null : Layout.fromWire(v.layout()), v.maxWidth(),
                v.maxHeight(), v.maxFps(), v.maxBitrateKbps(), v.includeSelf(), v.pin());
    }

    /** A change of view: fields not given keep their current values, all are clamped. */
    static ViewSpec change(MixerConfig config, ViewSpec current, View change) {
        View v = change == null ? View.EMPTY : change;
        return ViewSpec.clamped(config, v.layout() == null ? current.layout() : Layout.fromWire(v.layout()),
                v.maxWidth() != null ? v.maxWidth() : current.width(),
                v.maxHeight() != null ? v.maxHeight() : current.height(),
                v.maxFps() != null ? v.maxFps() : current.fps(),
                v.maxBitrateKbps() != null ? v.maxBitrateKbps() : current.bitrateKbps(),
                v.includeSelf() != null ? v.includeSelf() : current.includeSelf(),
                v.pin() != null ? v.pin() : current.pin());
    }

    /** The effective view as the wire shows it. */
    static View wire(ViewSpec spec) {
        return new View(spec.layout().wireName(), spec.width(), spec.height(), spec.fps(), spec.bitrateKbps(),
                spec.includeSelf(), spec.pin());
    }

    /**
     * {@code view-changed} for a participant: its effective view, and (an extension) what it asked
     * for and its bandwidth tier when the tier holds it below that.
     */
    static ServerMessage.ViewChanged changed(ViewSpec effective, ViewSpec requested, Tier tier) {
        boolean capped = tier != Tier.FULL && !effective.equals(requested);
        return new ServerMessage.ViewChanged(wire(effective), capped ? wire(requested) : null,
                capped ? tier.label() : null);
    }

    static ServerMessage.ViewChanged changed(Room room, String participantId) {
        return changed(room.currentView(participantId), room.requestedView(participantId), room.tier(participantId));
    }

    static Participant wire(ParticipantInfo p) {
        return new Participant(p.id(), p.name(), p.audioMuted(), p.videoMuted(), p.joinedAtMs());
    }
}
