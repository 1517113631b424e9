package dev.mcu.app;

import dev.mcu.controlplane.ControlPlane;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.mixer.worker.MixerWorker;
import dev.mcu.signaling.session.Sessions;
import io.helidon.config.Config;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The roles one process runs, on one HTTP port with Helidon's observe endpoints: any of mixer,
 * control plane and signaling, connected only through Kafka. Dev mode runs all three; distributed
 * mode runs one role per process against an external cluster.
 */
final class Roles implements AutoCloseable {

    /** A role a process may run. */
    enum Role { MIXER, CONTROL_PLANE, SIGNALING }

    /** The scheduler's guess of a new room's size, for its cost (docs/PERFORMANCE.md, scheduler). */
    static final int EXPECTED_PARTICIPANTS = 4;

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final AppSettings settings;
    private final String kafkaBootstrap;
    private MixerRole mixer;
    private ControlPlane controlPlane;
    private SignalingRole signaling;
    private WebServer server;

    private Roles(AppSettings settings, String kafkaBootstrap) {
        this.settings = settings;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    /**
     * Starts the chosen roles in dependency order (workers heartbeat before the control plane
     * places, the control plane before signaling asks it), then the server.
     *
     * @param dev the single-machine default with its embedded broker: the dev-only token endpoint for
     *            the browser client is served, and the published dev keys are accepted
     */
    static Roles start(Config config, AppSettings settings, String kafkaBootstrap, Set<Role> roles, boolean dev) {
        return start(config, settings, kafkaBootstrap, roles, dev, MixerRole.Run.fresh(settings.workerIds()), List.of());
    }

    static Roles start(Config config, AppSettings settings, String kafkaBootstrap, Set<Role> roles, boolean dev,
                       List<MixerRole.Run> runs) {
        return start(config, settings, kafkaBootstrap, roles, dev, runs, List.of());
    }

    /**
     * @param runs         the mixer workers to run here, when the roles include the mixer
     * @param otherWorkers workers of other processes (supervised children) that must heartbeat before
     *                     this process serves, when it runs the control plane
     */
    static Roles start(Config config, AppSettings settings, String kafkaBootstrap, Set<Role> roles, boolean dev,
                       List<MixerRole.Run> runs, List<String> otherWorkers) {
        boolean mixer = roles.contains(Role.MIXER);
        boolean controlPlane = roles.contains(Role.CONTROL_PLANE);
        boolean signaling = roles.contains(Role.SIGNALING);
        Roles r = new Roles(settings, kafkaBootstrap);
        try {
            if (!dev && (controlPlane || signaling)) {
                PublishedSecrets.refuse(settings); // dev keys only in the single-machine default
            }
            KafkaBus bus = r.own(new KafkaBus(kafkaBootstrap, settings.kafkaProperties()));
            if (mixer) {
                r.mixer = r.own(new MixerRole(settings, bus, runs));
            }
            if (controlPlane) {
                r.controlPlane = r.own(new ControlPlane(bus, new ControlPlane.Settings(settings.adminKey(),
                        settings.tokenSecret(), settings.publicUrl(), EXPECTED_PARTICIPANTS,
                        settings.signaling().maxParticipants(), settings.emptyRoomTtl(), settings.recordings(),
                        settings.ingestDirectory()),
                        Clock.systemUTC()));
                if (mixer) {
                    runs.forEach(run -> r.awaitHeartbeat(run.workerId(), Duration.ofSeconds(10)));
                }
                // A cold JVM, libwebrtc and Kafka clients: a worker child takes a while to heartbeat.
                otherWorkers.forEach(id -> r.awaitHeartbeat(id, Duration.ofSeconds(90)));
            }
            if (signaling) {
                r.signaling = r.own(new SignalingRole(settings, bus));
            }
            Observability observability = new Observability(bus, mixer ? r.mixer::workers : null,
                    signaling ? r.signaling.sessions() : null, r.controlPlane);
            WsRouting.Builder ws = WsRouting.builder();
            WebServerConfig.Builder server = WebServer.builder()
                    .config(config.get("server"))
                    .addFeature(ObserveFeature.builder().addObserver(observability.health())
                            .addObserver(observability.metrics()).build());
            if (controlPlane) {
                server.addFeature(OpenApiFeature.create());
            }
            server.routing(http -> {
                if (controlPlane) {
                    r.controlPlane.routing(http, dev);
                }
                if (signaling) {
                    r.signaling.routing(http, ws);
                }
            });
            if (signaling) {
                server.addRouting(ws);
            }
            r.server = server.build().start();
            r.own(r.server::stop);
            if (signaling) {
                // Before the server stops: clients hear 1012 (service restart) and reconnect elsewhere.
                r.own(() -> r.signaling.sessions().stop());
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    AppSettings settings() {
        return settings;
    }

    String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    ControlPlane controlPlane() {
        return controlPlane;
    }

    List<MixerWorker> workers() {
        return mixer == null ? List.of() : mixer.workers();
    }

    /** The mixer role, or null when this process runs none. */
    MixerRole mixer() {
        return mixer;
    }

    Sessions sessions() {
        return signaling == null ? null : signaling.sessions();
    }

    /** The workers must be known before the first room is placed. */
    private void awaitHeartbeat(String workerId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!controlPlane.workers().isAlive(workerId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + workerId + " sent no heartbeat within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the worker", e);
            }
        }
    }

    private <T extends AutoCloseable> T own(T part) {
        parts.push(part);
        return part;
    }

    /** Stops everything in reverse order of start: the server, signaling, control plane, workers, Kafka. */
    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                System.getLogger(Roles.class.getName()).log(System.Logger.Level.WARNING, "stopping failed", e);
            }
        }
    }
}
