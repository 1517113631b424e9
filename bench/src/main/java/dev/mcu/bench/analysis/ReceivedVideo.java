package dev.mcu.bench.analysis;

import dev.mcu.bench.synthetic.VisualCode;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.video.Compositor;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives the mixed video on the client side: keeps a copy of the newest frame (copied at most
 * every {@code copyEveryNanos}, so analysis costs little in benchmarks) and counts frames for the
 * delivered frame rate. The native frame is released here, exactly once.
 */
public final class ReceivedVideo implements VideoTrackSink {

    private volatile long copyEveryNanos;
    private final AtomicLong frames = new AtomicLong();
    private volatile Picture latest;
    private volatile long lastCopyNanos;
    private volatile int width;
    private volatile int height;
    private volatile int[] probe;
    private final long[] latencies = new long[4096];
    private int latencyCount;

    public ReceivedVideo(long copyEveryNanos) {
        this.copyEveryNanos = copyEveryNanos;
    }

    @Override
    public void onVideoFrame(VideoFrame frame) {
        try {
            frames.incrementAndGet();
            long now = System.nanoTime();
            I420Buffer buffer = frame.buffer.toI420();
            width = buffer.getWidth();
            height = buffer.getHeight();
            int[] region = probe;
            if (region != null && buffer.getWidth() >= region[0] + region[2]
                    && buffer.getHeight() >= region[1] + region[3]) {
                int code = VisualCode.read(buffer.getDataY(), buffer.getStrideY(), region[0], region[1], region[2],
                        region[3]);
                long age = VisualCode.ageMs(code, System.currentTimeMillis());
                if (age >= 0) {
                    synchronized (latencies) {
                        latencies[latencyCount++ % latencies.length] = age;
                    }
                }
            }
            if (now - lastCopyNanos >= copyEveryNanos) {
                lastCopyNanos = now;
                latest = copy(buffer, now);
            }
            if (buffer != frame.buffer) {
                buffer.release();
            }
        } catch (Throwable e) {
            // Never let an exception reach native code.
        } finally {
            frame.release();
        }
    }

    private static Picture copy(I420Buffer b, long now) {
        int w = b.getWidth();
        int h = b.getHeight();
        byte[] y = new byte[w * h];
        byte[] u = new byte[(w / 2) * (h / 2)];
        byte[] v = new byte[(w / 2) * (h / 2)];
        copyPlane(b.getDataY(), b.getStrideY(), y, w, h);
        copyPlane(b.getDataU(), b.getStrideU(), u, w / 2, h / 2);
        copyPlane(b.getDataV(), b.getStrideV(), v, w / 2, h / 2);
        return new Picture(w, h, y, u, v, now);
    }

    private static void copyPlane(ByteBuffer src, int stride, byte[] dst, int w, int h) {
        for (int r = 0; r < h; r++) {
            src.get(r * stride, dst, r * w, w);
        }
    }

    /**
     * Reads the sender's visual code from every received frame inside this region of the composite
     * (a tile's picture), to measure latency through the mixer.
     */
    public void probeLatency(int x, int y, int w, int h) {
        probe = new int[] {x, y, w, h};
    }

    /**
     * Probes the first tile of a default grid composite of the given size showing the given
     * participants (the viewer's others, in join order).
     */
    public void probeLatencyInFirstTile(int width, int height, java.util.List<String> shown) {
        Tile first = TileLayout.compute(Layout.GRID, width, height, shown, null).get(0);
        int[] fit = Compositor.pictureRect(width, height, first);
        probeLatency(fit[0], fit[1], fit[2], fit[3]);
    }

    /** Forgets latencies measured so far (the end of a warm-up). */
    public void resetLatency() {
        synchronized (latencies) {
            latencyCount = 0;
        }
    }

    /** The median of the latencies measured so far (the last 4096 frames), or -1 if none. */
    public long medianLatencyMs() {
        long[] copy;
        synchronized (latencies) {
            int n = Math.min(latencyCount, latencies.length);
            if (n == 0) {
                return -1;
            }
            copy = java.util.Arrays.copyOf(latencies, n);
        }
        java.util.Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    /** How often a received frame is copied for {@link #latest()}. */
    public void copyEvery(long nanos) {
        copyEveryNanos = nanos;
    }

    public Picture latest() {
        return latest;
    }

    public long frames() {
        return frames.get();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
