package dev.mcu.app;

import dev.mcu.controlplane.ControlPlane;
import dev.mcu.controlplane.workers.FailoverClock;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.peer.MixerPeer;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.room.Room;
import dev.mcu.events.state.WorkerStatus;
import dev.mcu.mixer.worker.MixerWorker;
import dev.mcu.signaling.session.Sessions;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.health.HealthObserverConfig;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Health and metrics of the process's roles, on Helidon's observe endpoints
 * ({@code /observe/health}, {@code /observe/metrics} in Prometheus text format).
 */
final class Observability {

    private final KafkaBus bus;
    private final Supplier<List<MixerWorker>> workers;
    private final Sessions sessions;
    private final ControlPlane controlPlane;

    /**
     * @param workers      this process's mixer workers now, or null when it runs no mixer
     * @param sessions     this process's signaling sessions, or null when it runs no signaling
     * @param controlPlane this process's control plane, or null when it runs none
     */
    Observability(KafkaBus bus, Supplier<List<MixerWorker>> workers, Sessions sessions, ControlPlane controlPlane) {
        this.bus = bus;
        this.workers = workers;
        this.sessions = sessions;
        this.controlPlane = controlPlane;
    }

    /** Ready only while Kafka answers: without it no session can reach a mixer. */
    HealthObserver health() {
        HealthObserverConfig.Builder health = HealthObserver.builder()
                .details(true)
                .addCheck(() -> HealthCheckResponse.builder()
                        .status(bus.reachable())
                        .detail("bootstrap", bus.bootstrapServers())
                        .build(), HealthCheckType.READINESS, "kafka");
        if (workers != null) {
            // A worker whose room clocks stall serves nobody well, and a standby serves nobody yet: not ready.
            health.addCheck(() -> {
                List<MixerWorker> now = workers.get();
                HealthCheckResponse.Builder r = HealthCheckResponse.builder()
                        .status(!now.isEmpty() && now.stream().noneMatch(MixerWorker::stalled));
                now.forEach(w -> r.detail(w.id(), w.stalled() ? "stalled" : w.mixer().rooms().size() + " rooms"));
                return r.build();
            }, HealthCheckType.READINESS, "mixer");
        }
        return health.build();
    }

    private List<MixerWorker> workers() {
        return workers == null ? List.of() : workers.get();
    }

    private Stream<Room> rooms() {
        return workers().stream().flatMap(w -> w.mixer().rooms().stream());
    }

    /** Bandwidth tiers: viewers per tier, changes, and the spread of the viewers' estimates (no per-viewer labels). */
    private void viewerTiers(MeterRegistry registry) {
        for (Tier tier : Tier.values()) {
            registry.getOrCreate(Gauge.builder("mcu_viewer_tier", () -> rooms()
                            .mapToInt(r -> r.tiers().byTier().getOrDefault(tier, 0)).sum())
                    .tags(List.of(Metrics.tag("tier", tier.label())))
                    .description("video viewers on each bandwidth tier"));
        }
        for (boolean up : new boolean[] {true, false}) {
            registry.getOrCreate(FunctionalCounter.builder("mcu_viewer_tier_changes", this,
                            o -> rooms().mapToLong(r -> r.tiers().changes(up)).sum())
                    .tags(List.of(Metrics.tag("direction", up ? "up" : "down")))
                    .description("viewers and audio-only listeners moved to another bandwidth tier (rooms still hosted)"));
        }
        registry.getOrCreate(FunctionalCounter.builder("mcu_viewer_tier_trials", this,
                        o -> rooms().mapToLong(r -> r.tiers().trials()).sum())
                .description("trials of a higher tier begun by viewers on the smallest (rooms still hosted)"));
        Map<String, Double> quantiles = Map.of("min", 0.0, "median", 0.5);
        quantiles.forEach((stat, q) -> registry.getOrCreate(Gauge.builder("mcu_viewer_bandwidth_kbps", () -> {
                    double[] all = rooms().flatMap(r -> r.tiers().estimates().stream()).mapToDouble(Double::doubleValue)
                            .sorted().toArray();
                    return all.length == 0 ? 0 : all[(int) Math.floor(q * (all.length - 1))];
                })
                .tags(List.of(Metrics.tag("stat", stat)))
                .description("video viewers' bandwidth estimates (libwebrtc's availableOutgoingBitrate), kbit/s")));
    }

