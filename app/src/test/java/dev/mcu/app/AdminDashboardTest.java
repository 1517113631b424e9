package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin dashboard in headless Chromium, against the single-machine default: create a room,
 * see a participant arrive, mute it, change the layout, copy an invite link, kick it, delete the
 * room, drain the worker. Each action's effect is checked where it lands: at the participant.
 */
@Tag("browser")
class AdminDashboardTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyActionOfTheDashboardReachesTheRoom(@TempDir Path dir) throws Exception {
        ChromeDriver d = null;
        try (DevServer server = new DevServer(Map.of())) {
            d = BrowserEndToEndTest.open(dir, BrowserEndToEndTest.BROWSERS.get(0),
                    "http://localhost:" + server.port() + "/admin");
            ChromeDriver browser = d;
            d.findElement(By.id("admin-key")).sendKeys("wrong-key");
            d.findElement(By.cssSelector("#key-form button")).click();
            assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () ->
                    browser.findElement(By.id("message")).getText().contains("401")), "a wrong key is refused");
            d.findElement(By.id("admin-key")).clear();
            d.findElement(By.id("admin-key")).sendKeys(server.dev.settings().adminKey());
            d.findElement(By.cssSelector("#key-form button")).click();
            String worker = server.dev.settings().workerId();
            assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () -> text(browser, "tr[data-worker='" + worker + "']")
                    .contains("ready")), "the worker is listed as ready");

            d.findElement(By.id("new-id")).sendKeys("dash");
            d.findElement(By.id("new-name")).sendKeys("Dash room");
            new Select(d.findElement(By.id("new-layout"))).selectByValue("speaker");
            d.findElement(By.cssSelector("#create-room button")).click();
            assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () -> text(browser, "tr[data-room='dash']")
                    .contains("Dash room")), "the new room is listed");

            try (ProtocolClient zoe = server.joined("dash", "Zoe")) {
                assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () -> text(browser, "tr[data-room='dash']")
                        .contains("Zoe")), "the participant appears");
                click(d, "tr[data-room='dash'] li button:nth-of-type(1)");
                JsonNode muted = zoe.await("participant-updated", WAIT).path("participant");
                assertTrue(muted.path("audioMuted").asBoolean(), "mute reached the room");

                retry(() -> new Select(browser.findElement(By.cssSelector("tr[data-room='dash'] select.layout")))
                        .selectByValue("presentation"));
                assertEquals("presentation", zoe.await("view-changed", WAIT).path("view").path("layout").asText());

                click(d, "tr[data-room='dash'] td:last-child button:nth-of-type(1)");
                assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () -> browser.findElement(By.id("invite")).getText()
                        .contains("/?room=dash&token=")), "an invite link is shown");

                click(d, "tr[data-room='dash'] li button.danger");
                zoe.await("kicked", WAIT);
                assertEquals(1000, zoe.closed().get(5, TimeUnit.SECONDS));
            }

            click(d, "tr[data-room='dash'] td:last-child button.danger");
            assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () ->
                    browser.findElements(By.cssSelector("tr[data-room='dash']")).isEmpty()), "the room is gone");

            click(d, "tr[data-worker='" + worker + "'] button");
            assertTrue(BrowserEndToEndTest.waitFor(d, WAIT, () -> text(browser, "tr[data-worker='" + worker + "']")
                    .contains("draining")), "the worker drains");
        } finally {
            if (d != null) {
                d.quit();
            }
        }
    }

    /** The dashboard redraws every two seconds: look elements up again when they were replaced. */
    static void click(ChromeDriver d, String css) {
        retry(() -> d.findElement(By.cssSelector(css)).click());
    }

    static String text(ChromeDriver d, String css) {
        try {
            return d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).findFirst().orElse("");
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    static void retry(Runnable action) {
        for (int i = 0; ; i++) {
            try {
                action.run();
                return;
            } catch (StaleElementReferenceException e) {
                if (i == 10) {
                    throw e;
                }
            }
        }
    }
}
