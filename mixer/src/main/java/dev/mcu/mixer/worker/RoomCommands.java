package dev.mcu.mixer.worker;

import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.relay.WorkerCommand.Candidate;
import dev.mcu.events.relay.WorkerCommand.ChangeView;
import dev.mcu.events.relay.WorkerCommand.CloseRoom;
import dev.mcu.events.relay.WorkerCommand.Drain;
import dev.mcu.events.relay.WorkerCommand.Ingest;
import dev.mcu.events.relay.WorkerCommand.Join;
import dev.mcu.events.relay.WorkerCommand.Kick;
import dev.mcu.events.relay.WorkerCommand.Leave;
import dev.mcu.events.relay.WorkerCommand.Mute;
import dev.mcu.events.relay.WorkerCommand.Offer;
import dev.mcu.events.relay.WorkerCommand.SetLayout;
import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.signal.IceServer;
import dev.mcu.events.signal.Layout;
import dev.mcu.events.signal.LeaveReason;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.mixer.ingest.IngestSource;
import dev.mcu.mixer.peer.PeerFactoryPool;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.video.ViewSpec;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * What each command does to a worker's rooms: joins (with the room's and the worker's limits),
 * negotiation, views, mutes, leaves and admin commands, each answered to the session it came from.
 * {@link MixerWorker} runs them one room at a time, in order.
 */
final class RoomCommands {

    private static final System.Logger LOG = System.getLogger(RoomCommands.class.getName());

    private final String id;
    private final Mixer mixer;
    private final Replies replies;
    private final RoomEvents events;
    private final ConcurrentMap<String, RoomRelay> relays;
    private final List<IceServer> iceServers;
    private final double capacity;
    private final RoomFencing fencing;
    private final Supplier<WorkerHeartbeat> heartbeat;
    private final WorkerRecordings recordings;
    /** Runs a command of the worker's own in its room's order (an ingest that ended leaves). */
    private final java.util.function.Consumer<WorkerCommand> later;

    RoomCommands(String id, Mixer mixer, Replies replies, RoomEvents events, ConcurrentMap<String, RoomRelay> relays,
                 List<IceServer> iceServers, double capacity, RoomFencing fencing, Supplier<WorkerHeartbeat> heartbeat,
                 WorkerRecordings recordings, java.util.function.Consumer<WorkerCommand> later) {
        this.id = id;
        this.mixer = mixer;
        this.replies = replies;
        this.events = events;
        this.relays = relays;
        this.iceServers = iceServers;
        this.capacity = capacity;
        this.fencing = fencing;
        this.heartbeat = heartbeat;
        this.recordings = recordings;
        this.later = later;
    }

