package dev.mcu.mixer.room;

import dev.mcu.events.signal.LeaveReason;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.RTCIceCandidate;

/**
 * What a room tells the outside world (signaling, the control plane, tests). Called in order, one
 * at a time per room, on a pooled thread: never on a clock or libwebrtc thread.
 */
public interface RoomListener {

    default void participantJoined(ParticipantInfo participant) {
    }

    /** The participant's peer connected and its mix is on the wire (audio packets sent). */
    default void mediaFlowing(String participantId) {
    }

    /** @param reason {@code left}, {@code kicked}, {@code disconnected} or {@code timeout} */
    default void participantLeft(String participantId, LeaveReason reason) {
    }

    default void participantUpdated(ParticipantInfo participant) {
    }

    /** The active speaker changed; null when nobody holds the floor. */
    default void activeSpeaker(String participantId) {
    }

    /** A trickled ICE candidate of the mixer's side of a participant's peer connection. */
    default void localCandidate(String participantId, RTCIceCandidate candidate) {
    }

    /**
     * A participant's bandwidth tier changed, and with it its effective view.
     *
     * @param requested what it asked for (within the room's limits), the cap of every tier
     */
    default void viewChanged(String participantId, ViewSpec view, ViewSpec requested, Tier tier) {
    }

    default void roomClosed(String reason) {
    }

    RoomListener NONE = new RoomListener() {
    };
}
