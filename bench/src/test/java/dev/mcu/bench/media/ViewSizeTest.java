package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import dev.mcu.mixer.video.ViewSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mcu.bench.media.PictureChecks.describe;
import static dev.mcu.bench.media.PictureChecks.tilesShow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A low-bandwidth viewer gets a 320x180 composite while another viewer of the room gets 640x360;
 * a view with very few bits per pixel is encoded with VP8.
 */
class ViewSizeTest {

    @Test
    void smallViewIsDeliveredAtItsOwnSize() throws Exception {
        MixerConfig config = MixerConfig.defaults();
        ViewSpec small = ViewSpec.clamped(config, Layout.GRID, 320, 180, 15, 250, false, null);
        try (MixerHarness h = new MixerHarness(config)) {
            List<SyntheticParticipant> ps = h.joinAll(3, i -> i == 0 ? small : h.defaultView(),
                    SyntheticParticipant.Options::flat);
            List<Tile> smallTiles = TileLayout.compute(Layout.GRID, 320, 180, List.of("p1", "p2"), null);
            List<Tile> bigTiles = TileLayout.compute(Layout.GRID, 640, 360, List.of("p0", "p2"), null);
            assertTrue(MixerHarness.eventually(10_000, () -> tilesShow(ps.get(0).video().latest(), smallTiles, 320, 180)),
                    "small viewer sees " + describe(ps.get(0).video().latest(), smallTiles));
            assertTrue(MixerHarness.eventually(10_000, () -> tilesShow(ps.get(1).video().latest(), bigTiles, 640, 360)),
                    "large viewer sees " + describe(ps.get(1).video().latest(), bigTiles));
            assertEquals(320, ps.get(0).video().width());
            assertEquals(180, ps.get(0).video().height());
            assertEquals(640, ps.get(1).video().width());
        }
    }

    @Test
    void aStarvedViewIsEncodedWithVp8AndAnOrdinaryOneWithH264() throws Exception {
        MixerConfig config = MixerConfig.defaults();
        // 640x360 at 30 fps in 150 kbps: 0.02 bits per pixel, where VP8 keeps a far better picture.
        ViewSpec starved = ViewSpec.clamped(config, Layout.GRID, 640, 360, 30, 150, false, null);
        try (MixerHarness h = new MixerHarness(config)) {
            List<SyntheticParticipant> ps = h.joinAll(2, i -> i == 0 ? starved : h.defaultView(),
                    SyntheticParticipant.Options::flat);
            assertEquals("VP8", h.room.videoCodec("p0"));
            assertEquals("H264", h.room.videoCodec("p1"));
            assertTrue(MixerHarness.eventually(10_000, () -> ps.get(0).video().frames() > 10
                    && ps.get(1).video().frames() > 10), "both viewers receive their mix");
            assertEquals("VP8", ps.get(0).negotiatedVideoCodec());
        }
    }
}
