package dev.mcu.app;

import dev.mcu.bench.FailoverBench;
import dev.mcu.bench.net.ConstrainedLink;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.video.Compositor;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The browser client behind a real constrained link: headless Chromium runs in a network namespace
 * of its own (started through {@code ip netns exec}; ChromeDriver stays on this host and talks to it
 * over a pipe), and reaches the server only across a veth pair with tc tbf both ways. Two synthetic
 * participants on loopback send camera-like video. Once the link drops to 150 kbit/s the page
 * receives a smaller composite, shows its weak-connection notice, keeps playing at 10 fps or more,
 * and the names in the picture are still drawn as text: a label box of at least 12 pixel rows whose
 * bright strokes span 6 rows or more over a darkened background. At 64 kbit/s it reaches the
 * smallest tier, where its microphone goes to 60 ms Opus frames (a third of the packets). Needs root
 * (skipped otherwise).
 */
@Tag("netns")
@Tag("browser")
class ConstrainedBrowserTest {

    private static final String ROOM = "weak-browser";

    /** Luma (0..255) of a rectangle of the mixed video at its own resolution, row by row; null before video. */
    private static final String LUMA_SCRIPT = """
            const [x, y, w, h] = arguments;
            const v = document.getElementById('mix');
            if (!v || v.videoWidth === 0) return null;
            const c = document.createElement('canvas');
            c.width = v.videoWidth; c.height = v.videoHeight;
            const g = c.getContext('2d');
            g.drawImage(v, 0, 0);
            const px = g.getImageData(x, y, w, h).data;
            const out = [];
            for (let i = 0; i < px.length; i += 4) out.push(Math.round((px[i] + px[i + 1] + px[i + 2]) / 3));
            return out;
            """;

