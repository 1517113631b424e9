package dev.mcu.mixer.video;

import dev.mcu.events.signal.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the tiles of a view from its layout and the participants it shows. Pure and
 * allocation-light: it runs once per distinct view per roster change, not per frame.
 */
public final class TileLayout {

    /** Share of the canvas height the large tile takes in speaker and presentation layouts. */
    static final double STAGE_SHARE = 0.75;
    private static final double TILE_ASPECT = 16.0 / 9.0;

    private TileLayout() {
    }

    /**
     * @param shown  the participants in the view, in join order
     * @param stage  the participant shown large (speaker or pin), or null for the first shown
     */
    public static List<Tile> compute(Layout layout, int width, int height, List<String> shown, String stage) {
        if (shown.isEmpty()) {
            return List.of();
        }
        return switch (layout) {
            case GRID, UNKNOWN -> grid(0, 0, width, height, shown);
            case SPEAKER, PRESENTATION -> staged(width, height, shown, stage);
        };
    }

    /** Near-square grid: the column count that gives the largest 16:9 picture per tile. */
    static List<Tile> grid(int x0, int y0, int width, int height, List<String> ids) {
        int n = ids.size();
        int bestCols = 1;
        double bestArea = -1;
        for (int cols = 1; cols <= n; cols++) {
            int rows = (n + cols - 1) / cols;
            double w = (double) width / cols;
            double h = (double) height / rows;
            double fitted = Math.min(w, h * TILE_ASPECT);
            double area = fitted * (fitted / TILE_ASPECT);
            if (area > bestArea + 1e-6) {
                bestArea = area;
                bestCols = cols;
            }
        }
        int cols = bestCols;
        int rows = (n + cols - 1) / cols;
        int tileW = even(width / cols);
        int tileH = even(height / rows);
        List<Tile> tiles = new ArrayList<>(n);
        int usedH = tileH * rows;
        int top = y0 + even((height - usedH) / 2);
        for (int i = 0; i < n; i++) {
            int row = i / cols;
            int inRow = Math.min(cols, n - row * cols);
            int left = x0 + even((width - inRow * tileW) / 2);
            int col = i % cols;
            tiles.add(new Tile(ids.get(i), left + col * tileW, top + row * tileH, tileW, tileH));
        }
        return tiles;
    }

    /** One participant large on a stage, the others in a strip below it. */
    private static List<Tile> staged(int width, int height, List<String> shown, String stage) {
        String main = stage != null && shown.contains(stage) ? stage : shown.get(0);
        List<String> others = new ArrayList<>(shown);
        others.remove(main);
        if (others.isEmpty()) {
            return List.of(new Tile(main, 0, 0, even(width), even(height)));
        }
        int stageH = even((int) (height * STAGE_SHARE));
        List<Tile> tiles = new ArrayList<>(shown.size());
        tiles.add(new Tile(main, 0, 0, even(width), stageH));
        int stripH = even(height - stageH);
        int cellW = even(Math.min(width / others.size(), (int) (stripH * TILE_ASPECT)));
        int left = even((width - cellW * others.size()) / 2);
        for (int i = 0; i < others.size(); i++) {
            tiles.add(new Tile(others.get(i), left + i * cellW, stageH, cellW, stripH));
        }
        return tiles;
    }

    private static int even(int v) {
        return v & ~1;
    }
}
