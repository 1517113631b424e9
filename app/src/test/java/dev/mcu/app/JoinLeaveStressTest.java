package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.controlplane.tokens.TokenIssuer;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Join/leave cycles against the single-machine default running as its own process, as users bring
 * them: headless Chromium browsers (invite links, real getUserMedia and RTCPeerConnection) and
 * synthetic webrtc-java clients join one room and leave again, over and over, on one mixer worker.
 * The processes are watched: the launcher's exit, or the death of a worker process it supervises (the
 * mixer's native code runs there, and the launcher restarts it), is a native abort, counted with its
 * last words; a dead launcher is restarted so the count goes on. The bar is zero. {@code -Dmcu.stress.cycles=N} sets the cycles
 * (200 by default, the form CI runs; docs/RELIABILITY.md reports the long form), and
 * {@code -Dmcu.stress.load=N} the busy threads that load the machine meanwhile (2 by default).
 */
@Tag("slow")
class JoinLeaveStressTest {

    private static final String DEV_SECRET = "dev-only-token-secret-change-me-in-production";

    @Test
    void joinLeaveCyclesAbortNothing(@TempDir Path dir) throws Exception {
        int cycles = Integer.getInteger("mcu.stress.cycles", 200);
        // A loaded host widens the races between libwebrtc's threads (the abort this test counts was
        // seen under load): busy threads compete with the server for the two cores throughout.
        int load = Integer.getInteger("mcu.stress.load", 2);
        AtomicBoolean loaded = new AtomicBoolean(true);
        for (int i = 0; i < load; i++) {
            Thread.ofPlatform().daemon().name("stress-load-" + i).start(() -> {
                long spin = 0;
                while (loaded.get()) {
                    spin++;
                }
                if (spin == 42) {
                    System.out.print(""); // keeps the loop from being optimised away
                }
            });
        }
        int port = freePort();
        ServerProcess server = new ServerProcess(dir, port);
        AtomicInteger synthetic = new AtomicInteger();
        AtomicInteger browser = new AtomicInteger();
        AtomicInteger failedJoins = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService loops = Executors.newFixedThreadPool(4);
        List<ChromeDriver> drivers = new ArrayList<>();
        long started = System.nanoTime();
        try (PeerFactory clients = new PeerFactory(0, 0)) {
            server.start();
            TokenIssuer tokens = new TokenIssuer(DEV_SECRET, Clock.systemUTC());
            List<Future<?>> running = new ArrayList<>();
            for (int loop = 0; loop < 2; loop++) {
                int index = loop;
                running.add(loops.submit(() -> {
                    int n = 0;
                    while (!stop.get() && synthetic.get() + browser.get() < cycles) {
                        if (syntheticCycle(port, clients, tokens, index, n++)) {
                            synthetic.incrementAndGet();
                        } else {
                            failedJoins.incrementAndGet();
                            server.restartIfDead();
                        }
                    }
                    return null;
                }));
            }
            for (int b = 0; b < 2; b++) {
                BrowserEndToEndTest.Browser who = BrowserEndToEndTest.BROWSERS.get(b);
                ChromeDriver d = BrowserEndToEndTest.open(dir, who, "about:blank");
                drivers.add(d);
                running.add(loops.submit(() -> {
                    while (!stop.get() && synthetic.get() + browser.get() < cycles) {
                        if (browserCycle(d, port, who.name())) {
                            browser.incrementAndGet();
                        } else {
                            failedJoins.incrementAndGet();
                            server.restartIfDead();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.MINUTES);
            }
            server.restartIfDead();
        } finally {
            stop.set(true);
            loaded.set(false);
            loops.shutdownNow();
            drivers.forEach(ChromeDriver::quit);
            server.stop();
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        List<String> workerDeaths = server.workerDeaths();
        System.out.printf("join/leave stress: %d cycles (%d synthetic, %d Chromium) in %.1f min with %d busy threads, "
                        + "%d failed joins, %d launcher aborts%s, %d worker process deaths%s%n",
                synthetic.get() + browser.get(), synthetic.get(), browser.get(), minutes, load, failedJoins.get(),
                server.aborts(), server.lastWords(), workerDeaths.size(), String.join("", workerDeaths));
        assertEquals(0, server.aborts(), "native aborts of the launcher process" + server.lastWords());
        assertEquals(List.of(), workerDeaths, "worker processes that died (the launcher restarted them)");
        assertTrue(synthetic.get() + browser.get() >= cycles, "cycles done");
        assertTrue(browser.get() >= 4, "browsers took part: " + browser.get());
        assertTrue(failedJoins.get() <= (synthetic.get() + browser.get()) / 20,
                "joins that failed: " + failedJoins.get());
    }

    /** Joins with a fresh synthetic client, waits for its first mixed frame, leaves. */
    private static boolean syntheticCycle(int port, PeerFactory clients, TokenIssuer tokens, int loop, int n) {
        SyntheticParticipant p = null;
        try (ProtocolClient c = ProtocolClient.connect(ProtocolClient.wsUri(port))) {
            String identity = "synthetic-" + loop + "-" + n;
            JsonNode joined = c.join(tokens.issue(identity, "stress", identity, 600, TokenIssuer.Grants.PARTICIPANT),
                    identity, null);
            if (!"joined".equals(ProtocolClient.type(joined))) {
                return false;
            }
            p = new SyntheticParticipant(clients, SyntheticParticipant.Options.flat(2 + loop));
            c.bind(p);
            p.connect(c).get(15, TimeUnit.SECONDS);
            SyntheticParticipant media = p;
            boolean got = DevServer.eventually(10_000, () -> media.video().frames() > 0);
            c.sendRaw("{\"type\":\"leave\"}");
            return got;
        } catch (Exception e) {
            return false;
        } finally {
            if (p != null) {
                p.close();
            }
        }
    }

    /** Opens the invite link, waits until the call is connected and showing the mix, leaves the page. */
    private static boolean browserCycle(ChromeDriver d, int port, String name) {
        try {
            d.get("http://localhost:" + port + "/?room=stress&name=" + name + "&originalSound=1");
            boolean connected = BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(30), () -> Boolean.TRUE.equals(
                    d.executeScript("return !!(window.mcu && window.mcu.call && window.mcu.call.state === 'connected'"
                            + " && document.getElementById('mix').videoWidth > 0)")));
            d.get("about:blank"); // the page goes: the socket closes, the participant leaves
            return connected;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The single-machine default as a child JVM, as {@code bin/run} starts it. */
    static final class ServerProcess {
        private final Path dir;
        private final int port;
        private Process process;
        private int aborts;
        private final StringBuilder lastWords = new StringBuilder();
        private int generation;

        ServerProcess(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        synchronized void start() throws Exception {
            Path log = dir.resolve("server-" + (++generation) + ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                    "dev.mcu.app.Main", "dev");
            pb.environment().put("SERVER_PORT", String.valueOf(port));
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            process = pb.start();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("server did not start: " + tail(log));
        }

        /** Counts and restarts a server that died; a live one is left alone. */
        synchronized void restartIfDead() throws Exception {
            if (process.isAlive()) {
                return;
            }
            aborts++;
            Path log = dir.resolve("server-" + generation + ".log");
            lastWords.append("\n  exit ").append(process.exitValue()).append(": ").append(tail(log));
            start();
        }

        /**
         * The launcher's own account of the worker processes that died under it, one line each with the
         * exit's cause and the worker's last native abort message ({@code SupervisedWorker} logs it).
         */
        synchronized List<String> workerDeaths() throws IOException {
            List<String> deaths = new ArrayList<>();
            for (int g = 1; g <= generation; g++) {
                for (String line : Files.readAllLines(dir.resolve("server-" + g + ".log"),
                        StandardCharsets.ISO_8859_1)) {
                    if (line.contains(") died after ")) {
                        deaths.add("\n  " + line);
                    }
                }
            }
            return deaths;
        }

        synchronized int aborts() {
            return aborts;
        }

        synchronized String lastWords() {
            return lastWords.toString();
        }

        /**
         * Stops the server and its worker processes, waiting for all of them: a worker left to wind
         * down on its own would load the machine for the next test class.
         */
        synchronized void stop() {
            if (process != null && process.isAlive()) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroy();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                    process.destroyForcibly();
                    for (ProcessHandle child : children) {
                        child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).get();
                        child.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                List<String> last = new ArrayList<>();
                for (String l : lines) {
                    if (l.contains("Check failed") || l.contains("#") || l.contains("Fatal") || l.contains("SIG")) {
                        last.add(l);
                    }
                }
                List<String> end = lines.subList(Math.max(0, lines.size() - 5), lines.size());
                return String.join(" | ", last.isEmpty() ? end : last.subList(Math.max(0, last.size() - 5), last.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
