package dev.mcu.app;

import dev.mcu.bench.FailoverBench;
import dev.mcu.bench.net.ConstrainedClient;
import dev.mcu.bench.net.ConstrainedLink;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Automatic bandwidth tiers on a real constrained link (network namespace, veth, tc tbf both ways),
 * on the single-machine default: a room of two synthetic participants on loopback sending camera-like video and one behind
 * the link, asking for a fixed 640x360 view. When the link drops to 250 kbit/s the constrained
 * viewer is moved to a smaller composite within 10 s and told so ({@code view-changed} with its
 * tier); when the limit is lifted it is back at 640x360 within 20 s. At 300 and then 100 kbit/s it
 * receives a moving picture (at least 10 fps, no freeze over 1 s once adapted; at 64 kbit/s the smallest tier's
 * 60 ms audio frames leave the picture room beside the sound), and at every rate it hears both others
 * without gaps, while the two on loopback keep 27 fps or more at 640x360 throughout. Needs root
 * (skipped otherwise, with the reason).
 */
@Tag("netns")
class AutomaticTiersTest {

    private static final String ROOM = "tiers";

    @Test
    void theConstrainedViewerMovesDownAndBackUpAndKeepsAMovingPicture(@TempDir Path dir) throws Exception {
        var why = ConstrainedLink.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        // In process: the mixer's metrics (tiers, estimates) are then on the server's own port.
        try (DevServer server = DevServer.inProcess(Map.of("server.host", "0.0.0.0"));
             ConstrainedLink link = ConstrainedLink.open(0);
             LocalCameras cameras = LocalCameras.join(server, ROOM, 2)) {
            List<SyntheticParticipant> locals = cameras.participants;
            try (ConstrainedClient viewer = ConstrainedClient.start(link, server.port(), ROOM, "Remote", 2,
                    List.of(0, 1), "640x360", dir.resolve("client.log"))) {
                viewer.joined().get(60, TimeUnit.SECONDS);
                FailoverBench.awaitEveryoneInTheMix(locals, Duration.ofSeconds(30));
                assertTrue(DevServer.eventually(30_000, () -> receives(viewer, 640)),
                        "unconstrained, the viewer receives its full view: " + viewer.lastSecond());
                // Steady state first: only a sender that fills its link shows the estimate a drop.
                Thread.sleep(15_000);

                link.rate(250);
                long dropped = System.nanoTime();
                assertTrue(DevServer.eventually(10_000, () -> receivesNarrowerThan(viewer, 640)),
                        "within 10 s of a drop to 250 kbit/s the viewer receives a smaller composite: "
                                + viewer.seconds());
                assertTrue(DevServer.eventually(2_000, () -> viewer.viewChanges().stream()
                                .anyMatch(v -> v.atNanos() > dropped && v.width() < 640 && !v.tier().equals("full"))),
                        "and is told its effective view and tier: " + viewer.viewChanges());

                double downs = metric(server, "mcu_viewer_tier_changes", "direction=\"down\"");
                assertTrue(downs >= 1, "the metrics count the step down: " + downs + "\n" + metricsText(server));

                link.rate(0);
                long lifted = System.nanoTime();
                assertTrue(DevServer.eventually(20_000, () -> receives(viewer, 640)),
                        "within 20 s of the limit lifted it is back at 640x360: " + viewer.secondsSince(lifted));
                assertTrue(DevServer.eventually(2_000, () -> viewer.viewChanges().stream()
                                .anyMatch(v -> v.atNanos() > lifted && v.width() == 640 && v.tier().equals("full"))),
                        "and is told: " + viewer.viewChanges());

                for (int kbps : new int[] {300, 100, 64}) {
                    link.rate(kbps);
                    Thread.sleep(15_000); // adaptation: the estimate falls, the tier follows, a key frame
                    long from = System.nanoTime();
                    double[] others = SyntheticParticipant.receivedFps(locals, 10);
                    List<ConstrainedClient.Second> seconds = viewer.secondsSince(from);
                    String at = " at " + kbps + " kbit/s: " + seconds;
                    assertTrue(seconds.size() >= 8, "the viewer kept reporting" + at);
                    int[] fps = seconds.stream().mapToInt(ConstrainedClient.Second::frames).sorted().toArray();
                    assertTrue(fps[fps.length / 2] >= 10, "a moving picture (median >= 10 fps)" + at);
                    // A freeze the adaptation left open when the measurement began is the adaptation's.
                    assertTrue(viewer.freezesBegunSince(from).stream().allMatch(f -> f.ms() <= 1000),
                            "no freeze over 1 s once adapted" + at + " freezes " + viewer.freezesSince(from));
                    assertTrue(seconds.stream().mapToLong(ConstrainedClient.Second::audioGapMs).sum() <= 100,
                            "sound without gaps" + at);
                    assertTrue(seconds.stream().allMatch(s -> s.otherToneDb().stream().allMatch(db -> db > -40)),
                            "both others' tones in every second" + at);
                    if (kbps == 64) {
                        assertEquals(1, metric(server, "mcu_viewer_tier", "tier=\"minimal\""),
                                "the metrics show the viewer on the smallest tier");
                        double lowest = metric(server, "mcu_viewer_bandwidth_kbps", "stat=\"min\"");
                        assertTrue(lowest > 0 && lowest < 150, "and the lowest estimate: " + lowest);
                    }
                    for (int i = 0; i < 2; i++) {
                        assertTrue(others[i] >= 27, "local " + i + " kept its frame rate" + at + " " + others[i]);
                        assertEquals(640, locals.get(i).video().width(), "local " + i + " kept its resolution");
                    }
                }
            }
        }
    }

    /** The value of one metric's series whose tags include {@code tag}, read from the server's Prometheus text. */
    private static double metric(DevServer server, String name, String tag) throws Exception {
        String text = metricsText(server);
        Matcher m = Pattern.compile("^" + name + "(?:_total)?\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            if (m.group(1).contains(tag)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " with " + tag + " in:\n" + text);
    }

    private static String metricsText(DevServer server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Whether the last second brought frames narrower than that (a smaller tier, whichever). */
    private static boolean receivesNarrowerThan(ConstrainedClient viewer, int width) {
        List<ConstrainedClient.Second> s = viewer.seconds();
        return !s.isEmpty() && s.getLast().frames() > 0 && s.getLast().width() < width;
    }

    /** Whether the last second brought frames of that width. */
    private static boolean receives(ConstrainedClient viewer, int width) {
        List<ConstrainedClient.Second> s = viewer.seconds();
        return !s.isEmpty() && s.getLast().frames() > 0 && s.getLast().width() == width;
    }
}
