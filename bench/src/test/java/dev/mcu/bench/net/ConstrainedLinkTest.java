package dev.mcu.bench.net;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A constrained link carries what its rate allows, both ways, and only between its two ends: bytes
 * sent from this host to a reader inside the namespace take as long as the rate says, a lifted limit
 * lets them through at once, and the namespace is gone after close. Needs root (skipped otherwise,
 * with the reason).
 */
@Tag("netns")
class ConstrainedLinkTest {

    private static final int BYTES = 100_000;

    @Test
    void theLinkCarriesItsRateAndNoMore() throws Exception {
        var why = ConstrainedLink.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        String namespace;
        try (ConstrainedLink link = ConstrainedLink.open(800)) {
            namespace = link.namespace();
            double limited = secondsToSend(link, BYTES);
            double expected = BYTES * 8 / 800_000.0; // 1.0 s at 800 kbit/s
            assertTrue(limited > expected * 0.7 && limited < expected * 1.6,
                    "100 kB over 800 kbit/s took " + limited + " s, expected about " + expected);
            double up = secondsToReceive(link, BYTES);
            assertTrue(up > expected * 0.7 && up < expected * 1.6,
                    "100 kB from inside over 800 kbit/s took " + up + " s, expected about " + expected);

            link.rate(0);
            double unlimited = secondsToSend(link, BYTES);
            assertTrue(unlimited < expected / 4, "without a limit 100 kB took " + unlimited + " s");

            link.rate(200); // changed while up, as a test that drops a link mid-call does
            assertEquals(200, link.rateKbps());
            double slower = secondsToSend(link, BYTES / 4);
            assertTrue(slower > 0.7 && slower < 1.6, "25 kB over 200 kbit/s took " + slower + " s");
        }
        Process list = new ProcessBuilder("ip", "netns", "list").start();
        String namespaces = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(10, TimeUnit.SECONDS);
        assertFalse(namespaces.contains(namespace), "the namespace is removed: " + namespaces);
    }

    @Test
    void aClientInsideReachesOnlyTheHostEndOfTheLink() throws Exception {
        var why = ConstrainedLink.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        try (ConstrainedLink link = ConstrainedLink.open(0)) {
            // Loopback of this host is not reachable from inside: the namespace has its own.
            Process p = new ProcessBuilder(link.command(List.of("ip", "-o", "addr"))).redirectErrorStream(true).start();
            String addresses = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            assertTrue(addresses.contains(link.clientAddress()), addresses);
            assertFalse(addresses.contains(link.hostAddress() + "/"), addresses);
        }
    }

    /** Seconds from accept to having read {@code bytes} that a writer inside the namespace sends. */
    private static double secondsToReceive(ConstrainedLink link, int bytes) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(link.hostAddress()))) {
            Process writer = new ProcessBuilder(link.command(List.of("bash", "-c",
                    "head -c " + bytes + " /dev/zero > /dev/tcp/" + link.hostAddress() + "/" + server.getLocalPort())))
                    .redirectErrorStream(true).start();
            try (Socket s = server.accept()) {
                long t0 = System.nanoTime();
                byte[] all = s.getInputStream().readAllBytes();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(bytes, all.length, "every byte arrived");
                return seconds;
            } finally {
                writer.destroyForcibly();
            }
        }
    }

    /** Seconds from accept to the reader inside having all {@code bytes} (it closes when it has them). */
    private static double secondsToSend(ConstrainedLink link, int bytes) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(link.hostAddress()))) {
            Process reader = new ProcessBuilder(link.command(List.of("bash", "-c",
                    "head -c " + bytes + " < /dev/tcp/" + link.hostAddress() + "/" + server.getLocalPort()
                            + " | wc -c"))).redirectErrorStream(true).start();
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                long t0 = System.nanoTime();
                out.write(new byte[bytes]);
                out.flush();
                String read = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(String.valueOf(bytes), read, "the reader got every byte");
                return seconds;
            } finally {
                reader.destroyForcibly();
            }
        }
    }
}
