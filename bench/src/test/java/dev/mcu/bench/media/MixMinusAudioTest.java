package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each listener hears the others and never itself; the loudest-N limit keeps only the loudest.
 * Levels are read with Goertzel filters over the last 400 ms of what each client decoded.
 */
class MixMinusAudioTest {

    /** Tones are sent at -12 dBFS; a tone in the mix measures close to that, an absent one far below. */
    static final double PRESENT_DB = -30;
    static final double ABSENT_GAP_DB = 30;
    static final int WINDOW_MS = 400;

    @Test
    void everyListenerHearsTheOtherThreeAndNotItself() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults().withLoudestN(4))) {
            List<SyntheticParticipant> ps = h.joinAll(4, i -> h.defaultView(), SyntheticParticipant.Options::flat);
            for (SyntheticParticipant listener : ps) {
                List<SyntheticParticipant> others = ps.stream().filter(o -> o != listener).toList();
                boolean ok = MixerHarness.eventually(8_000, () -> others.stream().allMatch(o ->
                        db(listener, o) > PRESENT_DB && db(listener, o) - db(listener, listener) >= ABSENT_GAP_DB));
                assertTrue(ok, "listener at " + listener.tone() + " Hz hears" + levels(listener, ps));
            }
        }
    }

    @Test
    void onlyTheLoudestTwoAreMixedWhenTheLimitIsTwo() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults().withLoudestN(2))) {
            // p0 and p1 are loud (-12 dBFS), p2 and p3 quiet (-30 dBFS).
            List<SyntheticParticipant> ps = h.joinAll(4, i -> h.defaultView(),
                    i -> withAmplitude(SyntheticParticipant.Options.flat(i), i < 2 ? 8000 : 1000));
            SyntheticParticipant quiet = ps.get(3);
            boolean quietHearsLoud = MixerHarness.eventually(8_000, () -> {
                double weakerLoud = Math.min(db(quiet, ps.get(0)), db(quiet, ps.get(1)));
                return weakerLoud > PRESENT_DB && weakerLoud - db(quiet, ps.get(2)) >= ABSENT_GAP_DB;
            });
            assertTrue(quietHearsLoud, "quiet listener hears" + levels(quiet, ps));
            // A loud participant hears the other loud one only: its own voice is subtracted.
            SyntheticParticipant loud = ps.get(0);
            boolean loudHearsPartner = MixerHarness.eventually(8_000, () ->
                    db(loud, ps.get(1)) > PRESENT_DB
                            && db(loud, ps.get(1)) - db(loud, ps.get(2)) >= ABSENT_GAP_DB
                            && db(loud, ps.get(1)) - db(loud, ps.get(3)) >= ABSENT_GAP_DB
                            && db(loud, ps.get(1)) - db(loud, loud) >= ABSENT_GAP_DB);
            assertTrue(loudHearsPartner, "loud listener hears" + levels(loud, ps));
        }
    }

    static SyntheticParticipant.Options withAmplitude(SyntheticParticipant.Options o, int amplitude) {
        return new SyntheticParticipant.Options(o.index(), o.width(), o.height(), o.fps(), amplitude, o.cameraLike(),
                o.maxBitrateKbps(), o.codecs(), o.noise());
    }

    static double db(SyntheticParticipant listener, SyntheticParticipant talker) {
        return listener.audio().toneDb(talker.tone(), WINDOW_MS);
    }

    static String levels(SyntheticParticipant listener, List<SyntheticParticipant> ps) {
        StringBuilder sb = new StringBuilder();
        for (SyntheticParticipant p : ps) {
            sb.append(String.format(" %dHz=%.1fdB", p.tone(), db(listener, p)));
        }
        return sb.toString();
    }
}
