package dev.mcu.controlplane.workers;

import dev.mcu.controlplane.placement.Scheduler;
import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.state.WorkerStatus;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mixer workers as their heartbeats describe them. A worker whose last heartbeat is older
 * than {@link #DEAD_AFTER_MS} is dead, whatever it last said.
 */
public final class WorkerRegistry implements AutoCloseable {

    public static final long DEAD_AFTER_MS = 3_000;

    /** PROTOCOL.md's worker object. */
    public record Worker(String id, String state, int rooms, int participants, double load, long lastSeenMs) {
    }

    private final Map<String, WorkerStatus> latest = new ConcurrentHashMap<>();
    private final AtomicLong heartbeats = new AtomicLong();
    private final Clock clock;
    private final TopicTail tail;

    public WorkerRegistry(KafkaBus bus, Clock clock) {
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

    public List<Worker> all() {
        return latest.values().stream().map(this::worker).sorted(Comparator.comparing(Worker::id)).toList();
    }

    public Optional<Worker> get(String id) {
        return Optional.ofNullable(latest.get(id)).map(this::worker);
    }

    /** How many heartbeats have arrived so far: a changed count means fresher loads. */
    public long heartbeats() {
        return heartbeats.get();
    }

    public boolean isAlive(String id) {
        WorkerStatus s = latest.get(id);
        return s != null && clock.millis() - s.sentAtMs() <= DEAD_AFTER_MS;
    }

    /** The workers as the scheduler sees them: only ready, live ones may take rooms. */
    public List<Scheduler.Candidate> candidates() {
        return latest.values().stream().map(s -> new Scheduler.Candidate(s.id(),
                "ready".equals(s.state()) && clock.millis() - s.sentAtMs() <= DEAD_AFTER_MS, s.capacity(),
                s.streamCost())).toList();
    }

    private Worker worker(WorkerStatus s) {
        boolean dead = clock.millis() - s.sentAtMs() > DEAD_AFTER_MS;
        return new Worker(s.id(), dead ? "dead" : s.state(), s.rooms(), s.participants(),
                Math.min(1, Math.max(s.load(), s.capacity() > 0 ? s.streamCost() / s.capacity() : 0)), s.sentAtMs());
    }

    @Override
    public void close() {
        tail.close();
    }
}
