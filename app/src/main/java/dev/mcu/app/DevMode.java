package dev.mcu.app;

import dev.mcu.controlplane.ControlPlane;
import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.worker.MixerWorker;
import dev.mcu.signaling.SignalingService;
import dev.mcu.signaling.auth.TokenVerifier;
import dev.mcu.signaling.relay.WorkerRelay;
import dev.mcu.signaling.session.Sessions;
import io.helidon.config.Config;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The single-machine default (PROTOCOL.md section 4): an embedded Kafka broker, one mixer worker,
 * one signaling node and the control plane (admin API, tokens) in one JVM, on one port. Every role
 * talks to the others through Kafka exactly as in distributed mode. Tests start it too.
 */
public final class DevMode implements AutoCloseable {

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final AppSettings settings;
    private final WebServer server;
    private final List<MixerWorker> workers = new java.util.ArrayList<>();
    private final Sessions sessions;
    private final ControlPlane controlPlane;
    private final String kafkaBootstrap;

    private DevMode(Config config) {
        this.settings = AppSettings.from(config);
        try {
            String bootstrap = settings.kafkaBootstrap();
            if (bootstrap.isEmpty()) {
                EmbeddedKafka kafka = own(EmbeddedKafka.start(0));
                bootstrap = kafka.bootstrapServers();
            }
            this.kafkaBootstrap = bootstrap;
            KafkaBus bus = own(new KafkaBus(bootstrap));
            for (String id : settings.workerIds()) {
                Mixer mixer = own(new Mixer(settings.mixer()));
                workers.add(own(new MixerWorker(id, mixer, bus, List.of(), settings.workerCapacity()).start()));
            }
            this.controlPlane = own(new ControlPlane(bus, new ControlPlane.Settings(settings.adminKey(),
                    settings.tokenSecret(), settings.publicUrl(), EXPECTED_PARTICIPANTS,
                    settings.signaling().maxParticipants()), Clock.systemUTC()));
            settings.workerIds().forEach(id -> awaitHeartbeat(controlPlane.workers(), id));
            WorkerRelay relay = own(new WorkerRelay(settings.signaling().nodeId(), bus));
            this.sessions = own(new Sessions(settings.signaling(), new TokenVerifier(settings.tokenSecret()),
                    controlPlane.rooms(), controlPlane.directory(), relay, controlPlane.workerTable()));
            Observability observability = new Observability(bus, workers, sessions);
            WsRouting.Builder ws = WsRouting.builder();
            SignalingService.routing(ws, sessions);
            this.server = WebServer.builder()
                    .config(config.get("server"))
                    .addFeature(ObserveFeature.builder().addObserver(observability.health())
                            .addObserver(observability.metrics()).build())
                    .addFeature(OpenApiFeature.create())
                    .routing(http -> {
                        controlPlane.routing(http, true);
                        SignalingService.client(http);
                    })
                    .addRouting(ws)
                    .build()
                    .start();
            own(server::stop);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The scheduler's guess of a new room's size, for its cost (docs/PERFORMANCE.md, scheduler). */
    private static final int EXPECTED_PARTICIPANTS = 4;

    /** The one worker must be known before the first room is placed. */
    private static void awaitHeartbeat(WorkerRegistry workers, String workerId) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!workers.isAlive(workerId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + workerId + " sent no heartbeat within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the worker", e);
            }
        }
    }

    public static DevMode start(Config config) {
        return new DevMode(config);
    }

    public int port() {
        return server.port();
    }

    public AppSettings settings() {
        return settings;
    }

    /** The first worker (the only one unless mcu.mixer.count says otherwise). */
    public MixerWorker worker() {
        return workers.get(0);
    }

    public List<MixerWorker> workers() {
        return List.copyOf(workers);
    }

    /** Where this process's Kafka is (the embedded broker's address in dev mode). */
    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    public Sessions sessions() {
        return sessions;
    }

    private <T extends AutoCloseable> T own(T part) {
        parts.push(part);
        return part;
    }

    /** Stops everything in reverse order of start. */
    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                System.getLogger(DevMode.class.getName()).log(System.Logger.Level.WARNING, "stopping failed", e);
            }
        }
    }
}
