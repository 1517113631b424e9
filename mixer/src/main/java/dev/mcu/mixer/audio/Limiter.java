package dev.mcu.mixer.audio;

/**
 * Keeps a summed mix inside 16 bits without harsh clipping: the gain drops at once to bring a
 * chunk's peak under the ceiling and recovers smoothly over following chunks; the gain ramps
 * linearly across each chunk so changes do not click. A final clamp is only a safety net.
 */
public final class Limiter {

    static final int CEILING = 29_000;
    private static final float RELEASE = 0.15f;

    private float gain = 1f;

    /** Writes {@code n} samples of {@code mix} as little-endian 16-bit PCM into {@code out}. */
    public void process(int[] mix, int n, byte[] out) {
        int peak = 0;
        for (int i = 0; i < n; i++) {
            int a = Math.abs(mix[i]);
            if (a > peak) {
                peak = a;
            }
        }
        float target = peak > CEILING ? (float) CEILING / peak : 1f;
        float next = target < gain ? target : gain + (target - gain) * RELEASE;
        float start = Math.min(gain, next);
        float step = (next - start) / n;
        float g = start;
        for (int i = 0; i < n; i++) {
            int s = Math.round(mix[i] * g);
            if (s > Short.MAX_VALUE) {
                s = Short.MAX_VALUE;
            } else if (s < Short.MIN_VALUE) {
                s = Short.MIN_VALUE;
            }
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
            g += step;
        }
        gain = next;
    }

    public float gain() {
        return gain;
    }
}
