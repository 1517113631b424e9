package dev.mcu.events.state;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest heartbeat of every mixer worker, replayed from {@link Topics#WORKERS}. A worker whose
 * last heartbeat is older than {@link #DEAD_AFTER_MS} is dead, whatever it last said; so is one its
 * supervisor reported {@code dead}. A worker restarted under the same id is a new
 * {@linkplain WorkerStatus#instance instance}: what was placed on the old one must move
 * ({@link #hosts}, {@link #mustLeave(String, String)}).
 */
public final class WorkerTable implements AutoCloseable {

    public static final long DEAD_AFTER_MS = 3_000;

    private final Map<String, WorkerStatus> latest = new ConcurrentHashMap<>();
    /** When this process received each worker's latest heartbeat, on its own clock. */
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    /** When this process first heard each worker's current instance, on its own clock. */
    private final Map<String, Long> instanceSince = new ConcurrentHashMap<>();
    private volatile boolean replayed;
    private final AtomicLong heartbeats = new AtomicLong();
    private final Clock clock;
    private final KafkaBus bus;
    private final TopicTail tail;

    public WorkerTable(KafkaBus bus, Clock clock) {
        this.clock = clock;
        this.bus = bus;
        this.tail = bus.replay(Topics.WORKERS, (id, value) -> {
            if (value == null) {
                latest.remove(id);
                receivedAt.remove(id);
                instanceSince.remove(id);
            } else {
                WorkerStatus s = Json.read(value, WorkerStatus.class);
                WorkerStatus before = latest.get(id);
                if (WorkerStatus.DEAD.equals(s.state()) && before != null
                        && !Objects.equals(before.instance(), s.instance())) {
                    return; // a late death notice of an instance already replaced
                }
                long now = clock.millis();
                if (before == null || !Objects.equals(before.instance(), s.instance())) {
                    instanceSince.put(id, replayed ? now : Math.min(now, s.sentAtMs()));
                }
                // A heartbeat replayed at start was received whenever it was sent (never later than
                // now); after the replay, liveness is judged on this clock alone, whatever the worker's says.
                receivedAt.put(id, replayed ? now : Math.min(now, s.sentAtMs()));
                latest.put(id, s);
            }
            heartbeats.incrementAndGet();
        });
        try {
            tail.awaitCaughtUp(java.time.Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replayed = true;
    }

    public Collection<WorkerStatus> all() {
        return latest.values();
    }

    public Optional<WorkerStatus> get(String id) {
        return Optional.ofNullable(latest.get(id));
    }

    /** How many heartbeats have arrived so far: a changed count means fresher loads. */
    public long heartbeats() {
        return heartbeats.get();
    }

    public boolean isAlive(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && isAlive(s);
    }

    /**
     * Heard within {@link #DEAD_AFTER_MS} and not reported dead. Silence counts only while this
     * process is in touch with Kafka: a worker that was alive when Kafka stopped answering stays
     * alive until Kafka has answered again for {@link #DEAD_AFTER_MS} (its heartbeats, held by its
     * producer meanwhile, arrive then), so a broker restart moves no room.
     */
    public boolean isAlive(WorkerStatus s) {
        Long at = receivedAt.get(s.id());
        if (at == null || WorkerStatus.DEAD.equals(s.state())) {
            return false;
        }
        long now = clock.millis();
        if (now - at <= DEAD_AFTER_MS) {
            return true;
        }
        long lost = bus.lostSinceMs();
        if (lost >= 0) {
            return at >= lost - DEAD_AFTER_MS; // out of touch: alive if it was when touch was lost
        }
        long regained = bus.regainedAtMs();
        return regained > at && now - regained <= DEAD_AFTER_MS;
    }

    /** The worker's current instance, or null if it was never heard of. */
    public String instance(String id) {
        WorkerStatus s = latest.get(id);
        return s == null ? null : s.instance();
    }

    /** Whether this is the worker's current instance (a null instance, from before instances, is). */
    public boolean isCurrent(String id, String instance) {
        WorkerStatus s = latest.get(id);
        return instance == null || (s != null && instance.equals(s.instance()));
    }

    /** When this process first heard the worker's current instance, on its own clock (0 if never). */
    public long instanceSinceMs(String id) {
        return instanceSince.getOrDefault(id, 0L);
    }

    /** Whether the room's assignment is to a live, ready worker's current instance. */
    public boolean hosts(RoomRecord room) {
        return room.workerId() != null && isServing(room.workerId()) && isCurrent(room.workerId(), room.workerInstance());
    }

    /** When this process last heard from the worker, on its own clock (0 if never). */
    public long lastHeardMs(String id) {
        return receivedAt.getOrDefault(id, 0L);
    }

    /** Alive and taking rooms (not draining). */
    public boolean isServing(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && isAlive(s) && WorkerStatus.READY.equals(s.state());
    }

    /** Whether a room on this worker must move: the worker died or drains. */
    public boolean mustLeave(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && (!isAlive(s) || !WorkerStatus.READY.equals(s.state()));
    }

    /** Whether a room on this run of the worker must move: it died, drains, or was replaced by a restart. */
    public boolean mustLeave(String id, String instance) {
        return mustLeave(id) || (latest.containsKey(id) && !isCurrent(id, instance));
    }

    /** Whether the worker has been heard from and has since gone silent. */
    public boolean isDead(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && !isAlive(s);
    }

    @Override
    public void close() {
        tail.close();
    }
}
