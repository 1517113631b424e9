package dev.mcu.bench.media;

import dev.mcu.bench.analysis.Picture;
import dev.mcu.bench.synthetic.Palette;
import dev.mcu.mixer.video.Tile;

import java.util.List;

/** Reads back what a composite shows where a layout says tiles are. */
final class PictureChecks {

    private PictureChecks() {
    }

    static int indexOf(String participantId) {
        return Integer.parseInt(participantId.substring(1));
    }

    /** Whether every tile shows its participant's colour at its centre. */
    static boolean tilesShow(Picture picture, List<Tile> tiles, int width, int height) {
        if (picture == null || picture.width() != width || picture.height() != height) {
            return false;
        }
        for (Tile tile : tiles) {
            Palette.Colour expected = Palette.colour(indexOf(tile.participantId()));
            if (picture.colourAt(tile.x() + tile.width() / 2, tile.y() + tile.height() / 2) != expected) {
                return false;
            }
        }
        return true;
    }

    /** Whether a tile shows the no-video placeholder: dark neutral grey away from its centred name. */
    static boolean placeholderAt(Picture picture, Tile tile) {
        if (picture == null) {
            return false;
        }
        int[] m = picture.meanAt(tile.x() + tile.width() / 5, tile.y() + tile.height() / 5, 2);
        return m[0] > 30 && m[0] < 70 && Math.abs(m[1] - 128) < 12 && Math.abs(m[2] - 128) < 12;
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
