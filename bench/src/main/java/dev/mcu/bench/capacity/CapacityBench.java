package dev.mcu.bench.capacity;

import dev.mcu.bench.ProcessCpu;
import dev.mcu.mixer.peer.PeerFactoryPool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Mixer CPU against the codec floor. For each case, alternately (so both see the same machine
 * state): the floor process alone, then the mixer process with the participants' process. CPU is
 * read from /proc for the measured window only (after warm-up). Prints one line per case with the
 * medians over the rounds.
 *
 * <p>Usage: capacity [rounds] [seconds] [warmupSeconds] [codec] [per-participant]. With
 * {@code per-participant}, every round also measures the mixer with a libwebrtc factory for each
 * peer (the design before a room's peers shared one), and the lines add {@code perParticipantRatio=}
 * (that mixer over the floor). With {@code before}, the other mixer is the design before the audio
 * device bypass: a factory per peer with its audio device's threads running
 * ({@code bench.keepAudioDevice}); the lines add {@code beforeRatio=}, and each case prints the
 * CPU of both mixers per kind of thread (same rounds).
 */
public final class CapacityBench {

    /** One case of the issue: N participants, each sending and receiving this size at this rate. */
    record Case(int participants, int width, int height, int fps, int kbps) {
        String name() {
            return participants + "x" + width + "x" + height + "@" + fps;
        }
    }

    static final List<Case> CASES = List.of(new Case(4, 640, 360, 30, 800), new Case(8, 320, 180, 30, 300));

    private static final double CLOCK_TICK = 100.0; // USER_HZ on Linux
    /** Keeps the audio device's threads running (AudioDeviceBypass's bench switch). */
    private static final String KEEP_AUDIO_DEVICE = "bench.keepAudioDevice";

    private CapacityBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("curve")) {
            CapacityCurve.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String codec = args.length > 3 ? args[3] : "H264"; // the mixer's default outbound codec
        String other = args.length > 4 ? args[4] : "";
        if (!other.isEmpty() && !other.equals("per-participant") && !other.equals("before")) {
            throw new IllegalArgumentException("the fifth argument is per-participant, before or nothing: " + other);
        }
        boolean alsoShared = !other.isEmpty();
        for (Case c : CASES) {
            Map<String, Double> mixerThreads = new TreeMap<>();
            Map<String, Double> otherThreads = new TreeMap<>();
            Summary s = measure(c, rounds, seconds, warmup, codec, other, mixerThreads, otherThreads);
            System.out.printf(Locale.ROOT,
                    "case=%s codec=%s mixerCodec=%s floorCodec=%s floorRatio=%.3f minFps=%.1f p50LatencyMs=%.0f participantsPerCore=%.2f "
                            + "mixerCores=%.3f floorCores=%.3f floorMinFps=%.1f floorP50LatencyMs=%.0f receivedSizes=%s rounds=%d seconds=%d%n",
                    c.name(), codec, s.mixerCodec(), s.floorCodec(), s.floorRatio(), s.minFps(), s.p50LatencyMs(),
                    c.participants() / s.mixerCores(), s.mixerCores(), s.floorCores(), s.floorMinFps(),
                    s.floorP50LatencyMs(), s.receivedSizes(), rounds, seconds);
            if (other.equals("per-participant")) {
                System.out.printf(Locale.ROOT, "case=%s perParticipantRatio=%.3f perParticipantCores=%.3f"
                                + " (the mixer with a factory per peer, same rounds)%n", c.name(),
                        s.sharedCores() / s.floorCores(), s.sharedCores());
            } else if (other.equals("before")) {
                System.out.printf(Locale.ROOT, "case=%s beforeRatio=%.3f beforeCores=%.3f (a factory per peer with"
                                + " its audio device, same rounds); per kind of thread, cores, mean of the rounds:%n",
                        c.name(), s.sharedCores() / s.floorCores(), s.sharedCores());
                printThreads(mixerThreads, otherThreads, rounds);
            }
        }
        System.out.printf("reproduce: bin/bench capacity %d %d %d %s%s%n", rounds, seconds, warmup, codec,
                alsoShared ? " " + other : "");
    }

    /** Medians over the rounds of one case; {@code sharedCores} is NaN unless the shared factory was measured. */
    record Summary(double floorCores, double mixerCores, double sharedCores, double minFps, double floorMinFps,
                   double p50LatencyMs, double floorP50LatencyMs, String receivedSizes, String mixerCodec,
                   String floorCodec) {
        double floorRatio() {
            return mixerCores / floorCores;
        }
    }

    /** Alternates the floor and the mixer {@code rounds} times for one case, logging each round to stderr. */
    static Summary measure(Case c, int rounds, int seconds, int warmup, String codec, String other,
                           Map<String, Double> mixerThreads, Map<String, Double> otherThreads)
            throws IOException, InterruptedException {
        List<String> otherProps = switch (other) {
            case "per-participant" -> List.of("-D" + PeerFactoryPool.PER_PARTICIPANT_PROPERTY + "=true");
            case "before" -> List.of("-D" + PeerFactoryPool.PER_PARTICIPANT_PROPERTY + "=true",
                    "-D" + KEEP_AUDIO_DEVICE + "=true");
            default -> List.of();
        };
        Path logs = Path.of("bench", "target", "capacity");
        Files.createDirectories(logs);
        List<Double> floorCores = new ArrayList<>();
        List<Double> mixerCores = new ArrayList<>();
        List<Double> sharedCores = new ArrayList<>();
        List<Double> minFps = new ArrayList<>();
        List<Double> floorFps = new ArrayList<>();
        List<Double> latency = new ArrayList<>();
        List<Double> floorLatency = new ArrayList<>();
        String sizes = "";
        String mixerCodec = "";
        String floorCodec = "";
        for (int r = 0; r < rounds; r++) {
            String[] streams = new StreamArgs(c.participants(), c.width(), c.height(), c.fps(), c.kbps(), warmup,
                    seconds, codec).toArgs();
            Measured floor = measure(start(logs.resolve(c.name() + "-floor-" + r + ".log"), "FloorProcess",
                    streams), null);
            floorCores.add(floor.cores);
            floorFps.add(floor.field("minFps"));
            floorLatency.add(floor.field("p50LatencyMs"));
            floorCodec = floor.fields.getOrDefault("codec", "?");

            Measured m = measureMixer(logs.resolve(c.name() + "-mixer-" + r), codec, streams, List.of(), mixerThreads);
            mixerCores.add(m.cores);
            if (!other.isEmpty()) {
                sharedCores.add(measureMixer(logs.resolve(c.name() + "-" + other + "-" + r), codec, streams, otherProps,
                        otherThreads).cores);
            }
            minFps.add(m.field("minFps"));
            latency.add(m.field("p50LatencyMs"));
            sizes = m.fields.getOrDefault("sizes", "");
            mixerCodec = m.fields.getOrDefault("mixerCodec", "?");
            System.err.printf(Locale.ROOT, "  round %d %s: floor %.3f cores, mixer %.3f cores, %s%n", r + 1,
                    c.name(), floor.cores, m.cores, m.fields);
        }
        return new Summary(median(floorCores), median(mixerCores), sharedCores.isEmpty() ? Double.NaN
                : median(sharedCores), median(minFps), median(floorFps), median(latency), median(floorLatency), sizes,
                mixerCodec, floorCodec);
    }

    /** The mixer worker process with the participants' process driving it; the mixer's CPU is measured. */
    private static Measured measureMixer(Path logPrefix, String codec, String[] streams, List<String> props,
                                         Map<String, Double> byThread) throws IOException, InterruptedException {
        Process mixer = start(Path.of(logPrefix + ".log"), "MixerWorkerProcess", props, codec);
        String port = readPort(mixer);
        Process participants = start(Path.of(logPrefix + "-participants.log"), "ParticipantsProcess", List.of(),
                concat(new String[] {port}, streams));
        Measured m = measure(participants, mixer, byThread);
        mixer.waitFor(30, TimeUnit.SECONDS);
        mixer.destroyForcibly();
        return m;
    }

    /** What one measured process reported, and the CPU (in cores) of the measured process over its window. */
    record Measured(double cores, Map<String, String> fields) {
        double field(String name) {
            return Double.parseDouble(fields.getOrDefault(name, "NaN"));
        }
    }

    /**
     * Reads the reporter's output: CPU of {@code measured} (the reporter itself when null) is sampled
     * at "measuring" and at "done".
     */
    private static Measured measure(Process reporter, Process measured) throws IOException, InterruptedException {
        return measure(reporter, measured, null);
    }

    /** As above; adds the measured process's CPU per kind of thread to {@code byThread} when not null. */
    private static Measured measure(Process reporter, Process measured, Map<String, Double> byThread)
            throws IOException, InterruptedException {
        Map<String, Long> threads0 = Map.of();
        Process target = measured == null ? reporter : measured;
        BufferedReader out = new BufferedReader(new InputStreamReader(reporter.getInputStream(), StandardCharsets.UTF_8));
        long cpu0 = 0;
        long t0 = 0;
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals("measuring")) {
                cpu0 = cpuTicks(target.pid());
                threads0 = byThread == null ? Map.of() : ProcessCpu.threadTicks(target.pid());
                t0 = System.nanoTime();
            } else if (line.startsWith("done")) {
                long cpu1 = cpuTicks(target.pid());
                double wall = (System.nanoTime() - t0) / 1e9;
                if (byThread != null) {
                    ProcessCpu.addByKind(byThread, threads0, ProcessCpu.threadTicks(target.pid()), wall);
                }
                Map<String, String> fields = new TreeMap<>();
                for (String kv : line.substring(4).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        fields.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
                reporter.waitFor(60, TimeUnit.SECONDS);
                reporter.destroyForcibly();
                return new Measured((cpu1 - cpu0) / CLOCK_TICK / wall, fields);
            }
        }
        reporter.destroyForcibly();
        throw new IllegalStateException("process ended without a result; see bench/target/capacity/*.log");
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    /** The kinds of thread that cost most in either mixer, side by side, and the rest summed. */
    private static void printThreads(Map<String, Double> mixer, Map<String, Double> before, int rounds) {
        java.util.Set<String> names = new java.util.TreeSet<>(mixer.keySet());
        names.addAll(before.keySet());
        List<String> top = names.stream().sorted(java.util.Comparator.comparingDouble((String t) ->
                -Math.max(mixer.getOrDefault(t, 0.0), before.getOrDefault(t, 0.0)))).limit(14).toList();
        for (String t : top) {
            System.out.printf(Locale.ROOT, "  %-22s now %.3f  before %.3f%n", t, mixer.getOrDefault(t, 0.0) / rounds,
                    before.getOrDefault(t, 0.0) / rounds);
        }
        double restNow = mixer.entrySet().stream().filter(e -> !top.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
        double restBefore = before.entrySet().stream().filter(e -> !top.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
        System.out.printf(Locale.ROOT, "  %-22s now %.3f  before %.3f%n", "(all other threads)", restNow / rounds,
                restBefore / rounds);
    }

    private static String readPort(Process mixer) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(mixer.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("port=")) {
            throw new IllegalStateException("mixer process did not start: " + line);
        }
        return line.substring(5);
    }

    private static Process start(Path log, String mainClass, String... args) throws IOException {
        return start(log, mainClass, List.of(), args);
    }

    private static Process start(Path log, String mainClass, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx1g");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CapacityBench.class.getPackageName() + "." + mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
