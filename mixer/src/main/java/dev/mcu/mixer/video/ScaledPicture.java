package dev.mcu.mixer.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.ByteBuffer;

/**
 * One participant's picture scaled to one tile size, kept across ticks: it is rescaled only when
 * the participant shows a new frame, and every view that shows the participant at that size
 * copies from it, so scaling is done once per participant and size, not once per viewer.
 * Native memory (planes, swscale context) is freed by {@link #close()}, exactly once.
 * Whole reduction factors go through {@link LibyuvScaler}, the others through swscale.
 */
final class ScaledPicture implements AutoCloseable {

    /** Bilinear is the cheapest filter without visible aliasing on camera content at these ratios. */
    static final int SCALE_FLAGS = swscale.SWS_FAST_BILINEAR;
    /**
     * Bytes after each plane: swscale's SIMD line writers store whole vectors, past the end of a
     * narrow plane's last row (a 16x8 picture corrupted the heap without it). FFmpeg asks for 64.
     */
    private static final int PLANE_PADDING = 128;

    final int width;
    final int height;
    private final BytePointer memory;
    final ByteBuffer y;
    final ByteBuffer u;
    final ByteBuffer v;
    private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(4);
    private final IntPointer srcStrides = new IntPointer(4);
    private final PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(4);
    private final IntPointer dstStrides = new IntPointer(4);
    private SwsContext context;
    private int contextSrcWidth;
    private int contextSrcHeight;
    private long scaledSequence = -1;
    boolean usedThisTick;
    private boolean closed;
    private final boolean useLibyuv = LibyuvScaler.usable();

    ScaledPicture(int width, int height) {
        this.width = width;
        this.height = height;
        int ySize = width * height;
        int cSize = (width / 2) * (height / 2);
        int uAt = ySize + PLANE_PADDING;
        int vAt = uAt + cSize + PLANE_PADDING;
        memory = new BytePointer((long) vAt + cSize + PLANE_PADDING);
        ByteBuffer all = memory.asBuffer();
        y = all.slice(0, ySize);
        u = all.slice(uAt, cSize);
        v = all.slice(vAt, cSize);
        dstPlanes.put(0, memory.getPointer(0));
        dstPlanes.put(1, memory.getPointer(uAt));
        dstPlanes.put(2, memory.getPointer(vAt));
        dstStrides.put(0, width).put(1, width / 2).put(2, width / 2).put(3, 0);
    }

    /** Brings the picture up to date with the input's shown frame; a no-op if it already is. */
    void update(VideoInput input) {
        if (input.sequence() == scaledSequence) {
            return;
        }
        int srcW = input.width();
        int srcH = input.height();
        if (useLibyuv && wholeFactor(srcW, srcH) && LibyuvScaler.scale(input.data(0), input.stride(0),
                input.data(1), input.stride(1), input.data(2), input.stride(2), srcW, srcH, y, u, v, width, height)) {
            scaledSequence = input.sequence();
            return;
        }
        if (context == null || srcW != contextSrcWidth || srcH != contextSrcHeight) {
            freeContext();
            context = swscale.sws_getContext(srcW, srcH, avutil.AV_PIX_FMT_YUV420P, width, height,
                    avutil.AV_PIX_FMT_YUV420P, SCALE_FLAGS, null, null, (DoublePointer) null);
            if (context == null) {
                throw new IllegalStateException("swscale refused " + srcW + "x" + srcH + " -> " + width + "x" + height);
            }
            contextSrcWidth = srcW;
            contextSrcHeight = srcH;
        }
        for (int i = 0; i < 3; i++) {
            srcPlanes.put(i, input.plane(i));
            srcStrides.put(i, input.stride(i));
        }
        swscale.sws_scale(context, srcPlanes, srcStrides, 0, srcH, dstPlanes, dstStrides);
        scaledSequence = input.sequence();
    }

    /**
     * libyuv for whole reduction factors (a 640x360 camera in a 320x180 tile: 44 us instead of 274 us
     * per 4-tile tick in CompositeBenchmark), swscale for the rest (no faster there).
     */
    private boolean wholeFactor(int srcW, int srcH) {
        return (width & 1) == 0 && (height & 1) == 0 // libyuv writes (n + 1) / 2 chroma samples
                && srcW >= width && srcH >= height && srcW % width == 0 && srcH % height == 0
                && srcW / width == srcH / height;
    }

    private void freeContext() {
        if (context != null) {
            swscale.sws_freeContext(context);
            context = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        freeContext();
        memory.deallocate();
        srcPlanes.deallocate();
        srcStrides.deallocate();
        dstPlanes.deallocate();
        dstStrides.deallocate();
    }
}
