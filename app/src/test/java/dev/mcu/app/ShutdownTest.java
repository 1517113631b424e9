package dev.mcu.app;

import dev.mcu.bench.signaling.ProtocolClient;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the process tells every client, joined or not, to reconnect (close code 1012). */
class ShutdownTest {

    @Test
    void clientsHearServiceRestartWhenTheProcessStops() throws Exception {
        DevServer server = DevServer.inProcess(Map.of());
        try (ProtocolClient a = server.joined("stopping", "A"); ProtocolClient b = server.client()) {
            assertEquals(1, server.dev.worker().participants("stopping").size());
            long t0 = System.nanoTime();
            server.close();
            assertEquals(1012, a.closed().get(5, TimeUnit.SECONDS), "a joined client is told to reconnect");
            assertEquals(1012, b.closed().get(5, TimeUnit.SECONDS), "so is one that had not joined yet");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 10, "and the stop is quick");
        }
    }

    /**
     * A client whose handshake completed just before the stop opens its session a moment later; it
     * is told to reconnect as well, never just dropped. Sessions are stopped first here, so the
     * socket that opens afterwards stands for that late one.
     */
    @Test
    void aSocketThatOpensWhileTheNodeStopsHearsServiceRestart() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of())) {
            server.dev.sessions().stop();
            try (ProtocolClient late = server.client()) {
                assertEquals(1012, late.closed().get(5, TimeUnit.SECONDS));
            }
        }
    }
}
