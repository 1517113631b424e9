package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.controlplane.tokens.TokenIssuer;
import dev.mcu.events.Topics;
import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.mixer.peer.PeerFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KafkaUsers of {@code k8s/} against the code: a real broker that authenticates each role as
 * its KafkaUser and enforces exactly the ACLs the production overlay grants (nothing is allowed
 * without one), with the topics its KafkaTopics declare. The three roles run as separate servers
 * with only those rights, and a call works end to end: placement, media both ways, a kick whose
 * revoked token signaling then refuses. The probe paths and the autoscaler's metric of the
 * manifests are asked of the running roles. Strimzi authenticates with client certificates where
 * this broker uses SASL/PLAIN on loopback; the principals are the same user names.
 */
class KafkaAclsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theRolesWorkWithOnlyTheAclsOfTheirKafkaUsers() throws Exception {
        RenderedManifests m = RenderedManifests.render("production");
        Map<String, String> passwords = new HashMap<>(Map.of(EmbeddedKafka.ADMIN, "admin-secret"));
        m.custom("KafkaUser").forEach(u -> passwords.put(u.getMetadata().getName(), u.getMetadata().getName() + "-pw"));
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithAcls(passwords);
             Admin admin = Admin.create(clientConfig(kafka, EmbeddedKafka.ADMIN, passwords))) {
            admin.createAcls(acls(m)).all().get(30, TimeUnit.SECONDS);
            List<NewTopic> topics = new ArrayList<>();
            for (GenericKubernetesResource t : m.custom("KafkaTopic")) {
                Map<String, String> config = new HashMap<>();
                Map<String, Object> declared = RenderedManifests.at(t, "spec", "config");
                declared.forEach((k, v) -> config.put(k, String.valueOf(v)));
                topics.add(new NewTopic(RenderedManifests.at(t, "spec", "topicName"),
                        ((Number) RenderedManifests.at(t, "spec", "partitions")).intValue(), (short) 1).configs(config));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS); // as Strimzi's topic operator would

            Map<Roles.Role, Roles> roles = new HashMap<>();
            try {
                roles.put(Roles.Role.MIXER, start(kafka, "mcu-mixer", passwords, Roles.Role.MIXER));
                roles.put(Roles.Role.CONTROL_PLANE, start(kafka, "mcu-control-plane", passwords, Roles.Role.CONTROL_PLANE));
                roles.put(Roles.Role.SIGNALING, start(kafka, "mcu-signaling", passwords, Roles.Role.SIGNALING));
                call(roles);
                probesAndMetricsOfTheManifestsAreServed(m, roles);
            } finally {
                roles.values().forEach(Roles::close);
            }

            // The broker does enforce: signaling may not write the rooms table.
            try (KafkaProducer<String, String> p = new KafkaProducer<>(clientConfig(kafka, "mcu-signaling", passwords),
                    new StringSerializer(), new StringSerializer())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.send(new ProducerRecord<>(Topics.ROOMS, "r", "{}")).get(10, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, e.getCause());
            }
        }
    }

    private static void call(Map<Roles.Role, Roles> roles) throws Exception {
        Roles signaling = roles.get(Roles.Role.SIGNALING);
        AppSettings settings = signaling.settings();
        TokenIssuer tokens = new TokenIssuer(settings.tokenSecret(), Clock.systemUTC());
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> ps = new ArrayList<>();
        try (PeerFactory clients = new PeerFactory(0, 0)) {
            try {
                callKickAndRefuse(signaling, tokens, clients, sessions, ps, roles.get(Roles.Role.CONTROL_PLANE).port());
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close); // before their factory closes
            }
        }
    }

    private static void callKickAndRefuse(Roles signaling, TokenIssuer tokens, PeerFactory clients,
                                          List<ProtocolClient> sessions, List<SyntheticParticipant> ps, int controlPort)
            throws Exception {
        AppSettings settings = signaling.settings();
        String kickedToken = null;
        String kickedId = null;
        for (int i = 0; i < 2; i++) {
            ProtocolClient s = ProtocolClient.connect(ProtocolClient.wsUri(signaling.port()));
            sessions.add(s);
            String token = tokens.issue("u" + i, "acl", null, 600, TokenIssuer.Grants.PARTICIPANT);
            JsonNode joined = s.join(token, "P" + i, null);
            assertEquals("joined", ProtocolClient.type(joined), joined.toString());
            ps.add(DevServer.connect(s, clients, i));
            kickedToken = token;
            kickedId = joined.path("participantId").asText();
        }
        for (int i = 0; i < 2; i++) {
            SyntheticParticipant me = ps.get(i);
            SyntheticParticipant other = ps.get(1 - i);
            assertTrue(DevServer.eventually(15_000, () -> me.video().latest() != null
                    && me.video().latest().colourAt(320, 180) == other.colour()), "P" + i + " sees the other");
        }
        String id = kickedId;
        assertTrue(DevServer.eventually(10_000, () -> request("DELETE", controlPort,
                "/v1/rooms/acl/participants/" + id, settings.adminKey()) == 204), "the admin kicks P1");
        assertEquals("kicked", ProtocolClient.type(sessions.get(1).await("kicked", WAIT)));
        String token = kickedToken;
        try (ProtocolClient again = ProtocolClient.connect(ProtocolClient.wsUri(signaling.port()))) {
            assertTrue(DevServer.eventually(10_000, () -> {
                try {
                    return "forbidden".equals(again.join(token, "P1", null).path("code").asText());
                } catch (Exception e) {
                    return false;
                }
            }), "signaling learns of the revoked token");
        }
    }

    private static void probesAndMetricsOfTheManifestsAreServed(RenderedManifests m, Map<Roles.Role, Roles> roles)
            throws Exception {
        for (Roles.Role role : roles.keySet()) {
            String name = role.name().toLowerCase(Locale.ROOT).replace('_', '-');
            Container c = m.workload(name).containers().get(0);
            int port = roles.get(role).port();
            for (String path : List.of(c.getReadinessProbe().getHttpGet().getPath(), c.getLivenessProbe().getHttpGet().getPath())) {
                assertEquals(200, request("GET", port, path, null), name + " " + path);
            }
        }
        String query = RenderedManifests.at(m.custom("ScaledObject").get(0), "spec", "triggers") instanceof List<?> l
                ? String.valueOf(((Map<?, ?>) l.get(0)).get("metadata")) : "";
        Matcher metric = Pattern.compile("(mcu_[a-z_]+)").matcher(query);
        assertTrue(metric.find(), query);
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + roles.get(Roles.Role.MIXER).port() + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().lines().anyMatch(line -> line.startsWith(metric.group(1) + "{")
                || line.startsWith(metric.group(1) + " ")), "the mixer exports " + metric.group(1));
    }

    /** A role as its own server, authenticated as its KafkaUser. */
    private static Roles start(EmbeddedKafka kafka, String user, Map<String, String> passwords, Roles.Role role) {
        Map<String, String> values = new HashMap<>(Map.of("server.port", "0",
                "mcu.kafka.bootstrap", kafka.bootstrapServers(),
                "mcu.admin.key", "acl-test-admin-key-0123456789",
                "mcu.tokens.secret", "acl-test-token-secret-of-32-bytes-or-more"));
        EmbeddedKafka.saslClient(user, passwords.get(user)).forEach((k, v) -> values.put("mcu.kafka.properties." + k, v));
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(values)).addSource(ConfigSources.classpath("application.yaml")).build();
        return Roles.start(config, AppSettings.from(config), kafka.bootstrapServers(), Set.of(role), false);
    }

    /** The Strimzi ACLs of every KafkaUser, as Kafka's bindings for its principal. */
    private static List<AclBinding> acls(RenderedManifests m) {
        List<AclBinding> bindings = new ArrayList<>();
        for (GenericKubernetesResource user : m.custom("KafkaUser")) {
            List<Map<String, Object>> acls = RenderedManifests.at(user, "spec", "authorization", "acls");
            for (Map<String, Object> acl : acls) {
                @SuppressWarnings("unchecked")
                Map<String, String> resource = (Map<String, String>) acl.get("resource");
                ResourcePattern pattern = new ResourcePattern(ResourceType.fromString(resource.get("type")),
                        resource.get("name"), resource.get("patternType").equals("prefix") ? PatternType.PREFIXED
                        : PatternType.LITERAL);
                @SuppressWarnings("unchecked")
                List<String> operations = (List<String>) acl.get("operations");
                for (String op : operations) {
                    AclOperation operation = AclOperation.fromString(op);
                    assertTrue(operation != AclOperation.UNKNOWN, op);
                    bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user.getMetadata().getName(),
                            "*", operation, AclPermissionType.ALLOW)));
                }
            }
        }
        return bindings;
    }

    private static Map<String, Object> clientConfig(EmbeddedKafka kafka, String user, Map<String, String> passwords) {
        Map<String, Object> config = new HashMap<>(EmbeddedKafka.saslClient(user, passwords.get(user)));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return config;
    }

    private static int request(String method, int port, String path, String adminKey) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (adminKey != null) {
                b.header("Authorization", "Bearer " + adminKey);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
