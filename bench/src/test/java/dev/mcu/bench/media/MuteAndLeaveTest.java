package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mcu.bench.media.MixMinusAudioTest.PRESENT_DB;
import static dev.mcu.bench.media.PictureChecks.describe;
import static dev.mcu.bench.media.PictureChecks.placeholderAt;
import static dev.mcu.bench.media.PictureChecks.tilesShow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutes take effect in the others' mixes within 500 ms and undo on unmute; a leave reflows the grid. */
class MuteAndLeaveTest {

    private static final long WITHIN_MS = 500;
    private static final int SHORT_WINDOW_MS = 150;

    @Test
    void muteUnmuteAndLeaveChangeTheOthersMixes() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults().withLoudestN(4))) {
            List<SyntheticParticipant> ps = h.joinAll(4, i -> h.defaultView(), SyntheticParticipant.Options::flat);
            SyntheticParticipant viewer = ps.get(0);
            SyntheticParticipant muted = ps.get(1);
            List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, List.of("p1", "p2", "p3"), null);
            assertTrue(MixerHarness.eventually(10_000, () -> tilesShow(viewer.video().latest(), tiles, 640, 360)
                    && tone(viewer, muted) > PRESENT_DB), "before muting: " + describe(viewer.video().latest(), tiles));

            h.room.mute("p1", true, null);
            assertTrue(MixerHarness.eventually(WITHIN_MS, () -> tone(viewer, muted) < PRESENT_DB - 20),
                    "p1's tone still at " + tone(viewer, muted) + " dB");
            h.room.mute("p1", false, null);
            assertTrue(MixerHarness.eventually(WITHIN_MS, () -> tone(viewer, muted) > PRESENT_DB),
                    "p1's tone back only at " + tone(viewer, muted) + " dB");

            h.room.mute("p1", null, true);
            assertTrue(MixerHarness.eventually(WITHIN_MS, () -> placeholderAt(viewer.video().latest(), tiles.get(0))),
                    "p1's tile after video mute: " + describe(viewer.video().latest(), tiles));
            h.room.mute("p1", null, false);
            assertTrue(MixerHarness.eventually(WITHIN_MS, () -> tilesShow(viewer.video().latest(), tiles, 640, 360)),
                    "after video unmute: " + describe(viewer.video().latest(), tiles));

            h.leave("p3");
            List<Tile> reflowed = TileLayout.compute(Layout.GRID, 640, 360, List.of("p1", "p2"), null);
            assertTrue(MixerHarness.eventually(2_000, () -> tilesShow(viewer.video().latest(), reflowed, 640, 360)),
                    "after p3 left: " + describe(viewer.video().latest(), reflowed));
            assertTrue(h.leftEvents.contains("p3:left"), "left events " + h.leftEvents);
        }
    }

    private static double tone(SyntheticParticipant listener, SyntheticParticipant talker) {
        return listener.audio().toneDb(talker.tone(), SHORT_WINDOW_MS);
    }
}
