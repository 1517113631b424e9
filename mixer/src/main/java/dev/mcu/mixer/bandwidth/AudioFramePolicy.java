package dev.mcu.mixer.bandwidth;

/**
 * Chooses the Opus frame length of the mix for a listener that receives no video (it has no tier),
 * from its bandwidth estimate sampled about once a second: 60 ms frames once the estimate has stayed
 * below {@link #LONG_BELOW_KBPS} for {@link #DOWN_HOLD_MS}, 20 ms again once it has stayed at or above
 * {@link #SHORT_FROM_KBPS} for {@link #UP_HOLD_MS}. On a 40 kbit/s link the 20 ms mix alone (32 kbit/s
 * Opus and about 26 of headers) does not fit, and libwebrtc, which lowers the Opus bitrate with its
 * estimate, cannot take the headers away; a third of the packets can. An audio-only estimate starts at
 * libwebrtc's 300 kbit/s and falls only when the link is congested, so a good link keeps 20 ms frames.
 * Not thread-safe: one owner feeds it.
 */
public final class AudioFramePolicy {

    public static final int SHORT_MS = 20;
    public static final int LONG_MS = 60;
    static final double LONG_BELOW_KBPS = 80;
    static final double SHORT_FROM_KBPS = 120;
    static final long START_GRACE_MS = 2_000;
    static final long DOWN_HOLD_MS = 2_000;
    static final long UP_HOLD_MS = 10_000;

    private long startMs = -1;
    private int frameMs = SHORT_MS;
    private long sinceMs = -1;

    /** Takes one estimate; returns the frame length from now on. Non-positive or non-finite ones are ignored. */
    public int sample(double estimateKbps, long nowMs) {
        if (!(estimateKbps > 0) || Double.isInfinite(estimateKbps)) {
            return frameMs;
        }
        if (startMs < 0) {
            startMs = nowMs;
        }
        if (nowMs - startMs < START_GRACE_MS) {
            return frameMs;
        }
        boolean towardsOther = frameMs == SHORT_MS ? estimateKbps < LONG_BELOW_KBPS : estimateKbps >= SHORT_FROM_KBPS;
        if (!towardsOther) {
            sinceMs = -1;
            return frameMs;
        }
        if (sinceMs < 0) {
            sinceMs = nowMs;
        }
        if (nowMs - sinceMs >= (frameMs == SHORT_MS ? DOWN_HOLD_MS : UP_HOLD_MS)) {
            frameMs = frameMs == SHORT_MS ? LONG_MS : SHORT_MS;
            sinceMs = -1;
        }
        return frameMs;
    }

    public int frameMs() {
        return frameMs;
    }
}
