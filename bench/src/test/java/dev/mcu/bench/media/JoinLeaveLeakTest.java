package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.MixerPeer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fifty joins and leaves with real peers: open peer connections and threads (Java threads and the
 * process's native threads) return to where they started, and the room's clocks stop when empty.
 */
@Tag("slow")
class JoinLeaveLeakTest {

    private static final int ROUNDS = 50;

    @Test
    void joinAndLeaveFiftyTimesLeavesNothingBehind() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            // Warm up once so lazily started libwebrtc threads (network, codecs) exist at the baseline.
            h.join("warm", h.defaultView(), SyntheticParticipant.Options.flat(0));
            h.leave("warm");
            assertTrue(MixerHarness.eventually(5_000, () -> !h.room.clocksRunning()), "clocks stop in an empty room");
            settle();
            int peers = MixerPeer.openPeers();
            int javaThreads = Thread.activeCount();
            int nativeThreads = nativeThreads();

            for (int i = 0; i < ROUNDS; i++) {
                SyntheticParticipant p = h.join("p" + i, h.defaultView(), SyntheticParticipant.Options.flat(i));
                assertTrue(MixerHarness.eventually(5_000, () -> p.video().frames() > 0),
                        "round " + i + " produced no media");
                h.leave("p" + i);
            }
            assertTrue(MixerHarness.eventually(5_000, () -> !h.room.clocksRunning()), "clocks stop in an empty room");
            settle();
            assertEquals(peers, MixerPeer.openPeers(), "open mixer peer connections");
            assertTrue(MixerHarness.eventually(5_000, () -> Thread.activeCount() <= javaThreads + 2),
                    "java threads " + javaThreads + " -> " + Thread.activeCount());
            assertTrue(MixerHarness.eventually(5_000, () -> nativeThreads() <= nativeThreads + 2),
                    "native threads " + nativeThreads + " -> " + nativeThreads());
        }
    }

    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
    }

    private static int nativeThreads() {
        return Objects.requireNonNull(new File("/proc/self/task").list()).length;
    }
}
