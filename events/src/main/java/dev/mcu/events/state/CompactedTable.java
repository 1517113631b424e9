package dev.mcu.events.state;

import dev.mcu.events.Json;
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
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The records of one compacted topic, replayed into memory and kept current, by key. Writes go
 * through Kafka and return once the table shows them (read-your-writes, in topic order); every
 * process that holds the table sees the same records in the same order.
 */
public final class CompactedTable<T> implements AutoCloseable {

    private final Map<String, T> records = new ConcurrentHashMap<>();
    /** Writes waiting for their own record to come back from the topic, by key. */
    private final Map<String, Queue<Write>> writes = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private final KafkaBus bus;
    private final String topic;
    private final Class<T> type;
    private final BiConsumer<String, T> onChange;
    private final TopicTail tail;

    /** Replays the topic; returns once the records present at start are loaded. */
    public CompactedTable(KafkaBus bus, String topic, Class<T> type) {
        this(bus, topic, type, (key, value) -> {
        });
    }

    /**
     * @param onChange told of every record after the table holds it (null value: deleted), on the
     *                 tail's thread: it must be quick and must not write to this table
     */
    public CompactedTable(KafkaBus bus, String topic, Class<T> type, BiConsumer<String, T> onChange) {
        this.bus = bus;
        this.topic = topic;
        this.type = type;
        this.onChange = onChange;
        this.tail = bus.replay(topic, this::apply);
        try {
            if (!tail.awaitCaughtUp(Duration.ofSeconds(60))) {
                throw new IllegalStateException(topic + " not replayed within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted replaying " + topic, e);
        }
    }

    public Optional<T> get(String key) {
        return Optional.ofNullable(records.get(key));
    }

    public Collection<T> all() {
        return records.values();
    }

    /** Writes a record through Kafka; returns once the table shows it. */
    public void put(String key, T value) {
        write(key, Json.write(value));
    }

    /** Deletes a record (a tombstone); returns once the table shows it. */
    public void delete(String key) {
        write(key, null);
    }

    private void write(String key, String value) {
        Write w = new Write(value, new CompletableFuture<>());
        writes.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(w);
        bus.send(topic, key, value);
        try {
            w.applied().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing " + key + " to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the write of " + key + " to " + topic + " within 10 s", e);
        } finally {
            writes.getOrDefault(key, new ConcurrentLinkedQueue<>()).remove(w);
        }
    }

    /**
     * Waits until the key's record satisfies the condition (as written by another process), or the
     * timeout passes; returns the record if it does.
     */
    public Optional<T> await(String key, Predicate<T> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                T r = records.get(key);
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
        T record = null;
        if (value == null) {
            records.remove(key);
        } else {
            try {
                record = Json.read(value, type);
            } catch (RuntimeException e) {
                System.getLogger(CompactedTable.class.getName()).log(System.Logger.Level.WARNING,
                        "undecodable record {0} on {1} ignored: {2}", key, topic, e.getMessage());
                return;
            }
            records.put(key, record);
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
        try {
            onChange.accept(key, record);
        } catch (RuntimeException e) {
            System.getLogger(CompactedTable.class.getName()).log(System.Logger.Level.WARNING,
                    "listener of " + topic + " failed", e);
        }
    }

    private record Write(String value, CompletableFuture<Void> applied) {
    }

    @Override
    public void close() {
        tail.close();
    }
}
