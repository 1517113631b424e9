package dev.mcu.mixer.worker;

import dev.mcu.events.Ids;
import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.concurrent.SerialExecutor;
import dev.mcu.events.relay.WorkerCommand.CloseRoom;
import dev.mcu.events.relay.WorkerCommand.Drain;
import dev.mcu.events.relay.WorkerCommand.Kick;
import dev.mcu.events.relay.WorkerCommand.Mute;
import dev.mcu.events.relay.WorkerCommand.SetLayout;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.signal.IceServer;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.storage.RecordingStorage;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.room.Room;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mixer worker on Kafka: reads its command topic and drives its rooms; answers and room events
 * go back to each participant's signaling node ({@link RoomCommands} says what each command does).
 * Commands of one room run one at a time, in the order they arrived (per-room stripes of serial
 * executors), so a slow room never stalls the tail.
 */
public final class MixerWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MixerWorker.class.getName());
    private static final int STRIPES = 256;

    private final String id;
    private final String instance;
    private final Mixer mixer;
    private final KafkaBus bus;
    private final List<IceServer> iceServers;
    private final Replies replies;
    private final RoomEvents events;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final SerialExecutor[] stripes = new SerialExecutor[STRIPES];
    private final ConcurrentMap<String, RoomRelay> relays = new ConcurrentHashMap<>();
    private final double capacity;
    private TopicTail tail;
    private volatile WorkerHeartbeat heartbeat;
    private RoomFencing fencing;
    private final AtomicLong fenced = new AtomicLong();
    private RoomCommands commands;
    private final RecordingStorage storage;
    private WorkerRecordings recordings;

    /**
     * @param instance this run of the worker (a restart under the same id has another): what the
     *                 control plane placed on an earlier run moves
     * @param capacity the outbound stream cost this worker can carry, in 640x360/30 stream units
     */
    public MixerWorker(String id, String instance, Mixer mixer, KafkaBus bus, List<IceServer> iceServers,
                       double capacity, RecordingStorage storage) {
        this.id = Ids.require(id, "worker id");
        this.instance = Ids.require(instance, "worker instance");
        this.mixer = mixer;
        this.bus = bus;
        this.iceServers = List.copyOf(iceServers);
        this.capacity = capacity;
        this.storage = storage;
        this.replies = new Replies(bus);
        this.events = new RoomEvents(bus, this.id, this.instance);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new SerialExecutor(pool);
        }
    }

    public String id() {
        return id;
    }

    public String instance() {
        return instance;
    }

    public Mixer mixer() {
        return mixer;
    }

    /**
     * Starts taking commands; returns once the command topic is being read and the rooms are
     * replayed. The first heartbeat goes out last: nothing is placed here before commands are read.
     */
    public MixerWorker start() {
        return start(new RoomTable(bus));
    }

    /** @param assignments the rooms topic, already replayed (a standby reads it ahead), owned from now on */
    public MixerWorker start(RoomTable assignments) {
        fencing = new RoomFencing(id, instance, assignments, mixer, () -> heartbeat != null && heartbeat.draining(),
                (room, record) -> stripe(room).execute(() -> fenceRoom(room, record)));
        recordings = new WorkerRecordings(id, mixer, bus, storage, relays, events);
        commands = new RoomCommands(id, mixer, replies, events, relays, iceServers, capacity, fencing,
                () -> heartbeat, recordings, c -> stripe(c.room()).execute(() -> commands.run(c)));
        tail = bus.tail(Topics.workerCommands(id), (key, value) -> accept(value));
        heartbeat = new WorkerHeartbeat(id, instance, mixer, bus, capacity);
        return this;
    }

    /**
     * Stops, without a word to anyone, a room assigned to another worker: its participants are in it
     * there, so no {@code participant-left} may be sent.
     */
    private void fenceRoom(String roomId, RoomRecord record) {
        LOG.log(Level.WARNING, "worker {0}: room {1} is on {2} since epoch {3}; stopping it here", id, roomId,
                record.workerId(), record.epoch());
        RoomRelay relay = relays.remove(roomId);
        if (relay != null) {
            relay.silence();
        }
        mixer.closeRoom(roomId, "fenced");
        fenced.incrementAndGet();
    }

    /** Rooms this worker stopped because their assignment had moved on. */
    public long fencedRooms() {
        return fenced.get();
    }

    private SerialExecutor stripe(String room) {
        return stripes[Math.floorMod(room.hashCode(), STRIPES)];
    }

    private void accept(String json) {
        WorkerCommand c;
        try {
            c = Json.read(json, WorkerCommand.class);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker {0}: undecodable command dropped: {1}", id, e.getMessage());
            return;
        }
        boolean fromSession = c.node() != null || c.session() != null;
        boolean valid = Ids.valid(c.room()) && c.command() != null
                && (c.participantId() == null ? isRoomWide(c.command()) : Ids.valid(c.participantId()))
                && (!fromSession || (Ids.valid(c.node()) && c.session() != null))
                && (fromSession || isAdmin(c.command()));
        if (!valid) {
            LOG.log(Level.WARNING, "worker {0}: command without valid routing dropped: {1}", id, json);
            return;
        }
        stripe(c.room()).execute(() -> commands.run(c));
    }

    /** Commands the control plane may send for an admin, with no client session behind them. */
    private static boolean isAdmin(WorkerCommand.Command command) {
        return command instanceof Mute || command instanceof Kick || command instanceof WorkerCommand.Ingest
                || isRoomWide(command);
    }

    private static boolean isRoomWide(WorkerCommand.Command command) {
        return command instanceof SetLayout || command instanceof CloseRoom || command instanceof Drain;
    }

    /** The participants of a room with their mute state, for tests and the control plane. */
    public List<ParticipantInfo> participants(String roomId) {
        Room room = mixer.room(roomId);
        return room == null ? List.of() : room.participants();
    }

    /**
     * Dies abruptly, as a crashed process would (for failover tests): no more heartbeats, commands
     * or messages, then every peer connection goes away without a word to anyone.
     */
    public void kill() {
        if (fencing != null) {
            fencing.stop();
        }
        if (recordings != null) {
            recordings.silence();
        }
        replies.silence();
        events.silence();
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (tail != null) {
            tail.close();
        }
        mixer.close();
    }

    /** Not ready: a room's clocks stopped ticking (see WorkerHeartbeat). */
    public boolean stalled() {
        return heartbeat != null && heartbeat.stalled();
    }

    public WorkerHeartbeat heartbeat() {
        return heartbeat;
    }

    @Override
    public void close() {
        if (fencing != null) {
            fencing.close();
        }
        if (recordings != null) {
            recordings.close();
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (tail != null) {
            tail.close();
        }
        pool.shutdown();
    }
}
