package dev.mcu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU of processes read from /proc over one window: in cores (CPU seconds per second), in all and
 * per kind of thread (threads summed by name, digits folded, so that pools and per-participant
 * threads add up).
 */
public final class ProcessCpu {

    private static final double CLOCK_TICK = 100.0; // USER_HZ on Linux

    private ProcessCpu() {
    }

    /**
     * Sleeps {@code seconds} and returns the processes' CPU over that time, in cores; adds each
     * kind of thread's to {@code byThread} when it is not null.
     */
    public static double cores(List<Long> pids, int seconds, Map<String, Double> byThread) throws Exception {
        return byProcess(pids, seconds, byThread).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** As {@link #cores}, each process's own figure (same window), by pid. */
    public static Map<Long, Double> byProcess(List<Long> pids, int seconds, Map<String, Double> byThread)
            throws Exception {
        long t0 = System.nanoTime();
        Map<Long, Long> c0 = new HashMap<>();
        Map<String, Long> before = new HashMap<>();
        for (long pid : pids) {
            c0.put(pid, ticks(Path.of("/proc/" + pid + "/stat")));
            before.putAll(threadTicks(pid));
        }
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<Long, Double> out = new HashMap<>();
        for (long pid : pids) {
            out.put(pid, (ticks(Path.of("/proc/" + pid + "/stat")) - c0.get(pid)) / CLOCK_TICK / elapsed);
            if (byThread != null) {
                addByKind(byThread, before, threadTicks(pid), elapsed);
            }
        }
        return out;
    }

    /**
     * Adds each kind of thread's CPU between two {@link #threadTicks} snapshots, in cores over
     * {@code elapsedSeconds}, into {@code byKind}. One name per kind of thread: a recording's carries
     * its id, a pool's its number.
     */
    public static void addByKind(Map<String, Double> byKind, Map<String, Long> before, Map<String, Long> after,
                                 double elapsedSeconds) {
        after.forEach((task, ticks) -> {
            String name = task.substring(task.indexOf(' ') + 1).replaceAll("^(recording|stream)-.*", "$1-*")
                    .replaceAll("[0-9]+", "#");
            byKind.merge(name, (ticks - before.getOrDefault(task, 0L)) / CLOCK_TICK / elapsedSeconds, Double::sum);
        });
    }

    /** Each thread's CPU ticks, keyed by "pid/tid name". */
    public static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    out.put(pid + "/" + t.getFileName() + " " + name, ticks(t.resolve("stat")));
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private static long ticks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
