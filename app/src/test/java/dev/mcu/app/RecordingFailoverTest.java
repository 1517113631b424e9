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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording survives the death of its worker: two mixer processes share the recordings
 * directory; the one hosting a recorded call is SIGKILLed. Its segment, cut off without a trailer
 * or an index, still decodes; the room goes on on the other worker, which writes the next segment,
 * and the recording lists both in order.
 */
@Tag("slow")
class RecordingFailoverTest {

    private static final String ADMIN_KEY = "recording-failover-admin-key-0123";
    private static final String TOKEN_SECRET = "recording-failover-token-secret-of-32-bytes";

    @Test
    void aWorkerKilledMidRecordingLeavesAPlayableSegmentAndTheNextWorkerWritesTheNext(@TempDir Path data)
            throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "recording-failover", String.valueOf(System.currentTimeMillis())));
        Path storage = Files.createDirectories(data.resolve("recordings"));
        List<RoleProcess> roles = new ArrayList<>();
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> ps = new ArrayList<>();
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(Files.createDirectories(data.resolve("kafka")));
             PeerFactory clients = new PeerFactory(0, 0)) {
            try {
                Map<String, String> env = Map.of("MCU_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                        "MCU_ADMIN_KEY", ADMIN_KEY, "MCU_TOKENS_SECRET", TOKEN_SECRET, "MCU_MIXER_FACTORIES_WARM", "1",
                        "MCU_RECORDINGS_DIRECTORY", storage.toString(), "MCU_RECORDINGS_FREE_MIN", "16");
                RoleProcess mixerA = RoleProcess.start(roles, dir, "mixer-a", "mixer", env, "MCU_MIXER_WORKER", "mixer-a");
                RoleProcess mixerB = RoleProcess.start(roles, dir, "mixer-b", "mixer", env, "MCU_MIXER_WORKER", "mixer-b");
                RoleProcess control = RoleProcess.start(roles, dir, "control-plane", "control-plane", env);
                RoleProcess signaling = RoleProcess.start(roles, dir, "signaling", "signaling", env);

                TokenIssuer tokens = new TokenIssuer(TOKEN_SECRET, Clock.systemUTC());
                for (int i = 0; i < 2; i++) {
                    ProtocolClient s = ProtocolClient.connect(ProtocolClient.wsUri(signaling.port));
                    sessions.add(s);
                    JsonNode joined = s.join(tokens.issue("u" + i, "taped", null, 3600, TokenIssuer.Grants.PARTICIPANT),
                            "P" + i, null);
                    assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                    ps.add(DevServer.connect(s, clients, i));
                }
                FailoverBench.awaitEveryoneInTheMix(ps, Duration.ofSeconds(20));

                JsonNode rec = json(control.call("POST", "/v1/rooms/taped/recordings", "{}", ADMIN_KEY), 201);
                String id = rec.path("id").asText();
                assertTrue(DevServer.eventually(10_000, () -> segments(control, id) == 1 && state(control, id).equals("active")),
                        "recording on the first worker: " + recording(control, id));
                Thread.sleep(4_000);

                String host = Json.MAPPER.readTree(control.call("GET", "/v1/rooms/taped", null, ADMIN_KEY).body())
                        .path("workerId").asText();
                (host.startsWith("mixer-a") ? mixerA : mixerB).kill(); // worker ids are the prefix and a number
                for (int i = 0; i < 2; i++) {
                    sessions.get(i).await("reconnect", Duration.ofSeconds(10));
                    ps.get(i).close();
                    ps.set(i, DevServer.connect(sessions.get(i), clients, i));
                }
                FailoverBench.awaitEveryoneInTheMix(ps, Duration.ofSeconds(15));
                assertTrue(DevServer.eventually(15_000, () -> segments(control, id) == 2),
                        "the other worker writes a second segment: " + recording(control, id));
                Thread.sleep(3_000);
                json(control.call("DELETE", "/v1/rooms/taped/recordings/" + id, null, ADMIN_KEY), 200);
                assertTrue(DevServer.eventually(15_000, () -> state(control, id).equals("complete")),
                        "complete: " + recording(control, id));

                JsonNode done = Json.MAPPER.readTree(recording(control, id));
                JsonNode first = done.path("segments").get(0);
                JsonNode second = done.path("segments").get(1);
                assertEquals(1, first.path("index").asInt());
                assertEquals(host, first.path("workerId").asText());
                assertEquals(2, second.path("index").asInt());
                assertTrue(!second.path("workerId").asText().equals(host), done.toString());

                RecordedFile cut = RecordedFile.decode(storage.resolve(id).resolve("segment-0001.webm"), 1_000);
                assertTrue(cut.lastTimestampMs() >= 2_500, "the killed worker's segment plays up to its last second: "
                        + cut.lastTimestampMs() + " ms");
                assertTrue(cut.videoFrames() > 60 && cut.audioSamples() > 2 * 48_000, cut.toString());
                assertTrue(cut.audio().toneDb(ps.get(0).tone(), 400) > -30, "with sound");
                RecordedFile next = RecordedFile.decode(storage.resolve(id).resolve("segment-0002.webm"), 1_000);
                assertTrue(next.lastTimestampMs() >= 2_500, "the second segment: " + next.lastTimestampMs() + " ms");
                assertTrue(next.audio().toneDb(ps.get(1).tone(), 400) > -30, "with sound");

                HttpResponse<String> one = control.call("GET", "/v1/recordings/" + id + "/file?segment=2", null, ADMIN_KEY);
                assertEquals(200, one.statusCode());
                // The whole recording, both segments on one time line.
                Path whole = data.resolve("whole.webm");
                HttpResponse<Path> all = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + control.port + "/v1/recordings/" + id + "/file"))
                        .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofFile(whole));
                assertEquals(200, all.statusCode());
                RecordedFile joined = RecordedFile.decode(whole, -1);
                assertEquals(cut.lastTimestampMs() + next.lastTimestampMs(), joined.lastTimestampMs(), 1_000,
                        "the joined file lasts as long as both segments");
                assertTrue(joined.videoFrames() >= cut.videoFrames() + next.videoFrames() - 5, joined.toString());
                JsonNode manifest = Json.MAPPER.readTree(Files.readString(storage.resolve(id).resolve("segment-0001.json")));
                assertEquals(host, manifest.path("workerId").asText());
                assertEquals(2, manifest.path("participants").size(), manifest.toString());
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
                for (RoleProcess r : roles) {
                    r.close();
                }
            }
        }
    }

    private static String recording(RoleProcess control, String id) {
        try {
            return control.call("GET", "/v1/recordings/" + id, null, ADMIN_KEY).body();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private static String state(RoleProcess control, String id) {
        try {
            return Json.MAPPER.readTree(recording(control, id)).path("state").asText();
        } catch (Exception e) {
            return "?";
        }
    }

    private static int segments(RoleProcess control, String id) {
        try {
            return Json.MAPPER.readTree(recording(control, id)).path("segments").size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }
}
