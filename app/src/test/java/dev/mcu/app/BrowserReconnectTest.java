package dev.mcu.app;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser client reconnects by itself: when the signaling node drops every socket (close code
 * 1012, as when it restarts), both browsers come back into the room under their own participant
 * ids, on new peer connections, and see each other again; the worker holds exactly the two of
 * them, no ghosts.
 */
@Tag("browser")
class BrowserReconnectTest {

    @Test
    void browsersRejoinAfterTheServerDropsTheirSockets(@TempDir Path dir) throws Exception {
        List<BrowserEndToEndTest.Browser> two = BrowserEndToEndTest.BROWSERS.subList(0, 2);
        List<int[]> colours = BrowserEndToEndTest.BROWSERS.stream().map(BrowserEndToEndTest.Browser::rgb).toList();
        List<ChromeDriver> drivers = new ArrayList<>();
        try (DevServer server = DevServer.inProcess(Map.of())) {
            for (BrowserEndToEndTest.Browser b : two) {
                drivers.add(BrowserEndToEndTest.open(dir, b, "http://localhost:" + server.port()
                        + "/?room=reconnect&name=" + b.name()));
            }
            List<String> firstIds = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                assertTrue(seesTheOther(drivers.get(i), i, colours), two.get(i).name() + " sees the other");
                firstIds.add((String) drivers.get(i).executeScript("return window.mcu.call.participantId"));
                drivers.get(i).executeScript("window.firstPeer = window.mcu.call.peerConnection");
            }

            server.dev.sessions().closeAll(1012, "test restart");

            for (int i = 0; i < 2; i++) {
                ChromeDriver d = drivers.get(i);
                String before = firstIds.get(i);
                boolean rejoined = BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(30), () ->
                        // Connected: a new peer connection carries media, not a last frame left on screen.
                        Boolean.TRUE.equals(d.executeScript("return window.mcu.call.peerConnection !== window.firstPeer"))
                                && "connected".equals(d.executeScript("return window.mcu.call.state")));
                assertTrue(rejoined, two.get(i).name() + " rejoined: " + BrowserEndToEndTest.status(d));
                assertEquals(before, d.executeScript("return window.mcu.call.participantId"),
                        "the same identity comes back under its own participant id");
                assertTrue(seesTheOther(d, i, colours), two.get(i).name() + " sees the other again: "
                        + BrowserEndToEndTest.status(d));
            }
            assertTrue(DevServer.eventually(10_000, () ->
                    server.dev.worker().participants("reconnect").size() == 2), "no ghost participants");
            assertEquals(2, server.dev.worker().participants("reconnect").size());
        } finally {
            drivers.forEach(ChromeDriver::quit);
        }
    }

    private static boolean seesTheOther(ChromeDriver d, int me, List<int[]> colours) {
        int other = 1 - me;
        return BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(45), () -> {
            List<Long> counts = BrowserEndToEndTest.counts(d.executeScript(BrowserEndToEndTest.COLOURS_SCRIPT, colours));
            return counts != null && counts.get(me) == 0 && counts.get(other) > 1000;
        });
    }
}
