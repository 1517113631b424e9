package dev.mcu.bench;

import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Native memory a join leaves behind, measured from outside the single-machine default: cycles of
 * N synthetic participants joining one room, all of them in the mix (seeing and hearing each
 * other), then leaving; the worker process's resident memory, threads and open files are read from
 * /proc after each cycle (its pid from the launcher's {@code mcu_worker_pid} metric). The first
 * cycles warm up; the growth per join is the least-squares slope over the measured cycles divided
 * by N, so that one cycle's garbage-collector timing does not decide the figure.
 */
public final class ChurnBench {

    private static final int WARMUP_CYCLES = 5;

    private ChurnBench() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = BenchMain.intArg(args, 0, 20, 2, 10_000, "cycles");
        int n = BenchMain.intArg(args, 1, 3, 1, 8, "participants");
        String base = args.length > 2 ? args[2] : "http://127.0.0.1:8080";
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws");
        HttpClient http = HttpClient.newHttpClient();
        List<PeerFactory> factories = new ArrayList<>(); // the clients' own, reused by every cycle
        for (int i = 0; i < n; i++) {
            factories.add(new PeerFactory(0, 0));
        }
        List<double[]> samples = new ArrayList<>(); // {cycle, rssMb, rss minus committed heap in MB}
        long pid = -1;
        Map<String, Long> first = null;
        Map<String, Long> last = null;
        try {
            // At rest: the standby booted (its boot takes most of a core for seconds) and settled.
            FailoverBench.awaitMetric(http, base, "mcu_worker_spares_ready", v -> v >= 1, Duration.ofSeconds(90));
            Thread.sleep(10_000);
            idle(workerPid(http, base), "before the cycles");
            for (int cycle = 0; cycle < WARMUP_CYCLES + cycles; cycle++) {
                oneCycle(http, base, ws, "churn-" + System.currentTimeMillis(), factories);
                long now = workerPid(http, base);
                if (pid != -1 && now != pid) {
                    throw new IllegalStateException("the worker changed (pid " + pid + " -> " + now
                            + ": restarted or recycled); the run measures one worker process");
                }
                pid = now;
                Thread.sleep(1500); // the worker's cleanup after the last leave
                Map<String, Long> s = status(pid);
                System.out.printf(Locale.ROOT, "cycle %3d%s: rss %.1f MB (java heap committed %.1f MB), threads %d,"
                                + " fds %d%n", cycle + 1, cycle < WARMUP_CYCLES ? " (warm-up)" : "",
                        s.get("rssKb") / 1024.0, s.get("heapKb") / 1024.0, s.get("threads"), s.get("fds"));
                if (cycle >= WARMUP_CYCLES) {
                    samples.add(new double[] {cycle, s.get("rssKb") / 1024.0,
                            (s.get("rssKb") - s.get("heapKb")) / 1024.0});
                    first = first == null ? s : first;
                    last = s;
                }
            }
            idle(pid, "after the cycles");
        } finally {
            for (PeerFactory f : factories) {
                f.close();
            }
        }
        System.out.printf(Locale.ROOT,
                "churn cycles=%d participants=%d joins=%d rssFirstMb=%.1f rssLastMb=%.1f mbPerJoin=%.3f"
                        + " nonHeapMbPerJoin=%.3f heapCommittedMb=%.1f->%.1f threads=%d->%d fds=%d->%d%n",
                cycles, n, cycles * n, first.get("rssKb") / 1024.0, last.get("rssKb") / 1024.0,
                slope(samples, 1) / n, slope(samples, 2) / n, first.get("heapKb") / 1024.0,
                last.get("heapKb") / 1024.0, first.get("threads"), last.get("threads"), first.get("fds"),
                last.get("fds"));
        System.out.println("reproduce: bin/bench churn " + cycles + " " + n);
    }

    /** N participants join, are all in the mix, then leave; returns once every socket has closed. */
    private static void oneCycle(HttpClient http, String base, URI ws, String room, List<PeerFactory> factories)
            throws Exception {
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> live = new ArrayList<>();
        try {
            for (int i = 0; i < factories.size(); i++) {
                ProtocolClient c = ProtocolClient.connect(ws);
                sessions.add(c);
                var joined = c.join(ProtocolClient.devToken(http, base, room, "p" + i), "P" + i, null);
                if (!ProtocolClient.type(joined).equals("joined")) {
                    throw new IllegalStateException("join refused: " + joined);
                }
                SyntheticParticipant p = new SyntheticParticipant(factories.get(i),
                        SyntheticParticipant.Options.flat(i));
                live.add(p);
                c.bind(p);
                p.connect(c).get(20, TimeUnit.SECONDS);
            }
            FailoverBench.awaitEveryoneInTheMix(live, Duration.ofSeconds(30));
            for (ProtocolClient c : sessions) {
                c.send(Map.of("type", "leave"));
            }
            for (ProtocolClient c : sessions) {
                c.closed().get(10, TimeUnit.SECONDS);
            }
        } finally {
            for (ProtocolClient c : sessions) {
                c.close();
            }
            for (SyntheticParticipant p : live) {
                p.close();
            }
        }
    }

    /**
     * CPU over 10 s and resident memory of every child process of the worker's launcher (the worker
     * and the booted standby), with no participant anywhere: what a worker process adds at rest.
     */
    private static void idle(long workerPid, String when) throws Exception {
        ProcessHandle launcher = ProcessHandle.of(workerPid).flatMap(ProcessHandle::parent).orElseThrow();
        List<ProcessHandle> children = launcher.children().toList();
        long[] before = new long[children.size()];
        for (int i = 0; i < children.size(); i++) {
            before[i] = cpuTicks(children.get(i).pid());
        }
        long t0 = System.nanoTime();
        Thread.sleep(10_000);
        double wall = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < children.size(); i++) {
            long pid = children.get(i).pid();
            System.out.printf(Locale.ROOT, "idle %s: %s pid %d cores %.4f rss %.1f MB threads %d%n", when,
                    pid == workerPid ? "worker " : "standby", pid, (cpuTicks(pid) - before[i]) / 100.0 / wall,
                    status(pid).get("rssKb") / 1024.0, status(pid).get("threads"));
        }
    }

    /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long workerPid(HttpClient http, String base) throws Exception {
        return FailoverBench.metricsText(http, base).lines().filter(l -> l.startsWith("mcu_worker_pid"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max()
                .orElseThrow(() -> new IllegalStateException("no mcu_worker_pid: is the default in process isolation?"));
    }

    private static Map<String, Long> status(long pid) throws Exception {
        long rss = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        long fds;
        try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = list.count();
        }
        return Map.of("rssKb", rss, "threads", threads, "fds", fds, "heapKb", heapCommittedKb(pid));
    }

    /** The Java heap's committed size (jcmd GC.heap_info), so RSS growth can be split into heap and native. */
    private static long heapCommittedKb(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            var m = java.util.regex.Pattern.compile("committed (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Least-squares slope of column {@code y} against column 0. */
    private static double slope(List<double[]> xy, int y) {
        double mx = xy.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = xy.stream().mapToDouble(p -> p[y]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] p : xy) {
            num += (p[0] - mx) * (p[y] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}
