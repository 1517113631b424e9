package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.Palette;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recording a real call through the admin API: three synthetic participants (colour and tone each)
 * in a room, a recording started and stopped over REST, the file downloaded (whole and by range)
 * and decoded with FFmpeg: its length, the three colours in their tiles, the three tones.
 */
class RecordingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path storage;
    private static DevServer server;
    private static HttpClient http;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        storage = Files.createTempDirectory("mcu-recordings");
        server = DevServer.inProcess(Map.of("mcu.recordings.directory", storage.toString(),
                "mcu.recordings.free.min", "16"));
        http = HttpClient.newHttpClient();
        key = "Bearer " + server.dev.settings().adminKey();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRecordedCallDecodesToItsPicturesAndVoicesForItsLength() throws Exception {
        String room = "recorded";
        try (PeerFactory clients = new PeerFactory(0, 0)) {
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> ps = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ProtocolClient c = server.client();
                    JsonNode joined = c.join(server.token(room, "id" + i), "P" + i, null);
                    assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                    ids.add(joined.path("participantId").asText());
                    sessions.add(c);
                    ps.add(DevServer.connect(c, clients, i));
                }
                SyntheticParticipant last = ps.get(2);
                Tile first = TileLayout.compute(Layout.GRID, 640, 360, ids.subList(0, 2), null).get(0);
                assertTrue(DevServer.eventually(20_000, () -> last.video().latest() != null
                        && last.video().latest().colourAt(first.x() + first.width() / 2, first.y() + first.height() / 3)
                        == ps.get(0).colour()), "the call is up");

                JsonNode rec = body(call("POST", "/v1/rooms/" + room + "/recordings", "{}"), 201);
                String id = rec.path("id").asText();
                assertEquals(room, rec.path("room").asText());
                assertTrue(List.of("starting", "active").contains(rec.path("state").asText()), rec.toString());
                assertTrue(DevServer.eventually(10_000, () -> state(id).equals("active")), "the recording is active");
                for (ProtocolClient c : sessions) {
                    JsonNode told = c.await(m -> ProtocolClient.type(m).equals("recording"), WAIT);
                    assertTrue(told.path("active").asBoolean(), told.toString());
                    assertEquals(id, told.path("recordingId").asText());
                }
                problem(call("POST", "/v1/rooms/" + room + "/recordings", "{}"), 409);

                Thread.sleep(5_000);
                JsonNode stopping = body(call("DELETE", "/v1/rooms/" + room + "/recordings/" + id, null), 200);
                assertTrue(List.of("stopping", "complete").contains(stopping.path("state").asText()), stopping.toString());
                assertTrue(DevServer.eventually(10_000, () -> state(id).equals("complete")), "the recording completes");
                for (ProtocolClient c : sessions) {
                    JsonNode told = c.await(m -> ProtocolClient.type(m).equals("recording")
                            && !m.path("active").asBoolean(), WAIT);
                    assertEquals(id, told.path("recordingId").asText());
                }

                JsonNode done = body(call("GET", "/v1/recordings/" + id, null), 200);
                long durationMs = done.path("durationMs").asLong();
                assertTrue(durationMs > 4_500 && durationMs < 8_000, done.toString());
                assertEquals(1, done.path("segments").size(), done.toString());
                assertTrue(done.path("endedAtMs").asLong() >= done.path("startedAtMs").asLong());
                // A loaded machine may make the writer drop a few of the ~650 items (composites, 10 ms chunks).
                assertTrue(done.path("droppedFrames").asLong() < 10, "the writer kept up: " + done);
                JsonNode listed = body(call("GET", "/v1/rooms/" + room + "/recordings", null), 200);
                assertEquals(id, listed.path("recordings").get(0).path("id").asText());

                HttpResponse<byte[]> file = http.send(request("GET", "/v1/recordings/" + id + "/file", null).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, file.statusCode());
                assertEquals(done.path("bytes").asLong(), file.body().length, "the whole file, as the object says");
                HttpResponse<byte[]> part = http.send(request("GET", "/v1/recordings/" + id + "/file", null)
                        .header("Range", "bytes=100-199").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(206, part.statusCode());
                assertEquals("bytes 100-199/" + file.body().length, part.headers().firstValue("Content-Range").orElse(""));
                assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(file.body(), 100, 200)),
                        java.util.Arrays.toString(part.body()));
                assertEquals(416, http.send(request("GET", "/v1/recordings/" + id + "/file", null)
                        .header("Range", "bytes=" + file.body().length + "-").build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());

                Path downloaded = Files.write(storage.resolve("downloaded.webm"), file.body());
                RecordedFile d = RecordedFile.decode(downloaded, -1);
                assertEquals(durationMs, d.lastTimestampMs(), 500, "the file is as long as the recording says");
                assertEquals(640, d.picture().width());
                assertEquals(360, d.picture().height());
                List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, ids, null);
                for (int i = 0; i < 3; i++) {
                    Tile t = tiles.get(i);
                    Palette.Colour seen = d.picture().colourAt(t.x() + t.width() / 2, t.y() + t.height() / 3);
                    assertEquals(ps.get(i).colour(), seen, "participant " + i + "'s colour in its tile");
                }
                for (int i = 0; i < 3; i++) {
                    double db = d.audio().toneDb(ps.get(i).tone(), 400);
                    assertTrue(db > -30, "participant " + i + "'s tone is in the mix: " + db + " dB");
                }
                double none = d.audio().toneDb(Palette.tone(6), 400);
                assertTrue(none < d.audio().toneDb(ps.get(0).tone(), 400) - 20, "a tone nobody sent is not: " + none);

                String manifest = Files.readString(storage.resolve(id).resolve("segment-0001.json"));
                JsonNode m = JSON.readTree(manifest);
                assertEquals(room, m.path("room").asText());
                assertEquals(3, m.path("participants").size(), manifest);
                assertEquals("vp8", m.path("video").path("codec").asText());
                assertEquals("opus", m.path("audio").path("codec").asText());
                assertNotNull(m.path("endedAtMs").asText(null), manifest);
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
            }
        }
    }

    /**
     * Lip sync in the file: one participant beeps from every whole second of the wall clock and
     * writes its capture time into its picture (the other is silent). In the recording, the sound's
     * onsets and the pictures' codes give the audio's and the video's delay from capture; they must
     * be within 100 ms of each other.
     */
    @Test
    void soundAndPictureAreWithin100MsOfEachOtherInTheFile() throws Exception {
        String room = "lipsync";
        try (PeerFactory a = new PeerFactory(0, 0); PeerFactory b = new PeerFactory(0, 0)) {
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> ps = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                PeerFactory[] factories = {a, b};
                for (int i = 0; i < 2; i++) {
                    ProtocolClient c = server.client();
                    ids.add(c.join(server.token(room, "s" + i), "S" + i, null).path("participantId").asText());
                    sessions.add(c);
                    SyntheticParticipant.Options o = SyntheticParticipant.Options.flat(i);
                    ps.add(DevServer.connect(c, factories[i], new SyntheticParticipant.Options(i, o.width(), o.height(),
                            o.fps(), i == 0 ? 8000 : 0, false, o.maxBitrateKbps(), o.codecs())));
                }
                ps.get(0).beep(1000);
                assertTrue(DevServer.eventually(20_000, () -> ps.get(1).video().frames() > 30), "the call is up");
                String id = body(call("POST", "/v1/rooms/" + room + "/recordings", "{}"), 201).path("id").asText();
                assertTrue(DevServer.eventually(10_000, () -> state(id).equals("active")));
                Thread.sleep(8_000);
                body(call("DELETE", "/v1/rooms/" + room + "/recordings/" + id, null), 200);
                assertTrue(DevServer.eventually(10_000, () -> state(id).equals("complete")));
                JsonNode done = body(call("GET", "/v1/recordings/" + id, null), 200);
                long zero = done.path("segments").get(0).path("startedAtMs").asLong();
                Tile first = TileLayout.compute(Layout.GRID, 640, 360, ids, null).get(0);
                int[] rect = dev.mcu.mixer.video.Compositor.pictureRect(640, 360, first);
                Path file = storage.resolve(id).resolve("segment-0001.webm");
                List<Long> video = new ArrayList<>();
                List<Long> audio = new ArrayList<>();
                try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(file.toFile())) {
                    g.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
                    g.setSampleMode(org.bytedeco.javacv.FFmpegFrameGrabber.SampleMode.SHORT);
                    g.setSampleRate(48_000);
                    g.setAudioChannels(1);
                    g.start();
                    boolean sounding = false;
                    org.bytedeco.javacv.Frame f;
                    while ((f = g.grab()) != null) {
                        long wallMs = zero + f.timestamp / 1000;
                        if (f.image != null) {
                            org.bytedeco.ffmpeg.avutil.AVFrame av = (org.bytedeco.ffmpeg.avutil.AVFrame) f.opaque;
                            byte[] luma = new byte[av.linesize(0) * 360];
                            av.data(0).position(0).get(luma);
                            long age = dev.mcu.bench.synthetic.VisualCode.ageMs(dev.mcu.bench.synthetic.VisualCode.read(
                                    luma, av.linesize(0), rect[0], rect[1], rect[2], rect[3]), wallMs);
                            if (age >= 0 && age < 1_000) {
                                video.add(age);
                            }
                        }
                        if (f.samples != null) {
                            java.nio.ShortBuffer pcm = (java.nio.ShortBuffer) f.samples[0];
                            int n = pcm.remaining();
                            for (int at = 0; at + 480 <= n; at += 480) {
                                double energy = 0;
                                for (int k = 0; k < 480; k++) {
                                    double v = pcm.get(pcm.position() + at + k) / 32768.0;
                                    energy += v * v;
                                }
                                boolean loud = energy / 480 > 1e-3;
                                if (loud && !sounding) {
                                    // The beep started at a whole second: its phase is the sound's delay, which may
                                    // be a little negative when the sound is placed earlier than it was captured.
                                    long phase = (wallMs + at / 48) % 1000;
                                    audio.add(phase > 750 ? phase - 1000 : phase);
                                }
                                sounding = loud;
                            }
                        }
                    }
                }
                audio.removeIf(ms -> ms > 500); // an onset half a period late is no beep's start
                assertTrue(video.size() > 100 && audio.size() >= 5, video.size() + " coded frames, onsets " + audio);
                video.sort(null);
                audio.sort(null);
                long v = video.get(video.size() / 2);
                long s = audio.get(audio.size() / 2);
                System.out.printf("in the file: video %d ms after capture, audio %d ms; offset %d ms%n", v, s, v - s);
                assertTrue(Math.abs(v - s) <= 100, "picture " + v + " ms and sound " + s + " ms after capture");
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
            }
        }
    }

    /** A room deleted while it is recorded (and so closed on its worker) ends the recording complete. */
    @Test
    void aRoomThatClosesCompletesItsRecording() throws Exception {
        String room = "closing";
        try (PeerFactory clients = new PeerFactory(0, 0)) {
            ProtocolClient session = server.client();
            SyntheticParticipant p = null;
            try {
                JsonNode joined = session.join(server.token(room, "c0"), "C0", null);
                assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                p = DevServer.connect(session, clients, 0);
                assertTrue(DevServer.eventually(20_000, () -> server.dev.worker().participants(room).size() == 1),
                        "the participant is in the room");
                String id = body(call("POST", "/v1/rooms/" + room + "/recordings", "{}"), 201).path("id").asText();
                assertTrue(DevServer.eventually(10_000, () -> state(id).equals("active")), "the recording is active");
                Thread.sleep(3_000);
                assertEquals(204, call("DELETE", "/v1/rooms/" + room, null).statusCode());
                assertTrue(DevServer.eventually(10_000, () -> state(id).equals("complete")),
                        "the room's closing completes the recording: " + state(id));
                JsonNode done = body(call("GET", "/v1/recordings/" + id, null), 200);
                assertEquals("", done.path("error").asText(), done.toString());
                assertTrue(done.path("durationMs").asLong() > 2_000, done.toString());
                Path file = storage.resolve(id).resolve("segment-0001.webm");
                RecordedFile decoded = RecordedFile.decode(file, -1);
                assertTrue(decoded.videoFrames() > 30 && decoded.lastTimestampMs() > 2_000,
                        "the file decodes to its length: " + decoded.videoFrames() + " frames, "
                                + decoded.lastTimestampMs() + " ms");
            } finally {
                session.close();
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    @Test
    void badRequestsGetClearProblemsAndBreakNothing() throws Exception {
        problem(call("POST", "/v1/rooms/nosuchroom/recordings", "{}"), 404);
        body(call("POST", "/v1/rooms", "{\"id\":\"quiet\"}"), 201);
        problem(call("POST", "/v1/rooms/quiet/recordings", "{\"layout\":\"mosaic\"}"), 400);
        problem(call("POST", "/v1/rooms/quiet/recordings", "{\"width\":641}"), 400);
        problem(call("POST", "/v1/rooms/quiet/recordings", "{\"fps\":1000}"), 400);
        problem(call("POST", "/v1/rooms/quiet/recordings", "{\"codec\":\"h264\"}"), 400);
        problem(call("POST", "/v1/rooms/quiet/recordings", "[1,2]"), 400);
        problem(call("POST", "/v1/rooms/quiet/recordings", "not json"), 400);
        problem(call("GET", "/v1/recordings/nosuch", null), 404);
        problem(call("GET", "/v1/recordings/..etc", null), 400);
        problem(call("DELETE", "/v1/rooms/quiet/recordings/nosuch", null), 404);
        problem(call("GET", "/v1/recordings/nosuch/file", null), 404);

        // A room nobody is in: the recording waits for it; stopping it then ends it at once.
        JsonNode waiting = body(call("POST", "/v1/rooms/quiet/recordings", "{\"width\":320,\"height\":180}"), 201);
        String id = waiting.path("id").asText();
        assertEquals("starting", waiting.path("state").asText());
        assertEquals(320, waiting.path("width").asInt());
        problem(call("POST", "/v1/rooms/quiet/recordings", "{}"), 409);
        problem(call("GET", "/v1/recordings/" + id + "/file", null), 404);
        problem(call("GET", "/v1/recordings/" + id + "/file?segment=x", null), 404);
        JsonNode stopped = body(call("DELETE", "/v1/rooms/quiet/recordings/" + id, null), 200);
        assertEquals("complete", stopped.path("state").asText(), stopped.toString());
        assertEquals("complete", body(call("DELETE", "/v1/rooms/quiet/recordings/" + id, null), 200)
                .path("state").asText(), "stopping twice changes nothing");
        // A room deleted while a recording waits for it ends the recording.
        String second = body(call("POST", "/v1/rooms/quiet/recordings", "{}"), 201).path("id").asText();
        assertEquals(204, call("DELETE", "/v1/rooms/quiet", null).statusCode());
        assertEquals("complete", state(second));
        assertEquals(200, call("GET", "/v1/recordings", null).statusCode());
    }

    private static String state(String id) {
        try {
            return body(call("GET", "/v1/recordings/" + id, null), 200).path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(request(method, path, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void problem(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        assertTrue(JSON.readTree(r.body()).path("detail").asText().length() > 5, r.body());
    }
}
