package dev.mcu.app.supervision;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.state.WorkerStatus;
import dev.mcu.events.state.WorkerTable;
import io.helidon.config.Config;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The single-machine default's mixer workers as child processes of the launcher, in the manner of
 * mediasoup's workers: libwebrtc's checks abort the process they run in, so each worker runs in a
 * JVM of its own, and an abort costs that worker's rooms a few seconds (they move to another worker,
 * or to its replacement) instead of taking down signaling, the control plane and the broker. A
 * booted standby process ({@link SparePool}) takes over a dead worker's id at once.
 * Every few seconds the supervisor also checks each worker's resident memory against the bound and
 * recycles one that passed it, once its rooms can move or it has none.
 */
public final class WorkerSupervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerSupervisor.class.getName());
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How long a worker being recycled may take to see its rooms move before it restarts anyway. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(30);

    private final KafkaBus bus;
    private final WorkerTable workers;
    private final SparePool spares;
    private final Map<String, SupervisedWorker> children = new ConcurrentHashMap<>();
    private final long memoryMaxBytes;
    private final ScheduledExecutorService memoryWatch = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("worker-memory").daemon().unstarted(r));
    /** When each worker being recycled was asked to drain (only the memory watch's thread). */
    private final Map<String, Long> drainingSince = new ConcurrentHashMap<>();
    private final Map<String, Long> warnedAt = new ConcurrentHashMap<>();
    /** Bounds set at run time for single workers, over {@link #memoryMaxBytes}. */
    private final Map<String, Long> boundOf = new ConcurrentHashMap<>();

    /**
     * Starts one child per worker id and returns at once; {@link #awaitReady} waits for them.
     *
     * @param config the launcher's configuration, which the children take over
     */
    public WorkerSupervisor(Config config, SupervisionSettings settings, List<String> workerIds, String kafkaBootstrap) {
        this.bus = new KafkaBus(kafkaBootstrap);
        this.workers = new WorkerTable(bus, Clock.systemUTC());
        this.memoryMaxBytes = settings.memoryMaxMb() * 1024 * 1024;
        bus.ensureTopic(Topics.WORKERS);
        this.spares = new SparePool(new WorkerLaunch(config, settings.jvmOptions(), settings.coreDumps(),
                kafkaBootstrap), settings.spares(),
                System.err);
        SupervisedWorker.Watch watch = new SupervisedWorker.Watch() {
            @Override
            public boolean ready(String workerId, String instance) {
                return workers.isAlive(workerId) && workers.isCurrent(workerId, instance);
            }

            @Override
            public void died(String workerId, String instance, long atMs) {
                bus.send(Topics.WORKERS, workerId, Json.write(WorkerStatus.died(workerId, instance, atMs)));
            }
        };
        for (String id : workerIds) {
            children.put(id, new SupervisedWorker(id, spares, watch,
                    new RestartBackoff(settings.restartMin(), settings.restartMax())).start());
        }
        memoryWatch.scheduleWithFixedDelay(this::checkMemory, 5, 5, TimeUnit.SECONDS);
    }

    /** Waits until every worker's current instance heartbeats. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!children.values().stream().allMatch(SupervisedWorker::isReady)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mixer workers not ready within " + timeout.toSeconds() + " s: "
                        + children.values().stream().filter(w -> !w.isReady()).map(SupervisedWorker::id).toList());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the workers", e);
            }
        }
    }

    /** The worker's process id now, or -1 while it is restarting. */
    public long pid(String workerId) {
        return child(workerId).pid();
    }

    public String instance(String workerId) {
        return child(workerId).instance();
    }

    public long restarts(String workerId) {
        return child(workerId).restarts();
    }

    public long recycles(String workerId) {
        return child(workerId).recycles();
    }

    /** The worker's resident memory now, or 0 while it is restarting. */
    public long residentBytes(String workerId) {
        return child(workerId).residentBytes().orElse(0);
    }

    /**
     * Sets one worker's resident-memory bound at run time (0: none), over {@code mcu.mixer.memory.max};
     * the next check, within 5 s, applies it. Lets a test or an operator's tool recycle one worker.
     */
    public void memoryBound(String workerId, long bytes) {
        child(workerId);
        boundOf.put(workerId, bytes);
    }

    /** Whether a booted standby waits to take over a worker that dies (always false with no spares). */
    public boolean spareReady() {
        return spares.ready();
    }

    public List<String> workerIds() {
        return children.keySet().stream().sorted().toList();
    }

    private SupervisedWorker child(String workerId) {
        SupervisedWorker w = children.get(workerId);
        if (w == null) {
            throw new IllegalArgumentException("no supervised worker " + workerId);
        }
        return w;
    }

    /** Restarts, resident memory and readiness per worker, on the launcher's metrics endpoint. */
    public void registerMetrics() {
        MeterRegistry registry = Metrics.globalRegistry();
        for (SupervisedWorker w : children.values()) {
            List<io.helidon.metrics.api.Tag> tags = List.of(Metrics.tag("worker", w.id()));
            registry.getOrCreate(FunctionalCounter.builder("mcu_worker_restarts", w, SupervisedWorker::restarts)
                    .tags(tags).description("times the worker's process was started again after it exited"));
            registry.getOrCreate(FunctionalCounter.builder("mcu_worker_recycles", w, SupervisedWorker::recycles)
                    .tags(tags).description("restarts because its resident memory passed mcu.mixer.memory.max"));
            registry.getOrCreate(Gauge.builder("mcu_worker_resident_bytes", () -> w.residentBytes().orElse(0))
                    .tags(tags).description("resident memory of the worker's process"));
            registry.getOrCreate(Gauge.builder("mcu_worker_up", () -> w.isReady() ? 1 : 0)
                    .tags(tags).description("1 while the worker's process runs and its instance heartbeats"));
            registry.getOrCreate(Gauge.builder("mcu_worker_pid", w::pid)
                    .tags(tags).description("the worker's process id now (-1 while it is replaced)"));
        }
        registry.getOrCreate(Gauge.builder("mcu_worker_spares_ready", () -> spares.readyCount())
                .description("booted standby processes waiting to take over a worker that dies"));
    }

    private void checkMemory() {
        try {
            for (SupervisedWorker w : children.values()) {
                long rss = w.residentBytes().orElse(0);
                long bound = boundOf.getOrDefault(w.id(), memoryMaxBytes);
                if (bound > 0 && rss > bound && w.isReady()) {
                    recycleWhenItsRoomsCanMove(w, rss, bound);
                } else {
                    drainingSince.remove(w.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "memory check failed", e);
        }
    }

    /**
     * Drains the worker (its rooms move to other workers), then restarts it; a worker with nothing
     * to move to waits until it is idle, since restarting it would cut its calls for nothing.
     */
    private void recycleWhenItsRoomsCanMove(SupervisedWorker w, long rss, long bound) {
        WorkerStatus status = workers.get(w.id()).orElse(null);
        int rooms = status == null ? 0 : status.roomIds().size();
        boolean elsewhere = children.keySet().stream().anyMatch(other -> !other.equals(w.id())
                && workers.isServing(other));
        Long since = drainingSince.get(w.id());
        long now = System.nanoTime();
        if (rooms == 0 || (since != null && now - since > DRAIN_WAIT.toNanos())) {
            LOG.log(Level.WARNING, "worker {0}: resident memory {1} MB is over the bound of {2} MB; recycling it",
                    w.id(), rss >> 20, bound >> 20);
            drainingSince.remove(w.id());
            w.recycle();
        } else if (since == null && elsewhere) {
            LOG.log(Level.WARNING, "worker {0}: resident memory {1} MB is over the bound of {2} MB; draining it",
                    w.id(), rss >> 20, bound >> 20);
            drainingSince.put(w.id(), now);
            String topic = Topics.workerCommands(w.id());
            bus.send(topic, WorkerCommand.WORKER_SCOPE, Json.write(new WorkerCommand(WorkerCommand.WORKER_SCOPE, null,
                    null, null, null, new WorkerCommand.Drain())));
        } else if (since == null && now - warnedAt.getOrDefault(w.id(), 0L) > TimeUnit.MINUTES.toNanos(1)) {
            warnedAt.put(w.id(), now);
            LOG.log(Level.WARNING, "worker {0}: resident memory {1} MB is over the bound of {2} MB; it will be"
                    + " recycled once its {3} rooms have ended (no other worker can take them)", w.id(), rss >> 20,
                    bound >> 20, rooms);
        }
    }

    /** Stops every worker (SIGTERM, then SIGKILL after 10 s); none is left running. */
    @Override
    public void close() {
        memoryWatch.shutdownNow();
        spares.close();
        children.values().parallelStream().forEach(w -> w.stop(STOP_GRACE));
        workers.close();
        bus.close();
    }
}
