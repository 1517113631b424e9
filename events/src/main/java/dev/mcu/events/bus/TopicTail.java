package dev.mcu.events.bus;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Reads one single-partition topic with a manually assigned consumer (no group, so no rebalance
 * can pause a relay) and hands each record to a handler on its own thread: from its end onwards
 * (relay topics), or from its beginning (state topics, rebuilt on start; {@link #awaitCaughtUp}
 * returns once everything that was there at start has been handled).
 */
public final class TopicTail implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicTail.class.getName());

    private final KafkaConsumer<String, String> consumer;
    private final BiConsumer<String, String> handler;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final TopicPartition partition;
    private final long endAtStart;
    private volatile boolean running = true;

    TopicTail(String bootstrapServers, Map<String, String> clientProperties, String topic, boolean fromBeginning,
              BiConsumer<String, String> handler) {
        this.handler = handler;
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // A fetch returns as soon as a record arrives; the wait only bounds how often an
                // idle tail asks again: at the default 500 ms, a dozen idle tails and the broker answering
                // them cost about 0.05 cores (docs/PERFORMANCE.md, "The fixed part, made smaller").
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "tail-" + topic));
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        this.partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        if (fromBeginning) {
            consumer.seekToBeginning(List.of(partition));
            endAtStart = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        } else {
            consumer.seekToEnd(List.of(partition));
            endAtStart = 0;
        }
        if (consumer.position(partition, Duration.ofSeconds(30)) >= endAtStart) {
            caughtUp.countDown();
        }
        this.thread = Thread.ofPlatform().name("tail-" + topic).daemon().start(this::run);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    try {
                        handler.accept(r.key(), r.value());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "handler of " + r.topic() + " failed on " + r.value(), e);
                    }
                }
                if (caughtUp.getCount() > 0 && consumer.position(partition) >= endAtStart) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up.
        } finally {
            // No timeout: a tail commits nothing, and a timed close waits out the fetch in flight.
            consumer.close(Duration.ZERO);
        }
    }

    /** Waits until the records present at start have been handled; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
