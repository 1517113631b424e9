package dev.mcu.app.supervision;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A worker process's output (stdout and stderr merged): each line goes on to the launcher's
 * stderr, tagged with the worker's id, and the last {@value #KEPT} lines are kept so that when the
 * process dies its native abort message can be found and logged. libwebrtc's checks print a block
 * of {@code #} lines ("Fatal error in: file, line N", "Check failed: ...") before abort(); the JVM's
 * crash report for a native fault starts with "A fatal error has been detected".
 */
final class ChildOutput {

    static final int KEPT = 400;

    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> booted = new CompletableFuture<>();
    private volatile String tag;
    private final PrintStream out;
    private final Thread pump;

    ChildOutput(String tag, InputStream stream, PrintStream out) {
        this.tag = tag;
        this.out = out;
        this.pump = Thread.ofPlatform().name("output-" + tag).daemon().start(() -> pump(stream));
    }

    private void pump(InputStream stream) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                keep(line);
                out.println("[" + tag + "] " + line);
                if (line.startsWith(WorkerLaunch.BOOTED)) {
                    booted.complete(null);
                }
            }
        } catch (IOException e) {
            // The process is gone; what was read is kept.
        }
        booted.completeExceptionally(new IllegalStateException("the process ended before it booted"));
    }

    /** Completes when the standby has printed that it booted; exceptionally if its output ends first. */
    CompletableFuture<Void> booted() {
        return booted;
    }

    /** Tags the following lines with this name (a standby that became a worker). */
    void retag(String name) {
        tag = name;
    }

    private synchronized void keep(String line) {
        if (tail.size() == KEPT) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    /** Waits (briefly) until the process's last output has been read. */
    void drain(long timeoutMs) throws InterruptedException {
        pump.join(timeoutMs);
    }

    synchronized List<String> lines() {
        return List.copyOf(tail);
    }

    /** The last native abort message in the kept lines, as one line, if there is one. */
    Optional<String> nativeAbort() {
        return nativeAbort(lines());
    }

    static Optional<String> nativeAbort(List<String> lines) {
        int end = -1;
        for (int i = lines.size() - 1; i >= 0 && end < 0; i--) {
            String l = lines.get(i);
            if (l.startsWith("#") && (l.contains("Fatal error") || l.contains("fatal error"))) {
                end = i;
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        int start = end;
        while (start > 0 && lines.get(start - 1).startsWith("#")) {
            start--;
        }
        int stop = end;
        while (stop + 1 < lines.size() && lines.get(stop + 1).startsWith("#") && stop - end < 12) {
            stop++;
        }
        List<String> block = new ArrayList<>();
        for (int i = start; i <= stop; i++) {
            String text = lines.get(i).replaceFirst("^#+\\s*", "").strip();
            if (!text.isEmpty()) {
                block.add(text);
            }
        }
        return Optional.of(String.join(" | ", block));
    }
}
