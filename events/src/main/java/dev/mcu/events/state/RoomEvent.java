package dev.mcu.events.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mcu.events.signal.Participant;

/**
 * What happened in a room, as its worker saw it, on the append-only topic
 * {@link dev.mcu.events.Topics#ROOM_EVENTS} (key: room id). The control plane builds its view of
 * participants from these.
 *
 * @param type        {@code participant-joined}, {@code participant-left}, {@code participant-updated},
 *                    {@code participant-media}, {@code room-closed}
 * @param participant the participant for joined and updated
 * @param reason      why a participant left or the room closed
 * @param workerInstance the run of the worker that saw it (see {@link WorkerStatus#instance})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomEvent(String room, String workerId, String workerInstance, long atMs, String type,
                        Participant participant, String participantId, String reason) {

    public static final String JOINED = "participant-joined";
    public static final String LEFT = "participant-left";
    public static final String UPDATED = "participant-updated";
    public static final String CLOSED = "room-closed";
    /** A recording or live stream failed; {@code reason} says why (the room goes on). */
    public static final String RECORDING_FAILED = "recording-failed";
    /** The participant's peer connected and the mix is flowing to it (audio packets sent). */
    public static final String MEDIA = "participant-media";
}
