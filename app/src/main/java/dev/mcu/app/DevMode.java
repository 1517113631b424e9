package dev.mcu.app;

import dev.mcu.controlplane.ControlPlane;
import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.mixer.worker.MixerWorker;
import dev.mcu.signaling.session.Sessions;
import io.helidon.config.Config;

import java.util.EnumSet;
import java.util.List;

/**
 * The single-machine default (PROTOCOL.md section 4): an embedded Kafka broker and every role (mixer
 * workers, control plane, signaling) in one JVM, on one port. The roles talk to each other only
 * through Kafka, exactly as in distributed mode ({@link Roles}). Tests start it too.
 */
public final class DevMode implements AutoCloseable {

    private final Roles roles;
    private final EmbeddedKafka kafka;

    private DevMode(Config config) {
        AppSettings settings = AppSettings.from(config);
        this.kafka = settings.kafkaBootstrap().isEmpty() ? EmbeddedKafka.start(0) : null;
        try {
            String bootstrap = kafka != null ? kafka.bootstrapServers() : settings.kafkaBootstrap();
            this.roles = Roles.start(config, settings, bootstrap, EnumSet.allOf(Roles.Role.class),
                    kafka != null);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    public static DevMode start(Config config) {
        return new DevMode(config);
    }

    public int port() {
        return roles.port();
    }

    public AppSettings settings() {
        return roles.settings();
    }

    /** Where this process's Kafka is (the embedded broker's address in dev mode). */
    public String kafkaBootstrap() {
        return roles.kafkaBootstrap();
    }

    public ControlPlane controlPlane() {
        return roles.controlPlane();
    }

    /** The first worker (the only one unless mcu.mixer.count says otherwise). */
    public MixerWorker worker() {
        return roles.workers().get(0);
    }

    public List<MixerWorker> workers() {
        return roles.workers();
    }

    public Sessions sessions() {
        return roles.sessions();
    }

    /** Stops the roles, then the broker. */
    @Override
    public void close() {
        roles.close();
        if (kafka != null) {
            kafka.close();
        }
    }
}
