package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.ViewSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One participant of a real three-peer room keeps changing its view to random, often absurd,
 * values; the two others keep receiving their mix at full frame rate whatever it asks, and the
 * changing viewer keeps receiving pictures of its own.
 */
class RandomViewsTest {

    private static final long WINDOW_MS = 500;
    /** 30 fps for half a second is 15 frames; a loaded CI machine drops a few. */
    private static final int MIN_FRAMES_IN_WINDOW = 9;

    private static MixerHarness harness;
    private static List<SyntheticParticipant> ps;

    @BeforeContainer
    static void joinThree() throws Exception {
        harness = new MixerHarness(MixerConfig.defaults());
        ps = harness.joinAll(3, i -> harness.defaultView(), SyntheticParticipant.Options::flat);
        assertTrue(MixerHarness.eventually(10_000, () -> ps.stream().allMatch(p -> p.video().frames() > 10)),
                "every participant receives its mix before the views change");
    }

    @AfterContainer
    static void leave() {
        if (harness != null) {
            harness.close();
        }
    }

    @Provide
    Arbitrary<Integer> number() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-2, 2000),
                Arbitraries.of(1, 2, 16, 90, 180, 360, 720, 1080, Integer.MAX_VALUE)).injectNull(0.2);
    }

    @Provide
    Arbitrary<String> pin() {
        return Arbitraries.of("p0", "p1", "p2", "nobody", "p-left-long-ago").injectNull(0.5);
    }

    @Property(tries = 24, shrinking = ShrinkingMode.OFF)
    void othersKeepTheirFrameRate(@ForAll Layout layout, @ForAll("number") Integer w, @ForAll("number") Integer h,
                                  @ForAll("number") Integer fps, @ForAll("number") Integer kbps,
                                  @ForAll Boolean includeSelf, @ForAll("pin") String pin) throws Exception {
        ViewSpec asked = ViewSpec.clamped(harness.mixer.config(), layout, w, h, fps, kbps, includeSelf, pin);
        ViewSpec effective = harness.room.view("p0", asked);
        long[] before = {ps.get(0).video().frames(), ps.get(1).video().frames(), ps.get(2).video().frames()};
        Thread.sleep(WINDOW_MS);
        for (int i = 1; i < 3; i++) {
            long got = ps.get(i).video().frames() - before[i];
            assertTrue(got >= MIN_FRAMES_IN_WINDOW, "p" + i + " received " + got + " frames in " + WINDOW_MS
                    + " ms while p0 viewed " + effective);
        }
        assertTrue(effective.pin() == null || List.of("p0", "p1", "p2").contains(effective.pin()),
                "an unknown pin is dropped: " + effective);
        // At 1 fps a picture of a new size may take a few seconds (a key frame in the encoder's budget).
        assertTrue(MixerHarness.eventually(8_000, () -> ps.get(0).video().frames() > before[0]),
                "p0 still receives its own mix with " + effective);
        assertTrue(harness.room.compositeFailures() == 0, "no composite failed");
    }
}
