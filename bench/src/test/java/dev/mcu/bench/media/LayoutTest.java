package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import dev.mcu.mixer.video.ViewSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mcu.bench.media.MixMinusAudioTest.withAmplitude;
import static dev.mcu.bench.media.PictureChecks.describe;
import static dev.mcu.bench.media.PictureChecks.tilesShow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** includeSelf, speaker and presentation views put the right participant in the right tile. */
class LayoutTest {

    @Test
    void eachLayoutPlacesTheRightParticipant() throws Exception {
        MixerConfig config = MixerConfig.defaults();
        ViewSpec selfGrid = ViewSpec.clamped(config, Layout.GRID, null, null, null, null, true, null);
        ViewSpec speaker = ViewSpec.clamped(config, Layout.SPEAKER, null, null, null, null, false, null);
        ViewSpec presentation = ViewSpec.clamped(config, Layout.PRESENTATION, null, null, null, null, false, "p3");
        List<ViewSpec> views = List.of(selfGrid, speaker, presentation, ViewSpec.defaults(config));
        try (MixerHarness h = new MixerHarness(config)) {
            // p2 talks loudly, so it becomes the active speaker.
            List<SyntheticParticipant> ps = h.joinAll(4, i -> i == 2 ? presentation.withPin(null) : views.get(i),
                    i -> withAmplitude(SyntheticParticipant.Options.flat(i), i == 2 ? 16000 : 1000));
            // A pin names someone in the room (an unknown one is dropped): p3 is, now.
            assertEquals("p3", h.room.view("p2", presentation).pin());

            List<Tile> gridWithSelf = TileLayout.compute(Layout.GRID, 640, 360, List.of("p0", "p1", "p2", "p3"), null);
            assertTrue(MixerHarness.eventually(10_000, () -> tilesShow(ps.get(0).video().latest(), gridWithSelf, 640, 360)),
                    "includeSelf grid shows " + describe(ps.get(0).video().latest(), gridWithSelf));

            assertTrue(MixerHarness.eventually(5_000, () -> "p2".equals(h.room.activeSpeaker())),
                    "active speaker is " + h.room.activeSpeaker());
            assertTrue(MixerHarness.eventually(5_000, () -> h.speakerEvents.contains("p2")),
                    "speaker events " + h.speakerEvents);
            List<Tile> speakerTiles = TileLayout.compute(Layout.SPEAKER, 640, 360, List.of("p0", "p2", "p3"), "p2");
            assertEquals("p2", speakerTiles.get(0).participantId());
            assertTrue(MixerHarness.eventually(5_000, () -> tilesShow(ps.get(1).video().latest(), speakerTiles, 640, 360)),
                    "speaker view shows " + describe(ps.get(1).video().latest(), speakerTiles));

            List<Tile> presented = TileLayout.compute(Layout.PRESENTATION, 640, 360, List.of("p0", "p1", "p3"), "p3");
            assertEquals("p3", presented.get(0).participantId());
            assertTrue(MixerHarness.eventually(5_000, () -> tilesShow(ps.get(2).video().latest(), presented, 640, 360)),
                    "presentation view shows " + describe(ps.get(2).video().latest(), presented));
        }
    }
}
