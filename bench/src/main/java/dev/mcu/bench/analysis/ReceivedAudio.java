package dev.mcu.bench.analysis;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;

/**
 * Receives the mixed audio on the client side into a one-second ring of mono samples, and measures
 * the level of given frequencies in it with the Goertzel algorithm.
 */
public final class ReceivedAudio implements AudioTrackSink {

    private final int capacity = 48_000;
    private final short[] ring = new short[capacity];
    private long written;
    private volatile int sampleRate = 48_000;
    /** Onset detection with hysteresis on each chunk's mean square (of full scale squared). */
    private static final double ON_LEVEL = Math.pow(10, -30 / 10.0);
    private static final double OFF_LEVEL = Math.pow(10, -45 / 10.0);
    private final long[] onsets = new long[256];
    private int onsetCount;
    private boolean sounding;

    @Override
    public void onData(byte[] data, int bitsPerSample, int rate, int channels, int frames) {
        try {
            if (bitsPerSample != 16 || channels < 1) {
                return;
            }
            sampleRate = rate;
            double energy = 0;
            synchronized (ring) {
                for (int i = 0; i < frames; i++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        int at = (i * channels + c) * 2;
                        sum += (short) ((data[at] & 0xff) | (data[at + 1] << 8));
                    }
                    short sample = (short) (sum / channels);
                    ring[(int) (written % capacity)] = sample;
                    written++;
                    energy += (double) sample * sample;
                }
            }
            trackOnsets(energy / Math.max(1, frames) / (32768.0 * 32768.0));
        } catch (Throwable e) {
            // Never let an exception reach native code.
        }
    }

    /** Called with each chunk as it is played out; remembers when sound starts after silence. */
    private void trackOnsets(double meanSquare) {
        if (!sounding && meanSquare > ON_LEVEL) {
            sounding = true;
            long now = System.currentTimeMillis();
            synchronized (onsets) {
                onsets[onsetCount++ % onsets.length] = now;
            }
        } else if (sounding && meanSquare < OFF_LEVEL) {
            sounding = false;
        }
    }

    /**
     * The median audio latency of a sender that beeps from every multiple of {@code periodMs} of the
     * wall clock (see SyntheticParticipant#beep): each onset's playout time modulo the period, so
     * latencies up to one period are read right. -1 before any onset.
     */
    public long medianOnsetLatencyMs(int periodMs) {
        long[] copy;
        synchronized (onsets) {
            int n = Math.min(onsetCount, onsets.length);
            if (n == 0) {
                return -1;
            }
            copy = java.util.Arrays.copyOf(onsets, n);
        }
        for (int i = 0; i < copy.length; i++) {
            copy[i] = copy[i] % periodMs;
        }
        java.util.Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    /** Forgets the onsets seen so far (the end of a warm-up). */
    public void resetOnsets() {
        synchronized (onsets) {
            onsetCount = 0;
        }
    }

    /** Samples received so far. */
    public long samples() {
        synchronized (ring) {
            return written;
        }
    }

    /**
     * The level of one frequency over the last {@code ms} milliseconds, in dB relative to a full
     * scale sine (0 dB = a sine of amplitude 32767); -120 if nothing was received.
     */
    public double toneDb(double frequency, int ms) {
        short[] window;
        int rate = sampleRate;
        synchronized (ring) {
            int n = (int) Math.min(Math.min(written, capacity), (long) rate * ms / 1000);
            if (n < 64) {
                return -120;
            }
            window = new short[n];
            for (int i = 0; i < n; i++) {
                window[i] = ring[(int) ((written - n + i) % capacity)];
            }
        }
        return goertzelDb(window, rate, frequency);
    }

    /** RMS level of the last {@code ms} milliseconds in dBFS. */
    public double rmsDb(int ms) {
        synchronized (ring) {
            int n = (int) Math.min(Math.min(written, capacity), (long) sampleRate * ms / 1000);
            if (n == 0) {
                return -120;
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double s = ring[(int) ((written - n + i) % capacity)];
                sum += s * s;
            }
            return 10 * Math.log10(Math.max(1e-12, sum / n / (32768.0 * 32768.0)));
        }
    }

    static double goertzelDb(short[] x, int rate, double frequency) {
        int n = x.length;
        double w = 2 * Math.PI * frequency / rate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            // Hann window keeps neighbouring tones from leaking into each other.
            double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            double s = x[i] * hann + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        double amplitude = 2 * Math.sqrt(Math.max(power, 0)) / (n * 0.5);
        return 20 * Math.log10(Math.max(amplitude, 1e-6) / 32767.0);
    }
}
