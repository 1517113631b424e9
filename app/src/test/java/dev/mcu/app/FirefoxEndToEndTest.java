package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.events.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Firefox ESR, the second browser users bring, in one room with two headless Chromium: each sees and
 * hears the others and never itself (Firefox's fake camera and its 1 kHz fake tone against the
 * Chromium colours and tones), Firefox lists everyone, its mute and low-bandwidth switches work, and
 * it refuses none of the mixer's candidates. Firefox runs headless through puppeteer-core over
 * WebDriver BiDi (no geckodriver), taken from npm at test time.
 */
@Tag("browser")
class FirefoxEndToEndTest {

    private static final double FIREFOX_TONE = 1000;

    /**
     * Level in dBFS of each tone in the received mix. Headless Firefox on a server has no audio
     * device, so a live AudioContext never starts: the mix's audio is recorded for 1.5 s
     * (MediaRecorder), decoded by an OfflineAudioContext, and measured with Goertzel filters.
     */
    static final String FIREFOX_TONES_SCRIPT = """
            const [tones] = arguments;
            const call = window.mcu && window.mcu.call;
            if (!call || !call.remoteStream || call.remoteStream.getAudioTracks().length === 0) return null;
            const rec = new MediaRecorder(new MediaStream(call.remoteStream.getAudioTracks()));
            const chunks = [];
            rec.ondataavailable = (e) => chunks.push(e.data);
            const stopped = new Promise((resolve) => { rec.onstop = resolve; });
            rec.start();
            await new Promise((resolve) => setTimeout(resolve, 1500));
            rec.stop();
            await stopped;
            const data = await new Blob(chunks).arrayBuffer();
            const audio = await new OfflineAudioContext(1, 48000, 48000).decodeAudioData(data);
            const x = audio.getChannelData(0);
            const from = Math.floor(x.length / 3), n = x.length - from;
            if (n < 4800) return null;
            return tones.map((f) => {
              const w = 2 * Math.PI * f / audio.sampleRate, c = 2 * Math.cos(w);
              let s1 = 0, s2 = 0;
              for (let i = from; i < x.length; i++) { const s0 = x[i] + c * s1 - s2; s2 = s1; s1 = s0; }
              const power = s1 * s1 + s2 * s2 - c * s1 * s2;
              return 20 * Math.log10(Math.max(1e-10, 2 * Math.sqrt(Math.max(0, power)) / n));
            });
            """;
    private static final Path DRIVER = Path.of("target", "firefox-driver");

    @Test
    void firefoxAndChromiumSeeAndHearEachOtherAndNeverThemselves(@TempDir Path dir) throws Exception {
        installPuppeteer();
        List<ChromeDriver> chromes = new ArrayList<>();
        try (DevServer server = new DevServer(Map.of())) {
            String base = "http://localhost:" + server.port() + "/?room=mixed&originalSound=1&name=";
            List<BrowserEndToEndTest.Browser> chromium = BrowserEndToEndTest.BROWSERS.subList(0, 2);
            for (BrowserEndToEndTest.Browser b : chromium) {
                chromes.add(BrowserEndToEndTest.open(dir, b, base + b.name()));
            }
            try (Firefox fox = new Firefox(dir, base + "Fox")) {
                List<int[]> colours = chromium.stream().map(BrowserEndToEndTest.Browser::rgb).toList();
                List<Double> tones = List.of(chromium.get(0).tone(), chromium.get(1).tone(), FIREFOX_TONE);

                assertTrue(fox.waitFor(Duration.ofSeconds(60), "return window.mcu && window.mcu.call"
                        + " && window.mcu.call.participants.size", null, v -> v.asInt() == 3),
                        "Firefox lists the three participants: " + fox.status());
                assertTrue(fox.waitFor(Duration.ofSeconds(60), BrowserEndToEndTest.COLOURS_SCRIPT, List.of(colours),
                        v -> v.isArray() && v.get(0).asInt() > 200 && v.get(1).asInt() > 200),
                        "Firefox sees Red and Green: " + fox.eval(BrowserEndToEndTest.COLOURS_SCRIPT, List.of(colours))
                                + "; " + fox.status());
                assertTrue(fox.waitFor(Duration.ofSeconds(30), FIREFOX_TONES_SCRIPT, List.of(tones),
                        v -> v.isArray() && v.get(0).asDouble() > -50 && v.get(1).asDouble() > -50
                                && v.get(0).asDouble() - v.get(2).asDouble() > 20
                                && v.get(1).asDouble() - v.get(2).asDouble() > 20),
                        "Firefox hears Red and Green and not itself: " + fox.eval(FIREFOX_TONES_SCRIPT, List.of(tones)));

                System.out.printf("Firefox (%s) sees %s of [Red, Green] and hears %s dBFS of %s Hz%n",
                        fox.eval("return navigator.userAgent", null).asText(),
                        fox.eval(BrowserEndToEndTest.COLOURS_SCRIPT, List.of(colours)),
                        fox.eval(FIREFOX_TONES_SCRIPT, List.of(tones)), tones);
                for (int i = 0; i < 2; i++) {
                    ChromeDriver d = chromes.get(i);
                    int me = i;
                    int other = 1 - i;
                    boolean seen = BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(60), () -> {
                        List<Long> counts = BrowserEndToEndTest.counts(d.executeScript(
                                BrowserEndToEndTest.COLOURS_SCRIPT, colours));
                        return counts != null && counts.get(me) == 0 && counts.get(other) > 200;
                    });
                    assertTrue(seen, chromium.get(i).name() + " sees " + d.executeScript(
                            BrowserEndToEndTest.COLOURS_SCRIPT, colours));
                    boolean heard = BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(30), () -> {
                        List<Double> db = BrowserEndToEndTest.levels(d.executeScript(
                                BrowserEndToEndTest.TONES_SCRIPT, tones));
                        return db != null && db.get(2) > -60 && db.get(other) > -60 && db.get(2) - db.get(me) > 20;
                    });
                    assertTrue(heard, chromium.get(i).name() + " hears Firefox and the other Chromium, not itself: "
                            + d.executeScript(BrowserEndToEndTest.TONES_SCRIPT, tones));
                }

                // Firefox mutes its microphone: the Chromium browsers lose its tone.
                fox.click("#toggle-mic");
                for (ChromeDriver d : chromes) {
                    assertTrue(BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(15), () -> {
                        List<Double> db = BrowserEndToEndTest.levels(d.executeScript(
                                BrowserEndToEndTest.TONES_SCRIPT, tones));
                        return db != null && db.get(2) < -70;
                    }), "Firefox's tone is gone after its mute: " + d.executeScript(
                            BrowserEndToEndTest.TONES_SCRIPT, tones));
                }
                // The low-bandwidth switch brings Firefox a 320x180 mix.
                fox.click("#low-bandwidth");
                assertTrue(fox.waitFor(Duration.ofSeconds(20), "return document.getElementById('mix').videoWidth",
                        null, v -> v.asInt() == 320), "Firefox's low-bandwidth mix is 320 wide: " + fox.status());

