package dev.mcu.mixer.bandwidth;

/**
 * Chooses one participant's tier on its {@link Ladder} from its bandwidth estimate, sampled about
 * once a second. Down is
 * quick and may skip tiers: the estimate has stayed below the tier's need for {@link #DOWN_HOLD_MS}
 * (a second when it is far below).
 * Up is slower: the estimate has stayed a margin (the ladder's) above a higher tier's need for the up hold; it
 * then goes to the highest tier the estimate clears (libwebrtc's estimate climbs only about half
 * again above what is sent, so a large jump means a probe measured the link). An up step that is
 * undone soon after doubles the up hold (up to the ladder's longest), so a link whose capacity sits between two
 * tiers settles on the lower one instead of oscillating.
 * Samples in the first {@link #START_GRACE_MS} after the first are ignored: libwebrtc's estimate
 * starts at its start bitrate and probes up from there. In the ladder's settling time after a change
 * ({@link #SETTLE_MS} for video) no step down is taken (the new size's key frame dips the estimate),
 * while evidence for a step up still counts.
 * <p>
 * A video viewer's way up out of {@link Tier#MINIMAL} is a trial. That tier leaves room on the link,
 * so its estimate reads libwebrtc's short probes, which a link's buffer lets through faster than
 * the link carries (113-135 kbit/s on a 64 kbit/s link): a step to {@link Tier#TINY} on such a
 * reading drowned the link and froze the picture for about 12 s. So the evidence that would step up
 * starts a trial instead ({@link #trying()}): the 160x90 picture's ceiling rises to about what TINY
 * sends ({@link Tier#trialVideoKbps()}), which fills the link as TINY would. The viewer steps up only
 * if the estimate keeps clearing the margin for {@link #TRIAL_MS}; the first sample below TINY's
 * need ends the trial, after seconds of a small picture at a higher bitrate rather than a big one's
 * key frame. A failed trial counts as a failed step up. Not thread-safe: one owner feeds it.
 */
public final class TierPolicy {

    static final long START_GRACE_MS = 2_000;
    static final long DOWN_HOLD_MS = 3_000;
    /** The down hold when the estimate is below this share of the tier's need: the picture is stalling already. */
    static final double FAR_BELOW = 0.6;
    static final long FAR_BELOW_HOLD_MS = 1_000;
    /** A tier left within this long after moving up to it was a failed step up. */
    static final long FAILED_UP_MS = 20_000;
    /**
     * After a change the estimate is not judged for this long: the new size starts with a key
     * frame, whose burst on a small link dips the estimate for a few seconds.
     */
    static final long SETTLE_MS = 4_000;
    /** How long a trial out of MINIMAL must hold before the step up (the encoder takes a second to fill). */
    static final long TRIAL_MS = 4_000;
    /** A trial whose estimate has not cleared the margin by then failed. */
    static final long TRIAL_MAX_MS = 8_000;

    private final Ladder ladder;
    private long startMs = -1;
    private Tier tier = Tier.FULL;
    private long belowSinceMs = -1;
    private long aboveSinceMs = -1;
    private long upHoldMs;
    private long lastUpMs = Long.MIN_VALUE / 2;
    private long lastChangeMs = Long.MIN_VALUE / 2;
    private double lastEstimateKbps = Double.NaN;
    /** Volatile: the room reads {@link #trying()} when a viewer changes its view. */
    private volatile long trialSinceMs = -1;

    /** A video viewer's policy. */
    public TierPolicy() {
        this(Ladder.VIDEO);
    }

    public TierPolicy(Ladder ladder) {
        this.ladder = ladder;
        this.upHoldMs = ladder.upHoldMs();
    }

    public Tier tier() {
        return tier;
    }

    /** Whether a trial out of MINIMAL is on: the viewer's encoder may then fill its link as TINY would. */
    public boolean trying() {
        return trialSinceMs >= 0;
    }

    /** The last estimate sampled, in kbit/s; NaN before the first. */
    public double lastEstimateKbps() {
        return lastEstimateKbps;
    }

    /**
     * Takes one estimate; returns the tier from now on. Non-positive or non-finite estimates (no
     * selected candidate pair yet) are ignored.
     */
    public Tier sample(double estimateKbps, long nowMs) {
        if (!(estimateKbps > 0) || Double.isInfinite(estimateKbps)) {
            return tier;
        }
        lastEstimateKbps = estimateKbps;
        if (startMs < 0) {
            startMs = nowMs;
        }
        if (nowMs - startMs < START_GRACE_MS) {
            return tier;
        }
        boolean settling = nowMs - lastChangeMs < ladder.settleMs();
        int need = ladder.needKbps(tier);
        if (tier != Tier.MINIMAL && estimateKbps < need) {
            aboveSinceMs = -1;
            if (settling) {
                return tier;
            }
            if (belowSinceMs < 0) {
                belowSinceMs = nowMs;
            }
            boolean failingUp = nowMs - lastUpMs < FAILED_UP_MS;
            long hold = estimateKbps < need * FAR_BELOW ? FAR_BELOW_HOLD_MS
                    : failingUp ? ladder.failedUpHoldMs() : DOWN_HOLD_MS;
            if (nowMs - belowSinceMs >= hold) {
                if (failingUp) {
                    upHoldMs = Math.min(ladder.maxUpHoldMs(), upHoldMs * 2);
                }
                tier = ladder.forEstimate(estimateKbps);
                belowSinceMs = -1;
                lastChangeMs = nowMs;
            }
            return tier;
        }
        belowSinceMs = -1;
        Tier target = ladder.forEstimate(estimateKbps / ladder.upMargin());
        if (trying()) {
            return judgeTrial(target, estimateKbps, nowMs);
        }
        if (target.ordinal() < tier.ordinal()) {
            if (aboveSinceMs < 0) {
                aboveSinceMs = nowMs;
            }
            if (nowMs - aboveSinceMs >= upHoldMs && tier == Tier.MINIMAL && ladder == Ladder.VIDEO) {
                trialSinceMs = nowMs;
                lastUpMs = nowMs; // a trial is a try: its failure doubles the hold, and the hold's reset waits
                aboveSinceMs = -1;
            } else if (nowMs - aboveSinceMs >= upHoldMs) {
                tier = target;
                lastUpMs = nowMs;
                lastChangeMs = nowMs;
                aboveSinceMs = -1;
            }
        } else {
            aboveSinceMs = -1;
        }
        if (nowMs - lastUpMs > 3 * ladder.maxUpHoldMs()) {
            upHoldMs = ladder.upHoldMs(); // long stable: a new change of the link is judged afresh
        }
        return tier;
    }

    /** During a trial: steps up once it has held, or ends it at the first sign that the link cannot carry TINY. */
    private Tier judgeTrial(Tier target, double estimateKbps, long nowMs) {
        long age = nowMs - trialSinceMs;
        if (estimateKbps < Tier.TINY.needKbps() || (age >= TRIAL_MAX_MS && target == Tier.MINIMAL)) {
            trialSinceMs = -1;
            upHoldMs = Math.min(ladder.maxUpHoldMs(), upHoldMs * 2);
        } else if (age >= TRIAL_MS && target != Tier.MINIMAL) {
            trialSinceMs = -1;
            tier = target;
            lastUpMs = nowMs;
            lastChangeMs = nowMs;
        }
        return tier;
    }
}
