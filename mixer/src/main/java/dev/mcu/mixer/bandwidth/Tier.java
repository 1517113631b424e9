package dev.mcu.mixer.bandwidth;

import dev.mcu.mixer.video.ViewSpec;

/**
 * The steps a viewer's composite moves through as its bandwidth estimate falls: each a box the
 * composite is fitted into (keeping the viewer's aspect ratio), a frame rate and an encoder
 * ceiling. The composite is redrawn at the smaller size, so names stay legible where libwebrtc would
 * otherwise starve a large frame. {@link #FULL} is the viewer's own view unchanged.
 * <p>
 * {@code needKbps} is the estimate (audio, video and overheads together, as libwebrtc's
 * {@code availableOutgoingBitrate} counts them) a viewer must have to stay on the tier. A tier's
 * encoder ceiling is about the next tier up's need: a viewer that has bandwidth again can fill it,
 * and libwebrtc's estimate, which never climbs far above what is sent, can show it. The smallest
 * tier's ceiling is lower, 20 kbit/s: beside its mix that leaves part of a 64 kbit/s link free, so
 * a packet now and then lost to a full queue does not stall the picture for a NACK's round trip.
 * Such a link's estimate then reads libwebrtc's probes, so the way up from there is a trial at
 * {@link #trialVideoKbps()} (see {@link TierPolicy}; docs/PERFORMANCE.md, "64 kbit/s: `minimal` at
 * 20 kbit/s, and the way up a trial"). {@code audioKbps}
 * (0: the codec's default, 32 kbit/s Opus) lowers the mix's bitrate on the smallest links, where
 * audio and its packet overheads (about 25 kbit/s at 50 packets a second) would otherwise leave
 * nothing for the picture; 8 kbit/s Opus (wideband speech) leaves most of a 64 kbit/s link to a
 * 160x90 picture once its packets carry 60 ms each ({@link #audioFrameMs}). Thresholds: docs/PERFORMANCE.md, "Automatic tiers".
 */
public enum Tier {
    FULL(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0, 20, 250),
    MEDIUM(480, 270, 30, 320, 0, 0, 20, 170),
    SMALL(320, 180, 15, 210, 0, 0, 20, 110),
    TINY(256, 144, 15, 130, 0, 20, 20, 95),
    MINIMAL(ViewSpec.MIN_WIDTH, ViewSpec.MIN_HEIGHT, 15, 20, 8, 8, 60, 0);

    /** The smallest tier's ceiling while it tries TINY: with its mix, about TINY's need on the wire. */
    private static final int MINIMAL_TRIAL_KBPS = 75;

    private final int maxWidth;
    private final int maxHeight;
    private final int maxFps;
    private final int videoKbps;
    private final int minVideoKbps;
    private final int audioKbps;
    private final int audioFrameMs;
    private final int needKbps;

    Tier(int maxWidth, int maxHeight, int maxFps, int videoKbps, int minVideoKbps, int audioKbps, int audioFrameMs,
         int needKbps) {
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.maxFps = maxFps;
        this.videoKbps = videoKbps;
        this.minVideoKbps = minVideoKbps;
        this.audioKbps = audioKbps;
        this.audioFrameMs = audioFrameMs;
        this.needKbps = needKbps;
    }

    /** The estimate below which a viewer leaves this tier. */
    public int needKbps() {
        return needKbps;
    }

    /**
     * The video encoder's floor on this tier, or 0 for libwebrtc's (30 kbit/s): on the smallest
     * links the floor must sit below what is left beside the audio, or the encoder overshoots the
     * link and every frame waits behind a full queue.
     */
    public int minVideoKbps() {
        return minVideoKbps;
    }

    /**
     * The encoder's ceiling while a viewer on this tier tries the next one up: for {@link #MINIMAL},
     * what fills a link as {@link #TINY} would; the other tiers' own ceilings do that already.
     */
    public int trialVideoKbps() {
        return this == MINIMAL ? MINIMAL_TRIAL_KBPS : videoKbps;
    }

    /** The Opus bitrate of this tier's mix, or 0 for the codec's default. */
    public int audioKbps() {
        return audioKbps;
    }

    /**
     * The length of the mix's Opus frames on this tier, in ms: 60 on the smallest, where 20 ms
     * packets' headers alone would take half of a 64 kbit/s link.
     */
    public int audioFrameMs() {
        return audioFrameMs;
    }

    /** Name for metrics and logs: {@code full}, {@code medium}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The next tier up, or this one at the top. */
    public Tier up() {
        return this == FULL ? FULL : values()[ordinal() - 1];
    }

    public Tier down() {
        return this == MINIMAL ? MINIMAL : values()[ordinal() + 1];
    }

    /** The highest tier whose need the estimate meets. */
    public static Tier forEstimate(double kbps) {
        for (Tier t : values()) {
            if (kbps >= t.needKbps) {
                return t;
            }
        }
        return MINIMAL;
    }

    /**
     * The view a viewer who asked for {@code requested} receives on this tier: never above what it
     * asked for in size, frame rate or bitrate, its aspect ratio kept, sizes even and at least the
     * smallest composite.
     */
    public ViewSpec apply(ViewSpec requested) {
        if (this == FULL) {
            return requested;
        }
        double scale = Math.min(1.0, Math.min((double) maxWidth / requested.width(),
                (double) maxHeight / requested.height()));
        int w = Math.max(ViewSpec.MIN_WIDTH, (int) Math.round(requested.width() * scale) & ~1);
        int h = Math.max(ViewSpec.MIN_HEIGHT, (int) Math.round(requested.height() * scale) & ~1);
        return new ViewSpec(requested.layout(), w, h, Math.min(requested.fps(), maxFps),
                Math.min(requested.bitrateKbps(), videoKbps),
                requested.includeSelf(), requested.pin());
    }
}
