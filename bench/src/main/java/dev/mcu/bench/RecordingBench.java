package dev.mcu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.bench.synthetic.VisualCode;
import dev.mcu.events.Json;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.video.Compositor;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a recording costs the worker, and how late a picture reaches the file. A room of N
 * synthetic participants with camera-like content on the single-machine default; rounds alternate
 * between the room alone and the room being recorded, and the worker process's CPU is read from
 * /proc over the same window in each. The delay is read back from each recorded frame: the sender's
 * capture time (its visual code, in the first tile) against the frame's place in the file (the
 * segment's time zero plus the frame's stamp).
 */
public final class RecordingBench {

    public static void main(String[] args) throws Exception {
        run(false, args);
    }

    /** The same for a live stream to an RTMP receiver in this process (JavaCV's grabber, listening). */
    public static void stream(String[] args) throws Exception {
        run(true, args);
    }

    private static void run(boolean stream, String[] args) throws Exception {
        int rounds = BenchMain.intArg(args, 0, 3, 1, 20, "rounds");
        int seconds = BenchMain.intArg(args, 1, 20, 5, 600, "seconds");
        int n = BenchMain.intArg(args, 2, 3, 2, 8, "participants");
        String base = args.length > 3 ? args[3] : "http://127.0.0.1:8080";
        String key = "Bearer " + (args.length > 4 ? args[4] : "dev-admin-key");
        HttpClient http = HttpClient.newHttpClient();
        String room = "rec-bench-" + System.currentTimeMillis();
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws");
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> ps = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<PeerFactory> factories = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                // A factory per participant: webrtc-java 0.14 aborts with several sending through one.
                PeerFactory factory = new PeerFactory(0, 0);
                factories.add(factory);
                ProtocolClient c = ProtocolClient.connect(ws);
                sessions.add(c);
                JsonNode joined = c.join(ProtocolClient.devToken(http, base, room, "p" + i), "P" + i, null);
                ids.add(joined.path("participantId").asText());
                SyntheticParticipant p = new SyntheticParticipant(factory, SyntheticParticipant.Options.camera(i));
                c.bind(p);
                p.connect(c).get(20, java.util.concurrent.TimeUnit.SECONDS);
                ps.add(p);
            }
            FailoverBench.awaitEveryoneInTheMix(ps, Duration.ofSeconds(30));
            long pid = (long) FailoverBench.awaitMetric(http, base, "mcu_worker_pid", v -> v > 0, Duration.ofSeconds(30));
            Thread.sleep(5_000); // warm-up
            List<Double> plain = new ArrayList<>();
            List<Double> recorded = new ArrayList<>();
            java.util.Map<String, Double> threadsAlone = new java.util.TreeMap<>();
            java.util.Map<String, Double> threadsRecorded = new java.util.TreeMap<>();
            List<Long> delays = new ArrayList<>();
            long dropped = 0;
            for (int r = 0; r < rounds; r++) {
                plain.add(cores(pid, seconds, threadsAlone));
                if (stream) {
                    int port;
                    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                        port = free.getLocalPort();
                    }
                    RtmpReceiver receiver = new RtmpReceiver("rtmp://127.0.0.1:" + port + "/live/bench", ids);
                    JsonNode str = call(http, "POST", base + "/v1/rooms/" + room + "/streams", key,
                            "{\"url\":\"rtmp://127.0.0.1:" + port + "/live/bench\"}");
                    String id = str.path("id").asText();
                    await(http, base + "/v1/streams/" + id, key, "active");
                    Thread.sleep(2_000);
                    receiver.measuring = true;
                    recorded.add(cores(pid, seconds, threadsRecorded));
                    receiver.measuring = false;
                    call(http, "DELETE", base + "/v1/rooms/" + room + "/streams/" + id, key, null);
                    JsonNode done = await(http, base + "/v1/streams/" + id, key, "complete");
                    dropped += done.path("droppedFrames").asLong();
                    delays.addAll(receiver.close());
                } else {
                    JsonNode rec = call(http, "POST", base + "/v1/rooms/" + room + "/recordings", key, "{}");
                    String id = rec.path("id").asText();
                    await(http, base + "/v1/recordings/" + id, key, "active");
                    Thread.sleep(2_000); // the encoder's start is not the steady cost
                    recorded.add(cores(pid, seconds, threadsRecorded));
                    call(http, "DELETE", base + "/v1/rooms/" + room + "/recordings/" + id, key, null);
                    JsonNode done = await(http, base + "/v1/recordings/" + id, key, "complete");
                    dropped += done.path("droppedFrames").asLong();
                    delays.addAll(delays(http, base, key, done, ids));
                }
                System.out.printf("round %d: room alone %.3f cores, with the %s %.3f cores%n", r + 1,
                        plain.get(r), stream ? "stream" : "recording", recorded.get(r));
            }
            double a = median(plain);
            double b = median(recorded);
            delays.sort(null);
            System.out.printf("%s n=%d %dx%ds: worker %.3f cores alone, %.3f %s (+%.3f, x%.2f); "
                            + "a participant's share %.3f cores; dropped %d; capture to %s p50 %d ms p95 %d ms%s%n",
                    stream ? "stream" : "recording", n, rounds, seconds, a, b, stream ? "streaming" : "recorded", b - a,
                    b / a, a / n, dropped, stream ? "RTMP receiver (decoded)" : "file", pct(delays, 50), pct(delays, 95),
                    stream ? "" : " (+ up to 1000 ms until its cluster is written)");
            System.out.println("threads whose CPU changed most (cores, summed by name, mean of the rounds):");
            java.util.Set<String> names = new java.util.TreeSet<>(threadsAlone.keySet());
            names.addAll(threadsRecorded.keySet());
            names.stream().sorted(java.util.Comparator.comparingDouble((String t) -> -Math.abs(
                            threadsRecorded.getOrDefault(t, 0.0) - threadsAlone.getOrDefault(t, 0.0))))
                    .limit(8).forEach(t -> System.out.printf("  %-20s alone %.3f  recorded %.3f%n", t,
                            threadsAlone.getOrDefault(t, 0.0) / rounds, threadsRecorded.getOrDefault(t, 0.0) / rounds));
            System.out.println("reproduce: bin/bench " + (stream ? "stream " : "recording ") + rounds + " " + seconds + " " + n);
        } finally {
            sessions.forEach(ProtocolClient::close);
            ps.forEach(SyntheticParticipant::close);
            factories.forEach(PeerFactory::close);
        }
    }

    /**
     * The process's CPU over the window, in cores (utime + stime of /proc/pid/stat, 100 ticks a
     * second); each thread's, summed by thread name (digits dropped), is added into {@code byThread}.
     */
    private static double cores(long pid, int seconds, java.util.Map<String, Double> byThread) throws Exception {
        return ProcessCpu.cores(List.of(pid), seconds, byThread);
    }

    /** Capture-to-composite delays of the recorded frames, read from the first tile's visual code. */
    private static List<Long> delays(HttpClient http, String base, String key, JsonNode done, List<String> ids)
            throws Exception {
        Path file = Files.createTempFile("rec-bench", ".webm");
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/v1/recordings/" + done.path("id").asText() + "/file"))
                    .header("Authorization", key).build(), HttpResponse.BodyHandlers.ofFile(file));
            long zero = done.path("segments").get(0).path("startedAtMs").asLong();
            int w = done.path("width").asInt();
            int h = done.path("height").asInt();
            Tile first = TileLayout.compute(Layout.GRID, w, h, ids, null).get(0);
            int[] rect = Compositor.pictureRect(640, 360, first);
            List<Long> out = new ArrayList<>();
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
                g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                g.start();
                Frame f;
                while ((f = g.grabImage()) != null) {
                    AVFrame a = (AVFrame) f.opaque;
                    int stride = a.linesize(0);
                    byte[] luma = new byte[stride * h];
                    a.data(0).position(0).get(luma);
                    int code = VisualCode.read(luma, stride, rect[0], rect[1], rect[2], rect[3]);
                    long age = VisualCode.ageMs(code, zero + f.timestamp / 1000);
                    if (age >= 0 && age < 10_000) {
                        out.add(age);
                    }
                }
            }
            return out;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * An RTMP service's end, listening on loopback: decodes what arrives and, while measuring, reads
     * each picture's first-tile time code against the wall clock.
     */
    private static final class RtmpReceiver {
        volatile boolean measuring;
        private volatile boolean closed;
        private final List<Long> ages = new ArrayList<>();
        private final Thread thread;

        RtmpReceiver(String url, List<String> ids) {
            Tile first = TileLayout.compute(Layout.GRID, 640, 360, ids, null).get(0);
            int[] rect = Compositor.pictureRect(640, 360, first);
            thread = Thread.ofPlatform().name("rtmp-receiver").start(() -> {
                try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(url)) {
                    g.setFormat("flv");
                    g.setOption("listen", "1");
                    g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    g.start();
                    Frame f;
                    while (!closed && (f = g.grabImage()) != null) {
                        if (!measuring) {
                            continue;
                        }
                        AVFrame a = (AVFrame) f.opaque;
                        byte[] luma = new byte[a.linesize(0) * f.imageHeight];
                        a.data(0).position(0).get(luma);
                        long age = VisualCode.ageMs(VisualCode.read(luma, a.linesize(0), rect[0], rect[1], rect[2],
                                rect[3]), System.currentTimeMillis());
                        if (age >= 0 && age < 10_000) {
                            synchronized (ages) {
                                ages.add(age);
                            }
                        }
                    }
                } catch (Exception e) {
                    System.err.println("RTMP receiver: " + e.getMessage());
                }
            });
        }

        List<Long> close() throws InterruptedException {
            closed = true;
            thread.join(15_000);
            synchronized (ages) {
                return new ArrayList<>(ages);
            }
        }
    }

    private static JsonNode call(HttpClient http, String method, String url, String key, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    private static JsonNode await(HttpClient http, String url, String key, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = call(http, "GET", url, key, null);
            if (state.equals(r.path("state").asText())) {
                return r;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(url + " not " + state + " within 30 s");
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
