package dev.mcu.bench.net;

import dev.mcu.bench.FailoverBench;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One viewer on a constrained link, against the single-machine default: per link rate, a room of
 * two synthetic participants on loopback and one {@link LinkClient} behind a {@link ConstrainedLink}
 * of that rate (both ways), asking for a fixed 640x360 view. After a warm-up, prints what the
 * constrained viewer received (size, frame rate, freezes per minute, audio gaps, the median PSNR
 * of a tile against its source at the full view's tile size, {@link dev.mcu.bench.analysis.TilePsnr}) and what the two
 * others kept (frame rate, size, the composite's bitrate and the median latency of the first tile,
 * the other local's picture, through the mixer), each rate in a room of its own: a row at rate 0
 * (no limit) is the same room without a constrained viewer to compare the others' figures with.
 * <p>
 * A rate may be steps instead, {@code kbps/seconds+kbps/seconds+...} (such as {@code 0/20+250/25+0/30}):
 * one call whose link changes at each step, reporting how long the viewer's received size took to follow.
 * <p>
 * Usage: link [seconds] [rates in kbit/s, comma-separated; 0 for none] [base URL]. Needs root; the
 * server must listen on the link's host address (bin/bench starts it on 0.0.0.0).
 */
public final class LinkBench {

    private static final int WARMUP_S = 15;
    /** BENCH_LINK_AUDIO_ONLY=true: the constrained client offers audio only (the audio tier's figures). */
    private static final boolean AUDIO_ONLY = "true".equals(System.getenv("BENCH_LINK_AUDIO_ONLY"));

    private LinkBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<Schedule> rates = Arrays.stream((args.length > 1 ? args[1] : "1500,600,300,150,100,64").split(","))
                .map(Schedule::parse).toList();
        String base = args.length > 2 ? args[2] : "http://127.0.0.1:8080";
        var why = ConstrainedLink.unavailable();
        if (why.isPresent()) {
            System.out.println("link: skipped: " + why.get());
            return;
        }
        int port = URI.create(base).getPort();
        Path logs = Path.of("bench", "target", "link");
        Files.createDirectories(logs);
        for (Schedule rate : rates) {
            System.out.println(measure(base, port, rate, seconds, logs));
        }
        System.out.println("reproduce: bin/bench link " + seconds + " "
                + rates.stream().map(Schedule::spec).collect(Collectors.joining(",")));
    }

    /** One rate for the whole call, or steps: {@code kbps/seconds+kbps/seconds...} (0: no limit). */
    record Schedule(String spec, List<int[]> steps) {
        static Schedule parse(String spec) {
            List<int[]> steps = new ArrayList<>();
            for (String step : spec.split("\\+")) {
                String[] rs = step.split("/");
                steps.add(new int[] {Integer.parseInt(rs[0]), rs.length > 1 ? Integer.parseInt(rs[1]) : -1});
            }
            return new Schedule(spec, steps);
        }

        boolean stepped() {
            return steps.size() > 1;
        }
    }

    private static String measure(String base, int port, Schedule schedule, int seconds, Path logs) throws Exception {
        int kbps = schedule.steps().getFirst()[0];
        String room = "link-" + schedule.spec().replaceAll("[^0-9]+", "-") + "-" + System.currentTimeMillis();
        HttpClient http = HttpClient.newHttpClient();
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> locals = new ArrayList<>();
        List<PeerFactory> factories = new ArrayList<>();
        try (ConstrainedLink link = ConstrainedLink.open(kbps)) {
            for (int i = 0; i < 2; i++) {
                ProtocolClient c = ProtocolClient.connect(URI.create(base.replaceFirst("^http", "ws") + "/ws"));
                sessions.add(c);
                var joined = c.join(ProtocolClient.devToken(http, base, room, "local" + i), "Local " + i, null);
                if (!ProtocolClient.type(joined).equals("joined")) {
                    throw new IllegalStateException("join refused: " + joined);
                }
                PeerFactory f = new PeerFactory(0, 0);
                factories.add(f);
                SyntheticParticipant p = new SyntheticParticipant(f,
                        SyntheticParticipant.Options.camera(i));
                c.bind(p);
                p.connect(c).get(20, TimeUnit.SECONDS);
                locals.add(p);
            }
            String logName = schedule.spec().replaceAll("[^0-9]+", "-");
            try (ConstrainedClient viewer = ConstrainedClient.start(link, port, room, "Constrained", 2, List.of(0, 1),
                    AUDIO_ONLY ? LinkClient.AUDIO_ONLY : "640x360", logs.resolve(logName + "-client.log"))) {
                viewer.joined().get(60, TimeUnit.SECONDS);
                FailoverBench.awaitEveryoneInTheMix(locals, Duration.ofSeconds(30));
                probeOthersLatency(locals);
                long from;
                long[] localFrames;
                if (schedule.stepped()) {
                    from = System.nanoTime();
                    localFrames = locals.stream().mapToLong(p -> p.video().frames()).toArray();
                    List<long[]> changes = new ArrayList<>();
                    for (int[] step : schedule.steps()) {
                        link.rate(step[0]);
                        changes.add(new long[] {step[0], System.nanoTime()});
                        Thread.sleep(TimeUnit.SECONDS.toMillis(step[1]));
                    }
                    return steps(schedule, viewer, changes) + "\n" + timeline(schedule.spec(), viewer);
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(WARMUP_S));
                from = System.nanoTime();
                localFrames = locals.stream().mapToLong(p -> p.video().frames()).toArray();
                long[] localBytes = new long[2];
                for (int i = 0; i < 2; i++) {
                    localBytes[i] = locals.get(i).videoBytesReceived();
                    locals.get(i).video().resetLatency();
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                double wall = (System.nanoTime() - from) / 1e9;
                String othersFps = Arrays.stream(new int[] {0, 1}).mapToObj(i -> String.format(Locale.ROOT, "%.1f",
                        (locals.get(i).video().frames() - localFrames[i]) / wall)).collect(Collectors.joining(","));
                String othersSize = locals.stream().map(p -> p.video().width() + "x" + p.video().height())
                        .collect(Collectors.joining(","));
                List<String> othersKbps = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    othersKbps.add(String.format(Locale.ROOT, "%.0f",
                            (locals.get(i).videoBytesReceived() - localBytes[i]) * 8 / wall / 1000));
                }
                String othersLatency = locals.stream().map(p -> String.valueOf(p.video().medianLatencyMs()))
                        .collect(Collectors.joining(","));
                return summary(kbps, viewer.secondsSince(from), viewer.freezesSince(from), othersFps, othersSize)
                        + " othersKbps=" + String.join(",", othersKbps) + " othersLatencyMs=" + othersLatency
                        + "\n" + timeline(schedule.spec(), viewer);
            }
        } finally {
            sessions.forEach(ProtocolClient::close);
            locals.forEach(SyntheticParticipant::close);
            factories.forEach(PeerFactory::close);
        }
    }

    /**
     * Each local reads the capture time the other local's frames carry from the first tile of its
     * 640x360 grid composite: the others shown are the other local (joined first) and the constrained
     * viewer (a tile with its name if it sends no video). The grid places tiles by order alone.
     */
    private static void probeOthersLatency(List<SyntheticParticipant> locals) {
        List<String> shown = List.of("other local", "constrained");
        for (SyntheticParticipant p : locals) {
            p.video().probeLatencyInFirstTile(640, 360, shown);
        }
    }

    /**
     * For each step after the first: the seconds until the received size changed (the tier moved and
     * the smaller or larger composite arrived), or "-" if it did not within the step.
     */
    static String steps(Schedule schedule, ConstrainedClient viewer, List<long[]> changes) {
        List<ConstrainedClient.Second> all = viewer.seconds();
        StringBuilder out = new StringBuilder("steps " + schedule.spec() + ":");
        for (int i = 1; i < changes.size(); i++) {
            long at = changes.get(i)[1];
            long end = i + 1 < changes.size() ? changes.get(i + 1)[1] : Long.MAX_VALUE;
            String before = all.stream().filter(s -> s.atNanos() < at).reduce((a, b) -> b)
                    .map(s -> s.width() + "x" + s.height()).orElse("?");
            var moved = all.stream().filter(s -> s.atNanos() >= at && s.atNanos() < end && s.frames() > 0
                    && !(s.width() + "x" + s.height()).equals(before)).findFirst();
            out.append(String.format(Locale.ROOT, " to %s kbit/s: %s -> %s after %s s;",
                    changes.get(i)[0] == 0 ? "unlimited" : String.valueOf(changes.get(i)[0]), before,
                    moved.map(s -> s.width() + "x" + s.height()).orElse(before),
                    moved.map(s -> String.format(Locale.ROOT, "%.1f", (s.atNanos() - at) / 1e9)).orElse("-")));
        }
        return out.toString();
    }

    /**
     * Every second the viewer reported, warm-up included: size and frames, a change of size marked;
     * for an audio-only listener, its audio gaps in ms and the quieter of the two tones in dB, with
     * each tier the server named ({@code view-changed}) before the second it arrived in.
     */
    static String timeline(String rate, ConstrainedClient viewer) {
        List<ConstrainedClient.Second> seconds = viewer.seconds();
        StringBuilder out = new StringBuilder("timeline " + rate + ":");
        if (AUDIO_ONLY) {
            List<ConstrainedClient.ViewChange> changes = viewer.viewChanges();
            int next = 0;
            for (ConstrainedClient.Second s : seconds) {
                for (; next < changes.size() && changes.get(next).atNanos() <= s.atNanos(); next++) {
                    out.append(" [").append(changes.get(next).tier()).append(']');
                }
                out.append(String.format(Locale.ROOT, " %d/%.0f", s.audioGapMs(),
                        s.otherToneDb().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
            }
            return out.toString();
        }
        String size = "";
        for (ConstrainedClient.Second s : seconds) {
            String now = s.width() + "x" + s.height();
            out.append(' ').append(now.equals(size) ? "" : now + "@").append(s.frames());
            size = now;
        }
        return out.toString();
    }

    static String summary(int kbps, List<ConstrainedClient.Second> s, List<ConstrainedClient.Freeze> freezes,
                          String othersFps, String othersSize) {
        if (s.isEmpty()) {
            return "link rateKbps=" + kbps + " nothing reported (the client died? see bench/target/link)";
        }
        double minutes = s.size() / 60.0;
        int[] fps = s.stream().mapToInt(ConstrainedClient.Second::frames).sorted().toArray();
        String size = s.stream().collect(Collectors.groupingBy(x -> x.width() + "x" + x.height(), Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        long audioGapMs = s.stream().mapToLong(ConstrainedClient.Second::audioGapMs).sum();
        double quietest = s.stream().flatMap(x -> x.otherToneDb().stream()).mapToDouble(Double::doubleValue).min()
                .orElse(Double.NaN);
        long longest = freezes.stream().mapToLong(ConstrainedClient.Freeze::ms).max().orElse(0);
        double[] psnr = s.stream().mapToDouble(ConstrainedClient.Second::psnrDb).filter(d -> !Double.isNaN(d)).sorted()
                .toArray();
        return String.format(Locale.ROOT, "link rateKbps=%s receivedSize=%s medianFps=%d minFps=%d freezesPerMin=%.1f"
                        + " longestFreezeMs=%d audioGapMs=%d quietestToneDb=%.1f tilePsnrDb=%s othersFps=%s othersSize=%s"
                        + " seconds=%d",
                kbps == 0 ? "none" : kbps, size, fps[fps.length / 2], fps[0], freezes.size() / minutes, longest,
                audioGapMs, quietest, psnr.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", psnr[psnr.length / 2]),
                othersFps, othersSize, s.size());
    }
}
