package dev.mcu.mixer.video;

import dev.mcu.events.signal.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * One distinct composite: its size and tiles, the viewers that receive it, and the labels drawn
 * in it. Viewers whose views are equal share one plan, and so one composite per frame.
 */
final class ViewPlan {

    /** Equal keys mean identical composites. {@code excluded} is the viewer hidden from itself. */
    record Key(Layout layout, int width, int height, int fpsDivisor, String stage, String excluded) {
    }

    /** A tile with its labels, rendered once when the plan is made. */
    record PlannedTile(Tile tile, Label label, Label placeholderLabel) {
    }

    final Key key;
    final List<PlannedTile> tiles;
    final List<CompositeSink> viewers = new ArrayList<>();

    ViewPlan(Key key, List<PlannedTile> tiles) {
        this.key = key;
        this.tiles = tiles;
    }

    static ViewPlan create(Key key, List<Tile> tiles, List<? extends VideoFeed> feeds) {
        List<PlannedTile> planned = new ArrayList<>(tiles.size());
        for (Tile tile : tiles) {
            String name = nameOf(tile.participantId(), feeds);
            int labelH = Math.max(12, tile.height() / 10);
            int bigH = Math.max(16, tile.height() / 6);
            planned.add(new PlannedTile(tile,
                    Label.render(name, labelH, tile.width() - 4),
                    Label.render(name, bigH, tile.width() - 4)));
        }
        return new ViewPlan(key, planned);
    }

    private static String nameOf(String id, List<? extends VideoFeed> feeds) {
        for (VideoFeed feed : feeds) {
            if (feed.id().equals(id)) {
                return feed.name();
            }
        }
        return id;
    }
}
