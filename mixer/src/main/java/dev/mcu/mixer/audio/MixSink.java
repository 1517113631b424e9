package dev.mcu.mixer.audio;

/** Where the audio clock delivers the full mix, everyone's voice (a recording or a live stream). */
public interface MixSink {

    /**
     * Takes one 10 ms chunk of the full mix, 48 kHz mono 16-bit little-endian PCM, mixed at this
     * tick's deadline; the array is reused on the next tick.
     */
    void sendMix(byte[] pcm, long deadlineNanos);
}
