package dev.mcu.events.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mcu.events.signal.Participant;

/**
 * What happened in a room, as its worker saw it, on the append-only topic
 * {@link dev.mcu.events.Topics#ROOM_EVENTS} (key: room id). The control plane builds its view of
 * participants from these.
 *
 * @param type        {@code participant-joined}, {@code participant-left}, {@code participant-updated},
 *                    {@code room-closed}
 * @param participant the participant for joined and updated
 * @param reason      why a participant left or the room closed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomEvent(String room, String workerId, long atMs, String type, Participant participant,
                        String participantId, String reason) {

    public static final String JOINED = "participant-joined";
    public static final String LEFT = "participant-left";
    public static final String UPDATED = "participant-updated";
    public static final String CLOSED = "room-closed";
}
