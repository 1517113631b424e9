package dev.mcu.events.relay;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mcu.events.signal.View;

/**
 * What a signaling node asks a mixer worker to do for one client session, on the worker's command
 * topic (keyed by room). The worker replies to {@code node}'s reply topic, addressed to
 * {@code session}, echoing {@code requestId}.
 *
 * @param requestId the client message's {@code id}, or null
 */
public record WorkerCommand(String room, String participantId, String node, String session, String requestId,
                            Command command) {

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Join.class, name = "join"),
            @JsonSubTypes.Type(value = Offer.class, name = "offer"),
            @JsonSubTypes.Type(value = Candidate.class, name = "candidate"),
            @JsonSubTypes.Type(value = Mute.class, name = "mute"),
            @JsonSubTypes.Type(value = ChangeView.class, name = "view"),
            @JsonSubTypes.Type(value = Leave.class, name = "leave"),
    })
    public sealed interface Command {
    }

    /** @param maxParticipants the room's limit when this join creates it */
    public record Join(String identity, String name, View view, int maxParticipants) implements Command {
    }

    public record Offer(String sdp) implements Command {
    }

    /** @param candidate null marks the end of the client's candidates */
    public record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) implements Command {
    }

    public record Mute(Boolean audio, Boolean video) implements Command {
    }

    public record ChangeView(View view) implements Command {
    }

    /** @param reason {@code left} (the client said so) or {@code disconnected} (its socket closed) */
    public record Leave(String reason) implements Command {
    }
}
