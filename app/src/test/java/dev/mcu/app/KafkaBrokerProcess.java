package dev.mcu.app;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in a process of its own, as a deployment runs one: the kafka_2.13 artifact's
 * own entry point ({@code kafka.Kafka}) on a KRaft node that is broker and controller, its log in a
 * folder that survives a restart (formatted once with {@code kafka.tools.StorageTool}), fixed ports
 * so clients find it again after a restart.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;
    private int starts;

    private KafkaBrokerProcess(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    static KafkaBrokerProcess start(Path dir) throws Exception {
        int port = freePort();
        int controller = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("log"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", ""));
        Process format = java(dir.resolve("format.log"), "kafka.tools.StorageTool", "format",
                "-t", org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", config.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker's log failed: " + Files.readString(dir.resolve("format.log")));
        }
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, config, port);
        broker.restart();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again) on the same log and ports, and waits until it answers. */
    void restart() throws Exception {
        starts++;
        process = java(dir.resolve("broker-" + starts + ".log"), "kafka.Kafka", config.toString());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
        }
    }

    /** Stops it as an orchestrator would (SIGTERM: a controlled shutdown), and waits. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process java(Path log, String main, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
