package dev.mcu.app;

import dev.mcu.app.supervision.SupervisionSettings;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.signal.IceServer;
import dev.mcu.events.storage.RecordingStorage;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.signaling.SignalingConfig;
import dev.mcu.signaling.ice.TurnCredentials;
import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The typed settings of every role, read from Helidon config (application.yaml, then environment
 * variables and system properties over it). Keys under {@code mcu} that nothing reads are refused,
 * so a typo fails at start-up instead of being silently ignored.
 */
public record AppSettings(String publicUrl, String adminKey, String tokenSecret, String kafkaBootstrap,
                          SignalingConfig signaling, List<String> workerIds, MixerConfig mixer, double workerCapacity,
                          List<IceServer> iceServers, Duration emptyRoomTtl, Map<String, String> kafkaProperties,
                          SupervisionSettings supervision, int warmFactories, TurnCredentials turn,
                          RecordingStorage recordings, java.nio.file.Path ingestDirectory) {

    /** The first (in dev mode usually the only) worker. */
    public String workerId() {
        return workerIds.get(0);
    }

    /**
     * Kafka client settings pass through under this prefix: {@code mcu.kafka.properties.security.protocol}
     * (environment: {@code MCU_KAFKA_PROPERTIES_SECURITY_PROTOCOL}), {@code sasl.*}, {@code ssl.*}.
     */
    static final String KAFKA_PROPERTIES = "mcu.kafka.properties.";

    private static final Set<String> KNOWN = Set.of(
            "mcu.public.url", "mcu.admin.key", "mcu.tokens.secret", "mcu.kafka.bootstrap",
            "mcu.signaling.node", "mcu.signaling.room.max", "mcu.signaling.rate", "mcu.signaling.burst",
            "mcu.signaling.errors", "mcu.signaling.join.timeout", "mcu.signaling.join.deadline",
            "mcu.signaling.sockets.max",
            "mcu.mixer.worker", "mcu.mixer.fps", "mcu.mixer.width", "mcu.mixer.height", "mcu.mixer.bitrate",
            "mcu.mixer.codecs", "mcu.mixer.loudest", "mcu.mixer.tiers", "mcu.mixer.ports.min", "mcu.mixer.ports.max",
            "mcu.mixer.capacity", "mcu.mixer.count", "mcu.ice.urls", "mcu.ice.username", "mcu.ice.credential",
            "mcu.rooms.empty.ttl", "mcu.mixer.connect.timeout", "mcu.mixer.peers.max", "mcu.mixer.factory.peers",
            "mcu.mixer.isolation",
            "mcu.mixer.process.options", "mcu.mixer.process.core-dumps", "mcu.mixer.restart.min", "mcu.mixer.restart.max", "mcu.mixer.memory.max",
            "mcu.mixer.factories.warm", "mcu.mixer.spares", "mcu.ice.turn.urls", "mcu.ice.turn.secret",
            "mcu.ice.turn.ttl", "mcu.recordings.directory", "mcu.recordings.free.min",
            "mcu.ingest.directory");

    public static AppSettings from(Config config) {
        Set<String> unknown = new TreeSet<>();
        Map<String, String> kafkaProperties = new TreeMap<>();
        config.get("mcu").traverse().filter(Config::isLeaf).forEach(c -> {
            String key = c.key().toString();
            if (key.startsWith(KAFKA_PROPERTIES)) {
                String name = key.substring(KAFKA_PROPERTIES.length());
                KafkaBus.requirePassThrough(name);
                kafkaProperties.put(name, c.asString().orElse(""));
            } else if (!KNOWN.contains(key)) {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration keys: " + unknown + "; known keys: "
                    + new TreeSet<>(KNOWN));
        }
        MixerConfig d = MixerConfig.defaults();
        List<String> codecs = Arrays.stream(text(config, "mcu.mixer.codecs").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        MixerConfig mixer = new MixerConfig(number(config, "mcu.mixer.fps"), number(config, "mcu.mixer.width"),
                number(config, "mcu.mixer.height"), d.maxWidth(), d.maxHeight(), number(config, "mcu.mixer.bitrate"),
                d.maxBitrateKbps(), number(config, "mcu.mixer.loudest"), d.jitterChunks(), d.speakerHoldMs(),
                d.peerTimeoutMs(), number(config, "mcu.mixer.connect.timeout"), number(config, "mcu.mixer.peers.max"),
                number(config, "mcu.mixer.factory.peers"),
                codecs, number(config, "mcu.mixer.ports.min"), number(config, "mcu.mixer.ports.max"),
                bool(config, "mcu.mixer.tiers"))
                .validate();
        SignalingConfig signaling = new SignalingConfig(text(config, "mcu.signaling.node"),
                number(config, "mcu.signaling.room.max"), number(config, "mcu.signaling.rate"),
                number(config, "mcu.signaling.burst"), number(config, "mcu.signaling.errors"),
                number(config, "mcu.signaling.join.timeout"), number(config, "mcu.signaling.join.deadline"),
                number(config, "mcu.signaling.sockets.max"));
        return new AppSettings(text(config, "mcu.public.url"), text(config, "mcu.admin.key"),
                text(config, "mcu.tokens.secret"), config.get("mcu.kafka.bootstrap").asString().orElse("").strip(),
                signaling, workerIds(text(config, "mcu.mixer.worker"), number(config, "mcu.mixer.count")), mixer,
                number(config, "mcu.mixer.capacity"), iceServers(config), emptyRoomTtl(config), Map.copyOf(kafkaProperties),
                supervision(config), warmFactories(config), turn(config), recordings(config),
                java.nio.file.Path.of(text(config, "mcu.ingest.directory").strip()));
    }

    /** Where recordings go, and the free space (MiB) below which none starts and a running one fails. */
    private static RecordingStorage recordings(Config config) {
        String dir = text(config, "mcu.recordings.directory").strip();
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("mcu.recordings.directory must not be empty");
        }
        int minFreeMb = number(config, "mcu.recordings.free.min");
        if (minFreeMb < 0) {
            throw new IllegalArgumentException("mcu.recordings.free.min must not be negative: " + minFreeMb);
        }
        return new RecordingStorage(java.nio.file.Path.of(dir), minFreeMb * 1024L * 1024L);
    }

    /**
     * TURN with time-limited credentials (coturn's {@code use-auth-secret}): signaling gives each
     * participant its own in {@code joined}. Null without {@code mcu.ice.turn.urls}.
     */
    private static TurnCredentials turn(Config config) {
        List<String> urls = Arrays.stream(config.get("mcu.ice.turn.urls").asString().orElse("").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (urls.isEmpty()) {
            return null;
        }
        String secret = config.get("mcu.ice.turn.secret").asString().orElse("");
        return new TurnCredentials(urls, secret, Duration.ofSeconds(number(config, "mcu.ice.turn.ttl")),
                java.time.Clock.systemUTC());
    }

    /** libwebrtc factories a worker makes before its first join (0 to 16). */
    private static int warmFactories(Config config) {
        int n = number(config, "mcu.mixer.factories.warm");
        if (n < 0 || n > 16) {
            throw new IllegalArgumentException("mcu.mixer.factories.warm must be from 0 to 16: " + n);
        }
        return n;
    }

    /** How the single-machine default runs its workers (child processes unless told otherwise). */
    private static SupervisionSettings supervision(Config config) {
        List<String> options = Arrays.stream(config.get("mcu.mixer.process.options").asString().orElse("")
                .split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new SupervisionSettings(SupervisionSettings.Isolation.of(text(config, "mcu.mixer.isolation").strip()),
                options, Duration.ofMillis(number(config, "mcu.mixer.restart.min")),
                Duration.ofMillis(number(config, "mcu.mixer.restart.max")), number(config, "mcu.mixer.memory.max"),
                number(config, "mcu.mixer.spares"), bool(config, "mcu.mixer.process.core-dumps"));
    }

    /** The STUN/TURN servers clients are given in {@code joined}: comma-separated URLs, one credential. */
    private static List<IceServer> iceServers(Config config) {
        List<String> urls = Arrays.stream(config.get("mcu.ice.urls").asString().orElse("").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String url : urls) {
            if (!url.matches("(stun|stuns|turn|turns):[^\\s]+")) {
                throw new IllegalArgumentException("mcu.ice.urls: not a STUN or TURN URL: " + url);
            }
        }
        if (urls.isEmpty()) {
            return List.of();
        }
        String user = config.get("mcu.ice.username").asString().filter(s -> !s.isBlank()).orElse(null);
        String credential = config.get("mcu.ice.credential").asString().filter(s -> !s.isBlank()).orElse(null);
        return List.of(new IceServer(urls, user, credential));
    }

    /** How long an auto-created room may stay empty before it is deleted (seconds, 1 s to 7 days). */
    private static Duration emptyRoomTtl(Config config) {
        int seconds = number(config, "mcu.rooms.empty.ttl");
        if (seconds < 1 || seconds > 7 * 24 * 3600) {
            throw new IllegalArgumentException("mcu.rooms.empty.ttl must be from 1 to 604800 seconds: " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Worker ids: the prefix, then -1, -2, ... */
    private static List<String> workerIds(String prefix, int count) {
        if (count < 1 || count > 16) {
            throw new IllegalArgumentException("mcu.mixer.count must be from 1 to 16: " + count);
        }
        return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static String text(Config config, String key) {
        return config.get(key).asString().filter(s -> !s.isBlank()).orElseThrow(() ->
                new IllegalArgumentException("configuration key " + key + " must be set"));
    }

    private static int number(Config config, String key) {
        String v = text(config, key);
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " must be an integer: " + v);
        }
    }

    private static boolean bool(Config config, String key) {
        String v = text(config, key).strip();
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("configuration key " + key + " must be true or false: " + v);
        };
    }
}
