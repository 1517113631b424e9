package dev.mcu.signaling.session;

import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.signal.View;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.signaling.auth.JoinGrant;

/**
 * A session's standing in its room: who the participant is, which worker hosts it, and what it
 * must keep if the room moves to another worker (name, view, mute state). Kept current from the
 * worker's own messages, so a move restores exactly what the participant had.
 */
final class Membership {

    final String room;
    final String participantId;
    final String identity;
    final String name;
    /** The token's {@code publish} grant: without it the participant stays muted in everyone's mix. */
    final boolean canPublish;
    private String workerId;
    /** The run of that worker the room was placed on when this participant joined it. */
    private String workerInstance;
    /** A draining worker the participant is leaving; it is let go once the new worker has it. */
    private String movingFrom;
    private View view;
    private boolean audioMuted;
    private boolean videoMuted;

    /** The verified token this participant joined with (a kick revokes it). */
    final JoinGrant grant;

    Membership(String participantId, RoomRecord assignment, JoinGrant grant, String name) {
        this.room = grant.room();
        this.participantId = participantId;
        this.workerId = assignment.workerId();
        this.workerInstance = assignment.workerInstance();
        this.identity = grant.identity();
        this.name = name;
        this.grant = grant;
        this.canPublish = grant.publish();
        this.audioMuted = !canPublish;
        this.videoMuted = !canPublish;
    }

    String workerId() {
        return workerId;
    }

    String workerInstance() {
        return workerInstance;
    }

    /** The join for the current worker: the first one (with the requested view) or after a move. */
    WorkerCommand.Join join(View requested, RoomRecord room) {
        return new WorkerCommand.Join(identity, name, requested != null ? requested : view, room.maxParticipants(),
                audioMuted, videoMuted, room.video(), room.epoch());
    }

    /** Follows what the worker says of this participant. */
    void observe(ServerMessage message) {
        switch (message) {
            case ServerMessage.Joined j -> view = j.view();
            // What the client asked for moves with the room, not what its bandwidth tier made of it.
            case ServerMessage.ViewChanged v -> view = v.requested() != null ? v.requested() : v.view();
            case ServerMessage.ParticipantUpdated u when u.participant().id().equals(participantId) -> {
                audioMuted = u.participant().audioMuted();
                videoMuted = u.participant().videoMuted();
            }
            default -> {
            }
        }
    }

    /**
     * @param assignment        the room's new assignment (another worker, or a restart of the same one)
     * @param leavingLiveWorker whether the old worker is still alive (draining) and must be let go
     */
    void moveTo(RoomRecord assignment, boolean leavingLiveWorker) {
        movingFrom = leavingLiveWorker ? workerId : null;
        workerId = assignment.workerId();
        workerInstance = assignment.workerInstance();
    }

    /** The draining worker to release now that the move is done, or null. */
    String takeMovingFrom() {
        String from = movingFrom;
        movingFrom = null;
        return from != null && !from.equals(workerId) ? from : null;
    }
}
