package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.video.ViewSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A participant whose offer has no video m-line (audio only) hears the mix-minus of the others and
 * costs the mixer no composite: two camera participants get theirs (one view each, 30 a second),
 * the audio-only one none, though it asked for a view of its own; it is on no video viewer's tier. The
 * others see it as a named placeholder. A room where nobody takes video runs no video clock at all,
 * until someone who does joins, and stops it again when they leave.
 */
class AudioOnlyViewerTest {

    @Test
    void anAudioOnlyParticipantHearsTheOthersAndCostsNoComposite() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            SyntheticParticipant a = h.join("p0", h.defaultView(), SyntheticParticipant.Options.flat(0));
            SyntheticParticipant b = h.join("p1", h.defaultView(), SyntheticParticipant.Options.flat(1));
            SyntheticParticipant phone = h.join("p2", new ViewSpec(Layout.GRID, 320, 180, 15, 300, false, null),
                    SyntheticParticipant.Options.flat(2).audioOnly());
            assertTrue(MixerHarness.eventually(8_000, () -> MixMinusAudioTest.db(phone, a) > MixMinusAudioTest.PRESENT_DB
                            && MixMinusAudioTest.db(phone, b) > MixMinusAudioTest.PRESENT_DB),
                    "the audio-only participant hears both:" + MixMinusAudioTest.levels(phone, List.of(a, b, phone)));
            assertTrue(MixerHarness.eventually(8_000, () -> MixMinusAudioTest.db(a, phone) > MixMinusAudioTest.PRESENT_DB),
                    "and is heard:" + MixMinusAudioTest.levels(a, List.of(a, b, phone)));
            assertTrue(MixerHarness.eventually(8_000, () -> a.video().frames() > 30 && b.video().frames() > 30),
                    "the camera participants receive their composites");

            long before = h.room.composites();
            long t0 = System.nanoTime();
            Thread.sleep(3_000);
            double perSecond = (h.room.composites() - before) / ((System.nanoTime() - t0) / 1e9);
            assertTrue(perSecond > 20 && perSecond < 70,
                    "two views at 30 fps (a third, 15 fps view for the audio-only one would make ~75): " + perSecond);
            assertEquals(0, phone.video().frames(), "no video reaches a client that offered none");
            assertEquals(Map.of(Tier.FULL, 2), h.room.tiers().byTier(), "only the two video viewers are on a tier");
        }
    }

    @Test
    void aRoomWhereNobodyTakesVideoRunsNoVideoClock() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            List<SyntheticParticipant> phones = h.joinAll(3, i -> h.defaultView(),
                    i -> SyntheticParticipant.Options.flat(i).audioOnly());
            assertTrue(MixerHarness.eventually(8_000, () -> MixMinusAudioTest.db(phones.get(0), phones.get(1))
                            > MixMinusAudioTest.PRESENT_DB && MixMinusAudioTest.db(phones.get(1), phones.get(2))
                            > MixMinusAudioTest.PRESENT_DB),
                    "the audio-only participants hear each other:"
                            + MixMinusAudioTest.levels(phones.get(0), phones));
            Thread.sleep(500);
            assertTrue(!h.room.videoClockRunning(), "no video clock for an audio-only room");
            assertEquals(0, h.room.composites(), "and no composite");

            SyntheticParticipant camera = h.join("cam", h.defaultView(), SyntheticParticipant.Options.flat(3));
            assertTrue(MixerHarness.eventually(8_000, () -> camera.video().frames() > 10),
                    "a participant who takes video gets the composite");
            assertTrue(h.room.videoClockRunning(), "with the video clock running");
            h.leave("cam");
            assertTrue(MixerHarness.eventually(3_000, () -> !h.room.videoClockRunning()),
                    "which stops when the last one who takes video leaves");
            assertTrue(MixerHarness.eventually(5_000, () -> MixMinusAudioTest.db(phones.get(2), phones.get(0))
                    > MixMinusAudioTest.PRESENT_DB), "the call goes on");
        }
    }
}
