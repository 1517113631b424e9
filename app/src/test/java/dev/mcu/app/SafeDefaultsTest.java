package dev.mcu.app;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outside the single-machine default, the control plane and signaling refuse the admin keys and
 * token secrets anyone can read in this repository, and say how to set real ones; Kafka client
 * security settings pass through from configuration, anything else there is refused.
 */
class SafeDefaultsTest {

    private static Config config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of("server.port", "0", "mcu.kafka.bootstrap", "127.0.0.1:1"));
        all.putAll(overrides);
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(all)).addSource(ConfigSources.classpath("application.yaml")).build();
    }

    @Test
    void distributedRolesRefuseThePublishedKeys() {
        for (Roles.Role role : Set.of(Roles.Role.CONTROL_PLANE, Roles.Role.SIGNALING)) {
            Config c = config(Map.of());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Roles.start(c, AppSettings.from(c), "127.0.0.1:1", Set.of(role), false));
            assertTrue(e.getMessage().contains("MCU_ADMIN_KEY"), e.getMessage());
            Config secret = config(Map.of("mcu.admin.key", "a-real-admin-key-of-some-length"));
            e = assertThrows(IllegalStateException.class,
                    () -> Roles.start(secret, AppSettings.from(secret), "127.0.0.1:1", Set.of(role), false));
            assertTrue(e.getMessage().contains("MCU_TOKENS_SECRET"), e.getMessage());
            Config manifest = config(Map.of("mcu.admin.key", "change-me-admin-key"));
            assertThrows(IllegalStateException.class,
                    () -> Roles.start(manifest, AppSettings.from(manifest), "127.0.0.1:1", Set.of(role), false));
            Config turn = config(Map.of("mcu.admin.key", "a-real-admin-key-of-some-length",
                    "mcu.tokens.secret", "a-real-token-secret-of-thirty-two-bytes-or-more",
                    "mcu.ice.turn.urls", "turn:turn.example.org:3478", "mcu.ice.turn.secret", "change-me-turn-secret"));
            e = assertThrows(IllegalStateException.class,
                    () -> Roles.start(turn, AppSettings.from(turn), "127.0.0.1:1", Set.of(role), false));
            assertTrue(e.getMessage().contains("MCU_ICE_TURN_SECRET"), e.getMessage());
        }
    }

    /** Every admin key and token secret written anywhere in the repository is one the roles refuse. */
    @Test
    void everyKeyInTheRepositoryIsKnownAsPublished() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Pattern assignment = Pattern.compile(
                "(?:MCU_ADMIN_KEY|MCU_TOKENS_SECRET|MCU_ICE_TURN_SECRET|mcu\\.admin\\.key|mcu\\.tokens\\.secret"
                        + "|mcu\\.ice\\.turn\\.secret|static-auth-secret|^secret)\\s*[=:]\\s*\"?([A-Za-z0-9._-]{6,})",
                Pattern.MULTILINE);
        Pattern yamlKey = Pattern.compile("^\\s*(key|secret):\\s*\"([^\"]+)\"", Pattern.MULTILINE);
        Pattern bearer = Pattern.compile("Bearer ([A-Za-z0-9._-]{6,})");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(SafeDefaultsTest::text).toList()) {
                String s = Files.readString(f);
                for (Pattern p : new Pattern[] {assignment, yamlKey, bearer}) {
                    Matcher m = p.matcher(s);
                    while (m.find()) {
                        found.add(m.group(m.groupCount()));
                    }
                }
            }
        }
        found.removeIf(v -> v.startsWith("$") || v.contains("test")); // variables, and the tests' own keys
        Set<String> published = new TreeSet<>(PublishedSecrets.ADMIN_KEYS);
        published.addAll(PublishedSecrets.TOKEN_SECRETS);
        published.addAll(PublishedSecrets.TURN_SECRETS);
        assertTrue(published.containsAll(found), "keys in the repository not known as published: "
                + found.stream().filter(v -> !published.contains(v)).toList());
        assertTrue(found.contains("dev-admin-key") && found.contains("change-me-turn-secret"),
                "the scan finds the dev key and the TURN placeholder: " + found);
    }

    private static boolean text(Path f) {
        String p = f.toString();
        return !p.contains("/target/") && !p.contains("/.git/") && !p.contains("node_modules")
                && (p.endsWith(".yaml") || p.endsWith(".yml") || p.endsWith(".md") || p.endsWith(".env")
                || p.endsWith(".properties") || p.endsWith(".sh") || p.endsWith(".js") || p.endsWith(".html")
                || p.contains("/bin/"));
    }

    @Test
    void kafkaSecuritySettingsPassThroughAndNothingElse() {
        AppSettings s = AppSettings.from(config(Map.of("mcu.kafka.properties.security.protocol", "SASL_SSL",
                "mcu.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                "mcu.kafka.properties.ssl.truststore.location", "/etc/kafka/truststore.jks")));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/truststore.jks"), s.kafkaProperties());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AppSettings.from(config(Map.of("mcu.kafka.properties.acks", "0"))));
        assertTrue(e.getMessage().contains("security.protocol"), e.getMessage());
    }
}
