package dev.mcu.events.relay;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mcu.events.signal.Layout;
import dev.mcu.events.signal.LeaveReason;
import dev.mcu.events.signal.View;
import dev.mcu.events.state.VideoSettings;

/**
 * What a signaling node asks a mixer worker to do for one client session, or the control plane for
 * an admin, on the worker's command topic (keyed by room). The worker replies to {@code node}'s
 * reply topic, addressed to {@code session}, echoing {@code requestId}; admin commands carry no
 * node or session and get no reply (their effect shows in room events).
 *
 * @param participantId the participant concerned, or null for room-wide admin commands
 * @param requestId     the client message's {@code id}, or null
 */
public record WorkerCommand(String room, String participantId, String node, String session, String requestId,
                            Command command) {

    /** The {@code room} of commands about the worker itself (drain). */
    public static final String WORKER_SCOPE = "_worker";

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Join.class, name = "join"),
            @JsonSubTypes.Type(value = Offer.class, name = "offer"),
            @JsonSubTypes.Type(value = Candidate.class, name = "candidate"),
            @JsonSubTypes.Type(value = Mute.class, name = "mute"),
            @JsonSubTypes.Type(value = ChangeView.class, name = "view"),
            @JsonSubTypes.Type(value = Leave.class, name = "leave"),
            @JsonSubTypes.Type(value = Kick.class, name = "kick"),
            @JsonSubTypes.Type(value = SetLayout.class, name = "set-layout"),
            @JsonSubTypes.Type(value = CloseRoom.class, name = "close-room"),
            @JsonSubTypes.Type(value = Drain.class, name = "drain"),
            @JsonSubTypes.Type(value = Ingest.class, name = "ingest"),
    })
    public sealed interface Command {
    }

    /**
     * @param maxParticipants the room's limit
     * @param audioMuted      the participant's mute state to restore (a room moving to another worker), or null
     * @param roomVideo       the room's video settings, the largest view it allows, or null for the worker's
     * @param epoch           the room's assignment epoch the sender saw (0: unknown); a worker that knows
     *                        the room under a later epoch on another worker refuses the join
     */
    public record Join(String identity, String name, View view, int maxParticipants, Boolean audioMuted,
                       Boolean videoMuted, VideoSettings roomVideo, long epoch) implements Command {

        public Join(String identity, String name, View view, int maxParticipants) {
            this(identity, name, view, maxParticipants, null, null, null, 0);
        }
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
    public record Leave(LeaveReason reason) implements Command {
    }

    /** Admin: the participant gets {@code kicked} and leaves. */
    public record Kick(String reason) implements Command {
    }

    /** Admin: every participant's view takes this layout (they get {@code view-changed}). */
    public record SetLayout(Layout layout) implements Command {
    }

    /** Admin: the room ends; everyone gets {@code room-closed}. */
    public record CloseRoom(String reason) implements Command {
    }

    /**
     * Admin: the participant ({@code participantId}, chosen by the control plane) joins the room as
     * this media played in real time, and leaves when it ends.
     *
     * @param source {@code file:<absolute path>} under the ingest directory, or an http(s) URL
     */
    public record Ingest(String source, String name) implements Command {
    }

    /** Admin: the worker takes no new rooms (room {@link #WORKER_SCOPE}). */
    public record Drain() implements Command {
    }
}
