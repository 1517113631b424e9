package dev.mcu.events.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real Kafka broker in this JVM for the single-machine default: one KRaft node acting as broker
 * and controller, on loopback, with its log in a temporary folder deleted on close. Not a stand-in:
 * clients talk to it over TCP exactly as to a cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path logDir;
    private final int port;
    private final KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int port, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.server = server;
    }

    /** Formats a fresh log folder and starts the broker; {@code port} 0 picks a free one. */
    public static EmbeddedKafka start(int port) {
        return start(port, null);
    }

    /**
     * A broker that authenticates its clients (SASL/PLAIN over plain TCP on loopback) and authorizes
     * them with Kafka's ACLs (StandardAuthorizer, nothing allowed without an ACL): for tests that run
     * the roles with only the ACLs their deployment grants. {@value #ADMIN} is a super user; its
     * password is {@code users.get(ADMIN)}.
     *
     * @param users user name to password; must include {@value #ADMIN}
     */
    public static EmbeddedKafka startWithAcls(Map<String, String> users) {
        if (!users.containsKey(ADMIN)) {
            throw new IllegalArgumentException("users must include " + ADMIN);
        }
        return start(0, users);
    }

    /** The super user of {@link #startWithAcls}. */
    public static final String ADMIN = "admin";

    /** Client settings that authenticate as {@code user} to a broker of {@link #startWithAcls}. */
    public static Map<String, String> saslClient(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", plainLogin(user, password, Map.of()));
    }

    private static String plainLogin(String user, String password, Map<String, String> users) {
        StringBuilder s = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .append(" username=\"").append(user).append("\" password=\"").append(password).append('"');
        users.forEach((u, p) -> s.append(" user_").append(u).append("=\"").append(p).append('"'));
        return s.append(';').toString();
    }

    private static EmbeddedKafka start(int port, Map<String, String> saslUsers) {
        try {
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Path dir = Files.createTempDirectory("mcu-kafka-");
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            String clients = saslUsers == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
            props.put("listeners", clients + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", clients + "://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", clients);
            props.put("listener.security.protocol.map", clients + ":" + clients + ",CONTROLLER:PLAINTEXT");
            if (saslUsers != null) {
                props.put("sasl.enabled.mechanisms", "PLAIN");
                props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
                props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        plainLogin(ADMIN, saslUsers.get(ADMIN), saslUsers));
                props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                // ANONYMOUS: the node's own controller listener (plain, loopback only).
                props.put("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
            }
            props.put("log.dirs", dir.toString());
            props.put("num.partitions", "1");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            // The controller writes a no-op to the metadata log this often when nothing else
            // happens (default 500 ms): on one node it only shows the log alive in metrics, and
            // every no-op is an append and a publish on an idle broker.
            props.put("metadata.max.idle.interval.ms", "5000");
            KafkaConfig config = KafkaConfig.fromProps(props, false);

            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(java.util.List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();

            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(dir, brokerPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka failed to start", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary folder is harmless.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
