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

    /**
     * The share of the picture (sampled every 4th pixel each way) whose colour is within the
     * tolerance of this RGB colour on every channel (BT.601 limited range to RGB).
     */
    public double share(int r, int g, int b, int tolerance) {
        int near = 0;
        int all = 0;
        int cw = width / 2;
        for (int yy = 0; yy < height; yy += 4) {
            for (int x = 0; x < width; x += 4) {
                double c = (y[yy * width + x] & 0xff) - 16;
                double d = (u[(yy / 2) * cw + x / 2] & 0xff) - 128;
                double e = (v[(yy / 2) * cw + x / 2] & 0xff) - 128;
                double pr = 1.164 * c + 1.596 * e;
                double pg = 1.164 * c - 0.392 * d - 0.813 * e;
                double pb = 1.164 * c + 2.017 * d;
                if (Math.abs(pr - r) < tolerance && Math.abs(pg - g) < tolerance && Math.abs(pb - b) < tolerance) {
                    near++;
                }
                all++;
            }
        }
        return all == 0 ? 0 : near / (double) all;
    }
}
