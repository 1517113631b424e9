package dev.mcu.app;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn (Debian's {@code turnserver}) on loopback for tests, with the TURN REST API's
 * time-limited credentials ({@code use-auth-secret}), as k8s/base/coturn.yaml runs it. Its log is
 * kept in the test's folder.
 */
final class Coturn implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/turnserver");

    private final Process process;
    private final int port;
    private final Path log;

    private Coturn(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts coturn and waits until it listens; skips the test, saying why, where coturn is missing. */
    static Coturn start(Path dir, String secret) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "coturn is not installed (bin/setup test installs it)");
        int port = freePort();
        Path log = dir.resolve("coturn.log");
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-n", "--no-cli", "--no-tls", "--no-dtls",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=mcu.test",
                "--allow-loopback-peers", "--fingerprint", "--pidfile=" + dir.resolve("turnserver.pid"),
                "--log-file=stdout", "--simple-log", "--verbose"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Coturn c = new Coturn(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return c;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        String out = c.log();
        c.close();
        throw new IllegalStateException("coturn did not start: " + out);
    }

    /** The TURN URL clients are given, over UDP. */
    String url() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A port free for both TCP and UDP (coturn listens on both). */
    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // The UDP side of that port is in use: try another.
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }
}