    void run(WorkerCommand c) {
        SessionRoute from = c.node() == null ? null : new SessionRoute(c.node(), c.session());
        if (replaced(c, from)) {
            return;
        }
        try {
            switch (c.command()) {
                case Join j -> join(c, from, j);
                case Offer o -> offer(c, from, o);
                case Candidate k -> candidate(c, k);
                case Mute m -> room(c).mute(c.participantId(), m.audio(), m.video());
                case ChangeView v -> view(c, from, v);
                case Leave l -> leave(c, l);
                case Kick k -> kick(c, k);
                case SetLayout s -> setLayout(c, s);
                case Drain d -> heartbeat.get().drain();
                case Ingest i -> ingest(c, i);
                case CloseRoom r -> {
                    mixer.closeRoom(c.room(), r.reason());
                    relays.remove(c.room());
                }
            }
        } catch (CodedException e) {
            reply(from, c, new ServerMessage.Error(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "worker " + id + ": " + c.command().getClass().getSimpleName() + " failed", e);
            reply(from, c, new ServerMessage.Error(ErrorCode.INTERNAL, "the mixer failed: " + e.getMessage()));
        }
    }

    /**
     * Whether a command comes from a session that another one of the same participant has replaced
     * (the client reconnected through another signaling node): its leave, offers and the rest must
     * not touch the participant the new session now drives.
     */
    private boolean replaced(WorkerCommand c, SessionRoute from) {
        if (from == null || c.command() instanceof Join || c.participantId() == null) {
            return false;
        }
        RoomRelay relay = relays.get(c.room());
        SessionRoute current = relay == null ? null : relay.route(c.participantId());
        if (current != null && !current.equals(from)) {
            LOG.log(Level.DEBUG, "worker {0}: {1} of {2} from a replaced session ignored", id,
                    c.command().getClass().getSimpleName(), c.participantId());
            return true;
        }
        return false;
    }

    /** Replies to the session a command came from; admin commands have none (their effect is the answer). */
    private void reply(SessionRoute from, WorkerCommand c, ServerMessage message) {
        if (from != null) {
            replies.send(from, c.requestId(), message);
        } else if (message instanceof ServerMessage.Error e) {
            LOG.log(Level.INFO, "worker {0}: admin {1} in room {2}: {3}", id,
                    c.command().getClass().getSimpleName(), c.room(), e.message());
        }
    }

    /** The participant hears {@code kicked} (its session closes), then leaves the room. */
    private void kick(WorkerCommand c, Kick k) {
        Room room = room(c);
        room.participant(c.participantId());
        RoomRelay relay = relays.get(c.room());
        SessionRoute route = relay == null ? null : relay.route(c.participantId());
        if (route != null) {
            replies.send(route, null, new ServerMessage.Kicked(k.reason()));
            relay.unroute(c.participantId());
        }
        leave(c, new Leave(LeaveReason.KICKED));
    }

    /** Every participant's view takes the layout; each hears its new effective view. */
    private void setLayout(WorkerCommand c, SetLayout s) {
        Layout layout = s.layout();
        if (layout == null || layout == Layout.UNKNOWN) {
            throw new CodedException(ErrorCode.BAD_REQUEST, "unknown layout " + layout);
        }
        Room room = room(c);
        RoomRelay relay = relays.get(c.room());
        for (ParticipantInfo p : room.participants()) {
            room.view(p.id(), room.requestedView(p.id()).withLayout(layout));
            SessionRoute route = relay == null ? null : relay.route(p.id());
            if (route != null) {
                replies.send(route, null, WireViews.changed(room, p.id()));
            }
        }
    }

    private void join(WorkerCommand c, SessionRoute from, Join j) {
        if (heartbeat.get().draining() && mixer.room(c.room()) == null) {
            replies.send(from, c.requestId(), new ServerMessage.Error(ErrorCode.UNAVAILABLE,
                    "worker " + id + " is draining and takes no new rooms"));
            return;
        }
        if (fencing.assignedElsewhere(c.room()).filter(r -> r.epoch() > j.epoch()).isPresent()) {
            replies.send(from, c.requestId(), new ServerMessage.Error(ErrorCode.UNAVAILABLE,
                    "room " + c.room() + " moved to another mixer worker; join again"));
            return;
        }
        RoomRelay relay = relays.computeIfAbsent(c.room(), r -> new RoomRelay(r, replies, events));
        Room room = mixer.room(c.room(), relay);
        ViewSpec view;
        try {
            view = admit(c, from, j, relay, room);
        } catch (RuntimeException e) {
            if (room.participants().isEmpty()) {
                mixer.closeRoom(c.room(), "empty"); // a refused first join leaves no empty room behind
                relays.remove(c.room());
            }
            throw e;
        }
        if (Boolean.TRUE.equals(j.audioMuted()) || Boolean.TRUE.equals(j.videoMuted())) {
            room.mute(c.participantId(), j.audioMuted(), j.videoMuted());
        }
        List<dev.mcu.events.signal.Participant> everyone = room.participants().stream()
                .map(WireViews::wire).toList();
        replies.send(from, c.requestId(), new ServerMessage.Joined(c.room(), c.participantId(), everyone,
                iceServers, WireViews.wire(view)));
        ServerMessage.Recording recording = recordings.activeFor(c.room());
        if (recording != null) {
            replies.send(from, null, recording); // told on joining that the room is being recorded
        }
        recordings.poke(); // a recording waiting for its room starts now
    }

    /**
     * Checks the room's and the worker's limits, then adds the participant; returns its effective view.
     * One identity per room at a time: a join with the identity of someone in the room replaces that
     * earlier session (whose place and cost it takes over), which hears {@code kicked} ({@code replaced};
     * its socket closes) and leaves. Signaling derives the participant id from the room and the
     * identity, so a client that reconnects through another node joins under its own id: it takes
     * its own place over the same way (its earlier session, if any is left, hears {@code replaced}),
     * and keeps its id. A participant rejoining a moved room is not here yet and replaces nobody.
     */
    private ViewSpec admit(WorkerCommand c, SessionRoute from, Join j, RoomRelay relay, Room room) {
        room.limitViews(j.roomVideo());
        String named = j.identity() == null ? null : relay.participantWithIdentity(j.identity(), c.participantId());
        boolean present = named != null && room.participants().stream().anyMatch(p -> p.id().equals(named));
        if (named != null && !present) {
            relay.unroute(named); // a stale name for someone already gone
        }
        String earlier = present ? named : null;
        if (earlier == null && room.participants().stream().anyMatch(p -> p.id().equals(c.participantId()))) {
            earlier = c.participantId(); // the same participant from a new session
        }
        int staying = room.participants().size() - (earlier != null ? 1 : 0);
        if (staying >= j.maxParticipants()) {
            throw new CodedException(ErrorCode.ROOM_FULL,
                    "room " + c.room() + " has its maximum of " + j.maxParticipants() + " participants");
        }
        ViewSpec view = WireViews.spec(mixer.config(), j.view()).within(j.roomVideo());
        double freed = earlier != null ? WorkerHeartbeat.cost(room.currentView(earlier)) : 0;
        double load = heartbeat.get().status().streamCost() - freed + WorkerHeartbeat.cost(view);
        if (load > capacity) {
            throw new CodedException(ErrorCode.UNAVAILABLE, String.format(java.util.Locale.ROOT,
                    "mixer worker %s is at its capacity (%.1f of %.1f stream units)", id, load, capacity));
        }
        if (earlier != null) {
            replace(relay, room, earlier, c.participantId(), from);
        }
        relay.route(c.participantId(), from);
        relay.identify(c.participantId(), j.identity());
        try {
            room.join(c.participantId(), j.name(), view);
            return room.currentView(c.participantId()); // as clamped to the room
        } catch (PeerFactoryPool.ExhaustedException e) {
            relay.unroute(c.participantId());
            throw new CodedException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
        } catch (IllegalStateException e) {
            relay.unroute(c.participantId());
            throw new CodedException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
        }
    }

    /** The earlier session of a joining identity hears {@code kicked: replaced} and leaves. */
    private void replace(RoomRelay relay, Room room, String earlier, String joining, SessionRoute from) {
        SessionRoute route = relay.route(earlier);
        if (route != null && !route.equals(from)) {
            replies.send(route, null, new ServerMessage.Kicked(ServerMessage.Kicked.REPLACED));
        }
        if (earlier.equals(joining)) {
            relay.rejoining(earlier); // its route is the new session's from here on
        } else {
            relay.unroute(earlier);
        }
        room.leave(earlier, LeaveReason.KICKED);
    }

    /**
     * The media joins the room as a participant with no peer connection; when it ends, it leaves
     * (in the room's order, as a leave command would). Only {@code file:} paths and http(s) URLs
     * reach FFmpeg, whatever the control plane let through.
     */
    private void ingest(WorkerCommand c, Ingest i) {
        String source = i.source();
        if (source == null || !(source.startsWith("file:/") || source.startsWith("http://")
                || source.startsWith("https://")) || source.chars().anyMatch(ch -> ch < ' ')) {
            throw new CodedException(ErrorCode.BAD_REQUEST, "an ingest source is a file: path or an http(s) URL");
        }
        Room room = room(c);
        String name = i.name() == null || i.name().isBlank() ? "Ingest" : i.name();
        WorkerCommand leave = new WorkerCommand(c.room(), c.participantId(), null, null, null,
                new Leave(LeaveReason.LEFT));
        IngestSource media = new IngestSource(source, source.startsWith("file:") ? source : "a URL",
                () -> later.accept(leave));
        room.joinSource(c.participantId(), name, media);
        var input = room.input(c.participantId());
        media.start(input.frames(), input.audioQueue());
    }

    private void offer(WorkerCommand c, SessionRoute from, Offer o) {
        Room room = room(c);
        room.offer(c.participantId(), o.sdp()).whenComplete((sdp, error) -> {
            if (error == null) {
                replies.send(from, c.requestId(), new ServerMessage.Answer(sdp));
                room.answerSent(c.participantId()); // after the answer, on the same topic: in order
                return;
            }
            room.answerSent(c.participantId());
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            // A refusal carries its code (the offer's fault); anything else is the mixer's (internal).
            ErrorCode code = cause instanceof CodedException coded ? coded.code() : ErrorCode.INTERNAL;
            LOG.log(code == ErrorCode.INTERNAL ? Level.WARNING : Level.DEBUG, "offer of {0} failed: {1}",
                    c.participantId(), cause.getMessage());
            replies.send(from, c.requestId(), new ServerMessage.Error(code, "offer refused: " + cause.getMessage()));
        });
    }

    private void candidate(WorkerCommand c, Candidate k) {
        if (k.candidate() == null || k.candidate().isEmpty()) {
            return; // End of candidates: libwebrtc needs no signal for it.
        }
        room(c).candidate(c.participantId(), k.sdpMid(), k.sdpMLineIndex() == null ? 0 : k.sdpMLineIndex(),
                k.candidate());
    }

    private void view(WorkerCommand c, SessionRoute from, ChangeView v) {
        Room room = room(c);
        ViewSpec current = room.requestedView(c.participantId());
        room.view(c.participantId(), WireViews.change(mixer.config(), current, v.view()));
        replies.send(from, c.requestId(), WireViews.changed(room, c.participantId()));
    }

    private void leave(WorkerCommand c, Leave l) {
        Room room = mixer.room(c.room());
        if (room == null) {
            return;
        }
        // A reason the contract does not name leaves as disconnected: participant-left has only four.
        LeaveReason reason = l.reason() == null || l.reason() == LeaveReason.UNKNOWN ? LeaveReason.DISCONNECTED
                : l.reason();
        room.leave(c.participantId(), reason);
        if (room.participants().isEmpty()) {
            mixer.closeRoom(c.room(), "empty");
            relays.remove(c.room());
        }
    }

    private Room room(WorkerCommand c) {
        Room room = mixer.room(c.room());
        if (room == null) {
            throw new CodedException(ErrorCode.NOT_FOUND, "room " + c.room() + " is not on this worker");
        }
        return room;
    }
}
