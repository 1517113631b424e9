package dev.mcu.bench.synthetic;

import java.util.SplittableRandom;

/**
 * Pictures a synthetic participant sends, prepared before sending so the sender's own cost stays
 * small: either a flat colour, or camera-like content (a texture tinted with the colour, moving a
 * little every frame, plus fresh-looking noise) that costs an encoder what a real camera does.
 * Frames are cycled from a small precomputed set; the visual code is drawn per frame on top.
 */
public final class SyntheticContent {

    /** Frames in the cycle: a second at 30 fps, so the repeat is too far back for any reference frame. */
    public static final int CYCLE = 30;

    public final int width;
    public final int height;
    final byte[][] y;
    final byte[] u;
    final byte[] v;

    private SyntheticContent(int width, int height, byte[][] y, byte[] u, byte[] v) {
        this.width = width;
        this.height = height;
        this.y = y;
        this.u = u;
        this.v = v;
    }

    public static SyntheticContent flat(Palette.Colour colour, int width, int height) {
        byte[] luma = new byte[width * height];
        java.util.Arrays.fill(luma, (byte) colour.y());
        return new SyntheticContent(width, height, new byte[][] {luma}, chroma(colour.u(), width, height),
                chroma(colour.v(), width, height));
    }

    public static SyntheticContent cameraLike(Palette.Colour colour, int width, int height, long seed) {
        return cameraLike(colour, width, height, seed, 9);
    }

    /**
     * @param noise amplitude of the per-frame random noise in luma levels; 0 gives a clean moving
     *              texture, whose every detail an encoder could keep (for quality comparisons)
     */
    public static SyntheticContent cameraLike(Palette.Colour colour, int width, int height, long seed, int noise) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] frames = new byte[CYCLE][width * height];
        for (int f = 0; f < CYCLE; f++) {
            double shift = f * 3.0;
            byte[] luma = frames[f];
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    double texture = 22 * Math.sin((c + shift) * 0.11) * Math.cos((r - shift * 0.5) * 0.07)
                            + 10 * Math.sin((c * 0.31 + r * 0.23) + shift * 0.2);
                    int grain = noise == 0 ? 0 : random.nextInt(-noise, noise + 1);
                    int value = (int) Math.round(colour.y() + texture) + grain;
                    luma[r * width + c] = (byte) Math.max(16, Math.min(235, value));
                }
            }
        }
        return new SyntheticContent(width, height, frames, chroma(colour.u(), width, height),
                chroma(colour.v(), width, height));
    }

    private static byte[] chroma(int value, int width, int height) {
        byte[] plane = new byte[(width / 2) * (height / 2)];
        java.util.Arrays.fill(plane, (byte) value);
        return plane;
    }

    /** Copies frame {@code frameIndex} of the cycle into a native buffer of the content's size. */
    public void fill(dev.onvoid.webrtc.media.video.NativeI420Buffer buffer, long frameIndex) {
        byte[] luma = luma(frameIndex);
        int w = width;
        for (int r = 0; r < height; r++) {
            buffer.getDataY().put(r * buffer.getStrideY(), luma, r * w, w);
        }
        for (int r = 0; r < height / 2; r++) {
            buffer.getDataU().put(r * buffer.getStrideU(), u, r * (w / 2), w / 2);
            buffer.getDataV().put(r * buffer.getStrideV(), v, r * (w / 2), w / 2);
        }
    }

    /** The luma plane of frame {@code frameIndex} of the cycle (without the visual code). */
    public byte[] luma(long frameIndex) {
        return y[(int) (frameIndex % y.length)];
    }
}
