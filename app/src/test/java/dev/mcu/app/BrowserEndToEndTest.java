package dev.mcu.app;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three headless Chromium browsers join one room through invite links, each with its own colour as
 * camera and its own tone as microphone. In every page the mixed video shows the other two colours
 * and not its own, and the mixed audio carries the other two tones and not its own; muting one
 * browser's microphone removes its tone from the others.
 */
@Tag("browser")
class BrowserEndToEndTest {

    record Browser(String name, int[] rgb, double tone) {
    }

    static final List<Browser> BROWSERS = List.of(
            new Browser("Red", new int[]{220, 40, 40}, 440),
            new Browser("Green", new int[]{40, 200, 40}, 700),
            new Browser("Blue", new int[]{40, 40, 220}, 1100));

    /** Samples the mixed video on a grid; returns how many samples are close to each colour. */
    static final String COLOURS_SCRIPT = """
            const [colours] = arguments;
            const v = document.getElementById('mix');
            if (!v || v.videoWidth === 0) return null;
            const c = document.createElement('canvas');
            c.width = 160; c.height = 90;
            const g = c.getContext('2d');
            g.drawImage(v, 0, 0, c.width, c.height);
            const px = g.getImageData(0, 0, c.width, c.height).data;
            const counts = colours.map(() => 0);
            for (let i = 0; i < px.length; i += 4) {
              colours.forEach((rgb, k) => {
                if (Math.abs(px[i] - rgb[0]) < 45 && Math.abs(px[i + 1] - rgb[1]) < 45
                    && Math.abs(px[i + 2] - rgb[2]) < 45) counts[k]++;
              });
            }
            return counts;
            """;

    /** Level in dB of each tone in the received mix, from a WebAudio analyser on the remote stream. */
    static final String TONES_SCRIPT = """
            const [tones] = arguments;
            const call = window.mcu && window.mcu.call;
            if (!call || !call.remoteStream || call.remoteStream.getAudioTracks().length === 0) return null;
            if (!window.__analyser || window.__analysed !== call.remoteStream) {
              const ctx = window.__ctx || (window.__ctx = new AudioContext());
              ctx.resume();
              const source = ctx.createMediaStreamSource(call.remoteStream);
              const analyser = ctx.createAnalyser();
              analyser.fftSize = 8192;
              analyser.smoothingTimeConstant = 0.5;
              source.connect(analyser);
              window.__analyser = analyser;
              window.__analysed = call.remoteStream;
            }
            const a = window.__analyser;
            const bins = new Float32Array(a.frequencyBinCount);
            a.getFloatFrequencyData(bins);
            const hz = a.context.sampleRate / a.fftSize;
            return tones.map((f) => {
              const k = Math.round(f / hz);
              let best = -200;
              for (let j = k - 3; j <= k + 3; j++) best = Math.max(best, bins[j]);
              return best;
            });
            """;

