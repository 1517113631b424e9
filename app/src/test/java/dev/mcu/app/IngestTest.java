package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media ingest: a file (made by Debian's ffmpeg: a red picture and a 1710 Hz tone, 5 s, VP8 and
 * Opus) joins a live room through the admin API; the participant there sees the red and hears the
 * tone in its mix, and the ingest leaves when the file ends. Another one is stopped with DELETE.
 * Sources outside the ingest directory, other protocols, rooms that are not live and rooms without
 * a free place are refused.
 */
class IngestTest {

    @Test
    void anIngestedFileIsSeenAndHeardAndLeavesWhenItEnds(@TempDir Path dir) throws Exception {
        Path ingest = Files.createDirectories(dir.resolve("ingest"));
        Path talk = media(ingest.resolve("talk.webm"), "0xC81E1E", 1710, 5);
        Files.writeString(dir.resolve("secret.txt"), "outside");

        HttpClient http = HttpClient.newHttpClient();
        try (DevServer server = DevServer.inProcess(Map.of("mcu.ingest.directory", ingest.toString()));
             PeerFactory clients = new PeerFactory(0, 0)) {
            String base = "http://127.0.0.1:" + server.port() + "/v1";
            String key = "Bearer " + server.dev.settings().adminKey();
            ProtocolClient session = server.joined("talks", "Ann");
            SyntheticParticipant ann = DevServer.connect(session, clients, 0);
            try {
                assertTrue(DevServer.eventually(15_000, () -> ann.video().frames() > 5), "Ann is in the call");
                HttpResponse<String> r = post(http, base + "/rooms/talks/ingest", key,
                        "{\"source\":\"talk.webm\",\"name\":\"Talk\"}");
                assertEquals(201, r.statusCode(), r.body());
                String id = Json.MAPPER.readTree(r.body()).path("id").asText();
                JsonNode joined = session.await(m -> ProtocolClient.type(m).equals("participant-joined"),
                        Duration.ofSeconds(10));
                assertEquals(id, joined.path("participant").path("id").asText());
                assertEquals("Talk", joined.path("participant").path("name").asText());
                assertTrue(DevServer.eventually(5_000, () -> ann.video().latest() != null
                        && ann.video().latest().share(200, 30, 30, 40) > 0.3), "Ann sees the red of the talk");
                assertTrue(DevServer.eventually(5_000, () -> ann.audio().toneDb(1710, 400) > -30),
                        "and hears its tone: " + ann.audio().toneDb(1710, 400) + " dB");
                JsonNode left = session.await(m -> ProtocolClient.type(m).equals("participant-left")
                        && m.path("participantId").asText().equals(id), Duration.ofSeconds(15));
                assertEquals("left", left.path("reason").asText(), "it leaves when the file ends");
                assertTrue(DevServer.eventually(3_000, () -> server.dev.worker().participants("talks").size() == 1));

                String second = Json.MAPPER.readTree(post(http, base + "/rooms/talks/ingest", key,
                        "{\"source\":\"" + talk + "\"}").body()).path("id").asText();
                session.await(m -> ProtocolClient.type(m).equals("participant-joined")
                        && m.path("participant").path("id").asText().equals(second), Duration.ofSeconds(10));
                assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(base + "/rooms/talks/ingest/" + second))
                        .header("Authorization", key).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                session.await(m -> ProtocolClient.type(m).equals("participant-left")
                        && m.path("participantId").asText().equals(second), Duration.ofSeconds(10));

                Map<String, Integer> refused = Map.of(
                        "{\"source\":\"../secret.txt\"}", 403,
                        "{\"source\":\"" + dir.resolve("secret.txt") + "\"}", 403,
                        "{\"source\":\"missing.webm\"}", 404,
                        "{\"source\":\"ftp://example.com/a.webm\"}", 400,
                        "{\"source\":\"concat:talk.webm|talk.webm\"}", 400,
                        "{\"source\":\"http://\"}", 400,
                        "{}", 400,
                        "{\"source\":\"talk.webm\",\"loop\":true}", 400);
                for (Map.Entry<String, Integer> e : refused.entrySet()) {
                    HttpResponse<String> bad = post(http, base + "/rooms/talks/ingest", key, e.getKey());
                    assertEquals((int) e.getValue(), bad.statusCode(), e.getKey() + " -> " + bad.body());
                    assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse(""));
                }
                assertEquals(404, post(http, base + "/rooms/nosuch/ingest", key, "{\"source\":\"talk.webm\"}").statusCode());
                assertEquals(201, post(http, base + "/rooms", key, "{\"id\":\"empty\"}").statusCode());
                assertEquals(409, post(http, base + "/rooms/empty/ingest", key, "{\"source\":\"talk.webm\"}").statusCode(),
                        "a room nobody is in is not live");
                assertEquals(List.of(), server.dev.worker().participants("empty"));
                assertEquals(201, post(http, base + "/rooms", key, "{\"id\":\"solo\",\"maxParticipants\":1}").statusCode());
                try (ProtocolClient sam = server.joined("solo", "Sam")) {
                    assertTrue(DevServer.eventually(5_000, () -> server.dev.controlPlane().participants().in("solo")
                            .size() == 1), "Sam is in the room of one");
                    HttpResponse<String> full = post(http, base + "/rooms/solo/ingest", key, "{\"source\":\"talk.webm\"}");
                    assertEquals(409, full.statusCode(), "an ingest takes a place like anyone: " + full.body());
                    assertTrue(full.body().contains("maximum"), full.body());
                    assertEquals(1, server.dev.worker().participants("solo").size());
                }
                assertTrue(DevServer.eventually(3_000, () -> server.dev.worker().participants("talks").size() == 1),
                        "Ann alone again");
            } finally {
                session.close();
                ann.close();
            }
        }
    }

    /**
     * An ingest from an http URL (a file served on loopback by the JDK's HTTP server) pinned by a
     * viewer in the presentation layout: its picture takes the stage of that viewer's composite, the
     * other participant shrinks to the strip below, and its sound is in the mix.
     */
    @Test
    void anHttpIngestPinnedInThePresentationLayoutTakesTheStage(@TempDir Path dir) throws Exception {
        byte[] file = Files.readAllBytes(media(dir.resolve("slides.webm"), "0x1E1EC8", 2030, 20));
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/slides.webm", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "video/webm");
            exchange.sendResponseHeaders(200, file.length);
            try (var body = exchange.getResponseBody()) {
                body.write(file);
            }
        });
        web.start();
        HttpClient http = HttpClient.newHttpClient();
        try (DevServer server = DevServer.inProcess(Map.of());
             PeerFactory clients = new PeerFactory(0, 0)) {
            String base = "http://127.0.0.1:" + server.port() + "/v1";
            String key = "Bearer " + server.dev.settings().adminKey();
            ProtocolClient annSession = server.joined("lecture", "Ann");
            SyntheticParticipant ann = DevServer.connect(annSession, clients, 0);
            ProtocolClient bobSession = server.joined("lecture", "Bob");
            SyntheticParticipant bob = DevServer.connect(bobSession, clients, 1);
            try {
                assertTrue(DevServer.eventually(15_000, () -> ann.video().frames() > 5), "Ann is in the call");
                String source = "http://127.0.0.1:" + web.getAddress().getPort() + "/slides.webm";
                HttpResponse<String> r = post(http, base + "/rooms/lecture/ingest", key,
                        "{\"source\":\"" + source + "\",\"name\":\"Slides\"}");
                assertEquals(201, r.statusCode(), r.body());
                String id = Json.MAPPER.readTree(r.body()).path("id").asText();
                annSession.await(m -> ProtocolClient.type(m).equals("participant-joined")
                        && m.path("participant").path("id").asText().equals(id), Duration.ofSeconds(10));
                // Grid: Bob and the slides side by side, a quarter of the picture each.
                assertTrue(DevServer.eventually(10_000, () -> blue(ann) > 0.15 && blue(ann) < 0.35),
                        "the slides in a grid tile: " + blue(ann));
                assertTrue(DevServer.eventually(5_000, () -> ann.audio().toneDb(2030, 400) > -30),
                        "and their sound: " + ann.audio().toneDb(2030, 400) + " dB");

                annSession.send(Map.of("type", "view", "view", Map.of("layout", "presentation", "pin", id)));
                JsonNode changed = annSession.await(m -> ProtocolClient.type(m).equals("view-changed")
                        && m.path("view").path("pin").asText().equals(id), Duration.ofSeconds(10));
                assertEquals("presentation", changed.path("view").path("layout").asText());
                // The stage is the top three quarters; the 16:9 slides fill 480x270 of 640x360 there.
                assertTrue(DevServer.eventually(10_000, () -> blue(ann) > 0.45),
                        "the pinned slides take the stage: " + blue(ann));
                assertTrue(DevServer.eventually(5_000, () -> bob.video().latest() != null && blue(bob) < 0.35),
                        "Bob, who pinned nothing, keeps his grid: " + blue(bob));
            } finally {
                annSession.close();
                bobSession.close();
                ann.close();
                bob.close();
            }
        } finally {
            web.stop(0);
        }
    }

    /** A WebM file made by Debian's ffmpeg: one colour (RGB hex) and one tone, VP8 and Opus. */
    private static Path media(Path file, String colour, int toneHz, int seconds) throws Exception {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "color=c=" + colour + ":s=640x360:r=30", "-f", "lavfi", "-i",
                "sine=frequency=" + toneHz + ":sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libvpx",
                "-b:v", "400k", "-c:a", "libopus", file.toString()).redirectErrorStream(true).start();
        String out = new String(ffmpeg.getInputStream().readAllBytes());
        assertEquals(0, ffmpeg.waitFor(), out);
        return file;
    }

    /** The share of the participant's latest composite in the slides' blue. */
    private static double blue(SyntheticParticipant p) {
        return p.video().latest() == null ? 0 : p.video().latest().share(30, 30, 200, 40);
    }

    private static HttpResponse<String> post(HttpClient http, String url, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
