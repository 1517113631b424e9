package dev.mcu.bench.media;

import dev.mcu.bench.analysis.Picture;
import dev.mcu.bench.synthetic.Palette;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.video.Layout;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Four real peers in a grid room: each sees the other three colours where the layout puts them. */
class GridMixTest {

    @Test
    void eachParticipantSeesTheOtherThreeAndNotItself() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            List<SyntheticParticipant> ps = new ArrayList<>();
            List<String> ids = List.of("p0", "p1", "p2", "p3");
            for (int i = 0; i < 4; i++) {
                ps.add(h.join(ids.get(i), h.defaultView(), SyntheticParticipant.Options.flat(i)));
            }
            for (int i = 0; i < 4; i++) {
                SyntheticParticipant viewer = ps.get(i);
                List<String> others = new ArrayList<>(ids);
                others.remove(i);
                List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, others, null);
                boolean ok = MixerHarness.eventually(10_000, () -> tilesShow(viewer.video().latest(), tiles));
                Picture picture = viewer.video().latest();
                assertTrue(ok, "viewer " + i + " sees " + describe(picture, tiles));
                assertEquals(640, picture.width());
                assertEquals(360, picture.height());
                for (int x = 8; x < 640; x += 16) {
                    for (int y = 8; y < 360; y += 16) {
                        assertTrue(picture.colourAt(x, y) != viewer.colour(),
                                "viewer " + i + " sees its own colour at " + x + "," + y);
                    }
                }
            }
        }
    }

    static boolean tilesShow(Picture picture, List<Tile> tiles) {
        if (picture == null) {
            return false;
        }
        for (Tile tile : tiles) {
            int index = Integer.parseInt(tile.participantId().substring(1));
            Palette.Colour expected = Palette.colour(index);
            if (picture.width() < tile.x() + tile.width()) {
                return false;
            }
            if (picture.colourAt(tile.x() + tile.width() / 2, tile.y() + tile.height() / 2) != expected) {
                return false;
            }
        }
        return true;
    }

    static String describe(Picture picture, List<Tile> tiles) {
        if (picture == null) {
            return "nothing";
        }
        StringBuilder sb = new StringBuilder(picture.width() + "x" + picture.height() + ":");
        for (Tile tile : tiles) {
            int[] m = picture.meanAt(tile.x() + tile.width() / 2, tile.y() + tile.height() / 2, 3);
            sb.append(' ').append(tile.participantId()).append('=').append(m[0]).append('/').append(m[1])
                    .append('/').append(m[2]);
        }
        return sb.toString();
    }
}
