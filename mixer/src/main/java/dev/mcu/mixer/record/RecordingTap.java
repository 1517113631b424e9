package dev.mcu.mixer.record;

import dev.mcu.mixer.audio.AudioFormat;
import dev.mcu.mixer.audio.MixSink;
import dev.mcu.mixer.video.CompositeSink;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a room's clocks hand a recording its composites and its full mix. The clock threads only
 * copy into preallocated slots and offer them to a bounded queue, never waiting: when the writer
 * falls behind (a slow disk, a busy encoder), what does not fit is dropped and counted, and the
 * room's clocks run on as if nothing were recording.
 */
public final class RecordingTap implements CompositeSink, MixSink {

    /** Half a second of composites at 30 fps: an encoder's hiccup (a keyframe, a busy core) passes. */
    static final int VIDEO_SLOTS = 15;
    /** Two seconds of 10 ms chunks. */
    static final int AUDIO_SLOTS = 200;

    /** One copied composite: contiguous I420 planes, each as wide as the picture. */
    static final class Picture {
        final ByteBuffer i420;
        long nanos;

        Picture(int width, int height) {
            i420 = ByteBuffer.allocateDirect(width * height * 3 / 2);
        }
    }

    /** One 10 ms chunk of the full mix. */
    static final class Chunk {
        final short[] samples = new short[AudioFormat.CHUNK_SAMPLES];
        long nanos;
    }

    private final String id;
    private final ViewSpec view;
    private final ArrayBlockingQueue<Picture> freePictures = new ArrayBlockingQueue<>(VIDEO_SLOTS);
    private final ArrayBlockingQueue<Chunk> freeChunks = new ArrayBlockingQueue<>(AUDIO_SLOTS);
    /** What the writer has still to write, in the order the clocks gave it. */
    private final ArrayBlockingQueue<Object> pending = new ArrayBlockingQueue<>(VIDEO_SLOTS + AUDIO_SLOTS);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean open = true;
    private volatile double audioLagMs = Double.NaN;

    /** @param view the composite it records: its layout, size and frame rate; everyone is shown */
    public RecordingTap(String id, ViewSpec view) {
        this.id = id;
        this.view = view;
        for (int i = 0; i < VIDEO_SLOTS; i++) {
            freePictures.add(new Picture(view.width(), view.height()));
        }
        for (int i = 0; i < AUDIO_SLOTS; i++) {
            freeChunks.add(new Chunk());
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ViewSpec view() {
        return view;
    }

    @Override
    public boolean receivingVideo() {
        return open;
    }

    /** On the video clock's thread: copies the composite, or drops it if no slot is free. */
    @Override
    public void sendVideo(VideoFrame composite) {
        if (!open || !(composite.buffer instanceof I420Buffer b)
                || b.getWidth() != view.width() || b.getHeight() != view.height()) {
            return;
        }
        Picture p = freePictures.poll();
        if (p == null) {
            dropped.incrementAndGet();
            return;
        }
        int w = view.width();
        int h = view.height();
        copyPlane(b.getDataY(), b.getStrideY(), p.i420, 0, w, h);
        copyPlane(b.getDataU(), b.getStrideU(), p.i420, w * h, w / 2, h / 2);
        copyPlane(b.getDataV(), b.getStrideV(), p.i420, w * h + (w / 2) * (h / 2), w / 2, h / 2);
        p.nanos = composite.timestampNs;
        if (!pending.offer(p)) {
            freePictures.offer(p);
            dropped.incrementAndGet();
        }
    }

    private static void copyPlane(ByteBuffer src, int stride, ByteBuffer dst, int at, int width, int rows) {
        for (int r = 0; r < rows; r++) {
            dst.put(at + r * width, src, r * stride, width);
        }
    }

    /** On the audio clock's thread: copies the chunk, or drops it if no slot is free. */
    @Override
    public void sendMix(byte[] pcm, long deadlineNanos) {
        if (!open) {
            return;
        }
        Chunk c = freeChunks.poll();
        if (c == null) {
            dropped.incrementAndGet();
            return;
        }
        short[] s = c.samples;
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
        }
        c.nanos = deadlineNanos;
        if (!pending.offer(c)) {
            freeChunks.offer(c);
            dropped.incrementAndGet();
        }
    }

    /** The room's sound now lags its pictures by this much (see {@code RoomTap#audioLag}). */
    void audioLag(double ms) {
        audioLagMs = ms;
    }

    /** The room's latest measured audio lag; NaN until it is known. */
    double audioLagMs() {
        return audioLagMs;
    }

    /** The writer's next item (a {@link Picture} or a {@link Chunk}), or null after the timeout. */
    Object next(long timeoutMs) throws InterruptedException {
        return pending.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Gives a written item's slot back to the clocks. */
    void recycle(Object item) {
        if (item instanceof Picture p) {
            freePictures.offer(p);
        } else if (item instanceof Chunk c) {
            freeChunks.offer(c);
        }
    }

    /** From now on the clocks give it nothing; what is queued can still be written. */
    void shut() {
        open = false;
    }

    boolean isOpen() {
        return open;
    }

    /** Composites and chunks dropped because the writer was behind. */
    public long dropped() {
        return dropped.get();
    }
}
