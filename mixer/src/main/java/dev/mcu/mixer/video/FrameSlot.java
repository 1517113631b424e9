package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.VideoFrame;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands the newest decoded frame from the decoder's callback thread to the room's video clock.
 * Older frames are dropped (and released) at the drop site, never queued. Every frame offered is
 * released exactly once: by the slot when it is replaced or the slot is closed, or by the clock
 * after it {@link #take}s it.
 */
public final class FrameSlot {

    private final AtomicReference<VideoFrame> newest = new AtomicReference<>();
    private volatile boolean closed;
    private volatile long offered;

    /** Called from the native sink callback: must not block or throw. Takes ownership of frame. */
    public void offer(VideoFrame frame) {
        if (closed) {
            frame.release();
            return;
        }
        offered++;
        VideoFrame dropped = newest.getAndSet(frame);
        if (dropped != null) {
            dropped.release();
        }
        if (closed) {
            drain();
        }
    }

    /** The newest frame not yet taken, or null; the caller now owns it and must release it. */
    public VideoFrame take() {
        return newest.getAndSet(null);
    }

    /** Frames offered so far (a liveness figure, not exact under races). */
    public long offered() {
        return offered;
    }

    /** Releases the pending frame; later offers are released at once. Idempotent. */
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        VideoFrame pending = newest.getAndSet(null);
        if (pending != null) {
            pending.release();
        }
    }
}
