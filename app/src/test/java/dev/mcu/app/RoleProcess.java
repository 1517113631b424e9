package dev.mcu.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One role of distributed mode ({@code Main control-plane | signaling | mixer}) in a JVM of its own,
 * configured through environment variables as a deployment configures it, stopped with real signals.
 */
final class RoleProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Process process;
    private final Path log;

    private RoleProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts the role and waits until it is ready (its readiness probe answers 200). */
    static RoleProcess start(Path dir, String name, String role, Map<String, String> env) throws Exception {
        int port = KafkaBrokerProcess.freePort();
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                "dev.mcu.app.Main", role));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        RoleProcess p = new RoleProcess(name, port, pb.start(), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.process.isAlive()) {
            if (p.ready()) {
                return p;
            }
            Thread.sleep(250);
        }
        p.kill();
        throw new IllegalStateException(name + " did not become ready; its log:\n" + p.logText());
    }

    /** Starts the role with these variables and {@code more} name/value pairs on top; adds it to {@code roles}. */
    static RoleProcess start(List<RoleProcess> roles, Path dir, String name, String role, Map<String, String> env,
                             String... more) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        for (int i = 0; i + 1 < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        RoleProcess p = start(dir, name, role, all);
        roles.add(p);
        return p;
    }

    /** Whether its readiness probe (the manifests' path) answers 200 now. */
    boolean ready() {
        return status("/observe/health/ready") == 200;
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** An admin API call to this process. */
    HttpResponse<String> call(String method, String path, String body, String adminKey) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: the process dies at once, as a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator stops it, and waits for it to exit. */
    boolean stop(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