                List<String> refused = new ArrayList<>();
                fox.eval(null, null, "logs").forEach(l -> {
                    if (l.asText().contains("candidate refused")) {
                        refused.add(l.asText());
                    }
                });
                assertTrue(refused.isEmpty(), "Firefox refused candidates: " + refused);
            }
        } finally {
            chromes.forEach(ChromeDriver::quit);
        }
    }

    /** puppeteer-core from npm, once per build directory (it brings no browser: Debian's Firefox is used). */
    private static void installPuppeteer() throws Exception {
        if (Files.isDirectory(DRIVER.resolve("node_modules/puppeteer-core"))) {
            return;
        }
        Files.createDirectories(DRIVER);
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", DRIVER.toString(),
                "puppeteer-core@25").redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(10, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm install puppeteer-core: " + out);
    }

    /** Headless Firefox ESR behind the line protocol of firefox-client.mjs. */
    static final class Firefox implements AutoCloseable {
        private final Process node;
        private final BufferedReader out;
        private final Writer in;

        Firefox(Path dir, String url) throws Exception {
            Path script = DRIVER.resolve("firefox-client.mjs");
            try (InputStream s = FirefoxEndToEndTest.class.getResourceAsStream("/firefox/firefox-client.mjs")) {
                Files.write(script, s.readAllBytes());
            }
            Path profile = Files.createDirectories(dir.resolve("firefox-profile"));
            node = new ProcessBuilder("node", script.toString(), url,
                    System.getProperty("mcu.firefox", "/usr/bin/firefox-esr"), profile.toString())
                    .redirectError(dir.resolve("firefox-driver.log").toFile()).start();
            out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
            String ready = out.readLine();
            assertTrue(ready != null && ready.contains("\"ready\":true"), "Firefox did not start: " + ready + " "
                    + Files.readString(dir.resolve("firefox-driver.log")));
        }

        synchronized JsonNode eval(String body, List<?> args) throws IOException {
            return eval(body, args, "eval");
        }

        synchronized JsonNode eval(String body, List<?> args, String verb) throws IOException {
            Map<String, Object> cmd = "logs".equals(verb) ? Map.of("logs", true)
                    : args == null ? Map.of("eval", body) : Map.of("eval", body, "args", args);
            in.write(Json.write(cmd) + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the Firefox driver exited");
            }
            JsonNode reply = Json.MAPPER.readTree(line);
            if (reply.has("error")) {
                throw new IOException("Firefox: " + reply.path("error").asText());
            }
            return reply.path("value");
        }

        synchronized void click(String selector) throws IOException {
            in.write(Json.write(Map.of("click", selector)) + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null || line.contains("\"error\"")) {
                throw new IOException("click " + selector + ": " + line);
            }
        }

        boolean waitFor(Duration timeout, String body, List<?> args, Predicate<JsonNode> condition)
                throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    JsonNode v = eval(body, args);
                    if (!v.isNull() && !v.isMissingNode() && condition.test(v)) {
                        return true;
                    }
                } catch (IOException e) {
                    if (!node.isAlive()) {
                        throw e;
                    }
                }
                Thread.sleep(250);
            }
            return false;
        }

        String status() {
            try {
                return eval("return window.mcu ? window.mcu.call.state + ' ' + JSON.stringify(window.mcu.call.lastError)"
                        + " : document.title", null).toString() + "; console: " + eval(null, null, "logs");
            } catch (IOException e) {
                return "(no status: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws Exception {
            try {
                in.write("{\"quit\":true}\n");
                in.flush();
            } catch (IOException e) {
                // already gone
            }
            if (!node.waitFor(15, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }
}
