package dev.mcu.mixer.video;

/**
 * Where one participant is drawn in a composite: the tile's rectangle in the canvas and the
 * participant whose picture (or placeholder) fills it. All coordinates are even.
 */
public record Tile(String participantId, int x, int y, int width, int height) {
}
