package dev.mcu.mixer.audio;

/**
 * Converts whatever PCM libwebrtc hands a track sink (16-bit, any rate, any channel count) into
 * 48 kHz mono 10 ms chunks in a {@link JitterQueue}. Channels are averaged; other rates are
 * resampled by linear interpolation, keeping the fractional phase across calls so chunk
 * boundaries leave no clicks. Runs on the audio receive thread; allocates nothing per call.
 */
public final class PcmConverter {

    private final JitterQueue queue;
    private final short[] discard = new short[AudioFormat.CHUNK_SAMPLES];
    private short[] current;
    private boolean discarding;
    private int filled;
    private double phase;          // position of the next output sample, in input samples
    private int previousSample;    // last input sample of the previous call, for interpolation
    private long rejected;

    public PcmConverter(JitterQueue queue) {
        this.queue = queue;
    }

    /**
     * Accepts one callback's worth of interleaved little-endian 16-bit PCM.
     *
     * @return false if the format is not one the mixer accepts (the data is ignored)
     */
    public boolean accept(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (bitsPerSample != 16 || channels < 1 || channels > 8 || sampleRate < 8000 || sampleRate > 192_000
                || frames < 0 || (long) frames * channels * 2 > data.length) {
            rejected++;
            return false;
        }
        if (sampleRate == AudioFormat.SAMPLE_RATE) {
            for (int i = 0; i < frames; i++) {
                emit(mono(data, i, channels));
            }
            return true;
        }
        double step = (double) sampleRate / AudioFormat.SAMPLE_RATE;
        if (frames == 0) {
            return true;
        }
        // phase lies in [-1, frames - 1): index -1 stands for the last sample of the previous call.
        while (phase < frames - 1) {
            int index = (int) Math.floor(phase);
            double frac = phase - index;
            int a = index < 0 ? previousSample : mono(data, index, channels);
            int b = mono(data, index + 1, channels);
            emit((int) Math.round(a + (b - a) * frac));
            phase += step;
        }
        phase -= frames;
        previousSample = mono(data, frames - 1, channels);
        return true;
    }

    public long rejected() {
        return rejected;
    }

    private static int mono(byte[] data, int frame, int channels) {
        int base = frame * channels * 2;
        int sum = 0;
        for (int c = 0; c < channels; c++) {
            int at = base + c * 2;
            sum += (short) ((data[at] & 0xff) | (data[at + 1] << 8));
        }
        return sum / channels;
    }

    private void emit(int sample) {
        if (current == null) {
            current = queue.claim();
            filled = 0;
            discarding = current == null;
            if (discarding) {
                current = discard; // queue full: this chunk is dropped, counted by the queue
            }
        }
        current[filled++] = (short) sample;
        if (filled == AudioFormat.CHUNK_SAMPLES) {
            if (!discarding) {
                queue.publish();
            }
            current = null;
        }
    }
}
