package dev.mcu.controlplane;

import dev.mcu.controlplane.http.AdminAuth;
import dev.mcu.controlplane.placement.PlacementService;
import dev.mcu.controlplane.recordings.RecordingRequests;
import dev.mcu.controlplane.recordings.RecordingsService;
import dev.mcu.controlplane.recordings.StreamsService;
import dev.mcu.controlplane.placement.ScheduledDirectory;
import dev.mcu.controlplane.rooms.AdminCommands;
import dev.mcu.controlplane.rooms.IngestService;
import dev.mcu.controlplane.rooms.ParticipantTable;
import dev.mcu.controlplane.rooms.RoomJanitor;
import dev.mcu.controlplane.rooms.RoomsService;
import dev.mcu.controlplane.tokens.TokenIssuer;
import dev.mcu.controlplane.tokens.TokenService;
import dev.mcu.controlplane.workers.FailoverClock;
import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.WorkerTable;
import dev.mcu.events.storage.RecordingStorage;
import io.helidon.webserver.http.HttpRouting;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The control plane: its state (rooms, participants, workers) rebuilt from Kafka when it starts,
 * the scheduler, and its routes (admin API, tokens, dashboard). It keeps nothing Kafka does not
 * have, so a restarted control plane loses nothing.
 */
public final class ControlPlane implements AutoCloseable {

    /**
     * @param expectedParticipants the scheduler's guess of a new room's size, for its cost
     * @param maxParticipants      the limit of a room created without one
     */
    public record Settings(String adminKey, String tokenSecret, String publicUrl, int expectedParticipants,
                           int maxParticipants, Duration emptyRoomTtl, RecordingStorage recordings,
                           Path ingestDirectory) {

        /** PROTOCOL.md: an auto-created room is removed after staying empty this long, by default. */
        public static final Duration DEFAULT_EMPTY_ROOM_TTL = Duration.ofMinutes(5);
        /** application.yaml's defaults: {@code recordings} under the working directory, 512 MiB kept free. */
        public static final RecordingStorage DEFAULT_RECORDINGS = new RecordingStorage(Path.of("recordings"),
                512L << 20);

        public Settings(String adminKey, String tokenSecret, String publicUrl, int expectedParticipants,
                        int maxParticipants) {
            this(adminKey, tokenSecret, publicUrl, expectedParticipants, maxParticipants, DEFAULT_EMPTY_ROOM_TTL,
                    DEFAULT_RECORDINGS, Path.of("ingest"));
        }
    }

    private final RoomTable rooms;
    private final WorkerTable workerTable;
    private final ParticipantTable participants;
    private final WorkerRegistry workers;
    private final ScheduledDirectory directory;
    private final TokenService tokens;
    private final RoomsService admin;
    private final RecordingRequests recordings;
    private final RecordingsService recordingRoutes;
    private final StreamsService streamRoutes;
    private final IngestService ingestRoutes;
    private final PlacementService placements;
    private final FailoverClock failovers;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("room-janitor").daemon().unstarted(r));
    private static final System.Logger LOG = System.getLogger(ControlPlane.class.getName());

    public ControlPlane(KafkaBus bus, Settings settings, Clock clock) {
        this.rooms = new RoomTable(bus);
        this.workerTable = new WorkerTable(bus, clock);
        this.participants = new ParticipantTable(bus);
        this.workers = new WorkerRegistry(workerTable);
        this.directory = new ScheduledDirectory(rooms, workers, settings.expectedParticipants(),
                settings.maxParticipants(), clock);
        participants.onJoined(directory::joined);
        AdminAuth auth = new AdminAuth(settings.adminKey());
        this.tokens = new TokenService(new TokenIssuer(settings.tokenSecret(), clock), auth, settings.publicUrl());
        this.recordings = new RecordingRequests(bus, clock);
        this.recordingRoutes = new RecordingsService(rooms, recordings, settings.recordings(), auth, clock);
        this.streamRoutes = new StreamsService(rooms, recordings, auth, clock);
        AdminCommands adminCommands = new AdminCommands(bus);
        this.ingestRoutes = new IngestService(rooms, participants, adminCommands, auth, settings.ingestDirectory(), clock);
        this.admin = new RoomsService(rooms, participants, workers, adminCommands, auth, clock,
                settings.maxParticipants(), recordings::roomDeleted);
        this.placements = new PlacementService(bus, rooms, directory, workers, r -> participants.count(r) > 0,
                clock);
        RoomJanitor janitor = new RoomJanitor(rooms, participants, workers, clock, settings.emptyRoomTtl(),
                room -> recordings.roomDeleted(room, false));
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                janitor.sweep();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "room janitor failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        this.failovers = new FailoverClock(workerTable, participants, clock);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                failovers.poll();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "failover clock failed", e);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** {@code /v1} (admin API and tokens) and {@code /admin}; with {@code dev}, {@code POST /dev/token} too. */
    public void routing(HttpRouting.Builder http, boolean dev) {
        http.register("/v1", tokens, admin, recordingRoutes, streamRoutes, ingestRoutes);
        if (dev) {
            tokens.devRouting(http);
        }
        AdminDashboard.routing(http);
    }

    public RecordingRequests recordings() {
        return recordings;
    }

    public RoomTable rooms() {
        return rooms;
    }

    public WorkerTable workerTable() {
        return workerTable;
    }

    public ParticipantTable participants() {
        return participants;
    }

    public WorkerRegistry workers() {
        return workers;
    }

    public RoomDirectory directory() {
        return directory;
    }

    /** Recovery times of failovers: a worker's death to the last of its participants back in the mix. */
    public FailoverClock failovers() {
        return failovers;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        placements.close();
        recordings.close();
        participants.close();
        workerTable.close();
        rooms.close();
    }
}
