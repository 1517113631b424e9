package dev.mcu.mixer.worker;

import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.state.CompactedTable;
import dev.mcu.events.state.OutputKind;
import dev.mcu.events.state.RecordingRequest;
import dev.mcu.events.state.RecordingState;
import dev.mcu.events.state.RecordingStatus;
import dev.mcu.events.state.RoomEvent;
import dev.mcu.events.storage.RecordingStorage;
import dev.mcu.mixer.record.LiveStream;
import dev.mcu.mixer.record.RoomOutput;
import dev.mcu.mixer.record.SegmentRecorder;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.video.ViewSpec;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries out the recordings admins asked for, for the rooms this worker hosts. Level-triggered:
 * twice a second (and at once when a request changes) it compares what is asked
 * ({@link Topics#RECORDINGS}) with what runs here, starts a segment for a wanted recording of a
 * room it hosts, stops segments no longer wanted or whose room left, and reports on
 * {@link Topics#RECORDING_STATUS}. A room that moves to another worker continues there as the next
 * segment. All of it runs on one thread of its own, never on a clock or the command tail.
 */
final class WorkerRecordings implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerRecordings.class.getName());
    private static final long PERIOD_MS = 500;
    /** How often a running segment's size and length are reported. */
    private static final long REPORT_MS = 2_000;

    private final String workerId;
    private final Mixer mixer;
    private final RecordingStorage storage;
    private final ConcurrentMap<String, RoomRelay> relays;
    private final RoomEvents events;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("recordings").daemon().unstarted(r));
    private final CompactedTable<RecordingRequest> requests;
    private final CompactedTable<RecordingStatus> status;
    /** Segments running here, by recording id; touched on {@link #thread} only. */
    private final Map<String, Running> running = new HashMap<>();

    private record Running(RoomOutput segment, Room room, long[] reportedAt) {
    }

    WorkerRecordings(String workerId, Mixer mixer, KafkaBus bus, RecordingStorage storage,
                     ConcurrentMap<String, RoomRelay> relays, RoomEvents events) {
        this.workerId = workerId;
        this.mixer = mixer;
        this.storage = storage;
        this.relays = relays;
        this.events = events;
        bus.ensureTopic(Topics.RECORDINGS);
        bus.ensureTopic(Topics.RECORDING_STATUS);
        this.status = new CompactedTable<>(bus, Topics.RECORDING_STATUS, RecordingStatus.class);
        this.requests = new CompactedTable<>(bus, Topics.RECORDINGS, RecordingRequest.class,
                (key, value) -> poke());
        thread.scheduleWithFixedDelay(this::reconcileSafely, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Reconciles soon (a request changed, or a room was just placed here). */
    void poke() {
        try {
            thread.execute(this::reconcileSafely);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Whether a recording or live stream of this room runs: a joining participant is told so. */
    ServerMessage.Recording activeFor(String room) {
        for (RecordingRequest r : requests.all()) {
            if (r.room().equals(room) && r.wanted()) {
                RecordingStatus s = status.get(r.id()).orElse(null);
                if (s != null && s.state() == RecordingState.ACTIVE) {
                    return new ServerMessage.Recording(true, r.id());
                }
            }
        }
        return null;
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker " + workerId + ": recordings check failed", e);
        }
    }

    private void reconcile() {
        for (RecordingRequest r : requests.all()) {
            Running here = running.get(r.id());
            if (here != null) {
                follow(r, here);
            } else if (r.wanted() && hosts(r.room())) {
                RecordingStatus s = status.get(r.id()).orElse(RecordingStatus.starting(r.id(), r.room()));
                if (!s.state().ended()) {
                    begin(r, s, mixer.room(r.room()));
                }
            }
        }
        // A request deleted outright (its room removed for good) stops what runs of it.
        running.entrySet().removeIf(e -> {
            if (requests.get(e.getKey()).isEmpty()) {
                e.getValue().segment().stop();
                e.getValue().room().detach(e.getValue().segment());
                return true;
            }
            return false;
        });
    }

    private boolean hosts(String roomId) {
        Room room = mixer.room(roomId);
        return room != null && !room.isClosed() && !room.participants().isEmpty();
    }

    private void begin(RecordingRequest r, RecordingStatus s, Room room) {
        int index = s.nextSegment();
        ViewSpec view = new ViewSpec(r.layout(), r.width(), r.height(), r.fps(), bitrateKbps(r), true, null);
        RoomOutput segment;
        try {
            segment = r.kind() == OutputKind.STREAM ? new LiveStream(r.id(), r.url(), r.redactedUrl(), view).start()
                    : new SegmentRecorder(r.id(), r.room(), index, workerId, storage.of(r.id()), view,
                    storage.minFreeBytes()).start();
        } catch (Exception e) {
            fail(r, s, "it could not start: " + e.getMessage());
            return;
        }
        // Fed, and announced, from when its encoder (and a stream's connection) is up: until then the
        // clocks' items would only be dropped, and nothing is being recorded or sent.
        segment.started().thenRun(() -> {
            if (room.attach(segment)) {
                tell(r.room(), new ServerMessage.Recording(true, r.id()));
            } else {
                segment.stop();
            }
        });
        running.put(r.id(), new Running(segment, room, new long[]{System.currentTimeMillis()}));
        report(r, segment, segment.progress().state());
        LOG.log(Level.INFO, "worker {0}: {1} {2} of room {3} starting here ({4})", workerId, r.kind().wireName(),
                r.id(), r.room(), r.kind() == OutputKind.STREAM ? r.redactedUrl() : "segment " + index);
    }

    /** A segment running here: stop it if it is no longer wanted here, finish it once its file is closed. */
    private void follow(RecordingRequest r, Running here) {
        RoomOutput segment = here.segment();
        if (segment.isEnded()) {
            running.remove(r.id());
            here.room().detach(segment);
            SegmentRecorder.Progress p = segment.progress();
            // An end is one write of the status, its reason and time with it: readers of the table
            // (the control plane, over Kafka) would otherwise see a failed stream without its error.
            if (p.state() == RecordingState.FAILED) {
                fail(r, withProgress(r, segment, RecordingState.FAILED), p.error());
            } else if (!r.wanted()) {
                status.put(r.id(), withProgress(r, segment, RecordingState.COMPLETE)
                        .ended(RecordingState.COMPLETE, System.currentTimeMillis(), null));
                tell(r.room(), new ServerMessage.Recording(false, r.id()));
            } else {
                // The room left this worker (emptied, moved, closed): the next stay adds a segment.
                report(r, segment, RecordingState.ACTIVE);
            }
            return;
        }
        if (!r.wanted() || here.room().isClosed() || mixer.room(r.room()) != here.room()) {
            if (!r.wanted()) {
                report(r, segment, RecordingState.STOPPING);
            }
            segment.stop();
            return;
        }
        long now = System.currentTimeMillis();
        RecordingState state = segment.progress().state(); // starting until its encoder (or connection) is up
        if (state.ended()) {
            return; // its thread is finishing: the next pass reports the end, with its reason and time
        }
        if (now - here.reportedAt()[0] >= REPORT_MS
                || state != status.get(r.id()).map(RecordingStatus::state).orElse(null)) {
            here.reportedAt()[0] = now;
            report(r, segment, state);
        }
    }

    /** Writes the segment's progress into the recording's status. */
    private RecordingStatus report(RecordingRequest r, RoomOutput output, RecordingState state) {
        RecordingStatus next = withProgress(r, output, state);
        status.put(r.id(), next);
        return next;
    }

    /** The recording's status with the segment's progress, not yet written. */
    private RecordingStatus withProgress(RecordingRequest r, RoomOutput output, RecordingState state) {
        SegmentRecorder.Progress p = output.progress();
        RecordingStatus s = status.get(r.id()).orElse(RecordingStatus.starting(r.id(), r.room()));
        RecordingStatus next = output instanceof SegmentRecorder segment
                ? s.withSegment(new RecordingStatus.Segment(segment.index(), segment.file(), workerId,
                p.startedAtMs(), p.endedAtMs(), p.durationMs(), p.bytes(), p.dropped()), state, workerId)
                : s.streaming(state, p.startedAtMs(), p.durationMs(), p.dropped(), workerId);
        return next;
    }

    private RecordingStatus fail(RecordingRequest r, RecordingStatus s, String why) {
        RecordingStatus failed = s.ended(RecordingState.FAILED, System.currentTimeMillis(), why);
        status.put(r.id(), failed);
        events.publish(r.room(), RoomEvent.RECORDING_FAILED, null, null, r.id() + ": " + why);
        tell(r.room(), new ServerMessage.Recording(false, r.id()));
        LOG.log(Level.WARNING, "worker {0}: recording {1} of room {2} failed: {3}", workerId, r.id(), r.room(), why);
        return failed;
    }

    private void tell(String room, ServerMessage m) {
        RoomRelay relay = relays.get(room);
        if (relay != null) {
            relay.broadcast(m);
        }
    }

    /** About 0.1 bit per pixel at the recording's rate: enough for a composite of faces and names. */
    private static int bitrateKbps(RecordingRequest r) {
        return Math.max(200, (int) Math.min(8_000, (long) r.width() * r.height() * r.fps() / 10_000));
    }

    /** Stops checking and reporting at once, as a crashed process would (for failover tests). */
    void silence() {
        thread.shutdownNow();
    }

    /** Stops every segment running here and waits (a few seconds at most) for their files to close. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            for (Running run : running.values()) {
                run.segment().stop().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "worker {0}: a recording's file did not close in time", workerId);
        }
        requests.close();
        status.close();
    }
}
