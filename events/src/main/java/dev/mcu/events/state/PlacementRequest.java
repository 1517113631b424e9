package dev.mcu.events.state;

/**
 * A signaling node asks the control plane to place a room (first join, or its worker died), on
 * {@link dev.mcu.events.Topics#PLACEMENTS}. The answer is the room's record on the rooms topic,
 * with a live worker; a room that does not exist yet is created with the defaults.
 *
 * @param maxParticipants the limit of the room if this creates it
 */
public record PlacementRequest(String room, int maxParticipants, long sentAtMs) {
}
