package dev.mcu.bench.analysis;

import dev.mcu.bench.synthetic.SyntheticContent;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.video.Compositor;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Luma PSNR of one participant's tile in a received grid composite against the pictures it sent,
 * judged at the size the viewer's full view shows that tile: a tile from a smaller tier is scaled
 * up to that size first, so the figure counts what a smaller composite loses in detail as well as
 * what the encoder loses. The source's cycle frames are scaled down to the same size once
 * (box filter); each measurement takes the best match among them, so no frame code needs to
 * survive a 160x90 composite. The code band at the top of a tile and the name label at its bottom
 * are left out.
 */
public final class TilePsnr {

    /** Rows compared: between the code band (top quarter) and the label, with margins for scaling. */
    private static final double FROM = 0.30;
    private static final double TO = 0.72;

    private final SyntheticContent source;
    private final int tiles;
    private final int tile;
    private final int refW;
    private final int refH;
    private final List<byte[]> reference = new ArrayList<>();
    private final byte[] scaled;

    /**
     * @param tiles how many tiles the grid shows, {@code tile} the one compared (join order)
     * @param fullWidth the width of the view the viewer asked for (its full tier), likewise height
     */
    public TilePsnr(SyntheticContent source, int tiles, int tile, int fullWidth, int fullHeight) {
        this.source = source;
        this.tiles = tiles;
        this.tile = tile;
        int[] rect = pictureRect(fullWidth, fullHeight);
        this.refW = rect[2];
        this.refH = rect[3];
        for (int f = 0; f < SyntheticContent.CYCLE; f++) {
            reference.add(boxScale(source.luma(f), source.width, source.height, refW, refH));
        }
        this.scaled = new byte[refW * refH];
    }

    /** The PSNR in dB of the tile in this composite, or NaN when the composite is too small to hold it. */
    public double measure(Picture composite) {
        int[] rect = pictureRect(composite.width(), composite.height());
        if (rect[2] < 8 || rect[3] < 8) {
            return Double.NaN;
        }
        bilinear(composite.y(), composite.width(), rect, scaled, refW, refH);
        double best = Double.NaN;
        for (byte[] ref : reference) {
            double db = psnr(scaled, ref);
            if (!(db <= best)) {
                best = db;
            }
        }
        return best;
    }

    private int[] pictureRect(int width, int height) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tiles; i++) {
            ids.add("t" + i);
        }
        Tile t = TileLayout.compute(Layout.GRID, width, height, ids, null).get(tile);
        return Compositor.pictureRect(source.width, source.height, t);
    }

    private double psnr(byte[] a, byte[] b) {
        double sum = 0;
        long n = 0;
        for (int r = (int) (refH * FROM); r < (int) (refH * TO); r++) {
            for (int c = 0, i = r * refW; c < refW; c++, i++) {
                int d = (a[i] & 0xff) - (b[i] & 0xff);
                sum += d * d;
                n++;
            }
        }
        double mse = Math.max(sum / n, 1e-3);
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Area average of the source over each destination pixel (a downscale). */
    static byte[] boxScale(byte[] src, int sw, int sh, int dw, int dh) {
        byte[] out = new byte[dw * dh];
        for (int r = 0; r < dh; r++) {
            int r0 = r * sh / dh;
            int r1 = Math.max(r0 + 1, (r + 1) * sh / dh);
            for (int c = 0; c < dw; c++) {
                int c0 = c * sw / dw;
                int c1 = Math.max(c0 + 1, (c + 1) * sw / dw);
                long sum = 0;
                for (int y = r0; y < r1; y++) {
                    for (int x = c0; x < c1; x++) {
                        sum += src[y * sw + x] & 0xff;
                    }
                }
                out[r * dw + c] = (byte) Math.round((double) sum / ((r1 - r0) * (c1 - c0)));
            }
        }
        return out;
    }

    /** Bilinear resample of {x, y, w, h} of a plane {@code stride} wide into a dw x dh plane. */
    static void bilinear(byte[] plane, int stride, int[] rect, byte[] out, int dw, int dh) {
        double sx = (double) rect[2] / dw;
        double sy = (double) rect[3] / dh;
        for (int r = 0; r < dh; r++) {
            double fy = Math.max(0, (r + 0.5) * sy - 0.5);
            int y0 = Math.min(rect[3] - 1, (int) fy);
            int y1 = Math.min(rect[3] - 1, y0 + 1);
            double wy = fy - y0;
            for (int c = 0; c < dw; c++) {
                double fx = Math.max(0, (c + 0.5) * sx - 0.5);
                int x0 = Math.min(rect[2] - 1, (int) fx);
                int x1 = Math.min(rect[2] - 1, x0 + 1);
                double wx = fx - x0;
                double top = at(plane, stride, rect, x0, y0) * (1 - wx) + at(plane, stride, rect, x1, y0) * wx;
                double bottom = at(plane, stride, rect, x0, y1) * (1 - wx) + at(plane, stride, rect, x1, y1) * wx;
                out[r * dw + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
            }
        }
    }

    private static int at(byte[] plane, int stride, int[] rect, int x, int y) {
        return plane[(rect[1] + y) * stride + rect[0] + x] & 0xff;
    }
}
