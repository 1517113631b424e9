package dev.mcu.mixer.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcmConverterTest {

    private static byte[] pcm(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    @Test
    void stereoAt48kIsAveragedToMono() {
        JitterQueue q = new JitterQueue(4);
        PcmConverter c = new PcmConverter(q);
        short[] stereo = new short[2 * 480];
        for (int i = 0; i < 480; i++) {
            stereo[2 * i] = 1000;
            stereo[2 * i + 1] = 3000;
        }
        assertTrue(c.accept(pcm(stereo), 16, 48_000, 2, 480));
        assertTrue(c.accept(pcm(stereo), 16, 48_000, 2, 480));
        short[] chunk = q.poll();
        assertEquals(2000, chunk[0]);
        assertEquals(2000, chunk[479]);
    }

    @Test
    void sixteenKilohertzIsResampledToThreeTimesAsManySamplesWithoutClicks() {
        JitterQueue q = new JitterQueue(50);
        PcmConverter c = new PcmConverter(q);
        double phase = 0;
        for (int call = 0; call < 20; call++) {
            short[] mono = new short[160];
            for (int i = 0; i < 160; i++) {
                mono[i] = (short) (10_000 * Math.sin(phase));
                phase += 2 * Math.PI * 500 / 16_000;
            }
            c.accept(pcm(mono), 16, 16_000, 1, 160);
        }
        assertTrue(q.depth() >= 19, "about 20 chunks of 10 ms, got " + q.depth());
        int previous = 0;
        int biggestStep = 0;
        for (int k = 0; k < q.depth(); k++) {
            short[] chunk = q.poll();
            for (short s : chunk) {
                biggestStep = Math.max(biggestStep, Math.abs(s - previous));
                previous = s;
            }
            q.release();
        }
        // A 500 Hz sine at 48 kHz moves at most 2*pi*500/48000*10000 ~ 655 per sample.
        assertTrue(biggestStep < 700, "discontinuity of " + biggestStep);
    }

    @Test
    void formatsTheMixerCannotUseAreRefused() {
        PcmConverter c = new PcmConverter(new JitterQueue(4));
        assertFalse(c.accept(new byte[960], 8, 48_000, 1, 480));
        assertFalse(c.accept(new byte[10], 16, 48_000, 1, 480));
        assertFalse(c.accept(new byte[960], 16, 1_000, 1, 480));
        assertEquals(3, c.rejected());
    }
}
