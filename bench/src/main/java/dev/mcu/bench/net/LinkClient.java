package dev.mcu.bench.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.analysis.Picture;
import dev.mcu.bench.analysis.TilePsnr;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A synthetic participant in a process of its own, meant to run behind a {@link ConstrainedLink}
 * ({@code ip netns exec}): joins through signaling, sends its camera-like picture and tone, and
 * prints once a second what it received in that second, for the process that started it:
 * <pre>
 * joined id=p_...
 * second n=12 frames=29 width=640 height=360 longestGapMs=48 audioGapMs=0 others=-12.5,-13.0 psnrDb=31.2
 * freeze ms=740
 * view width=320 height=180 fps=15 tier=small
 * </pre>
 * (a {@code freeze} line when a frame ends a gap of 500 ms or more, a {@code view} line for each
 * {@code view-changed} the server sent).
 * {@code others} is the level (dB) of each other participant's tone in the last 300 ms, in the
 * order given; {@code psnrDb} that of the first other's tile against the picture it sends
 * ({@link TilePsnr}, "-" when no new frame came). An audio gap is a 20 ms stretch of near silence in a mix that should carry tones.
 * Stops when its standard input closes (the parent died or is done).
 * <p>
 * Arguments: base URL, room, name, index (its colour and tone), other indexes (comma-separated, or
 * "-"), and optionally the view it asks for as WIDTHxHEIGHT, or {@value #AUDIO_ONLY} to offer audio only.
 */
public final class LinkClient {

    private static final int SAMPLE_MS = 10;
    private static final double SILENCE_DB = -45;
    /** A gap between frames this long is a freeze (a viewer notices a stall of half a second). */
    private static final long FREEZE_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The view argument of a client that offers audio only. */
    public static final String AUDIO_ONLY = "audio";
    /** BENCH_LINK_FOLLOW_TIER=false keeps the full upload whatever the tier (to compare). */
    private static final boolean FOLLOW_TIER = !"false".equals(System.getenv("BENCH_LINK_FOLLOW_TIER"));
    /** The tier the server last named (only the report thread reads and writes it). */
    private static String lastTier = "full";

    private LinkClient() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String room = args[1];
        String name = args[2];
        int index = Integer.parseInt(args[3]);
        List<Integer> others = args[4].equals("-") ? List.of()
                : java.util.Arrays.stream(args[4].split(",")).map(Integer::parseInt).toList();
        boolean audioOnly = args.length > 5 && args[5].equals(AUDIO_ONLY);
        Object view = args.length > 5 && !audioOnly ? view(args[5]) : null;
        Thread.ofPlatform().daemon().start(LinkClient::exitWhenStdinCloses);
        try (PeerFactory factory = new PeerFactory(0, 0);
             ProtocolClient session = ProtocolClient.connect(URI.create(base.replaceFirst("^http", "ws") + "/ws"))) {
            var joined = session.join(ProtocolClient.devToken(HttpClient.newHttpClient(), base, room, name), name, view);
            if (!ProtocolClient.type(joined).equals("joined")) {
                System.out.println("refused " + joined);
                System.exit(3);
            }
            System.out.println("joined id=" + joined.path("participantId").asText());
            SyntheticParticipant.Options camera = SyntheticParticipant.Options.camera(index);
            SyntheticParticipant p = new SyntheticParticipant(factory, audioOnly ? camera.audioOnly() : camera);
            session.bind(p);
            p.connect(session).get(30, TimeUnit.SECONDS);
            int[] full = view != null ? size(args[5]) : new int[] {640, 360};
            TilePsnr psnr = others.isEmpty() || audioOnly ? null : new TilePsnr(
                    SyntheticParticipant.contentOf(SyntheticParticipant.Options.camera(others.getFirst())),
                    others.size(), 0, full[0], full[1]);
            p.video().copyEvery(TimeUnit.MILLISECONDS.toNanos(200));
            report(p, session, others, psnr);
        }
    }

    /** Samples every 10 ms; prints one line per second, forever. */
    private static void report(SyntheticParticipant p, ProtocolClient session, List<Integer> others, TilePsnr psnr)
            throws InterruptedException {
        long frames = p.video().frames();
        long lastFrameAt = System.nanoTime();
        long secondStart = lastFrameAt;
        long framesAtSecond = frames;
        long longestGapNs = 0;
        long silentMs = 0;
        long sinceAudioCheck = 0;
        for (int n = 1; ; ) {
            Thread.sleep(SAMPLE_MS);
            long now = System.nanoTime();
            long f = p.video().frames();
            if (f != frames) {
                if (now - lastFrameAt >= FREEZE_NS) {
                    System.out.println("freeze ms=" + TimeUnit.NANOSECONDS.toMillis(now - lastFrameAt));
                }
                frames = f;
                lastFrameAt = now;
            }
            longestGapNs = Math.max(longestGapNs, now - lastFrameAt);
            sinceAudioCheck += SAMPLE_MS;
            if (sinceAudioCheck >= 20) {
                sinceAudioCheck = 0;
                if (!others.isEmpty() && p.audio().rmsDb(20) < SILENCE_DB) {
                    silentMs += 20;
                }
            }
            if (now - secondStart >= TimeUnit.SECONDS.toNanos(1)) {
                StringBuilder levels = new StringBuilder();
                for (int other : others) {
                    levels.append(levels.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.1f",
                            p.audio().toneDb(dev.mcu.bench.synthetic.Palette.tone(other), 300)));
                }
                Picture picture = p.video().latest();
                double db = psnr != null && picture != null && picture.receivedAtNanos() > secondStart
                        ? psnr.measure(picture) : Double.NaN;
                System.out.printf(Locale.ROOT, "second n=%d frames=%d width=%d height=%d longestGapMs=%d"
                                + " audioGapMs=%d others=%s psnrDb=%s%n", n++, frames - framesAtSecond, p.video().width(),
                        p.video().height(), TimeUnit.NANOSECONDS.toMillis(longestGapNs), silentMs,
                        levels.isEmpty() ? "-" : levels, Double.isNaN(db) ? "-" : String.format(Locale.ROOT, "%.1f", db));
                viewChanges(session, p);
                System.out.flush();
                secondStart = now;
                framesAtSecond = frames;
                // A gap still open carries over: it is measured until its frame arrives.
                longestGapNs = now - lastFrameAt;
                silentMs = 0;
            }
        }
    }

    /**
     * Prints each {@code view-changed} the server sent: the effective size and the bandwidth tier, if
     * any; and follows the tier with what it sends, as the browser client does.
     */
    private static void viewChanges(ProtocolClient session, SyntheticParticipant p) throws InterruptedException {
        while (true) {
            try {
                JsonNode m = session.await("view-changed", Duration.ZERO);
                JsonNode v = m.path("view");
                String tier = m.path("tier").asText("full");
                System.out.printf(Locale.ROOT, "view width=%d height=%d fps=%d tier=%s%n", v.path("maxWidth").asInt(),
                        v.path("maxHeight").asInt(), v.path("maxFps").asInt(), tier);
                if (FOLLOW_TIER) {
                    followTier(p, tier, lastTier);
                }
                lastTier = tier;
            } catch (TimeoutException none) {
                return;
            }
        }
    }

    /**
     * The browser client's upload on each tier (call.js): on the two smallest the link that cannot
     * carry the mix cannot carry a camera either, and the feedback that steers the mix travels up
     * the same link. Tiny: the camera at a quarter of its size, at most 60 kbit/s, Opus 24. Minimal:
     * the camera paused, Opus 16 in 60 ms frames (a third of the packets, whose headers alone would
     * take most of such a link); leaving it, 20 ms frames again. Otherwise the normal upload.
     */
    static void followTier(SyntheticParticipant p, String tier, String from) {
        switch (tier) {
            case "tiny" -> p.limitUpload(60, 4, 24);
            case "minimal" -> p.limitUpload(0, 1, 16);
            default -> p.limitUpload(Integer.MAX_VALUE, 1, 0);
        }
        if (tier.equals("minimal") != from.equals("minimal")) {
            p.audioFrameLength(tier.equals("minimal") ? 60 : 20).whenComplete((ok, e) -> System.err.println(e == null
                    ? "audio frames for tier " + tier + ": " + p.remoteAudioPtime() : "audio frames not set: " + e));
        }
    }

    private static Map<String, Integer> view(String size) {
        int[] wh = size(size);
        return Map.of("maxWidth", wh[0], "maxHeight", wh[1]);
    }

    private static int[] size(String size) {
        String[] wh = size.split("x");
        return new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])};
    }

    private static void exitWhenStdinCloses() {
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // nothing to read; only the end matters
            }
        } catch (IOException e) {
            // the same: the parent is gone
        }
        System.exit(0);
    }
}
