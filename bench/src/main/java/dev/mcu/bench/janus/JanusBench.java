package dev.mcu.bench.janus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.BenchMain;
import dev.mcu.bench.FailoverBench;
import dev.mcu.bench.ProcessCpu;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.Palette;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Audio rooms against Janus AudioBridge, side by side: for each room size N, rounds alternate
 * between a Janus AudioBridge room (48 kHz Opus) and a room of the single-machine default, both with
 * N synthetic audio-only participants (offers with no video m-line, one tone each). In each, every
 * participant must hear the others (all of them in Janus, which mixes everyone; in the project the
 * loudest-N mixed, less the listener when it is one of them) and never itself, and the server's CPU
 * is read over the same window: the Janus process, and the project's whole process tree (launcher
 * with the embedded Kafka broker, control plane and signaling; the worker; the standby), with the
 * worker's own figure beside it and the tree's threads broken down by kind. Each size starts with an
 * uncounted round in both, so the project's JIT has compiled its media code. Tones are quieter in
 * larger rooms (their sum below clipping: Janus mixes all of them, and a clipped sum puts every
 * listener's own tone back into its mix).
 *
 * <p>Usage: janus [rounds] [seconds] [sizes] [base URL] [loudestN]; bin/bench starts the project.
 */
public final class JanusBench {

    /** A voice at the synthetic tone's full amplitude is heard above this (dBFS, as ReceivedAudio reads it). */
    private static final double PRESENT_DB = -30;
    private static final int FULL_AMPLITUDE = 8000;
    /** The loudest sum the voices may make: Janus mixes everyone, and a clipped sum is heard everywhere. */
    private static final int SUM_AMPLITUDE = 30_000;
    private static final int WARMUP_SECONDS = 10;
    /** Below the weakest other by this much: a leak of distortion, not a voice in the mix. */
    private static final double ABSENT_GAP_DB = 12;

    private JanusBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = BenchMain.intArg(args, 0, 3, 1, 20, "rounds");
        int seconds = BenchMain.intArg(args, 1, 20, 5, 600, "seconds");
        int[] sizes = Arrays.stream((args.length > 2 ? args[2] : "4,8").split(","))
                .mapToInt(Integer::parseInt).toArray();
        for (int n : sizes) {
            if (n < 2 || n > Palette.TONES.size()) {
                // Beyond the palette two participants send one tone and mix-minus cannot be checked.
                throw new IllegalArgumentException("room sizes from 2 to " + Palette.TONES.size()
                        + " (one distinct tone each): " + n);
            }
        }
        String base = args.length > 3 ? args[3] : "http://127.0.0.1:8080";
        int loudestN = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        HttpClient http = HttpClient.newHttpClient();
        Path dir = Files.createTempDirectory("janus-bench");
        long workerPid = (long) FailoverBench.awaitMetric(http, base, "mcu_worker_pid", v -> v > 0,
                Duration.ofSeconds(60));
        List<String> lines = new ArrayList<>();
        try (JanusAudioBridge janus = JanusAudioBridge.start(dir, 18188, 41000, 41999)) {
            for (int n : sizes) {
                // A round of each first, not counted: the project's JIT compiles its media code in the
                // first seconds of a size, which is not what an audio room costs in a running service.
                janusRound(janus, n, -1, WARMUP_SECONDS);
                projectRound(http, base, n, -1, WARMUP_SECONDS, loudestN, workerPid, new TreeMap<>(),
                        new TreeMap<>());
                List<Double> janusCores = new ArrayList<>();
                List<Double> projectCores = new ArrayList<>();
                List<Double> workerCores = new ArrayList<>();
                Map<String, Double> threads = new TreeMap<>();
                Map<String, Double> workerThreads = new TreeMap<>();
                for (int r = 0; r < rounds; r++) {
                    janusCores.add(janusRound(janus, n, r, seconds));
                    Map<Long, Double> project = projectRound(http, base, n, r, seconds, loudestN, workerPid, threads,
                            workerThreads);
                    projectCores.add(project.values().stream().mapToDouble(Double::doubleValue).sum());
                    workerCores.add(project.getOrDefault(workerPid, Double.NaN));
                    System.out.printf(Locale.ROOT, "N=%d round %d: Janus %.3f cores, project %.3f cores (its worker"
                            + " %.3f)%n", n, r + 1, janusCores.get(r), projectCores.get(r), workerCores.get(r));
                }
                double j = median(janusCores);
                double p = median(projectCores);
                double w = median(workerCores);
                String line = String.format(Locale.ROOT, "audio room N=%d %dx%ds: Janus AudioBridge %.3f cores, "
                        + "project %.3f cores (x%.2f of Janus), its worker process %.3f (x%.2f); loudest %d mixed",
                        n, rounds, seconds, j, p, p / j, w, w / j, loudestN);
                lines.add(line);
                System.out.println(line);
                System.out.println("  the project's threads (cores, summed by kind over its processes, mean of the rounds):");
                printThreads(threads, rounds);
                System.out.println("  its worker process's threads (cores, by kind, mean of the rounds):");
                printThreads(workerThreads, rounds);
            }
        }
        lines.forEach(System.out::println);
        System.out.println("reproduce: bin/bench janus " + rounds + " " + seconds + " "
                + String.join(",", Arrays.stream(sizes).mapToObj(String::valueOf).toList()));
    }

    private static void printThreads(Map<String, Double> threads, int rounds) {
        threads.entrySet().stream().sorted(Comparator.comparingDouble(e -> -e.getValue())).limit(12)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %-32s %.3f%n", e.getKey(), e.getValue() / rounds));
    }

    private static double janusRound(JanusAudioBridge janus, int n, int round, int seconds) throws Exception {
        long room = 1000L * n + round;
        janus.createRoom(room);
        List<JanusAudioBridge.Participant> sessions = new ArrayList<>();
        List<SyntheticParticipant> ps = new ArrayList<>();
        List<PeerFactory> factories = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                PeerFactory factory = new PeerFactory(0, 0); // a client's own, as a browser has
                factories.add(factory);
                JanusAudioBridge.Participant s = janus.participant().joining(room, "p" + i);
                sessions.add(s);
                SyntheticParticipant p = new SyntheticParticipant(factory,
                        voice(i, n));
                ps.add(p);
                p.connect(s).get(30, TimeUnit.SECONDS);
            }
            return measure("Janus", ps, n - 1, seconds, List.of(janus.pid()), null, janus.pid(), null)
                    .get(janus.pid());
        } finally {
            sessions.forEach(JanusAudioBridge.Participant::close);
            ps.forEach(SyntheticParticipant::close);
            factories.forEach(PeerFactory::close);
        }
    }

    private static Map<Long, Double> projectRound(HttpClient http, String base, int n, int round, int seconds,
                                                  int loudestN, long workerPid, Map<String, Double> threads,
                                                  Map<String, Double> workerThreads)
            throws Exception {
        String room = "audio-bench-" + n + "-" + round + "-" + System.currentTimeMillis();
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws");
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> ps = new ArrayList<>();
        List<PeerFactory> factories = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                PeerFactory factory = new PeerFactory(0, 0);
                factories.add(factory);
                ProtocolClient c = ProtocolClient.connect(ws);
                sessions.add(c);
                JsonNode joined = c.join(ProtocolClient.devToken(http, base, room, "p" + i), "P" + i, null);
                if (!"joined".equals(ProtocolClient.type(joined))) {
                    throw new IllegalStateException("join refused: " + joined);
                }
                SyntheticParticipant p = new SyntheticParticipant(factory,
                        voice(i, n));
                c.bind(p);
                ps.add(p);
                p.connect(c).get(30, TimeUnit.SECONDS);
            }
            // The loudest-N are mixed out of everyone, the listener included: one who is among them
            // hears the other N - 1 of them.
            return measure("project", ps, Math.min(n - 1, loudestN - 1), seconds, processTree(workerPid), threads,
                    workerPid, workerThreads);
        } finally {
            sessions.forEach(ProtocolClient::close);
            ps.forEach(SyntheticParticipant::close);
            factories.forEach(PeerFactory::close);
        }
    }

    /**
     * Waits until everyone hears at least {@code heard} others and not itself, settles, reads the
     * servers' CPU over the window (by kind of thread over all of them into {@code byThread}, and one
     * process's alone into {@code focusThreads}, where not null), and checks the mix again at its end.
     */
    private static Map<Long, Double> measure(String who, List<SyntheticParticipant> ps, int heard, int seconds,
                                             List<Long> pids, Map<String, Double> byThread, long focusPid,
                                             Map<String, Double> focusThreads) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!mixMinusHolds(ps, heard)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(who + ": not every participant hears " + heard
                        + " others and not itself: " + levels(ps));
            }
            Thread.sleep(200);
        }
        Thread.sleep(3_000); // joins settle; their cost is not the steady cost
        long t0 = System.nanoTime();
        Map<String, Long> focus0 = focusThreads == null ? Map.of() : ProcessCpu.threadTicks(focusPid);
        Map<Long, Double> cores = ProcessCpu.byProcess(pids, seconds, byThread);
        if (focusThreads != null) {
            ProcessCpu.addByKind(focusThreads, focus0, ProcessCpu.threadTicks(focusPid),
                    (System.nanoTime() - t0) / 1e9);
        }
        if (!mixMinusHolds(ps, heard)) {
            throw new IllegalStateException(who + ": the mix broke during the window: " + levels(ps));
        }
        return cores;
    }

    /**
     * Participant {@code i}'s audio-only voice in a room of {@code n}: one tone, quieter in larger rooms
     * so that the sum of the others stays below clipping in a server that mixes all of them.
     */
    private static SyntheticParticipant.Options voice(int i, int n) {
        SyntheticParticipant.Options o = SyntheticParticipant.Options.flat(i);
        return new SyntheticParticipant.Options(i, o.width(), o.height(), o.fps(), amplitude(n), false,
                o.maxBitrateKbps(), o.codecs()).audioOnly();
    }

    private static int amplitude(int n) {
        return Math.min(FULL_AMPLITUDE, SUM_AMPLITUDE / (n - 1));
    }

    /** Each participant hears {@code heard} others above the floor, and itself far below the weakest of them. */
    static boolean mixMinusHolds(List<SyntheticParticipant> ps, int heard) {
        double present = PRESENT_DB + 20 * Math.log10(amplitude(ps.size()) / (double) FULL_AMPLITUDE);
        for (SyntheticParticipant listener : ps) {
            int count = 0;
            double weakest = Double.MAX_VALUE;
            for (SyntheticParticipant talker : ps) {
                double db = listener.audio().toneDb(talker.tone(), 300);
                if (talker != listener && db > present) {
                    count++;
                    weakest = Math.min(weakest, db);
                }
            }
            if (count < heard || listener.audio().toneDb(listener.tone(), 300) > weakest - ABSENT_GAP_DB) {
                return false;
            }
        }
        return true;
    }

    private static String levels(List<SyntheticParticipant> ps) {
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < ps.size(); l++) {
            b.append(" p").append(l).append(":");
            for (SyntheticParticipant t : ps) {
                b.append(String.format(Locale.ROOT, " %.0f", ps.get(l).audio().toneDb(t.tone(), 300)));
            }
        }
        return b.toString();
    }

    /** The launcher above the worker, and every process under it (worker, standby, ...). */
    private static List<Long> processTree(long workerPid) {
        ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
        ProcessHandle root = worker.parent().orElse(worker);
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
