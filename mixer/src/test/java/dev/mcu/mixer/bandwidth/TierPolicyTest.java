package dev.mcu.mixer.bandwidth;

import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.video.ViewSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TierPolicyTest {

    private static final ViewSpec FULL_VIEW = new ViewSpec(Layout.GRID, 640, 360, 30, 800, false, null);

    /** Feeds one estimate a second from {@code fromS} to {@code toS}; returns the second of the last change. */
    private static long feed(TierPolicy policy, double kbps, long fromS, long toS) {
        long changedAt = -1;
        for (long s = fromS; s < toS; s++) {
            Tier before = policy.tier();
            if (policy.sample(kbps, s * 1000) != before) {
                changedAt = s;
            }
        }
        return changedAt;
    }

    @Test
    void aFallingEstimateMovesDownWithinSecondsAndMaySkipTiers() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        assertEquals(Tier.FULL, policy.tier());
        long at = feed(policy, 150, 10, 20);
        assertEquals(Tier.SMALL, policy.tier(), "150 kbit/s meets only SMALL's need");
        assertEquals(13, at, "after the down hold of 3 s");
        at = feed(policy, 60, 20, 30);
        assertEquals(Tier.MINIMAL, policy.tier());
        assertEquals(21, at, "far below: after a second (the change at 13 s has settled)");
    }

    /**
     * An audio-only listener has two steps: below 64 kbit/s (where 20 ms packets and a browser's
     * fixed 32 kbit/s Opus overflow the link) it goes to MINIMAL, and comes back only once the
     * estimate has cleared 70 kbit/s for 30 s; a video viewer's estimate of 150 would have taken
     * it to SMALL, which an audio-only listener never sees.
     */
    @Test
    void anAudioOnlyListenerHasTwoStepsAndAPatientWayUp() {
        TierPolicy policy = new TierPolicy(Ladder.AUDIO_ONLY);
        feed(policy, 150, 0, 10);
        assertEquals(Tier.FULL, policy.tier(), "150 kbit/s carries an audio-only listener's full mix");
        long at = feed(policy, 54, 10, 20);
        assertEquals(Tier.MINIMAL, policy.tier());
        assertEquals(13, at, "after the down hold of 3 s");
        assertEquals(16, Ladder.AUDIO_ONLY.audioKbps(Tier.MINIMAL), "its mix at most 16 kbit/s there");
        assertEquals(0, Ladder.AUDIO_ONLY.audioKbps(Tier.FULL), "libwebrtc's own range on FULL");
        at = feed(policy, 68, 20, 40);
        assertEquals(Tier.MINIMAL, policy.tier(), "68 does not clear 64 with the margin");
        at = feed(policy, 110, 40, 80);
        assertEquals(Tier.FULL, policy.tier());
        assertEquals(70, at, "after the audio-only up hold of 30 s");
    }

    /**
     * On MINIMAL a listener sends so little that a probe's reading (110 kbit/s on a 40 kbit/s link)
     * can stand for the whole up hold; FULL's 20 ms packets then overflow the link, and the estimate
     * falls only to the mid-50s. The step is undone a second after the fall, not after a video
     * viewer's 4 s of settling and 3 s of hold, and the next try waits twice as long.
     */
    @Test
    void anAudioOnlyStepUpThatTheLinkCannotHoldIsUndoneWithinASecond() {
        TierPolicy policy = new TierPolicy(Ladder.AUDIO_ONLY);
        feed(policy, 150, 0, 5);
        feed(policy, 54, 5, 15);
        assertEquals(Tier.MINIMAL, policy.tier());
        long up = feed(policy, 110, 15, 46);
        assertEquals(Tier.FULL, policy.tier(), "the probe's reading took it up");
        long down = feed(policy, 56, 46, 50);
        assertEquals(Tier.MINIMAL, policy.tier());
        assertEquals(47, down, "a second after the fall that followed the step up at " + up);
        long again = feed(policy, 110, 50, 120);
        assertEquals(110, again, "the failed try doubled the up hold to 60 s");
    }

    /**
     * A listener on a 40 kbit/s link for an hour: its estimate reads about 110 on MINIMAL (as it would
     * on an unlimited link) and falls below 64 within two seconds of every trial of FULL. The trials
     * space out to one every five minutes: about 15 in the hour, not one every 70 s.
     */
    @Test
    void anAudioOnlyListenerOnANarrowLinkTriesFullRarely() {
        TierPolicy policy = new TierPolicy(Ladder.AUDIO_ONLY);
        feed(policy, 54, 0, 10);
        assertEquals(Tier.MINIMAL, policy.tier());
        int trials = 0;
        long fellAt = -1;
        for (long s = 10; s < 3600; s++) {
            Tier before = policy.tier();
            boolean justTried = before == Tier.FULL && fellAt < 0;
            if (justTried) {
                fellAt = s + 2;
            }
            policy.sample(before == Tier.FULL && s >= fellAt ? 45 : 110, s * 1000);
            if (policy.tier() == Tier.FULL && before == Tier.MINIMAL) {
                trials++;
                fellAt = -1;
            }
        }
        assertTrue(trials >= 10 && trials <= 20, "trials of FULL in an hour: " + trials);
    }

    @Test
    void aRecoveredEstimateMovesUpAfterTheHoldToTheTierItClears() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        feed(policy, 60, 10, 20);
        assertEquals(Tier.MINIMAL, policy.tier());
        // What libwebrtc's estimate can show while a trial fills the link: about half again above what is sent.
        feed(policy, 160, 20, 24);
        assertFalse(policy.trying());
        feed(policy, 160, 24, 25);
        assertTrue(policy.trying(), "out of MINIMAL, the up hold of 4 s starts a trial");
        long at = feed(policy, 160, 25, 30);
        assertEquals(Tier.SMALL, policy.tier(), "160 kbit/s clears SMALL's need with the margin, not MEDIUM's");
        assertEquals(28, at, "after the trial held for 4 s");
        assertFalse(policy.trying());
        at = feed(policy, 600, 30, 40);
        assertEquals(Tier.FULL, policy.tier(), "600 clears FULL's 250 with the margin");
        assertEquals(34, at, "the hold counts from the first sample above");
    }

    /**
     * On a 64 kbit/s link MINIMAL leaves room, and libwebrtc's probes read 113-135 kbit/s there for
     * seconds. That starts a trial, not a step to TINY: the link, filled as TINY would fill it, brings
     * the estimate down to about 60 within a second or two, which ends the trial on MINIMAL; the next
     * waits twice as long.
     */
    @Test
    void aProbesReadingStartsATrialThatTheLinkEndsWithoutAStep() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        feed(policy, 60, 10, 20);
        assertEquals(Tier.MINIMAL, policy.tier());
        feed(policy, 121, 20, 25);
        assertTrue(policy.trying(), "121 clears TINY's need with the margin for the up hold");
        assertEquals(-1, feed(policy, 121, 25, 26), "no step before the trial has held");
        feed(policy, 60, 26, 27);
        assertFalse(policy.trying(), "the first reading below TINY's need ends it");
        assertEquals(Tier.MINIMAL, policy.tier());
        feed(policy, 121, 27, 34);
        assertFalse(policy.trying(), "the failed trial doubled the up hold to 8 s");
        feed(policy, 121, 34, 36);
        assertTrue(policy.trying());
    }

    /** A trial whose estimate neither falls nor clears the margin ends after 8 s. */
    @Test
    void aTrialThatProvesNothingEnds() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        feed(policy, 60, 10, 20);
        feed(policy, 121, 20, 25);
        assertTrue(policy.trying());
        feed(policy, 110, 25, 32);
        assertTrue(policy.trying(), "110: above TINY's need, below its margin");
        feed(policy, 110, 32, 33);
        assertFalse(policy.trying());
        assertEquals(Tier.MINIMAL, policy.tier());
    }

    /** A viewer on a 64 kbit/s link for an hour, a probe's reading whenever the link is not filled: trials space out to about one a minute. */
    @Test
    void aViewerOnANarrowLinkTriesAboutOnceAMinute() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        feed(policy, 60, 10, 20);
        int trials = 0;
        for (long s = 20; s < 3620; s++) {
            boolean before = policy.trying();
            policy.sample(before ? 60 : 121, s * 1000);
            assertEquals(Tier.MINIMAL, policy.tier());
            if (policy.trying() && !before) {
                trials++;
            }
        }
        assertTrue(trials >= 50 && trials <= 65, "trials in an hour: " + trials);
    }

    @Property
    void onlyAVideoViewerOnMinimalTries(@ForAll @Size(min = 1, max = 60) List<@DoubleRange(min = 1, max = 3000) Double> estimates,
                                        @ForAll boolean audioOnly) {
        TierPolicy policy = new TierPolicy(audioOnly ? Ladder.AUDIO_ONLY : Ladder.VIDEO);
        long s = 0;
        for (double kbps : estimates) {
            feed(policy, kbps, s, s += 3);
            assertTrue(!policy.trying() || (!audioOnly && policy.tier() == Tier.MINIMAL),
                    policy.tier() + " trying at " + kbps);
        }
    }

    @Test
    void evidenceForAStepUpCountsWhileAChangeSettles() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        long at = feed(policy, 150, 10, 20);
        assertEquals(Tier.SMALL, policy.tier());
        assertEquals(13, at);
        at = feed(policy, 2000, 14, 30);
        assertEquals(Tier.FULL, policy.tier());
        assertEquals(18, at, "above since 14, inside the settling after 13: up at 18");
    }

    @Test
    void theStartIsNotJudged() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 50, 100, 103);
        assertEquals(Tier.FULL, policy.tier(), "libwebrtc's estimate starts low and probes up");
        feed(policy, 2000, 103, 120);
        assertEquals(Tier.FULL, policy.tier());
    }

    @Test
    void noEstimateChangesNothing() {
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        for (double nothing : new double[] {Double.NaN, 0, -5, Double.POSITIVE_INFINITY}) {
            feed(policy, nothing, 10, 40);
        }
        assertEquals(Tier.FULL, policy.tier());
    }

    @Test
    void aLinkBetweenTwoTiersSettlesInsteadOfOscillating() {
        // Up to MEDIUM is granted by an estimate that MEDIUM then cannot hold: each failed try doubles the wait.
        TierPolicy policy = new TierPolicy();
        feed(policy, 2000, 0, 10);
        int changes = 0;
        long s = 10;
        for (int round = 0; round < 20; round++) {
            Tier before = policy.tier();
            policy.sample(before == Tier.SMALL ? 260 : 150, s * 1000);
            if (policy.tier() != before) {
                changes++;
            }
            s++;
        }
        for (; s < 600; s++) {
            Tier before = policy.tier();
            // The estimate reads high while on SMALL and low once on MEDIUM: the classic oscillation.
            policy.sample(before == Tier.SMALL ? 260 : 150, s * 1000);
            if (policy.tier() != before) {
                changes++;
            }
        }
        assertTrue(changes < 30, "a tier change about every 10 s would be 60; got " + changes);
        assertTrue(changes >= 4, "it still tries the higher tier now and then: " + changes);
    }

    @Property
    void aFallingTierAlwaysMeetsTheEstimateAfterTheHolds(@ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 1,
            max = 5000) Double> estimates) {
        TierPolicy policy = new TierPolicy();
        long s = 0;
        feed(policy, 5000, s, s += 5);
        for (double kbps : estimates) {
            // The longest a fall can wait: the settling after a change, then the down hold.
            feed(policy, kbps, s, s += (TierPolicy.SETTLE_MS + TierPolicy.DOWN_HOLD_MS) / 1000 + 1);
            assertTrue(policy.tier() == Tier.MINIMAL || kbps >= policy.tier().needKbps(),
                    "after 8 s at " + kbps + " kbit/s the tier " + policy.tier() + " needs more");
        }
    }

    @Property
    void aTierNeverRaisesTheRequestedView(@ForAll @IntRange(min = 80, max = 640) int halfWidth,
                                          @ForAll @IntRange(min = 45, max = 360) int halfHeight,
                                          @ForAll @IntRange(min = 1, max = 30) int fps,
                                          @ForAll @IntRange(min = 30, max = 4000) int kbps) {
        ViewSpec requested = new ViewSpec(Layout.SPEAKER, halfWidth * 2, halfHeight * 2, fps, kbps, true, null);
        for (Tier tier : Tier.values()) {
            ViewSpec v = tier.apply(requested);
            assertTrue(v.width() <= requested.width() && v.height() <= requested.height(), tier + ": " + v);
            assertTrue(v.fps() <= requested.fps() && v.bitrateKbps() <= requested.bitrateKbps(), tier + ": " + v);
            assertEquals(Layout.SPEAKER, v.layout());
            assertTrue(v.includeSelf());
        }
    }

    @Test
    void tiersShrinkTheCompositeKeepingItsShape() {
        assertEquals(FULL_VIEW, Tier.FULL.apply(FULL_VIEW));
        ViewSpec small = Tier.SMALL.apply(FULL_VIEW);
        assertEquals(List.of(320, 180, 15), List.of(small.width(), small.height(), small.fps()));
        ViewSpec fourThree = Tier.SMALL.apply(new ViewSpec(Layout.GRID, 640, 480, 30, 800, false, null));
        assertEquals(List.of(240, 180), List.of(fourThree.width(), fourThree.height()));
        ViewSpec minimal = Tier.MINIMAL.apply(FULL_VIEW);
        assertEquals(List.of(160, 90, 15, 20), List.of(minimal.width(), minimal.height(), minimal.fps(),
                minimal.bitrateKbps()));
        ViewSpec asked = new ViewSpec(Layout.GRID, 320, 180, 15, 200, false, null);
        assertEquals(asked.width(), Tier.MEDIUM.apply(asked).width(), "a smaller request stays as asked");
    }
}
