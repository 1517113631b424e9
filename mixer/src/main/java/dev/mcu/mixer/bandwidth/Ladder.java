package dev.mcu.mixer.bandwidth;

/**
 * The tiers a participant moves through and what each needs: a video viewer's whole ladder, or an
 * audio-only listener's two steps. An audio-only listener is on {@link Tier#FULL} (20 ms Opus
 * frames both ways; a browser's Opus is fixed at 32 kbit/s, about 60 kbit/s on the wire with its
 * packet headers) or on {@link Tier#MINIMAL} (60 ms frames both ways and the client's Opus at 16
 * kbit/s, about 27 kbit/s): on a 40 kbit/s link only the second leaves room for the feedback that
 * steers the mix. Its mix follows the estimate within either (see MixerPeer's audio encodings), and
 * on {@code MINIMAL} it sends at most about 31 kbit/s, so libwebrtc's estimate, which climbs only
 * about half again above what is sent between its probes, rarely shows much more: the way back up
 * takes a smaller margin than a video viewer's, and a longer hold. Thresholds: docs/PERFORMANCE.md,
 * "Audio-only listeners on narrow links".
 */
public enum Ladder {
    VIDEO(1.25, 4_000),
    AUDIO_ONLY(1.1, 10_000);

    /** The estimate an audio-only listener needs to stay on {@link Tier#FULL}. */
    static final int AUDIO_ONLY_FULL_KBPS = 64;
    /**
     * The ceiling of an audio-only listener's mix on {@link Tier#MINIMAL}: 20 kbit/s Opus (good
     * wideband speech) in 60 ms frames is about 31 kbit/s on the wire, which a 40 kbit/s link
     * carries with the feedback beside it. (libwebrtc's estimate on such a link was seen to stay
     * near 55 kbit/s while it dropped a fifth of the packets, so the estimate alone would not
     * bring the mix down far enough.)
     */
    static final int AUDIO_ONLY_MINIMAL_AUDIO_KBPS = 20;

    private final double upMargin;
    private final long upHoldMs;

    Ladder(double upMargin, long upHoldMs) {
        this.upMargin = upMargin;
        this.upHoldMs = upHoldMs;
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

    /** How far above a higher tier's need the estimate must stay before moving up to it. */
    double upMargin() {
        return upMargin;
    }
}