    @Test
    void theBrowserOnASlowLinkShowsASmallerMovingMixWithLegibleNames(@TempDir Path dir) throws Exception {
        var why = ConstrainedLink.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        ChromeDriver browser = null;
        try (DevServer server = new DevServer(Map.of("server.host", "0.0.0.0"));
             ConstrainedLink link = ConstrainedLink.open(0);
             LocalCameras cameras = LocalCameras.join(server, ROOM, 2)) {
            List<SyntheticParticipant> locals = cameras.participants;
            String origin = "http://" + link.hostAddress() + ":" + server.port();
            Path chromium = dir.resolve("chromium-behind-link");
            Files.writeString(chromium, "#!/bin/sh\nexec " + String.join(" ", link.command(List.of(
                    System.getProperty("mcu.chromium", "/usr/bin/chromium")))) + " \"$@\"\n");
            Files.setPosixFilePermissions(chromium, PosixFilePermissions.fromString("rwxr-xr-x"));
            browser = BrowserEndToEndTest.open(dir, new BrowserEndToEndTest.Browser("Weak", new int[] {200, 200, 40}, 880),
                    origin + "/?room=" + ROOM + "&name=Weak", chromium.toFile(),
                    // DevTools over a pipe: its port would be inside the namespace. getUserMedia needs
                    // a secure context, which plain http on a non-loopback address is not.
                    List.of("--remote-debugging-pipe", "--unsafely-treat-insecure-origin-as-secure=" + origin));
            ChromeDriver page = browser;
            FailoverBench.awaitEveryoneInTheMix(locals, Duration.ofSeconds(30));
            assertTrue(BrowserEndToEndTest.waitFor(page, Duration.ofSeconds(40), () -> width(page) == 640),
                    "unconstrained, the page plays the full 640x360 mix: " + BrowserEndToEndTest.status(page));
            Thread.sleep(10_000); // a sender that fills its link first, so that the drop shows in its estimate

            link.rate(150);
            assertTrue(BrowserEndToEndTest.waitFor(page, Duration.ofSeconds(20), () -> {
                long w = width(page);
                return w > 0 && w < 640;
            }), "at 150 kbit/s the page receives a smaller composite: " + width(page));
            assertTrue(BrowserEndToEndTest.waitFor(page, Duration.ofSeconds(5),
                            () -> page.findElement(By.id("tier")).isDisplayed()),
                    "and says the connection is weak");
            String notice = page.findElement(By.id("tier")).getText();
            assertTrue(notice.contains("Weak connection") && notice.contains("x"), notice);

            Thread.sleep(8_000); // adapted: the smaller size's key frame is through
            long before = frames(page);
            Thread.sleep(5_000);
            double fps = (frames(page) - before) / 5.0;
            assertTrue(fps >= 10, "the smaller mix moves: " + fps + " fps");

            int w = (int) width(page);
            int h = (int) (long) (Long) ((JavascriptExecutor) page).executeScript(
                    "return document.getElementById('mix').videoHeight");
            assertLabelIsText(page, w, h);

            // The smallest tier: the page's microphone goes to 60 ms Opus frames, by applying the
            // server's answer again with a=ptime:60 (nothing is signalled over the full link).
            double at20 = audioPacketsPerSecond(page);
            link.rate(64);
            assertTrue(BrowserEndToEndTest.waitFor(page, Duration.ofSeconds(40),
                            () -> page.findElement(By.id("tier")).getText().contains("160x90")),
                    "at 64 kbit/s the smallest tier: " + page.findElement(By.id("tier")).getText());
            Thread.sleep(2_000);
            double at60 = audioPacketsPerSecond(page);
            System.out.printf("the page's audio packets a second: %.1f, on the smallest tier %.1f%n", at20, at60);
            assertTrue(at20 > 45, "20 ms frames before: " + at20);
            assertTrue(at60 > 13 && at60 < 20, "60 ms frames on the smallest tier: " + at60);
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    /** The page's outbound audio packets a second, over 4 s (its peer connection's getStats). */
    private static double audioPacketsPerSecond(ChromeDriver page) throws InterruptedException {
        long before = audioPacketsSent(page);
        Thread.sleep(4_000);
        return (audioPacketsSent(page) - before) / 4.0;
    }

    private static long audioPacketsSent(ChromeDriver page) {
        Object n = ((JavascriptExecutor) page).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const pc = window.mcu.call.peerConnection;
                if (!pc) { done(-1); return; }
                pc.getStats().then((r) => {
                  let n = 0;
                  r.forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'audio') n += s.packetsSent; });
                  done(n);
                });
                """);
        return ((Number) n).longValue();
    }

    /**
     * The first tile's name label, where the mixer draws it (bottom left of the tile's picture, at
     * least 12 pixels tall): bright text strokes over a darkened box, spanning enough rows to read.
     */
    private static void assertLabelIsText(ChromeDriver page, int width, int height) {
        Tile tile = TileLayout.compute(Layout.GRID, width, height, List.of("a", "b"), null).getFirst();
        int[] rect = Compositor.pictureRect(640, 360, tile);
        int labelH = Math.max(12, tile.height() / 10) & ~1;
        int margin = Math.max(2, rect[3] / 40) & ~1;
        int x = rect[0] + margin;
        int y = rect[1] + rect[3] - labelH - margin;
        int w = Math.min(rect[2] - 2 * margin, 4 * labelH);
        @SuppressWarnings("unchecked")
        List<Long> luma = (List<Long>) ((JavascriptExecutor) page).executeScript(LUMA_SCRIPT, x, y, w, labelH);
        assertTrue(luma != null && luma.size() == w * labelH, "the label box was read: " + luma);
        int textRows = 0;
        int dark = 0;
        for (int r = 0; r < labelH; r++) {
            int bright = 0;
            for (int c = 0; c < w; c++) {
                long v = luma.get(r * w + c);
                bright += v >= 170 ? 1 : 0;
                dark += v <= 110 ? 1 : 0;
            }
            textRows += bright >= 2 ? 1 : 0;
        }
        String at = " in the " + w + "x" + labelH + " label box at " + x + "," + y + " of a " + width + "x" + height
                + " mix: " + luma;
        assertTrue(textRows >= 6, "text strokes span " + textRows + " rows" + at);
        assertTrue(dark >= w * labelH / 3, "over a darkened box (" + dark + " dark pixels)" + at);
    }

    private static long width(ChromeDriver page) {
        Object w = ((JavascriptExecutor) page).executeScript(
                "const v = document.getElementById('mix'); return v ? v.videoWidth : 0");
        return w instanceof Long l ? l : 0;
    }

    private static long frames(ChromeDriver page) {
        Object n = ((JavascriptExecutor) page).executeScript(
                "const v = document.getElementById('mix'); return v ? v.getVideoPlaybackQuality().totalVideoFrames : 0");
        return n instanceof Long l ? l : 0;
    }
}
