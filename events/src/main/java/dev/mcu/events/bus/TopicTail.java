package dev.mcu.events.bus;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads one single-partition topic from its end onwards with a manually assigned consumer (no
 * group, so no rebalance can pause a relay) and hands each record to a handler on its own thread.
 */
public final class TopicTail implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicTail.class.getName());

    private final KafkaConsumer<String, String> consumer;
    private final BiConsumer<String, String> handler;
    private final Thread thread;
    private volatile boolean running = true;

    TopicTail(String bootstrapServers, String topic, BiConsumer<String, String> handler) {
        this.handler = handler;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.CLIENT_ID_CONFIG, "tail-" + topic),
                new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition, Duration.ofSeconds(30));
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
            }
        } catch (WakeupException e) {
            // close() woke the poll up.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
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
