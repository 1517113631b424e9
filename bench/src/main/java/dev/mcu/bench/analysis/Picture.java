package dev.mcu.bench.analysis;

import dev.mcu.bench.synthetic.Palette;

/** A copy of one received I420 frame, for reading colours and codes back. */
public record Picture(int width, int height, byte[] y, byte[] u, byte[] v, long receivedAtNanos) {

    public int lumaAt(int x, int yy) {
        return y[yy * width + x] & 0xff;
    }

    /** The mean YUV of a small square around (x, y), as {y, u, v}. */
    public int[] meanAt(int x, int yy, int radius) {
        long sy = 0;
        long su = 0;
        long sv = 0;
        int n = 0;
        int cw = width / 2;
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int px = Math.max(0, Math.min(width - 1, x + dx));
                int py = Math.max(0, Math.min(height - 1, yy + dy));
                sy += y[py * width + px] & 0xff;
                su += u[(py / 2) * cw + px / 2] & 0xff;
                sv += v[(py / 2) * cw + px / 2] & 0xff;
                n++;
            }
        }
        return new int[] {(int) (sy / n), (int) (su / n), (int) (sv / n)};
    }

    /** The palette colour at a point, or null if the point shows none of them. */
    public Palette.Colour colourAt(int x, int yy) {
        int[] m = meanAt(x, yy, 3);
        return Palette.nearest(m[0], m[1], m[2], 60);
    }
}
