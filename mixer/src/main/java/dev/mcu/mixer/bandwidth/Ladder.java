package dev.mcu.mixer.bandwidth;

/**
 * The tiers a participant moves through and what each needs: a video viewer's whole ladder, or an
 * audio-only listener's two steps. An audio-only listener is on {@link Tier#FULL} (20 ms Opus
 * frames both ways; a browser's Opus is fixed at 32 kbit/s, about 60 kbit/s on the wire with its
 * packet headers) or on {@link Tier#MINIMAL} (60 ms frames both ways and the client's Opus at 16
 * kbit/s, about 27 kbit/s): on a 40 kbit/s link only the second leaves room for the feedback that
 * steers the mix. Its mix follows the estimate within either (see MixerPeer's audio encodings). On
 * {@code MINIMAL} it sends at most about 25 kbit/s, and libwebrtc's estimate reads up to about 110
 * kbit/s whatever the link: the way back up takes a smaller margin than a video viewer's, a longer
 * hold, and is a trial (below). Thresholds: docs/PERFORMANCE.md, "Audio-only listeners on narrow links".
 */
public enum Ladder {
    VIDEO(1.25, 4_000, 60_000, TierPolicy.SETTLE_MS, TierPolicy.DOWN_HOLD_MS),
    /*
     * An audio-only listener's estimate cannot tell a 40 kbit/s link from an unlimited one: libwebrtc
     * probes only up to about what its audio may send, and it read 101-116 kbit/s on both. The way
     * up is therefore a trial, which on a narrow link overflows it with FULL's 20 ms packets: a fall
     * soon after is undone after a second, and its gaps (0.2-0.5 s, some a few seconds after) are
     * why trials are rare: the first after 30 s, then doubling to one in 5 minutes (the listener
     * meanwhile hears 16 kbit/s Opus in 60 ms frames, which costs 40 ms of delay and little speech
     * quality). No settling: its change starts no key frame to dip the estimate.
     */
    AUDIO_ONLY(1.1, 30_000, 300_000, 0, TierPolicy.FAR_BELOW_HOLD_MS);

    /** The estimate an audio-only listener needs to stay on {@link Tier#FULL}. */
    static final int AUDIO_ONLY_FULL_KBPS = 64;
    /**
     * The ceiling of an audio-only listener's mix on {@link Tier#MINIMAL}: 16 kbit/s Opus (good
     * wideband speech, what the client sends there too) in 60 ms frames is about 25 kbit/s on the
     * wire. A 40 kbit/s link also carries the congestion feedback for the client's upload (about
     * 6 kbit/s) and RTCP down the same way: with 20 kbit/s Opus (31 on the wire) it dropped a
     * 200 ms stretch about every half minute, with 16 none in 150 s. (libwebrtc's estimate on such a
     * link was seen to stay near 55 kbit/s while it dropped a fifth of the packets, so the estimate
     * alone would not bring the mix down far enough.)
     */
    static final int AUDIO_ONLY_MINIMAL_AUDIO_KBPS = 16;

    private final double upMargin;
    private final long upHoldMs;
    private final long maxUpHoldMs;
    private final long settleMs;
    private final long failedUpHoldMs;

    Ladder(double upMargin, long upHoldMs, long maxUpHoldMs, long settleMs, long failedUpHoldMs) {
        this.upMargin = upMargin;
        this.upHoldMs = upHoldMs;
        this.maxUpHoldMs = maxUpHoldMs;
        this.settleMs = settleMs;
        this.failedUpHoldMs = failedUpHoldMs;
    }

    /** The estimate below which a participant leaves this tier. */
    public int needKbps(Tier tier) {
        if (this == VIDEO) {
            return tier.needKbps();
        }
        return tier == Tier.FULL ? AUDIO_ONLY_FULL_KBPS : 0;
    }

    /** The highest tier of this ladder whose need the estimate meets. */
    public Tier forEstimate(double kbps) {
        if (this == VIDEO) {
            return Tier.forEstimate(kbps);
        }
        return kbps >= AUDIO_ONLY_FULL_KBPS ? Tier.FULL : Tier.MINIMAL;
    }

    /** The Opus ceiling of the mix on this tier, or 0 for none (within libwebrtc's own range). */
    public int audioKbps(Tier tier) {
        if (this == VIDEO) {
            return tier.audioKbps();
        }
        return tier == Tier.MINIMAL ? AUDIO_ONLY_MINIMAL_AUDIO_KBPS : 0;
    }

    /**
     * How long the estimate must clear a higher tier before a first step up. Longer for an
     * audio-only listener: on {@code MINIMAL} it sends so little that a probe's high estimate
     * goes unchallenged for seconds even on a 40 kbit/s link.
     */
    long upHoldMs() {
        return upHoldMs;
    }

    /** The longest the up hold grows to after failed steps up (it doubles with each). */
    long maxUpHoldMs() {
        return maxUpHoldMs;
    }

    /** How long after a change no step down is taken. */
    long settleMs() {
        return settleMs;
    }

    /** The down hold within {@link TierPolicy#FAILED_UP_MS} of a step up: a fall then is the step failing. */
    long failedUpHoldMs() {
        return failedUpHoldMs;
    }

    /** How far above a higher tier's need the estimate must stay before moving up to it. */
    double upMargin() {
        return upMargin;
    }
}
