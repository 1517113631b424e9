package dev.mcu.mixer.audio;

/** The mix format: 48 kHz, mono, 16-bit, in 10 ms chunks of 480 samples. */
public final class AudioFormat {

    public static final int SAMPLE_RATE = 48_000;
    public static final int CHUNK_SAMPLES = 480;
    public static final int CHUNK_MS = 10;

    private AudioFormat() {
    }
}
