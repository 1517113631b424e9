package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.FailoverBench;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.controlplane.tokens.TokenIssuer;
import dev.mcu.events.Json;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distributed mode as it is deployed: a Kafka broker process (the kafka_2.13 artifact, KRaft), one
 * control plane, two signaling nodes and two mixer workers, each a JVM of its own configured through
 * its environment, with only Kafka between them. Two participants join one room through different
 * signaling nodes; then, during the call, the broker restarts, the control plane restarts, the mixer
 * hosting the room is SIGKILLed and a signaling node is SIGKILLed, and after each the call goes on.
 */
@Tag("slow")
class SeparateProcessesTest {

    private static final String ADMIN_KEY = "separate-processes-admin-key-0123";
    private static final String TOKEN_SECRET = "separate-processes-token-secret-of-32-bytes";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aCallSurvivesEveryProcessOfTheDeploymentRestartingOrDying(@TempDir Path data) throws Exception {
        // The processes' logs stay in target/ for whoever reads a failure.
        Path dir = Files.createDirectories(Path.of("target", "separate-processes", String.valueOf(System.currentTimeMillis())));
        List<RoleProcess> roles = new ArrayList<>();
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> ps = new ArrayList<>();
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(data);
             PeerFactory clients = new PeerFactory(0, 0)) {
            try {
                Map<String, String> env = Map.of("MCU_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                        "MCU_ADMIN_KEY", ADMIN_KEY, "MCU_TOKENS_SECRET", TOKEN_SECRET, "MCU_MIXER_FACTORIES_WARM", "1");
                RoleProcess mixerA = RoleProcess.start(roles, dir, "mixer-a", "mixer", env, "MCU_MIXER_WORKER", "mixer-a");
                RoleProcess mixerB = RoleProcess.start(roles, dir, "mixer-b", "mixer", env, "MCU_MIXER_WORKER", "mixer-b");
                RoleProcess control = RoleProcess.start(roles, dir, "control-plane", "control-plane", env);
                RoleProcess sigA = RoleProcess.start(roles, dir, "sig-a", "signaling", env, "MCU_SIGNALING_NODE", "sig-a");
                RoleProcess sigB = RoleProcess.start(roles, dir, "sig-b", "signaling", env, "MCU_SIGNALING_NODE", "sig-b");
                assertTrue(DevServer.eventually(20_000, () -> readyWorkers(control) == 2),
                        "the control plane knows both workers: " + get(control, "/v1/workers"));

                TokenIssuer tokens = new TokenIssuer(TOKEN_SECRET, Clock.systemUTC());
                List<String> tokenOf = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                RoleProcess[] via = {sigA, sigB};
                for (int i = 0; i < 2; i++) {
                    tokenOf.add(tokens.issue("u" + i, "dist", null, 3600, TokenIssuer.Grants.PARTICIPANT));
                    ProtocolClient s = ProtocolClient.connect(ProtocolClient.wsUri(via[i].port));
                    sessions.add(s);
                    JsonNode joined = s.join(tokenOf.get(i), "P" + i, null);
                    assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                    ids.add(joined.path("participantId").asText());
                    ps.add(DevServer.connect(s, clients, i));
                }
                FailoverBench.awaitEveryoneInTheMix(ps, Duration.ofSeconds(20));

                // The broker restarts. Media goes straight between clients and the worker, so it
                // flows meanwhile; a mute sent during the outage is applied once it is back.
                kafka.stop();
                assertTrue(DevServer.eventually(10_000, () -> !mixerA.ready() && !sigA.ready()),
                        "without Kafka the roles are not ready");
                long frames = ps.get(0).video().frames();
                assertTrue(DevServer.eventually(5_000, () -> ps.get(0).video().frames() > frames + 30),
                        "media flows while the broker is down");
                sessions.get(1).sendRaw("{\"type\":\"mute\",\"video\":true}");
                kafka.restart();
                assertTrue(DevServer.eventually(60_000, () -> roles.stream().allMatch(RoleProcess::ready)),
                        "every role is ready again once the broker is back");
                assertTrue(DevServer.eventually(30_000, () -> videoMuted(control, ids.get(1))),
                        "the mute sent during the outage reached the worker and the control plane: "
                                + get(control, "/v1/rooms/dist/participants"));
                assertEquals(2, participants(control).size(), "each participant once");
                sessions.get(1).sendRaw("{\"type\":\"mute\",\"video\":false}");
                assertTrue(DevServer.eventually(10_000, () -> !videoMuted(control, ids.get(1))), "unmuted again");
                FailoverBench.awaitEveryoneInTheMix(ps, Duration.ofSeconds(10));

                // The control plane restarts: nothing is lost.
                String before = get(control, "/v1/rooms/dist/participants");
                JsonNode roomBefore = Json.MAPPER.readTree(get(control, "/v1/rooms/dist"));
                assertTrue(control.stop(30), "the control plane stops on SIGTERM");
                roles.remove(control);
                RoleProcess control2 = RoleProcess.start(roles, dir, "control-plane", "control-plane", env);
                assertTrue(DevServer.eventually(20_000, () -> before.equals(get(control2, "/v1/rooms/dist/participants"))),
                        "the restarted control plane has the same participants: " + get(control2, "/v1/rooms/dist/participants"));
                assertEquals(roomBefore.path("workerId"), Json.MAPPER.readTree(get(control2, "/v1/rooms/dist")).path("workerId"));

                // The mixer hosting the room is SIGKILLed: everyone is back in the mix on the other.
                String host = roomBefore.path("workerId").asText();
                RoleProcess hostProcess = host.startsWith("mixer-a") ? mixerA : mixerB;
                long killedAt = System.nanoTime();
                hostProcess.kill();
                List<SyntheticParticipant> moved = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    sessions.get(i).await("reconnect", WAIT);
                    ps.get(i).close();
                    SyntheticParticipant p = DevServer.connect(sessions.get(i), clients, i);
                    moved.add(p);
                    ps.set(i, p);
                }
                FailoverBench.awaitEveryoneInTheMix(moved, Duration.ofSeconds(10));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertTrue(ms <= 10_000, "back in the mix " + ms + " ms after the worker died");
                assertNotEquals(host, Json.MAPPER.readTree(get(control2, "/v1/rooms/dist")).path("workerId").asText());

                // A signaling node is SIGKILLed: its client joins again through the other node, keeps
                // its participant id, and is back in the mix.
                sigB.kill();
                assertTrue(sessions.get(1).closed().get(10, TimeUnit.SECONDS) != 1000, "the socket dropped");
                ProtocolClient again = ProtocolClient.connect(ProtocolClient.wsUri(sigA.port));
                sessions.add(again);
                JsonNode rejoined = again.join(tokenOf.get(1), "P1", null);
                assertEquals("joined", ProtocolClient.type(rejoined), rejoined.toString());
                assertEquals(ids.get(1), rejoined.path("participantId").asText(), "the same participant id");
                ps.get(1).close();
                ps.set(1, DevServer.connect(again, clients, 1));
                FailoverBench.awaitEveryoneInTheMix(ps, Duration.ofSeconds(15));
                assertTrue(DevServer.eventually(10_000, () -> participants(control2).size() == 2),
                        "still two participants: " + get(control2, "/v1/rooms/dist/participants"));
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
                for (RoleProcess r : roles) {
                    r.close();
                }
            }
        }
    }

    private static int readyWorkers(RoleProcess control) {
        try {
            JsonNode workers = Json.MAPPER.readTree(get(control, "/v1/workers")).path("workers");
            int ready = 0;
            for (JsonNode w : workers) {
                ready += "ready".equals(w.path("state").asText()) ? 1 : 0;
            }
            return ready;
        } catch (Exception e) {
            return 0;
        }
    }

    private static List<JsonNode> participants(RoleProcess control) {
        List<JsonNode> list = new ArrayList<>();
        try {
            Json.MAPPER.readTree(get(control, "/v1/rooms/dist/participants")).path("participants").forEach(list::add);
        } catch (Exception e) {
            // not answering yet: none known
        }
        return list;
    }

    private static boolean videoMuted(RoleProcess control, String id) {
        return participants(control).stream().anyMatch(p -> p.path("id").asText().equals(id)
                && p.path("videoMuted").asBoolean());
    }

    private static String get(RoleProcess p, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port + path))
                    .header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode() + ": " + r.body();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
