package dev.mcu.mixer.ingest;

import dev.mcu.mixer.audio.AudioFormat;
import dev.mcu.mixer.audio.JitterQueue;
import dev.mcu.mixer.video.FrameSlot;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A media file or an http(s) URL decoded with JavaCV's FFmpeg grabber on a thread of its own and
 * played into a room in real time, as a participant's camera and microphone would arrive: each
 * picture into its frame slot, the sound in 10 ms chunks of 48 kHz mono into its audio queue. It
 * ends at the end of the media (then {@code ended} runs) or when closed (its participant left).
 */
public final class IngestSource implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(IngestSource.class.getName());

    private final String source;
    private final String shown;
    private final Runnable ended;
    private final Thread thread;
    private volatile boolean closed;
    private FrameSlot frames;
    private JitterQueue audio;
    private final short[] pending = new short[AudioFormat.CHUNK_SAMPLES];
    private int pendingCount;

    /**
     * @param source what FFmpeg opens: {@code file:<absolute path>} or an http(s) URL, checked by the caller
     * @param shown  how logs name it
     * @param ended  runs once the media has ended or failed (not when closed)
     */
    public IngestSource(String source, String shown, Runnable ended) {
        this.source = source;
        this.shown = shown;
        this.ended = ended;
        this.thread = Thread.ofPlatform().name("ingest").daemon().unstarted(this::run);
    }

    /** Starts playing into these hand-over points (those of its participant). */
    public void start(FrameSlot frames, JitterQueue audio) {
        this.frames = frames;
        this.audio = audio;
        thread.start();
    }

    private void run() {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source)) {
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.setSampleMode(FFmpegFrameGrabber.SampleMode.SHORT);
            g.setSampleRate(AudioFormat.SAMPLE_RATE);
            g.setAudioChannels(1);
            g.setOption("rw_timeout", "10000000"); // an http source that stalls for 10 s ends
            g.start();
            long t0 = System.nanoTime();
            long first = Long.MIN_VALUE;
            Frame f;
            while (!closed && (f = g.grab()) != null) {
                if (first == Long.MIN_VALUE) {
                    first = f.timestamp;
                }
                // In real time: each frame when its time comes, as from a camera.
                long due = t0 + TimeUnit.MICROSECONDS.toNanos(f.timestamp - first);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (f.image != null && f.opaque instanceof AVFrame picture) {
                    frames.offer(copy(picture, f.imageWidth, f.imageHeight));
                }
                if (f.samples != null && f.samples[0] instanceof ShortBuffer s) {
                    push(s);
                }
            }
            LOG.log(System.Logger.Level.INFO, "ingest of {0} ended", shown);
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "ingest of {0} failed: {1}", shown, e.getMessage());
        } finally {
            if (!closed) {
                try {
                    ended.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ingest of " + shown + ": leaving failed", e);
                }
            }
        }
    }

    /** A native frame the room's compositor takes over (the slot releases it). */
    private static VideoFrame copy(AVFrame a, int w, int h) {
        NativeI420Buffer b = NativeI420Buffer.allocate(w, h);
        VideoFrame frame = new VideoFrame(b, System.nanoTime());
        try {
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            plane(a.data(0), a.linesize(0), b.getDataY(), b.getStrideY(), w, h);
            plane(a.data(1), a.linesize(1), b.getDataU(), b.getStrideU(), cw, ch);
            plane(a.data(2), a.linesize(2), b.getDataV(), b.getStrideV(), cw, ch);
            return frame;
        } catch (RuntimeException e) {
            frame.release(); // never handed over: ours to free
            throw e;
        }
    }

    private static void plane(BytePointer src, int srcStride, ByteBuffer dst, int dstStride, int width, int rows) {
        ByteBuffer in = src.capacity((long) srcStride * rows).asByteBuffer();
        for (int r = 0; r < rows; r++) {
            dst.put(r * dstStride, in, r * srcStride, width);
        }
    }

    /** Cuts the decoded sound into 10 ms chunks for the audio queue (a full queue drops them). */
    private void push(ShortBuffer s) {
        while (s.hasRemaining()) {
            int n = Math.min(s.remaining(), pending.length - pendingCount);
            s.get(pending, pendingCount, n);
            pendingCount += n;
            if (pendingCount == pending.length) {
                short[] chunk = audio.claim();
                if (chunk != null) {
                    System.arraycopy(pending, 0, chunk, 0, pending.length);
                    audio.publish();
                }
                pendingCount = 0;
            }
        }
    }

    /** Stops playing (its participant left); waits a moment for the decoder to let go. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2_000);
    }
}
