package dev.mcu.mixer.worker;

import dev.mcu.events.signal.LeaveReason;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.state.RoomEvent;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.room.RoomListener;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.RTCIceCandidate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one room's events into messages for its participants' sessions: candidates to their
 * owner, membership and speaker changes to everyone concerned.
 */
final class RoomRelay implements RoomListener {

    private final String room;
    private final Replies replies;
    private final RoomEvents events;
    private final Map<String, SessionRoute> routes = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    /** Participants leaving only to join again under the same id from a new session (see {@link #rejoining}). */
    private final java.util.Set<String> rejoining = ConcurrentHashMap.newKeySet();
    /** Set when the room is fenced: its participants live on another worker now, nobody is told anything. */
    private volatile boolean silent;

    RoomRelay(String room, Replies replies, RoomEvents events) {
        this.room = room;
        this.replies = replies;
        this.events = events;
    }

    void route(String participantId, SessionRoute route) {
        routes.put(participantId, route);
    }

    /** Remembers whose token the participant joined with: one identity per room at a time. */
    void identify(String participantId, String identity) {
        if (identity != null) {
            identities.put(participantId, identity);
        }
    }

    /** The participant, other than {@code except}, that joined with this identity, or null. */
    String participantWithIdentity(String identity, String except) {
        for (Map.Entry<String, String> e : identities.entrySet()) {
            if (e.getValue().equals(identity) && !e.getKey().equals(except)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The participant's session is no longer told anything, and its identity is free again. */
    void unroute(String participantId) {
        routes.remove(participantId);
        identities.remove(participantId);
    }

    /**
     * The participant is about to leave and join again under its id from a new session (a client
     * that reconnected through another signaling node): its leave is told to the others, but its
     * route, which now leads to the new session, and its identity stay.
     */
    void rejoining(String participantId) {
        rejoining.add(participantId);
    }

    SessionRoute route(String participantId) {
        return routes.get(participantId);
    }

    @Override
    public void participantJoined(ParticipantInfo participant) {
        if (silent) {
            return;
        }
        events.publish(room, RoomEvent.JOINED, WireViews.wire(participant), participant.id(), null);
        ServerMessage m = new ServerMessage.ParticipantJoined(WireViews.wire(participant));
        routes.forEach((id, route) -> {
            if (!id.equals(participant.id())) {
                replies.send(route, null, m);
            }
        });
    }

    @Override
    public void mediaFlowing(String participantId) {
        if (!silent) {
            events.publish(room, RoomEvent.MEDIA, null, participantId, null);
        }
    }

    @Override
    public void participantLeft(String participantId, LeaveReason reason) {
        boolean rejoins = rejoining.remove(participantId);
        if (!rejoins) {
            identities.remove(participantId);
        }
        if (silent) {
            return;
        }
        // The leaver hears it too when the worker dropped it (peer failure): its client rejoins.
        SessionRoute own = rejoins ? null : routes.remove(participantId);
        if (reason == LeaveReason.MOVED) {
            // It is in the room on another worker already: nobody is told it left.
            return;
        }
        events.publish(room, RoomEvent.LEFT, null, participantId, reason.wire());
        ServerMessage m = new ServerMessage.ParticipantLeft(participantId, reason);
        if (own != null && reason != LeaveReason.LEFT) {
            replies.send(own, null, m);
        }
        routes.forEach((id, route) -> {
            if (!id.equals(participantId)) {
                replies.send(route, null, m);
            }
        });
    }

    @Override
    public void participantUpdated(ParticipantInfo participant) {
        if (silent) {
            return;
        }
        events.publish(room, RoomEvent.UPDATED, WireViews.wire(participant), participant.id(), null);
        broadcast(new ServerMessage.ParticipantUpdated(WireViews.wire(participant)));
    }

    @Override
    public void activeSpeaker(String participantId) {
        if (silent) {
            return;
        }
        broadcast(new ServerMessage.ActiveSpeaker(participantId));
    }

    @Override
    public void localCandidate(String participantId, RTCIceCandidate candidate) {
        if (silent) {
            return;
        }
        SessionRoute route = routes.get(participantId);
        if (route != null) {
            replies.send(route, null, new ServerMessage.Candidate(candidate.sdp, candidate.sdpMid,
                    candidate.sdpMLineIndex));
        }
    }

    @Override
    public void viewChanged(String participantId, ViewSpec view, ViewSpec requested, Tier tier) {
        if (silent) {
            return;
        }
        SessionRoute route = routes.get(participantId);
        if (route != null) {
            replies.send(route, null, WireViews.changed(view, requested, tier));
        }
    }

    @Override
    public void roomClosed(String reason) {
        if (silent) {
            return;
        }
        if (!"empty".equals(reason)) {
            // An emptied room has nothing to clear; its participants may be in it on another worker.
            events.publish(room, RoomEvent.CLOSED, null, null, reason);
        }
        broadcast(new ServerMessage.RoomClosed(reason));
        routes.clear();
    }

    /** From now on the room's events reach nobody: no session, no room event. */
    void silence() {
        silent = true;
        routes.clear();
    }

    /** Sends to every participant of the room. */
    void broadcast(ServerMessage m) {
        routes.values().forEach(route -> replies.send(route, null, m));
    }
}
