package dev.mcu.events.bus;

import dev.mcu.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One process's connection to Kafka: a shared idempotent producer (acks=all, no linger: relay
 * messages are latency-bound, not throughput-bound), topic creation, and tails of single-partition
 * topics. Thread-safe.
 */
public final class KafkaBus implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaBus.class.getName());

    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final KafkaProducer<String, String> producer;
    private final Admin admin;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final List<TopicTail> tails = new ArrayList<>();
    /** Asks the cluster every half second whether it answers: readiness, and how stale silence is. */
    private final ScheduledExecutorService contactCheck = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("kafka-contact").daemon().unstarted(r));
    /** Since when the cluster has not answered (wall clock ms), or -1 while it answers. */
    private volatile long lostSinceMs = -1;
    /** When the cluster last answered again after not answering (wall clock ms), 0 if it never stopped. */
    private volatile long regainedAtMs;
    private volatile boolean answered;

    public KafkaBus(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /**
     * @param clientProperties settings every client of this bus gets (the producer, the admin client
     *                         and each tail's consumer): {@code security.protocol}, {@code sasl.*},
     *                         {@code ssl.*}, so a cluster with TLS and SASL can be used
     * @throws IllegalArgumentException for any other property (the bus sets those itself)
     */
    public KafkaBus(String bootstrapServers, Map<String, String> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        clientProperties.keySet().forEach(KafkaBus::requirePassThrough);
        this.clientProperties = Map.copyOf(clientProperties);
        Map<String, Object> producerConfig = new HashMap<>(this.clientProperties);
        producerConfig.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "mcu-producer"));
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        Map<String, Object> adminConfig = new HashMap<>(this.clientProperties);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(adminConfig);
        contactCheck.scheduleWithFixedDelay(this::checkContact, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void checkContact() {
        boolean ok;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000)).clusterId().get(2, TimeUnit.SECONDS);
            ok = true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long now = System.currentTimeMillis();
        if (ok && lostSinceMs >= 0) {
            regainedAtMs = now;
            lostSinceMs = -1;
        } else if (!ok && lostSinceMs < 0) {
            lostSinceMs = now;
            LOG.log(Level.WARNING, "Kafka at {0} does not answer", bootstrapServers);
        }
        answered = ok;
    }

    /**
     * Since when this process has been out of touch with the cluster (wall clock ms), or -1 while it
     * is in touch. Silence heard through Kafka during that time says nothing about who is silent.
     */
    public long lostSinceMs() {
        return lostSinceMs;
    }

    /** When this process was last back in touch after an outage (wall clock ms), 0 if never out of it. */
    public long regainedAtMs() {
        return regainedAtMs;
    }

    /** Which client properties configuration may set: security, SASL and TLS. */
    public static void requirePassThrough(String name) {
        if (!(name.equals("security.protocol") || name.startsWith("sasl.") || name.startsWith("ssl."))) {
            throw new IllegalArgumentException("Kafka client property " + name
                    + " cannot be set; only security.protocol, sasl.* and ssl.* pass through");
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether the cluster answered its last check, half a second ago at most (readiness). */
    public boolean reachable() {
        return answered;
    }

    /**
     * Creates a single-partition topic unless it exists, configured as {@link Topics#config} says;
     * blocks until the broker confirms.
     */
    public void ensureTopic(String topic) {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            NewTopic t = new NewTopic(topic, 1, replication()).configs(Topics.config(topic));
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + topic + " within 30 s", e);
        }
        knownTopics.add(topic);
    }

    /**
     * Makes the topics and fetches their metadata now, so that the first send to each does not wait
     * for it (a standby worker does this before it is needed).
     */
    public void warm(String... topics) {
        for (String topic : topics) {
            ensureTopic(topic);
            producer.partitionsFor(topic);
        }
    }

    /** Sends without waiting; a failure is logged (the relay's peers time out and recover). */
    public void send(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "send to " + topic + " failed", error);
            }
        });
    }

    /**
     * Starts reading a topic from its current end; returns once the position is fixed, so nothing
     * sent after this call is missed. The handler runs on the tail's own thread, in order.
     */
    public TopicTail tail(String topic, BiConsumer<String, String> handler) {
        ensureTopic(topic);
        return register(new TopicTail(bootstrapServers, clientProperties, topic, false, handler));
    }

    /**
     * Reads a state topic from its beginning (a null value is a deletion), then follows it; call
     * {@link TopicTail#awaitCaughtUp} to know when the state is rebuilt.
     */
    public TopicTail replay(String topic, BiConsumer<String, String> handler) {
        ensureTopic(topic);
        return register(new TopicTail(bootstrapServers, clientProperties, topic, true, handler));
    }

    private TopicTail register(TopicTail tail) {
        synchronized (tails) {
            tails.add(tail);
        }
        return tail;
    }

    /** Replication of new topics: 3 on a cluster of three or more brokers, else what there is. */
    private short replication() {
        try {
            int brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            return (short) Math.max(1, Math.min(3, brokers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException | TimeoutException e) {
            return 1;
        }
    }

    @Override
    public void close() {
        contactCheck.shutdownNow();
        synchronized (tails) {
            tails.forEach(TopicTail::close);
            tails.clear();
        }
        producer.close(java.time.Duration.ofSeconds(5));
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
