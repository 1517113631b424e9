package dev.mcu.events.state;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest heartbeat of every mixer worker, replayed from {@link Topics#WORKERS}. A worker whose
 * last heartbeat is older than {@link #DEAD_AFTER_MS} is dead, whatever it last said.
 */
public final class WorkerTable implements AutoCloseable {

    public static final long DEAD_AFTER_MS = 3_000;

    private final Map<String, WorkerStatus> latest = new ConcurrentHashMap<>();
    private final AtomicLong heartbeats = new AtomicLong();
    private final Clock clock;
    private final TopicTail tail;

    public WorkerTable(KafkaBus bus, Clock clock) {
        this.clock = clock;
        this.tail = bus.replay(Topics.WORKERS, (id, value) -> {
            if (value == null) {
                latest.remove(id);
            } else {
                latest.put(id, Json.read(value, WorkerStatus.class));
            }
            heartbeats.incrementAndGet();
        });
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

    public boolean isAlive(WorkerStatus s) {
        return clock.millis() - s.sentAtMs() <= DEAD_AFTER_MS;
    }

    /** Alive and taking rooms (not draining). */
    public boolean isServing(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && isAlive(s) && "ready".equals(s.state());
    }

    /** Whether a room on this worker must move: the worker died or drains. */
    public boolean mustLeave(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && (!isAlive(s) || !"ready".equals(s.state()));
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
