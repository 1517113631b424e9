package dev.mcu.app;

import dev.mcu.events.Ids;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.RoomTable;
import dev.mcu.mixer.room.HotPathWarmup;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.worker.MixerWorker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mixer role: this process's workers, each with its own mixer (libwebrtc factories) and command
 * topic. A standby (a supervised spare) makes its mixer and factories ahead and starts its worker
 * only when the launcher names it ({@link #start(Run)}): a worker that died is replaced in well
 * under a second instead of a cold JVM's several.
 */
final class MixerRole implements AutoCloseable {

    static final int DRAIN_SECONDS = 30;
    private static final long WARMUP_MS = 1_500;
    private static final int WARMUP_TICKS = 2_000;

    /** One run of a worker: its id, and this run's instance (a fresh one unless a supervisor gave it). */
    record Run(String workerId, String instance) {

        static List<Run> fresh(List<String> workerIds) {
            return workerIds.stream().map(id -> new Run(id, Ids.random("i"))).toList();
        }
    }

    private final AppSettings settings;
    private final KafkaBus bus;
    private final List<MixerWorker> workers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> parts = new ArrayList<>();
    private Mixer warmed;
    private RoomTable warmedAssignments;

    MixerRole(AppSettings settings, KafkaBus bus, List<Run> runs) {
        this.settings = settings;
        this.bus = bus;
        try {
            runs.forEach(this::start);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Makes the next worker's mixer and its first factories now, before any worker is started, and
     * readies the Kafka topics its first heartbeat and events go to.
     */
    synchronized void warm() {
        if (warmed == null) {
            warmed = mixer();
        }
        bus.warm(Topics.WORKERS, Topics.ROOM_EVENTS, Topics.ROOMS);
        if (warmedAssignments == null) {
            warmedAssignments = new RoomTable(bus); // replayed now, kept current until the worker starts
        }
    }

    /** A mixer with its first factories made and the clocks' code compiled (see HotPathWarmup). */
    private Mixer mixer() {
        Mixer mixer = new Mixer(settings.mixer());
        parts.add(mixer);
        mixer.prewarm(settings.warmFactories());
        HotPathWarmup.run(WARMUP_MS, WARMUP_TICKS);
        return mixer;
    }

    /** Starts a worker: it heartbeats and takes commands from now on. */
    synchronized MixerWorker start(Run run) {
        Mixer mixer = warmed != null ? warmed : mixer();
        RoomTable assignments = warmedAssignments != null ? warmedAssignments : new RoomTable(bus);
        warmed = null;
        warmedAssignments = null;
        MixerWorker worker = new MixerWorker(run.workerId(), run.instance(), mixer, bus, settings.iceServers(),
                settings.workerCapacity(), settings.recordings());
        parts.add(worker);
        workers.add(worker.start(assignments));
        return worker;
    }

    List<MixerWorker> workers() {
        return List.copyOf(workers);
    }

    /**
     * Drains first: workers with rooms stop taking new ones and wait (up to {@value #DRAIN_SECONDS} s)
     * for signaling to move their participants to other workers; then the workers stop (no more
     * commands) and their mixers release every peer. SIGTERM on a mixer process lands here.
     */
    @Override
    public synchronized void close() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        for (MixerWorker w : workers) {
            if (!w.mixer().rooms().isEmpty() && w.heartbeat() != null) {
                w.heartbeat().drain();
            }
        }
        while (workers.stream().anyMatch(w -> !w.mixer().rooms().isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.getLogger(MixerRole.class.getName()).log(System.Logger.Level.WARNING, "stopping failed", e);
            }
        }
        parts.clear();
    }
}