    /** The workers' summed stream cost over their summed capacity; 0 without a worker. */
    private double streamLoad() {
        double cost = 0;
        double capacity = 0;
        for (MixerWorker w : workers()) {
            if (w.heartbeat() != null) {
                WorkerStatus s = w.heartbeat().status();
                cost += s.streamCost();
                capacity += s.capacity();
            }
        }
        return capacity == 0 ? 0 : cost / capacity;
    }

    MetricsObserver metrics() {
        MeterRegistry registry = Metrics.globalRegistry();
        registry.getOrCreate(Gauge.builder("mcu_rooms", () -> rooms().count())
                .description("rooms hosted by this process's mixer workers"));
        registry.getOrCreate(Gauge.builder("mcu_participants", () -> rooms()
                .mapToInt(r -> r.participants().size()).sum()).description("participants in those rooms"));
        registry.getOrCreate(Gauge.builder("mcu_peer_connections", MixerPeer::openPeers)
                .description("open peer connections of this worker"));
        registry.getOrCreate(FunctionalCounter.builder("mcu_peer_connections_freed", PeerFactory.class,
                        f -> PeerFactory.connectionsFreed())
                .description("closed peer connections whose native memory was freed (webrtc-java keeps them)"));
        registry.getOrCreate(Gauge.builder("mcu_peer_factories", () -> workers().stream()
                .mapToInt(w -> w.mixer().peerFactories()).sum())
                .description("libwebrtc factories made (one per participant at once, recycled; six native threads each)"));
        registry.getOrCreate(Gauge.builder("mcu_composites", () -> rooms()
                .mapToLong(Room::composites).sum()).description("composites made by the video clocks so far"));
        registry.getOrCreate(Gauge.builder("mcu_composite_failures", () -> rooms()
                .mapToLong(Room::compositeFailures).sum()).description("composites that failed (each only its own view)"));
        registry.getOrCreate(Gauge.builder("mcu_audio_underruns", () -> rooms()
                .mapToLong(Room::audioUnderruns).sum())
                .description("10 ms chunks of silence because a participant's audio queue ran dry (current participants)"));
        registry.getOrCreate(Gauge.builder("mcu_audio_trimmed", () -> rooms()
                .mapToLong(Room::audioTrimmed).sum())
                .description("10 ms audio chunks dropped to drain a standing queue delay (current participants)"));
        registry.getOrCreate(Gauge.builder("mcu_audio_silence_repaid", () -> rooms()
                .mapToLong(Room::audioSilenceRepaid).sum())
                .description("10 ms chunks of silence sent to keep listeners' audio stamps on time after missed ticks"));
        Map<String, ToLongFunction<Room>> skipped = Map.of("video", Room::videoTicksSkipped,
                "audio", Room::audioTicksSkipped);
        skipped.forEach((clock, ticks) -> registry.getOrCreate(Gauge.builder("mcu_clock_ticks_skipped",
                        () -> rooms().mapToLong(ticks).sum())
                .tags(List.of(Metrics.tag("clock", clock)))
                .description("ticks the rooms' clocks skipped after stalls")));
        // What Kubernetes scales mixer workers on (k8s/): the scheduler's own measure, not CPU.
        registry.getOrCreate(Gauge.builder("mcu_worker_load", this::streamLoad)
                .description("outbound stream cost of this process's mixer workers over their capacity (1 = full)"));
        viewerTiers(registry);
        if (controlPlane != null) {
            registry.getOrCreate(Gauge.builder("mcu_control_rooms", () -> controlPlane.rooms().all().size())
                    .description("rooms the control plane knows"));
            Timer recovery = registry.getOrCreate(Timer.builder("mcu_worker_recovery")
                    .percentiles(0.5, 0.95)
                    .buckets(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                            Duration.ofSeconds(60))
                    .description("from a mixer worker's death to the last of its participants back in the mix"));
            controlPlane.failovers().onRecovered(recovery::record);
            registry.getOrCreate(FunctionalCounter.builder("mcu_worker_recoveries_incomplete", controlPlane.failovers(),
                            FailoverClock::incomplete)
                    .description("failovers after which some participants were not back in the mix within 2 minutes"));
            for (String state : List.of("ready", "draining", "dead")) {
                registry.getOrCreate(Gauge.builder("mcu_control_workers", () -> controlPlane.workers().all().stream()
                                .filter(w -> w.state().equals(state)).count())
                        .tags(List.of(Metrics.tag("state", state)))
                        .description("mixer workers by state, from their heartbeats"));
            }
        }
        if (sessions != null) {
            registry.getOrCreate(Gauge.builder("mcu_signaling_sessions", sessions::count)
                    .description("open WebSocket sessions of this signaling node"));
        }
        return MetricsObserver.create();
    }
}
