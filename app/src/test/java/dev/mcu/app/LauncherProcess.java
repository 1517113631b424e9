package dev.mcu.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The single-machine default as users run it: {@code Main dev} in a JVM of its own (with its worker
 * children), started on a free port and stopped with a real signal.
 */
final class LauncherProcess implements AutoCloseable {

    final Process process;
    final int port;
    final Path log;

    private LauncherProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it and waits until it serves (its workers heartbeat). */
    static LauncherProcess start(Path dir, String... env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("launcher.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.mcu.app.Main", "dev");
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        LauncherProcess launcher = new LauncherProcess(pb.start(), port, log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && launcher.process.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(launcher.base() + "/observe/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return launcher;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        launcher.close();
        throw new IllegalStateException("the launcher did not come up; its log:\n" + launcher.logText());
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Its worker processes (children running the mixer role), standbys included. */
    List<ProcessHandle> workerProcesses() {
        return process.toHandle().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h.pid()).contains("dev.mcu.app.Main\0mixer")).toList();
    }

    /** The process's arguments, NUL-separated (Linux /proc; ProcessHandle.Info leaves long ones out). */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Its threads now (Linux /proc), or -1. */
    long threads() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.substring(8).strip()))
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Whether the launcher ignores SIGINT: a process started from a shell without job control with
     * {@code &} (or under nohup) inherits SIGINT ignored, and the JVM then leaves it so, as it should.
     * Read from the kernel's mask of ignored signals.
     */
    boolean ignoresCtrlC() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: assume the default disposition
        }
        return false;
    }

    /** Sends a signal (INT is Ctrl-C) and waits for the launcher to exit. */
    boolean signalAndWait(String signal, long seconds) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive() && !signalAndWait("TERM", 30)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
