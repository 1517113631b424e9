package dev.mcu.mixer.worker;

import dev.mcu.events.Ids;
import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.relay.WorkerCommand.Candidate;
import dev.mcu.events.relay.WorkerCommand.ChangeView;
import dev.mcu.events.relay.WorkerCommand.Join;
import dev.mcu.events.relay.WorkerCommand.Leave;
import dev.mcu.events.relay.WorkerCommand.Mute;
import dev.mcu.events.relay.WorkerCommand.Offer;
import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.signal.IceServer;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.sdp.InvalidSdpException;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.room.SerialExecutor;
import dev.mcu.mixer.video.ViewSpec;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A mixer worker on Kafka: reads its command topic and drives its rooms; answers and room events
 * go back to each participant's signaling node. Commands of one room run one at a time, in the
 * order they arrived (per-room stripes of serial executors), so a slow room never stalls the tail.
 */
public final class MixerWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MixerWorker.class.getName());
    private static final int STRIPES = 256;

    private final String id;
    private final Mixer mixer;
    private final KafkaBus bus;
    private final List<IceServer> iceServers;
    private final Replies replies;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final SerialExecutor[] stripes = new SerialExecutor[STRIPES];
    private final ConcurrentMap<String, RoomRelay> relays = new ConcurrentHashMap<>();
    private TopicTail tail;

    public MixerWorker(String id, Mixer mixer, KafkaBus bus, List<IceServer> iceServers) {
        this.id = Ids.require(id, "worker id");
        this.mixer = mixer;
        this.bus = bus;
        this.iceServers = List.copyOf(iceServers);
        this.replies = new Replies(bus);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new SerialExecutor(pool);
        }
    }

    public String id() {
        return id;
    }

    public Mixer mixer() {
        return mixer;
    }

    /** Starts taking commands; returns once the command topic is being read. */
    public MixerWorker start() {
        tail = bus.tail(Topics.workerCommands(id), (key, value) -> accept(value));
        return this;
    }

    private void accept(String json) {
        WorkerCommand c;
        try {
            c = Json.read(json, WorkerCommand.class);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker {0}: undecodable command dropped: {1}", id, e.getMessage());
            return;
        }
        if (!Ids.valid(c.room()) || !Ids.valid(c.participantId()) || !Ids.valid(c.node())
                || c.session() == null || c.command() == null) {
            LOG.log(Level.WARNING, "worker {0}: command without valid routing dropped: {1}", id, json);
            return;
        }
        stripes[Math.floorMod(c.room().hashCode(), STRIPES)].execute(() -> run(c));
    }

    private void run(WorkerCommand c) {
        SessionRoute from = new SessionRoute(c.node(), c.session());
        try {
            switch (c.command()) {
                case Join j -> join(c, from, j);
                case Offer o -> offer(c, from, o);
                case Candidate k -> candidate(c, k);
                case Mute m -> room(c).mute(c.participantId(), m.audio(), m.video());
                case ChangeView v -> view(c, from, v);
                case Leave l -> leave(c, l);
            }
        } catch (NoSuchElementException e) {
            replies.send(from, c.requestId(), new ServerMessage.Error(ErrorCode.NOT_FOUND, e.getMessage()));
        } catch (IllegalArgumentException e) {
            replies.send(from, c.requestId(), new ServerMessage.Error(ErrorCode.BAD_REQUEST, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "worker " + id + ": " + c.command().getClass().getSimpleName() + " failed", e);
            replies.send(from, c.requestId(), new ServerMessage.Error(ErrorCode.INTERNAL, "the mixer failed: "
                    + e.getMessage()));
        }
    }

    private void join(WorkerCommand c, SessionRoute from, Join j) {
        RoomRelay relay = relays.computeIfAbsent(c.room(), r -> new RoomRelay(replies));
        Room room = mixer.room(c.room(), relay);
        if (room.participants().size() >= j.maxParticipants()) {
            replies.send(from, c.requestId(), new ServerMessage.Error(ErrorCode.ROOM_FULL,
                    "room " + c.room() + " has its maximum of " + j.maxParticipants() + " participants"));
            return;
        }
        ViewSpec view = WireViews.spec(mixer.config(), j.view());
        relay.route(c.participantId(), from);
        try {
            room.join(c.participantId(), j.name(), view);
        } catch (IllegalStateException e) {
            relay.unroute(c.participantId());
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<dev.mcu.events.signal.Participant> everyone = room.participants().stream()
                .map(WireViews::wire).toList();
        replies.send(from, c.requestId(), new ServerMessage.Joined(c.room(), c.participantId(), everyone,
                iceServers, WireViews.wire(view)));
    }

    private void offer(WorkerCommand c, SessionRoute from, Offer o) {
        room(c).offer(c.participantId(), o.sdp()).whenComplete((sdp, error) -> {
            if (error == null) {
                replies.send(from, c.requestId(), new ServerMessage.Answer(sdp));
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            boolean clientFault = cause instanceof InvalidSdpException || cause instanceof IllegalArgumentException;
            LOG.log(clientFault ? Level.DEBUG : Level.WARNING, "offer of {0} failed: {1}", c.participantId(),
                    cause.getMessage());
            replies.send(from, c.requestId(), new ServerMessage.Error(
                    clientFault ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL, "offer refused: " + cause.getMessage()));
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
        ViewSpec spec = room(c).view(c.participantId(), WireViews.spec(mixer.config(), v.view()));
        replies.send(from, c.requestId(), new ServerMessage.ViewChanged(WireViews.wire(spec)));
    }

    private void leave(WorkerCommand c, Leave l) {
        Room room = mixer.room(c.room());
        if (room == null) {
            return;
        }
        room.leave(c.participantId(), l.reason());
        if (room.participants().isEmpty()) {
            mixer.closeRoom(c.room(), "empty");
            relays.remove(c.room());
        }
    }

    private Room room(WorkerCommand c) {
        Room room = mixer.room(c.room());
        if (room == null) {
            throw new NoSuchElementException("room " + c.room() + " is not on this worker");
        }
        return room;
    }

    /** The participants of a room with their mute state, for tests and the control plane. */
    public List<ParticipantInfo> participants(String roomId) {
        Room room = mixer.room(roomId);
        return room == null ? List.of() : room.participants();
    }

    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
        pool.shutdown();
    }
}
