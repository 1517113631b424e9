package dev.mcu.mixer.audio;

/**
 * Keeps one audio sender's stamps on the wall clock across ticks in which it pushed nothing.
 *
 * <p>libwebrtc stamps outbound audio by counting the samples pushed, and receivers judge arrival
 * jitter and lip sync against those stamps. A tick without a push (the worker negotiating, see
 * AudioSendGuard; a clock tick skipped under load) leaves every later packet looking late by the
 * gap: the receiver's jitter buffer raises its target delay for tens of seconds, and its lip sync,
 * which maps stamps to the wall clock through RTCP sender reports, holds the sound back for as long
 * as it remembers older reports. So every missed tick is owed as a chunk of silence, paid back a few
 * per tick before the tick's own chunk. Confined to the thread that pushes.
 */
public final class SilenceDebt {

    /**
     * Six seconds: more than the longest pause AudioSendGuard imposes on a factory shared by
     * several senders (5 s for a peer to connect, then 60 ms). Longer gaps are left as gaps.
     */
    public static final int MAX_OWED_CHUNKS = 600;
    /** Silence paid back per tick: a one-second debt in 200 ms, a few extra pushes per tick. */
    public static final int REPAY_PER_TICK = 5;

    private long lastPushedTick = -1;
    private int owed;

    /**
     * Call before pushing tick {@code tickIndex}'s chunk; returns how many chunks of silence to push
     * first. Tick indexes count 10 ms from the clock's start; a smaller index (a restarted clock)
     * starts the count afresh.
     */
    public int beforePush(long tickIndex) {
        long missed = tickIndex - lastPushedTick - 1;
        if (lastPushedTick >= 0 && missed > 0) {
            owed = (int) Math.min(MAX_OWED_CHUNKS, owed + missed);
        }
        lastPushedTick = tickIndex;
        int repay = Math.min(REPAY_PER_TICK, owed);
        owed -= repay;
        return repay;
    }

    /** Forgets the count, for a clock that starts again from tick 0. */
    public void reset() {
        lastPushedTick = -1;
        owed = 0;
    }
}
