package dev.mcu.events.signal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * Every message the server sends a client (PROTOCOL.md section 1, "Server to client"). The JSON
 * {@code type} is the name in {@link JsonSubTypes}; a record's components are the message's fields.
 * Mixer workers produce most of them and signaling forwards them unchanged.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerMessage.Joined.class, name = "joined"),
        @JsonSubTypes.Type(value = ServerMessage.Answer.class, name = "answer"),
        @JsonSubTypes.Type(value = ServerMessage.Candidate.class, name = "candidate"),
        @JsonSubTypes.Type(value = ServerMessage.ParticipantJoined.class, name = "participant-joined"),
        @JsonSubTypes.Type(value = ServerMessage.ParticipantLeft.class, name = "participant-left"),
        @JsonSubTypes.Type(value = ServerMessage.ParticipantUpdated.class, name = "participant-updated"),
        @JsonSubTypes.Type(value = ServerMessage.ActiveSpeaker.class, name = "active-speaker"),
        @JsonSubTypes.Type(value = ServerMessage.ViewChanged.class, name = "view-changed"),
        @JsonSubTypes.Type(value = ServerMessage.Reconnect.class, name = "reconnect"),
        @JsonSubTypes.Type(value = ServerMessage.Kicked.class, name = "kicked"),
        @JsonSubTypes.Type(value = ServerMessage.RoomClosed.class, name = "room-closed"),
        @JsonSubTypes.Type(value = ServerMessage.Recording.class, name = "recording"),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
})
public sealed interface ServerMessage {

    /** Whether the session ends after this message (the server then closes the socket). */
    default boolean endsSession() {
        return false;
    }

    record Joined(String room, String participantId, List<Participant> participants, List<IceServer> iceServers,
                  View view) implements ServerMessage {
    }

    record Answer(String sdp) implements ServerMessage {
    }

    /** @param candidate null marks the end of candidates */
    record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) implements ServerMessage {
    }

    record ParticipantJoined(Participant participant) implements ServerMessage {
    }

    /** @param reason {@code left}, {@code kicked}, {@code disconnected} or {@code timeout} */
    record ParticipantLeft(String participantId, LeaveReason reason) implements ServerMessage {
    }

    record ParticipantUpdated(Participant participant) implements ServerMessage {
    }

    /** A recording or live stream of the room started ({@code active}) or stopped. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Recording(boolean active, String recordingId) implements ServerMessage {
    }

    /** @param participantId null when nobody holds the floor (the field is still sent) */
    record ActiveSpeaker(String participantId) implements ServerMessage {
    }

    /**
     * The effective view. Extension: while the viewer's bandwidth tier holds it below what it asked
     * for, {@code requested} is that request and {@code tier} the tier's name ({@code medium},
     * {@code small}, {@code tiny}, {@code minimal}); both are absent otherwise.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ViewChanged(View view, View requested, String tier) implements ServerMessage {
        @JsonCreator
        public ViewChanged {
        }

        public ViewChanged(View view) {
            this(view, null, null);
        }
    }

    record Reconnect(String reason) implements ServerMessage {
    }

    record Kicked(String reason) implements ServerMessage {
        /** The reason when another session joined the room with the same identity. */
        public static final String REPLACED = "replaced";

        @Override
        public boolean endsSession() {
            return true;
        }
    }

    record RoomClosed(String reason) implements ServerMessage {
        @Override
        public boolean endsSession() {
            return true;
        }
    }

    /** @param id the {@code id} of the client message this answers, if it had one */
    record Error(ErrorCode code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String id)
            implements ServerMessage {

        public Error(ErrorCode code, String message) {
            this(code, message, null);
        }
    }

    record Pong() implements ServerMessage {
    }
}
