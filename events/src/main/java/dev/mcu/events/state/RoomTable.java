package dev.mcu.events.state;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The rooms of the compacted topic {@link Topics#ROOMS}, replayed into memory and kept current: the
 * control plane writes through it, signaling reads room limits and layouts from it.
 */
public final class RoomTable implements AutoCloseable {

    private final Map<String, RoomRecord> rooms = new ConcurrentHashMap<>();
    /** Writes waiting for their own record to come back from the topic, by key. */
    private final Map<String, Queue<Write>> writes = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private final KafkaBus bus;
    private final TopicTail tail;

    /** Replays the topic; returns once the rooms present at start are loaded. */
    public RoomTable(KafkaBus bus) {
        this.bus = bus;
        this.tail = bus.replay(Topics.ROOMS, this::apply);
        try {
            if (!tail.awaitCaughtUp(Duration.ofSeconds(60))) {
                throw new IllegalStateException("rooms topic not replayed within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted replaying rooms", e);
        }
    }

    public Optional<RoomRecord> get(String id) {
        return Optional.ofNullable(rooms.get(id));
    }

    public Collection<RoomRecord> all() {
        return rooms.values();
    }

    /** Writes a room through Kafka; returns once the table shows it (read-your-writes, in topic order). */
    public void put(RoomRecord room) {
        write(room.id(), Json.write(room));
    }

    /** Deletes a room (a tombstone on the compacted topic); returns once the table shows it. */
    public void delete(String id) {
        write(id, null);
    }

    private void write(String key, String value) {
        Write w = new Write(value, new CompletableFuture<>());
        writes.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(w);
        bus.send(Topics.ROOMS, key, value);
        try {
            w.applied().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing room " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the write of room " + key + " within 10 s", e);
        } finally {
            writes.getOrDefault(key, new ConcurrentLinkedQueue<>()).remove(w);
        }
    }

    /**
     * Waits until the room's record satisfies the condition (as written by another process), or
     * the timeout passes; returns the record if it does.
     */
    public Optional<RoomRecord> await(String id, java.util.function.Predicate<RoomRecord> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                RoomRecord r = rooms.get(id);
                if (r != null && condition.test(r)) {
                    return Optional.of(r);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
    }

    /** Every record of the topic, ours included, lands here, in order. */
    private void apply(String key, String value) {
        if (value == null) {
            rooms.remove(key);
        } else {
            rooms.put(key, Json.read(value, RoomRecord.class));
        }
        synchronized (changed) {
            changed.notifyAll();
        }
        Queue<Write> waiting = writes.get(key);
        if (waiting != null) {
            for (Write w : waiting) {
                if (Objects.equals(w.value(), value)) {
                    w.applied().complete(null);
                    break;
                }
            }
        }
    }

    private record Write(String value, CompletableFuture<Void> applied) {
    }

    @Override
    public void close() {
        tail.close();
    }
}
