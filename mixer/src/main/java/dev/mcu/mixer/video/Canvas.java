package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.NativeI420Buffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Drawing operations on one I420 output frame: fills, picture copies and labels. Every operation
 * works on whole rows with bulk copies (memcpy under the hood); only labels touch single pixels,
 * and only inside the small label box.
 */
final class Canvas {

    static final byte BLACK_Y = 16;
    static final byte PLACEHOLDER_Y = 48;
    static final byte NEUTRAL_C = (byte) 128;
    private static final int TEXT_Y = 235;

    private final byte[] fillRow;
    private ByteBuffer y;
    private ByteBuffer u;
    private ByteBuffer v;
    private int strideY;
    private int strideU;
    private int strideV;
    private int width;
    private int height;

    Canvas(int maxWidth) {
        fillRow = new byte[maxWidth];
    }

    /** Points the canvas at a freshly allocated output buffer. */
    void target(NativeI420Buffer buffer) {
        y = buffer.getDataY();
        u = buffer.getDataU();
        v = buffer.getDataV();
        strideY = buffer.getStrideY();
        strideU = buffer.getStrideU();
        strideV = buffer.getStrideV();
        width = buffer.getWidth();
        height = buffer.getHeight();
    }

    void fill(int x, int top, int w, int h, byte luma, byte chroma) {
        Arrays.fill(fillRow, 0, w, luma);
        for (int r = 0; r < h; r++) {
            y.put((top + r) * strideY + x, fillRow, 0, w);
        }
        Arrays.fill(fillRow, 0, w / 2, chroma);
        for (int r = 0; r < h / 2; r++) {
            u.put((top / 2 + r) * strideU + x / 2, fillRow, 0, w / 2);
            v.put((top / 2 + r) * strideV + x / 2, fillRow, 0, w / 2);
        }
    }

    void clear() {
        fill(0, 0, width, height, BLACK_Y, NEUTRAL_C);
    }

    void copy(ScaledPicture picture, int x, int top) {
        int w = picture.width;
        for (int r = 0; r < picture.height; r++) {
            y.put((top + r) * strideY + x, picture.y, r * w, w);
        }
        int cw = w / 2;
        for (int r = 0; r < picture.height / 2; r++) {
            u.put((top / 2 + r) * strideU + x / 2, picture.u, r * cw, cw);
            v.put((top / 2 + r) * strideV + x / 2, picture.v, r * cw, cw);
        }
    }

    /** Draws white text on a darkened, neutral box; clipped to the given area. */
    void label(Label label, int x, int top, int maxW, int maxH) {
        if (x < 0 || top < 0) {
            return;
        }
        int w = Math.max(0, Math.min(Math.min(label.width, maxW), width - x)) & ~1;
        int h = Math.max(0, Math.min(Math.min(label.height, maxH), height - top)) & ~1;
        for (int r = 0; r < h; r++) {
            int row = (top + r) * strideY + x;
            int src = r * label.width;
            for (int c = 0; c < w; c++) {
                int under = (y.get(row + c) & 0xff) * 3 >> 3;
                int a = label.coverage[src + c] & 0xff;
                y.put(row + c, (byte) (under + ((TEXT_Y - under) * a >> 8)));
            }
        }
        Arrays.fill(fillRow, 0, w / 2, NEUTRAL_C);
        for (int r = 0; r < h / 2; r++) {
            u.put((top / 2 + r) * strideU + x / 2, fillRow, 0, w / 2);
            v.put((top / 2 + r) * strideV + x / 2, fillRow, 0, w / 2);
        }
    }
}
