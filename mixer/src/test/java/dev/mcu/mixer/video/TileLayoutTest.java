package dev.mcu.mixer.video;

import dev.mcu.events.signal.Layout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TileLayoutTest {

    @Test
    void fourInAGridAreTwoByTwo() {
        List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, List.of("a", "b", "c", "d"), null);
        assertEquals(List.of(new Tile("a", 0, 0, 320, 180), new Tile("b", 320, 0, 320, 180),
                new Tile("c", 0, 180, 320, 180), new Tile("d", 320, 180, 320, 180)), tiles);
    }

    @Test
    void anIncompleteLastRowIsCentred() {
        List<Tile> tiles = TileLayout.compute(Layout.GRID, 640, 360, List.of("a", "b", "c"), null);
        assertEquals(new Tile("c", 160, 180, 320, 180), tiles.get(2));
    }

    @Test
    void gridsStayInsideTheCanvasWithoutOverlapAndOnEvenCoordinates() {
        for (int n = 1; n <= 25; n++) {
            List<String> ids = java.util.stream.IntStream.range(0, n).mapToObj(i -> "p" + i).toList();
            for (int[] size : new int[][] {{640, 360}, {320, 180}, {1280, 720}, {360, 640}}) {
                List<Tile> tiles = TileLayout.compute(Layout.GRID, size[0], size[1], ids, null);
                assertEquals(n, tiles.size());
                for (Tile t : tiles) {
                    assertTrue(t.x() >= 0 && t.y() >= 0 && t.x() + t.width() <= size[0] && t.y() + t.height() <= size[1],
                            t + " outside " + size[0] + "x" + size[1]);
                    assertEquals(0, (t.x() | t.y() | t.width() | t.height()) & 1, "odd coordinate in " + t);
                    for (Tile o : tiles) {
                        if (o != t) {
                            assertFalse(t.x() < o.x() + o.width() && o.x() < t.x() + t.width()
                                    && t.y() < o.y() + o.height() && o.y() < t.y() + t.height(), t + " overlaps " + o);
                        }
                    }
                }
            }
        }
    }

    @Test
    void nineInSixteenByNineAreThreeByThree() {
        List<Tile> tiles = TileLayout.compute(Layout.GRID, 1280, 720,
                List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), null);
        assertEquals(426, tiles.get(0).width());
        assertEquals(240, tiles.get(0).height());
    }

    @Test
    void speakerLayoutPutsTheStageFirstAndLarge() {
        List<Tile> tiles = TileLayout.compute(Layout.SPEAKER, 640, 360, List.of("a", "b", "c"), "b");
        assertEquals("b", tiles.get(0).participantId());
        assertEquals(640, tiles.get(0).width());
        assertEquals(270, tiles.get(0).height());
        assertTrue(tiles.get(1).y() >= 270 && tiles.get(2).y() >= 270);
    }

    @Test
    void anUnknownStageFallsBackToTheFirstParticipant() {
        List<Tile> tiles = TileLayout.compute(Layout.PRESENTATION, 640, 360, List.of("a", "b"), "gone");
        assertEquals("a", tiles.get(0).participantId());
    }

    @Test
    void aLoneParticipantFillsTheStage() {
        assertEquals(List.of(new Tile("a", 0, 0, 640, 360)),
                TileLayout.compute(Layout.SPEAKER, 640, 360, List.of("a"), "a"));
        assertTrue(TileLayout.compute(Layout.GRID, 640, 360, List.of(), null).isEmpty());
    }
}
