package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.controlplane.tokens.TokenIssuer;
import dev.mcu.events.Json;
import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.mixer.peer.PeerFactory;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distributed mode: the mixer, the control plane and signaling as three separate role servers on
 * three ports, with nothing between them but a Kafka broker. Participants join through signaling,
 * the control plane places and lists the room, and media flows through the worker. The control
 * plane then restarts during the call and loses nothing.
 */
class DistributedRolesTest {

    @Test
    void threeRolesConnectedOnlyByKafkaMakeACall() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                    .addSource(ConfigSources.create(Map.of("server.port", "0",
                            "mcu.kafka.bootstrap", kafka.bootstrapServers(),
                            // Outside the single-machine default the published dev keys are refused.
                            "mcu.admin.key", "distributed-test-admin-key-0123",
                            "mcu.tokens.secret", "distributed-test-token-secret-of-32-bytes-or-more")))
                    .addSource(ConfigSources.classpath("application.yaml")).build();
            AppSettings settings = AppSettings.from(config);
            Roles[] control = {Roles.start(config, settings, kafka.bootstrapServers(), Set.of(Roles.Role.CONTROL_PLANE), false)};
            try (Roles mixer = Roles.start(config, settings, kafka.bootstrapServers(), Set.of(Roles.Role.MIXER), false);
                 Roles signaling = Roles.start(config, settings, kafka.bootstrapServers(), Set.of(Roles.Role.SIGNALING), false);
                 PeerFactory clients = new PeerFactory(0, 0)) {
                assertTrue(DevServer.eventually(5_000, () -> control[0].controlPlane().workers().isAlive("worker-1")));
                TokenIssuer tokens = new TokenIssuer(settings.tokenSecret(), Clock.systemUTC());
                List<ProtocolClient> sessions = new ArrayList<>();
                List<SyntheticParticipant> ps = new ArrayList<>();
                try {
                    for (int i = 0; i < 2; i++) {
                        ProtocolClient s = ProtocolClient.connect(ProtocolClient.wsUri(signaling.port()));
                        sessions.add(s);
                        JsonNode joined = s.join(tokens.issue("u" + i, "split", null, 600,
                                TokenIssuer.Grants.PARTICIPANT), "P" + i, null);
                        assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                        ps.add(DevServer.connect(s, clients, i));
                    }
                    for (int i = 0; i < 2; i++) {
                        SyntheticParticipant me = ps.get(i);
                        SyntheticParticipant other = ps.get(1 - i);
                        assertTrue(DevServer.eventually(10_000, () -> me.video().latest() != null
                                && me.video().latest().colourAt(320, 180) == other.colour()), "sees the other");
                    }
                    HttpResponse<String> room = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + control[0].port() + "/v1/rooms/split"))
                            .header("Authorization", "Bearer " + settings.adminKey()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, room.statusCode(), room.body());
                    HttpResponse<String> devToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + control[0].port() + "/dev/token"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"split\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(404, devToken.statusCode(), "no /dev/token outside the single-machine default");
                    JsonNode r = Json.MAPPER.readTree(room.body());
                    assertEquals("worker-1", r.path("workerId").asText());
                    assertTrue(DevServer.eventually(5_000, () ->
                            control[0].controlPlane().participants().count("split") == 2), "the control plane sees both");
                    assertEquals(2, mixer.workers().get(0).participants("split").size());
                    assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + signaling.port() + "/v1/rooms")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode(), "signaling serves no admin API");

                    // The control plane restarts during the call: the call goes on, and the new
                    // process answers with the same room, assignment and participants.
                    String before = participants(control[0].port(), settings);
                    control[0].close();
                    long frames = ps.get(0).video().frames();
                    assertTrue(DevServer.eventually(5_000, () -> ps.get(0).video().frames() > frames + 30),
                            "media flows without a control plane");
                    control[0] = Roles.start(config, settings, kafka.bootstrapServers(), Set.of(Roles.Role.CONTROL_PLANE), false);
                    Roles restarted = control[0];
                    assertEquals(before, participants(restarted.port(), settings));
                    JsonNode again = Json.MAPPER.readTree(get(restarted.port(), settings, "/v1/rooms/split"));
                    assertEquals("worker-1", again.path("workerId").asText());
                    assertEquals(2, again.path("participantCount").asInt());
                } finally {
                    sessions.forEach(ProtocolClient::close);
                    ps.forEach(SyntheticParticipant::close);
                }
            } finally {
                control[0].close();
            }
        }
    }

    private static String participants(int port, AppSettings settings) throws Exception {
        return get(port, settings, "/v1/rooms/split/participants");
    }

    private static String get(int port, AppSettings settings, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + settings.adminKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
