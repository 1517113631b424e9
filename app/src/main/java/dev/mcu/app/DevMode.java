package dev.mcu.app;

import dev.mcu.app.supervision.SupervisionSettings.Isolation;
import dev.mcu.app.supervision.WorkerSupervisor;
import dev.mcu.controlplane.ControlPlane;
import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.mixer.worker.MixerWorker;
import dev.mcu.signaling.session.Sessions;
import io.helidon.config.Config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The single-machine default (PROTOCOL.md section 4): an embedded Kafka broker, the control plane
 * and signaling in this JVM, on one port, and the mixer workers as supervised child processes
 * ({@link WorkerSupervisor}) so that a native abort in one costs its rooms a few seconds, never the
 * service. The roles talk to each other only through Kafka, exactly as in distributed mode
 * ({@link Roles}). With {@code mcu.mixer.isolation: in-process} the workers run in this JVM too
 * (tests that reach into a worker start it so).
 */
public final class DevMode implements AutoCloseable {

    /** A worker child heartbeats before the server starts (Roles); its supervisor has seen it by then. */
    private static final Duration WORKERS_READY = Duration.ofSeconds(10);

    private final Roles roles;
    private final EmbeddedKafka kafka;
    private final WorkerSupervisor supervisor;

    private DevMode(Config config) {
        AppSettings settings = AppSettings.from(config);
        this.kafka = settings.kafkaBootstrap().isEmpty() ? EmbeddedKafka.start(0) : null;
        WorkerSupervisor children = null;
        Roles started = null;
        try {
            String bootstrap = kafka != null ? kafka.bootstrapServers() : settings.kafkaBootstrap();
            boolean separate = settings.supervision().isolation() == Isolation.PROCESS;
            EnumSet<Roles.Role> here = EnumSet.allOf(Roles.Role.class);
            if (separate) {
                here.remove(Roles.Role.MIXER);
                // The children boot while the control plane and signaling start here.
                children = new WorkerSupervisor(config, settings.supervision(), settings.workerIds(), bootstrap);
            }
            started = Roles.start(config, settings, bootstrap, here, kafka != null,
                    MixerRole.Run.fresh(settings.workerIds()), separate ? settings.workerIds() : List.of());
            if (children != null) {
                children.awaitReady(WORKERS_READY);
                children.registerMetrics();
            }
        } catch (RuntimeException e) {
            if (started != null) {
                started.close();
            }
            if (children != null) {
                children.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
        this.roles = started;
        this.supervisor = children;
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

    /** The supervisor of the worker children; empty when the workers run in this JVM. */
    public Optional<WorkerSupervisor> supervisor() {
        return Optional.ofNullable(supervisor);
    }

    /** The first in-process worker (the only one unless mcu.mixer.count says otherwise). */
    public MixerWorker worker() {
        return workers().get(0);
    }

    /** The workers running in this JVM: none unless {@code mcu.mixer.isolation} is {@code in-process}. */
    public List<MixerWorker> workers() {
        return roles.workers();
    }

    public Sessions sessions() {
        return roles.sessions();
    }

    /** Stops signaling (clients hear 1012), the control plane, the workers, then the broker. */
    @Override
    public void close() {
        roles.close();
        if (supervisor != null) {
            supervisor.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
