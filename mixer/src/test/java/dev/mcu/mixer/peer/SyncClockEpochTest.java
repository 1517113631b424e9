package dev.mcu.mixer.peer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The factory's clock reads libwebrtc's monotonic time (System.nanoTime reads the same clock), so
 * the RTCP sender reports of the mix's video are right; webrtc-java's own epoch reads time since the
 * clock's creation, which is off by the machine's uptime.
 */
class SyncClockEpochTest {

    private static final long TOLERANCE_US = 50_000;

    @Test
    void theFactoryClockReadsMonotonicTimeSinceBoot() {
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            assertTrue(factory.syncClockAligned());
            long drift = factory.syncClock().getTimestampUs() - TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            assertTrue(Math.abs(drift) < TOLERANCE_US, "clock off libwebrtc's by " + drift + " us");
        }
    }

    @Test
    void webrtcJavasOwnEpochIsOffByTheUptime() {
        System.setProperty(PeerFactory.KEEP_WEBRTC_JAVA_CLOCK, "true");
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            assertFalse(factory.syncClockAligned());
            long sinceCreation = factory.syncClock().getTimestampUs();
            long monotonic = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            assertTrue(monotonic - sinceCreation > TOLERANCE_US,
                    "the unaligned clock reads " + sinceCreation + " us, monotonic time is " + monotonic + " us");
        } finally {
            System.clearProperty(PeerFactory.KEEP_WEBRTC_JAVA_CLOCK);
        }
    }
}
