package dev.mcu.bench.media;

import dev.mcu.bench.analysis.Picture;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mcu.bench.media.PictureChecks.describe;
import static dev.mcu.bench.media.PictureChecks.tilesShow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Four real peers in a grid room: each sees the other three colours where the layout puts them. */
class GridMixTest {

    @Test
    void eachParticipantSeesTheOtherThreeAndNotItself() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            List<SyntheticParticipant> ps = h.joinAll(4, i -> h.defaultView(), SyntheticParticipant.Options::flat);
            List<String> ids = List.of("p0", "p1", "p2", "p3");
            for (int i = 0; i < 4; i++) {
                SyntheticParticipant viewer = ps.get(i);
                List<String> others = new ArrayList<>(ids);
                others.remove(i);
                List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, others, null);
                boolean ok = MixerHarness.eventually(10_000,
                        () -> tilesShow(viewer.video().latest(), tiles, 640, 360));
                Picture picture = viewer.video().latest();
                assertTrue(ok, "viewer " + i + " sees " + describe(picture, tiles));
                for (int x = 8; x < 640; x += 16) {
                    for (int y = 8; y < 360; y += 16) {
                        assertTrue(picture.colourAt(x, y) != viewer.colour(),
                                "viewer " + i + " sees its own colour at " + x + "," + y);
                    }
                }
            }
        }
    }
}
