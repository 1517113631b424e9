package dev.mcu.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link LinkClient} process started behind a {@link ConstrainedLink}, and what it reported: one
 * {@link Second} per second and every freeze. Closing it kills the process.
 */
public final class ConstrainedClient implements AutoCloseable {

    /**
     * What the client received in one second; {@code psnrDb} is the first other's tile against its
     * source at the full view's tile size (NaN when no frame was compared).
     */
    public record Second(long atNanos, int frames, int width, int height, long longestGapMs, long audioGapMs,
                         List<Double> otherToneDb, double psnrDb) {
    }

    /** A {@code view-changed} the client received: its effective size and bandwidth tier. */
    public record ViewChange(long atNanos, int width, int height, int fps, String tier) {
    }

    /** A gap between frames of at least 500 ms, when it ended. */
    public record Freeze(long atNanos, long ms) {
    }

    private final Process process;
    private final List<Second> seconds = new ArrayList<>();
    private final List<Freeze> freezes = new ArrayList<>();
    private final List<ViewChange> views = new ArrayList<>();
    private final CompletableFuture<String> joined = new CompletableFuture<>();

    private ConstrainedClient(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("link-client-" + process.pid()).start(this::read);
    }

    /**
     * Starts a client in the link's namespace that joins {@code room} through the server at
     * {@code port} on the host's end of the link.
     *
     * @param others the indexes of the other participants, whose tones it listens for
     * @param view   the view it asks for, as WIDTHxHEIGHT, or null for the default
     * @param log    where its standard error goes
     */
    public static ConstrainedClient start(ConstrainedLink link, int port, String room, String name, int index,
                                          List<Integer> others, String view, Path log) throws IOException {
        List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                LinkClient.class.getName(), "http://" + link.hostAddress() + ":" + port, room, name,
                Integer.toString(index), others.isEmpty() ? "-"
                        : others.stream().map(String::valueOf).collect(Collectors.joining(","))));
        if (view != null) {
            java.add(view);
        }
        Process p = new ProcessBuilder(link.command(java)).redirectError(log.toFile()).start();
        return new ConstrainedClient(p);
    }

    /** Completes with the participant id once the client has joined; fails if it was refused or died. */
    public CompletableFuture<String> joined() {
        return joined;
    }

    public synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    /** The seconds reported after {@code sinceNanos} (System.nanoTime of this process). */
    /** The last second reported, for assertion messages. */
    public synchronized String lastSecond() {
        List<Second> s = seconds();
        return s.isEmpty() ? "nothing reported" : s.getLast().toString();
    }

    public synchronized List<Second> secondsSince(long sinceNanos) {
        return seconds.stream().filter(s -> s.atNanos() >= sinceNanos).toList();
    }

    /** Freezes that ended after {@code sinceNanos}, including one that began before it. */
    public synchronized List<Freeze> freezesSince(long sinceNanos) {
        return freezes.stream().filter(f -> f.atNanos() >= sinceNanos).toList();
    }

    /** Freezes that began after {@code sinceNanos}: none that an adaptation before it left open. */
    public synchronized List<Freeze> freezesBegunSince(long sinceNanos) {
        return freezes.stream().filter(f -> f.atNanos() - TimeUnit.MILLISECONDS.toNanos(f.ms()) >= sinceNanos).toList();
    }

    public synchronized List<ViewChange> viewChanges() {
        return List.copyOf(views);
    }

    public boolean alive() {
        return process.isAlive();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Map<String, String> f = fields(line);
                long now = System.nanoTime();
                if (line.startsWith("joined ")) {
                    joined.complete(f.get("id"));
                } else if (line.startsWith("refused ")) {
                    joined.completeExceptionally(new IllegalStateException(line));
                } else if (line.startsWith("second ")) {
                    List<Double> tones = f.get("others").equals("-") ? List.of()
                            : java.util.Arrays.stream(f.get("others").split(",")).map(Double::parseDouble).toList();
                    Second s = new Second(now, Integer.parseInt(f.get("frames")), Integer.parseInt(f.get("width")),
                            Integer.parseInt(f.get("height")), Long.parseLong(f.get("longestGapMs")),
                            Long.parseLong(f.get("audioGapMs")), tones,
                            f.getOrDefault("psnrDb", "-").equals("-") ? Double.NaN : Double.parseDouble(f.get("psnrDb")));
                    synchronized (this) {
                        seconds.add(s);
                    }
                } else if (line.startsWith("view ")) {
                    ViewChange v = new ViewChange(now, Integer.parseInt(f.get("width")), Integer.parseInt(f.get("height")),
                            Integer.parseInt(f.get("fps")), f.get("tier"));
                    synchronized (this) {
                        views.add(v);
                    }
                } else if (line.startsWith("freeze ")) {
                    synchronized (this) {
                        freezes.add(new Freeze(now, Long.parseLong(f.get("ms"))));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            joined.completeExceptionally(e);
        }
        joined.completeExceptionally(new IllegalStateException("the link client exited"));
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> out = new HashMap<>();
        for (String kv : line.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