    @Test
    void threeBrowsersSeeAndHearTheOtherTwoAndNotThemselves(@TempDir Path dir) throws Exception {
        List<ChromeDriver> drivers = new ArrayList<>();
        try (DevServer server = DevServer.inProcess(Map.of("mcu.recordings.directory", dir.resolve("recordings").toString()))) {
            for (Browser b : BROWSERS) {
                drivers.add(open(dir, b, "http://localhost:" + server.port() + "/?room=e2e&name=" + b.name()
                        + "&originalSound=1"));
            }
            List<int[]> colours = BROWSERS.stream().map(Browser::rgb).toList();
            List<Double> tones = BROWSERS.stream().map(Browser::tone).toList();
            for (int i = 0; i < drivers.size(); i++) {
                int me = i;
                ChromeDriver d = drivers.get(i);
                boolean seen = waitFor(d, Duration.ofSeconds(60), () -> {
                    List<Long> counts = counts(d.executeScript(COLOURS_SCRIPT, colours));
                    return counts != null && counts.get(me) == 0
                            && otherIndices(me).stream().allMatch(k -> counts.get(k) > 200);
                });
                assertTrue(seen, BROWSERS.get(me).name() + " sees " + d.executeScript(COLOURS_SCRIPT, colours)
                        + " of " + names() + "; status: " + status(d));
                boolean heard = waitFor(d, Duration.ofSeconds(30), () -> {
                    List<Double> db = levels(d.executeScript(TONES_SCRIPT, tones));
                    return db != null && otherIndices(me).stream().allMatch(k -> db.get(k) > -60
                            && db.get(k) - db.get(me) > 20);
                });
                assertTrue(heard, BROWSERS.get(me).name() + " hears " + d.executeScript(TONES_SCRIPT, tones)
                        + " dB of " + tones);
                System.out.printf("%s sees %s of %s and hears %s dB of %s Hz%n", BROWSERS.get(me).name(),
                        d.executeScript(COLOURS_SCRIPT, colours), names(), d.executeScript(TONES_SCRIPT, tones), tones);
            }

            // Red mutes its microphone: Green and Blue lose its tone, keep each other's.
            drivers.get(0).findElement(By.id("toggle-mic")).click();
            for (int i = 1; i < drivers.size(); i++) {
                ChromeDriver d = drivers.get(i);
                int other = i == 1 ? 2 : 1;
                boolean gone = waitFor(d, Duration.ofSeconds(15), () -> {
                    List<Double> db = levels(d.executeScript(TONES_SCRIPT, tones));
                    return db != null && db.get(0) < db.get(other) - 20;
                });
                assertTrue(gone, BROWSERS.get(i).name() + " still hears Red: "
                        + d.executeScript(TONES_SCRIPT, tones));
            }

            // Green's controls: the low-bandwidth switch brings a 320x180 mix; the layout choice
            // reaches the server (view-changed); the connection panel shows live figures.
            ChromeDriver green = drivers.get(1);
            green.findElement(By.id("low-bandwidth")).click();
            assertTrue(waitFor(green, Duration.ofSeconds(20), () -> Long.valueOf(320).equals(
                    green.executeScript("return document.getElementById('mix').videoWidth"))),
                    "low bandwidth gives a 320x180 mix: " + green.executeScript(
                            "const v = document.getElementById('mix'); return v.videoWidth + 'x' + v.videoHeight"));
            new org.openqa.selenium.support.ui.Select(green.findElement(By.id("layout"))).selectByValue("speaker");
            String greenId = (String) green.executeScript("return window.mcu.call.participantId");
            assertTrue(DevServer.eventually(10_000, () -> server.dev.worker().mixer().room("e2e")
                    .currentView(greenId).layout() == dev.mcu.events.signal.Layout.SPEAKER),
                    "the mixer composes Green's view in the speaker layout");
            assertTrue(waitFor(green, Duration.ofSeconds(10), () -> {
                String stats = green.findElement(By.id("stats")).getText();
                return stats.contains("kbit/s") && stats.contains("320×180");
            }), "connection figures: " + green.findElement(By.id("stats")).getText());

            // An admin records the room: every page shows it while it lasts.
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + server.port() + "/v1/rooms/e2e/recordings";
            String auth = "Bearer " + server.dev.settings().adminKey();
            java.net.http.HttpResponse<String> started = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api)).header("Authorization", auth)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, started.statusCode(), started.body());
            String recording = dev.mcu.events.Json.MAPPER.readTree(started.body()).path("id").asText();
            for (ChromeDriver d : drivers) {
                assertTrue(waitFor(d, Duration.ofSeconds(15), () -> d.findElement(By.id("recording")).isDisplayed()),
                        "the page shows the recording");
            }
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/" + recording))
                    .header("Authorization", auth).DELETE().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            for (ChromeDriver d : drivers) {
                assertTrue(waitFor(d, Duration.ofSeconds(15), () -> !d.findElement(By.id("recording")).isDisplayed()),
                        "and no longer once it stopped");
            }
        } finally {
            drivers.forEach(ChromeDriver::quit);
        }
    }

    static ChromeDriver open(Path dir, Browser b, String url) throws Exception {
        return open(dir, b, url, new File(System.getProperty("mcu.chromium", "/usr/bin/chromium")), List.of());
    }

    /** @param binary the browser, or a script that starts it (in a network namespace); extra: more switches */
    static ChromeDriver open(Path dir, Browser b, String url, File binary, List<String> extra) throws Exception {
        Path video = FakeMedia.y4m(dir, b.name(), b.rgb()[0], b.rgb()[1], b.rgb()[2]);
        Path audio = FakeMedia.wav(dir, b.name(), b.tone());
        ChromeOptions options = new ChromeOptions();
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + video, "--use-file-for-fake-audio-capture=" + audio,
                "--user-data-dir=" + dir.resolve("profile-" + b.name()));
        options.addArguments(extra);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("mcu.chromedriver", "/usr/bin/chromedriver")))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.get(url);
        return driver;
    }

    static boolean waitFor(ChromeDriver d, Duration timeout, java.util.function.BooleanSupplier condition) {
        try {
            new WebDriverWait(d, timeout, Duration.ofMillis(250)).until(x -> condition.getAsBoolean());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    static List<Integer> otherIndices(int me) {
        List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
        others.remove(Integer.valueOf(me));
        return others;
    }

    @SuppressWarnings("unchecked")
    static List<Long> counts(Object result) {
        return (List<Long>) result;
    }

    @SuppressWarnings("unchecked")
    static List<Double> levels(Object result) {
        if (result == null) {
            return null;
        }
        return ((List<Number>) result).stream().map(Number::doubleValue).toList();
    }

    static String names() {
        return BROWSERS.stream().map(Browser::name).toList().toString();
    }

    static Object status(ChromeDriver d) {
        Object page = ((JavascriptExecutor) d).executeScript("return window.mcu ? window.mcu.call.state + ' '"
                + " + JSON.stringify(window.mcu.call.lastError) : 'no call; page error: '"
                + " + document.getElementById('prejoin-error').textContent + '; resources: '"
                + " + performance.getEntriesByType('resource').map(e => e.name + ':' + e.responseStatus).join(', ')");
        StringBuilder console = new StringBuilder();
        d.manage().logs().get(LogType.BROWSER).forEach(e -> console.append("\n  ").append(e.getMessage()));
        return d.getCurrentUrl() + " '" + d.getTitle() + "': " + page + "; console:" + console;
    }
}
