package dev.mcu.mixer.bandwidth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AudioFramePolicyTest {

    /** Feeds one estimate a second from {@code fromS} to {@code toS} (inclusive); returns the last answer. */
    private static int feed(AudioFramePolicy policy, double kbps, int fromS, int toS) {
        int ms = policy.frameMs();
        for (int s = fromS; s <= toS; s++) {
            ms = policy.sample(kbps, s * 1000L);
        }
        return ms;
    }

    @Test
    void aGoodLinkKeepsShortFrames() {
        AudioFramePolicy p = new AudioFramePolicy();
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, 300, 0, 60));
    }

    @Test
    void aLowEstimateGetsLongFramesAfterTheHoldAndARecoveryGetsShortOnesAfterItsLongerHold() {
        AudioFramePolicy p = new AudioFramePolicy();
        feed(p, 300, 0, 5);
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, 40, 6, 7), "one second low is not enough");
        assertEquals(AudioFramePolicy.LONG_MS, feed(p, 40, 8, 8));
        assertEquals(AudioFramePolicy.LONG_MS, feed(p, 100, 9, 30), "between the thresholds: stays");
        assertEquals(AudioFramePolicy.LONG_MS, feed(p, 200, 31, 40));
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, 200, 41, 41));
    }

    @Test
    void aDipThatEndsBeforeTheHoldChangesNothingAndTheStartIsNotJudged() {
        AudioFramePolicy p = new AudioFramePolicy();
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, 30, 0, 1), "the first two seconds are libwebrtc's start");
        feed(p, 300, 2, 10);
        feed(p, 30, 11, 12);
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, 300, 13, 13));
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, 30, 14, 15), "the hold starts again");
    }

    @Test
    void missingEstimatesAreIgnored() {
        AudioFramePolicy p = new AudioFramePolicy();
        feed(p, 300, 0, 5);
        feed(p, Double.NaN, 6, 20);
        feed(p, 0, 21, 30);
        assertEquals(AudioFramePolicy.SHORT_MS, feed(p, Double.POSITIVE_INFINITY, 31, 40));
    }
}
