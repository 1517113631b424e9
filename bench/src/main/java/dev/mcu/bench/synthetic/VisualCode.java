package dev.mcu.bench.synthetic;

import java.nio.ByteBuffer;

/**
 * A 16-bit number drawn as black and white cells in a band at the top of a picture, robust to
 * scaling and lossy coding: two rows of eight cells across the top quarter of the frame, large
 * enough to survive a 320x180 composite's 106x60 tiles at 300 kbps. Synthetic participants write
 * their send time (milliseconds modulo 2^16, about a minute) so latency can be read back from the
 * composite.
 */
public final class VisualCode {

    public static final int BITS = 16;
    static final int COLUMNS = 8;
    static final int ROWS = 2;
    /** Share of the picture height the band takes. */
    static final double BAND = 1.0 / 4;

    private VisualCode() {
    }

    public static int mask(long value) {
        return (int) (value & ((1 << BITS) - 1));
    }

    /** Writes the value into a luma plane of a picture of the given size. */
    public static void write(ByteBuffer y, int stride, int width, int height, int value) {
        int bandH = (int) (height * BAND);
        int rowH = bandH / ROWS;
        int cellW = width / COLUMNS;
        for (int bit = 0; bit < BITS; bit++) {
            byte luma = (byte) (((value >> bit) & 1) != 0 ? 235 : 16);
            int col = bit % COLUMNS;
            int row = bit / COLUMNS;
            for (int r = row * rowH; r < (row + 1) * rowH; r++) {
                int base = r * stride + col * cellW;
                for (int c = 0; c < cellW; c++) {
                    y.put(base + c, luma);
                }
            }
        }
    }

    /** Reads a value back from a picture at (x, y, w, h) of a native luma plane; samples each cell's centre. */
    public static int read(ByteBuffer luma, int stride, int x, int y, int w, int h) {
        int bandH = (int) (h * BAND);
        int rowH = bandH / ROWS;
        int cellW = w / COLUMNS;
        int value = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int sx = x + (bit % COLUMNS) * cellW + cellW / 2;
            int sy = y + (bit / COLUMNS) * rowH + rowH / 2;
            if ((luma.get(sy * stride + sx) & 0xff) > 125) {
                value |= 1 << bit;
            }
        }
        return value;
    }

    /** Milliseconds from a code written at send time to now, or -1 if the code is not plausible. */
    public static long ageMs(int code, long nowMs) {
        long age = (mask(nowMs) - code) & ((1 << BITS) - 1);
        return age < 30_000 ? age : -1;
    }

    /**
     * Reads a value back from a picture occupying (x, y, w, h) of a luma plane; samples each cell's
     * centre.
     */
    public static int read(byte[] luma, int stride, int x, int y, int w, int h) {
        int bandH = (int) (h * BAND);
        int rowH = bandH / ROWS;
        int cellW = w / COLUMNS;
        int value = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int col = bit % COLUMNS;
            int row = bit / COLUMNS;
            int sx = x + col * cellW + cellW / 2;
            int sy = y + row * rowH + rowH / 2;
            if ((luma[sy * stride + sx] & 0xff) > 125) {
                value |= 1 << bit;
            }
        }
        return value;
    }
}
