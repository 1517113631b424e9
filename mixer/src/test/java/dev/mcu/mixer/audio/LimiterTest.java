package dev.mcu.mixer.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimiterTest {

    private static short sample(byte[] out, int i) {
        return (short) ((out[2 * i] & 0xff) | (out[2 * i + 1] << 8));
    }

    @Test
    void quietMixesPassUnchanged() {
        int[] mix = new int[480];
        for (int i = 0; i < 480; i++) {
            mix[i] = (i % 2 == 0 ? 1 : -1) * 12_000;
        }
        byte[] out = new byte[960];
        new Limiter().process(mix, 480, out);
        assertEquals(12_000, sample(out, 0));
        assertEquals(-12_000, sample(out, 1));
    }

    @Test
    void loudSumsAreBroughtUnderTheCeilingWithoutWrapping() {
        Limiter limiter = new Limiter();
        int[] mix = new int[480];
        byte[] out = new byte[960];
        for (int chunk = 0; chunk < 20; chunk++) {
            for (int i = 0; i < 480; i++) {
                mix[i] = (int) (3 * 30_000 * Math.sin(2 * Math.PI * 440 * (chunk * 480 + i) / 48_000.0));
            }
            limiter.process(mix, 480, out);
            for (int i = 0; i < 480; i++) {
                int s = sample(out, i);
                assertTrue(Math.abs(s) <= Limiter.CEILING, "sample " + s + " over the ceiling");
                assertTrue(Integer.signum(s) == Integer.signum(mix[i]) || s == 0, "sign flipped: wrapped");
            }
        }
        assertTrue(limiter.gain() < 0.4f);
    }
}
