package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live streaming to RTMP: Debian's ffmpeg listens on loopback as the RTMP service would, the room's
 * composite and mix (H.264 and AAC in FLV) arrive there and decode to both participants' colours
 * and tones; when the receiver goes away the stream fails after its capped reconnections, and the
 * call is unaffected.
 */
class LiveStreamTest {

    @Test
    void aStreamReachesAnRtmpReceiverAndFailsWhenTheReceiverGoes(@TempDir Path dir) throws Exception {
        int port = KafkaBrokerProcess.freePort();
        String url = "rtmp://127.0.0.1:" + port + "/live/secret-stream-key";
        Path received = dir.resolve("received.flv");
        Process receiver = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-listen", "1",
                "-i", url, "-c", "copy", "-f", "flv", received.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        try (DevServer server = DevServer.inProcess(Map.of());
             PeerFactory clients = new PeerFactory(0, 0)) {
            String base = "http://127.0.0.1:" + server.port() + "/v1";
            String key = "Bearer " + server.dev.settings().adminKey();
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> ps = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ProtocolClient c = server.client();
                    ids.add(c.join(server.token("live", "u" + i), "P" + i, null).path("participantId").asText());
                    sessions.add(c);
                    ps.add(DevServer.connect(c, clients, i));
                }
                assertTrue(DevServer.eventually(20_000, () -> ps.stream().allMatch(p -> p.video().frames() > 10)),
                        "the call is up");

                HttpResponse<String> created = post(http, base + "/rooms/live/streams", key, "{\"url\":\"" + url + "\"}");
                assertEquals(201, created.statusCode(), created.body());
                JsonNode stream = Json.MAPPER.readTree(created.body());
                String id = stream.path("id").asText();
                assertFalse(created.body().contains("secret-stream-key"), "the stream key is not shown: " + created.body());
                String streamUrl = base + "/streams/" + id;
                assertTrue(DevServer.eventually(20_000, () -> "active".equals(state(http, streamUrl, key))),
                        "the stream is live: " + get(http, streamUrl, key));
                for (ProtocolClient c : sessions) {
                    JsonNode told = c.await(m -> ProtocolClient.type(m).equals("recording"), Duration.ofSeconds(10));
                    assertEquals(id, told.path("recordingId").asText(), "participants are told they are on air");
                }
                assertEquals(409, post(http, base + "/rooms/live/streams", key, "{\"url\":\"" + url + "\"}").statusCode(),
                        "the same URL twice");
                Thread.sleep(5_000);

                // The receiver stops (and closes its file); the stream tries again a few times, then fails.
                receiver.destroy();
                assertTrue(receiver.waitFor(10, TimeUnit.SECONDS));
                long stoppedAt = System.nanoTime();
                assertTrue(DevServer.eventually(90_000, () -> "failed".equals(state(http, streamUrl, key))),
                        "the stream fails once its receiver is gone: " + get(http, streamUrl, key));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
                JsonNode failed = Json.MAPPER.readTree(get(http, streamUrl, key));
                assertTrue(failed.path("error").asText().contains("attempts"), failed.toString());
                assertFalse(failed.toString().contains("secret-stream-key"), "nor in its error: " + failed);
                System.out.printf("stream failed %d ms after its receiver stopped: %s%n", ms, failed.path("error").asText());
                long frames = ps.get(0).video().frames();
                assertTrue(DevServer.eventually(5_000, () -> ps.get(0).video().frames() > frames + 30), "the call goes on");

                RecordedFile flv = RecordedFile.decode(received, 2_500);
                assertTrue(flv.videoFrames() > 100, "H.264 frames arrived: " + flv);
                assertEquals(640, flv.picture().width());
                List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, ids, null);
                for (int i = 0; i < 2; i++) {
                    Tile t = tiles.get(i);
                    assertEquals(ps.get(i).colour(), flv.picture().colourAt(t.x() + t.width() / 2, t.y() + t.height() / 3),
                            "participant " + i + "'s colour in the stream");
                    assertTrue(flv.audio().toneDb(ps.get(i).tone(), 400) > -30, "and its tone: "
                            + flv.audio().toneDb(ps.get(i).tone(), 400));
                }
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
            }
        } finally {
            receiver.destroyForcibly();
        }
    }

    @Test
    void badStreamRequestsGetClearProblems() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (DevServer server = DevServer.inProcess(Map.of())) {
            String base = "http://127.0.0.1:" + server.port() + "/v1";
            String key = "Bearer " + server.dev.settings().adminKey();
            assertEquals(201, post(http, base + "/rooms", key, "{\"id\":\"onair\"}").statusCode());
            for (String body : List.of("{}", "{\"url\":\"http://example.com/live\"}", "{\"url\":\"rtmp://\"}",
                    "{\"url\":\"rtmp://host/a b\"}", "{\"url\":\"file:///etc/passwd\"}", "{\"url\":\"-i rtmp://x/y\"}",
                    "{\"url\":42}", "{\"url\":\"rtmp://host/app\",\"width\":99}", "{\"url\":\"rtmp://host/app\",\"extra\":1}")) {
                HttpResponse<String> r = post(http, base + "/rooms/onair/streams", key, body);
                assertEquals(400, r.statusCode(), body + " -> " + r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            }
            assertEquals(404, post(http, base + "/rooms/nosuch/streams", key, "{\"url\":\"rtmp://h/a\"}").statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/streams/nosuch"))
                    .header("Authorization", key).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            // A room nobody is in: the stream waits; stopping it ends it.
            HttpResponse<String> waiting = post(http, base + "/rooms/onair/streams", key, "{\"url\":\"rtmp://h/a\"}");
            assertEquals(201, waiting.statusCode(), waiting.body());
            String id = Json.MAPPER.readTree(waiting.body()).path("id").asText();
            HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(URI.create(base + "/rooms/onair/streams/" + id))
                    .header("Authorization", key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stopped.statusCode(), stopped.body());
            assertEquals("complete", Json.MAPPER.readTree(stopped.body()).path("state").asText());
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String get(HttpClient http, String url, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private static String state(HttpClient http, String url, String key) {
        try {
            return Json.MAPPER.readTree(get(http, url, key)).path("state").asText();
        } catch (Exception e) {
            return null;
        }
    }
}
